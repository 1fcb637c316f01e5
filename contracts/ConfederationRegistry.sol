// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IConfederationRegistry} from "./IConfederationRegistry.sol";

/**
 * @title ConfederationRegistry
 * @notice The one registry of a confederated Open Badges network. See {IConfederationRegistry}.
 */
contract ConfederationRegistry is IConfederationRegistry {
    /// Longest DID accepted, in bytes: organisation DIDs (did:web, did:key) are far shorter.
    uint256 private constant _MAX_DID_LENGTH = 256;

    /// Most notaries one member may authorise: bounds the loop that mirrors a status change into them.
    uint256 private constant _MAX_NOTARIES = 16;

    /// The `subject` of quorum proposals in the epoch table (member numbers start at 1).
    uint256 private constant _QUORUM_SUBJECT = 0;

    /// Slot 0 of a member holds all that the hot paths (anchor, vote) read.
    struct MemberRecord {
        address controller;
        Role role;
        Status status;
        uint64 statusSince;
        bytes32 metadataHash;
        string did;
        string metadataURI;
    }

    /// `memberActive` mirrors the member's status so that {anchor} authorises with one storage read.
    struct NotaryRecord {
        uint32 memberId;
        bool authorised;
        bool memberActive;
        uint8 position;
    }

    /// One storage slot per anchor: the gas floor for a new root.
    struct AnchorRecord {
        uint64 anchoredAt;
        uint32 memberId;
    }

    struct Revocation {
        uint64 revokedAt;
        uint8 reason;
    }

    struct Endorsement {
        uint64 since;
        string claimURI;
    }

    uint32 private _quorum;
    uint32 private _activeMembers;

    /// Member numbers start at 1, so that 0 means "none". A mapping, not an array: an array's bounds check
    /// would cost the anchor path one more cold storage read.
    uint32 private _memberCount;
    mapping(uint32 memberId => MemberRecord) private _members;
    mapping(uint32 memberId => StatusChange[]) private _statusHistory;
    mapping(bytes32 didHash => uint32 memberId) private _memberByDid;
    mapping(address controller => uint32 memberId) private _memberByController;

    /// Bumped each time a proposal about a subject takes effect, so that older votes about it lapse.
    mapping(uint256 subject => uint64 epoch) private _epochs;
    mapping(bytes32 proposalId => uint32[] voters) private _approvers;
    mapping(bytes32 proposalId => mapping(uint32 voter => bool)) private _hasApproved;

    mapping(bytes32 keyHash => SigningKey) private _keys;
    mapping(address notary => NotaryRecord) private _notaries;
    mapping(uint32 memberId => address[]) private _notaryList;
    mapping(uint32 memberId => mapping(address account => bool)) private _revokers;
    mapping(bytes32 root => AnchorRecord) private _anchors;
    mapping(uint32 memberId => mapping(bytes32 digest => Revocation)) private _revocations;
    mapping(bytes32 endorsementKey => Endorsement) private _endorsements;

    /**
     * @param founders the first members, Active from deployment.
     * @param initialQuorum approvals a collective decision needs; 1 to the number of founders.
     */
    constructor(Founder[] memory founders, uint32 initialQuorum) {
        for (uint256 i = 0; i < founders.length; ++i) {
            Founder memory founder = founders[i];
            uint32 memberId = _addMember(founder.did, founder.controller, founder.role, founder.metadataURI, founder.metadataHash);
            _setStatus(memberId, Status.Active);
        }
        if (initialQuorum == 0 || initialQuorum > _activeMembers) revert QuorumOutOfRange(initialQuorum, _activeMembers);
        _quorum = initialQuorum;
        emit QuorumChanged(0, initialQuorum);
    }

    // ----------------------------------------------------------------------------------------------------
    // Membership
    // ----------------------------------------------------------------------------------------------------

    /// @inheritdoc IConfederationRegistry
    function applyForMembership(
        string calldata did,
        Role role,
        string calldata metadataURI,
        bytes32 metadataHash
    ) external returns (uint32 memberId) {
        memberId = _addMember(did, msg.sender, role, metadataURI, metadataHash);
        _setStatus(memberId, Status.Pending);
    }

    /// @inheritdoc IConfederationRegistry
    function approveAdmission(uint32 memberId) external {
        _voteOnMember(Action.Admit, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function voteSuspension(uint32 memberId) external {
        _voteOnMember(Action.Suspend, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function voteReinstatement(uint32 memberId) external {
        _voteOnMember(Action.Reinstate, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function voteRemoval(uint32 memberId) external {
        _voteOnMember(Action.Remove, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function voteQuorum(uint32 newQuorum) external {
        uint32 voter = _activeMemberOf(msg.sender);
        if (newQuorum == 0 || newQuorum > _activeMembers) revert QuorumOutOfRange(newQuorum, _activeMembers);
        if (_recordApproval(Action.SetQuorum, _QUORUM_SUBJECT, newQuorum, voter)) {
            emit QuorumChanged(_quorum, newQuorum);
            _quorum = newQuorum;
        }
    }

    /// @inheritdoc IConfederationRegistry
    function updateMetadata(uint32 memberId, string calldata metadataURI, bytes32 metadataHash) external {
        MemberRecord storage member = _controlledMember(memberId);
        member.metadataURI = metadataURI;
        member.metadataHash = metadataHash;
        emit MemberMetadataUpdated(memberId, metadataURI, metadataHash);
    }

    /// @inheritdoc IConfederationRegistry
    function changeController(uint32 memberId, address newController) external {
        MemberRecord storage member = _controlledMember(memberId);
        _requireFreeController(newController);
        delete _memberByController[msg.sender];
        _memberByController[newController] = memberId;
        member.controller = newController;
        emit ControllerChanged(memberId, msg.sender, newController);
    }

    // ----------------------------------------------------------------------------------------------------
    // Keys and notaries
    // ----------------------------------------------------------------------------------------------------

    /// @inheritdoc IConfederationRegistry
    function registerKey(uint32 memberId, bytes32 keyHash, uint64 validFrom, uint64 validUntil) external {
        MemberRecord storage member = _controlledMember(memberId);
        if (member.status != Status.Pending && member.status != Status.Active) {
            revert MemberNotActive(memberId, member.status);
        }
        if (keyHash == bytes32(0)) revert ZeroKeyHash();
        uint32 owner = _keys[keyHash].memberId;
        if (owner != 0) revert KeyAlreadyRegistered(keyHash, owner);

        uint64 currentTime = _time();
        uint64 start = validFrom == 0 ? currentTime : validFrom;
        // A key registered now cannot vouch for signatures anchored before it was known to the registry.
        if (start < currentTime || (validUntil != 0 && validUntil <= start)) {
            revert InvalidValidityWindow(validFrom, validUntil, currentTime);
        }
        _keys[keyHash] = SigningKey({
            memberId: memberId,
            validFrom: start,
            validUntil: validUntil,
            compromisedAt: 0,
            revoked: false
        });
        emit SigningKeyRegistered(memberId, keyHash, start, validUntil);
    }

    /// @inheritdoc IConfederationRegistry
    function revokeKey(uint32 memberId, bytes32 keyHash, uint64 compromisedAt) external {
        _controlledMember(memberId);
        SigningKey storage key = _keys[keyHash];
        if (key.memberId != memberId) revert UnknownKey(memberId, keyHash);

        uint64 currentTime = _time();
        uint64 time = compromisedAt == 0 ? currentTime : compromisedAt;
        // The earliest known compromise wins: a later statement can never restore trust in a signature, and
        // repeating the same one changes nothing, so it is refused rather than logged twice.
        uint64 limit = key.revoked ? key.compromisedAt - 1 : currentTime;
        if (time > limit) revert InvalidCompromiseTime(time, limit);
        key.revoked = true;
        key.compromisedAt = time;
        emit SigningKeyRevoked(memberId, keyHash, time);
    }

    /// @inheritdoc IConfederationRegistry
    function authoriseNotary(uint32 memberId, address notary) external {
        _requireActive(memberId, _controlledMember(memberId));
        if (notary == address(0)) revert ZeroAddress();
        NotaryRecord storage record = _notaries[notary];
        if (record.authorised) revert NotaryAlreadyAuthorised(notary, record.memberId);
        address[] storage list = _notaryList[memberId];
        if (list.length == _MAX_NOTARIES) revert TooManyNotaries(memberId, _MAX_NOTARIES);
        _notaries[notary] = NotaryRecord({
            memberId: memberId,
            authorised: true,
            memberActive: true,
            position: uint8(list.length)
        });
        list.push(notary);
        emit NotaryAuthorised(memberId, notary);
    }

    /// @inheritdoc IConfederationRegistry
    function deauthoriseNotary(uint32 memberId, address notary) external {
        _controlledMember(memberId);
        NotaryRecord storage record = _notaries[notary];
        if (!record.authorised || record.memberId != memberId) revert NotaryNotAuthorised(notary, memberId);
        // Swap-and-pop keeps the member's list dense.
        address[] storage list = _notaryList[memberId];
        address last = list[list.length - 1];
        list[record.position] = last;
        _notaries[last].position = record.position;
        list.pop();
        delete _notaries[notary];
        emit NotaryDeauthorised(memberId, notary);
    }

    /// @inheritdoc IConfederationRegistry
    function authoriseRevoker(uint32 memberId, address account) external {
        _requireActive(memberId, _controlledMember(memberId));
        if (account == address(0)) revert ZeroAddress();
        if (_revokers[memberId][account]) revert RevokerAlreadyAuthorised(memberId, account);
        _revokers[memberId][account] = true;
        emit RevokerAuthorised(memberId, account);
    }

    /// @inheritdoc IConfederationRegistry
    function deauthoriseRevoker(uint32 memberId, address account) external {
        _controlledMember(memberId);
        if (!_revokers[memberId][account]) revert RevokerNotAuthorised(memberId, account);
        _revokers[memberId][account] = false;
        emit RevokerDeauthorised(memberId, account);
    }

    // ----------------------------------------------------------------------------------------------------
    // Anchors, revocations, endorsements
    // ----------------------------------------------------------------------------------------------------

    /// @inheritdoc IConfederationRegistry
    function anchor(bytes32 root) external {
        NotaryRecord memory notary = _notaries[msg.sender];
        if (!notary.authorised) revert NotANotary(msg.sender);
        if (!notary.memberActive) revert MemberNotActive(notary.memberId, _members[notary.memberId].status);
        if (root == bytes32(0)) revert ZeroRoot();
        uint64 anchoredAt = _anchors[root].anchoredAt;
        if (anchoredAt != 0) revert RootAlreadyAnchored(root, anchoredAt);
        _anchors[root] = AnchorRecord({anchoredAt: _time(), memberId: notary.memberId});
        emit RootAnchored(root, notary.memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function revokeCredentials(uint32 memberId, bytes32[] calldata digests, uint8 reason) external {
        MemberRecord storage member = _existingMember(memberId);
        if (msg.sender != member.controller && !_revokers[memberId][msg.sender]) {
            NotaryRecord memory notary = _notaries[msg.sender];
            if (!notary.authorised || notary.memberId != memberId) revert NotAuthorisedForMember(msg.sender, memberId);
        }
        _requireActive(memberId, member);
        if (digests.length == 0) revert EmptyRevocationBatch();

        uint64 currentTime = _time();
        mapping(bytes32 => Revocation) storage revocations = _revocations[memberId];
        for (uint256 i = 0; i < digests.length; ++i) {
            Revocation storage revocation = revocations[digests[i]];
            if (revocation.revokedAt != 0) continue;
            revocation.revokedAt = currentTime;
            revocation.reason = reason;
            emit CredentialRevoked(memberId, digests[i], reason);
        }
    }

    /// @inheritdoc IConfederationRegistry
    function endorse(uint32 endorser, EndorsementKind kind, bytes32 subject, string calldata claimURI) external {
        _requireActive(endorser, _controlledMember(endorser));
        if (kind == EndorsementKind.Member) {
            uint32 endorsed = _memberIdFromSubject(subject);
            _existingMember(endorsed);
            if (endorsed == endorser) revert SelfEndorsement(endorser);
        }
        Endorsement storage endorsement = _endorsements[_endorsementKey(endorser, kind, subject)];
        endorsement.since = _time();
        endorsement.claimURI = claimURI;
        emit EndorsementGiven(endorser, kind, subject, claimURI);
    }

    /// @inheritdoc IConfederationRegistry
    function withdrawEndorsement(uint32 endorser, EndorsementKind kind, bytes32 subject) external {
        _controlledMember(endorser);
        bytes32 key = _endorsementKey(endorser, kind, subject);
        if (_endorsements[key].since == 0) revert NoSuchEndorsement(endorser, kind, subject);
        delete _endorsements[key];
        emit EndorsementWithdrawn(endorser, kind, subject);
    }

    // ----------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------

    /// @inheritdoc IConfederationRegistry
    function quorum() external view returns (uint32) {
        return _quorum;
    }

    /// @inheritdoc IConfederationRegistry
    function activeMemberCount() external view returns (uint32) {
        return _activeMembers;
    }

    /// @inheritdoc IConfederationRegistry
    function memberCount() external view returns (uint32) {
        return _memberCount;
    }

    /// @inheritdoc IConfederationRegistry
    function getMember(uint32 memberId) external view returns (MemberView memory) {
        MemberRecord storage member = _existingMember(memberId);
        return
            MemberView({
                id: memberId,
                did: member.did,
                controller: member.controller,
                role: member.role,
                status: member.status,
                statusSince: member.statusSince,
                metadataURI: member.metadataURI,
                metadataHash: member.metadataHash
            });
    }

    /// @inheritdoc IConfederationRegistry
    function memberIdByDidHash(bytes32 didHash) external view returns (uint32) {
        return _memberByDid[didHash];
    }

    /// @inheritdoc IConfederationRegistry
    function memberIdByController(address controller) external view returns (uint32) {
        return _memberByController[controller];
    }

    /// @inheritdoc IConfederationRegistry
    function statusHistory(uint32 memberId) external view returns (StatusChange[] memory) {
        _existingMember(memberId);
        return _statusHistory[memberId];
    }

    /// @inheritdoc IConfederationRegistry
    function statusAt(uint32 memberId, uint64 time) public view returns (Status) {
        StatusChange[] storage history = _statusHistory[memberId];
        // Binary search for the last change at or before `time`.
        uint256 low = 0;
        uint256 high = history.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (history[mid].since > time) high = mid;
            else low = mid + 1;
        }
        return low == 0 ? Status.None : history[low - 1].status;
    }

    /// @inheritdoc IConfederationRegistry
    function getKey(bytes32 keyHash) external view returns (SigningKey memory) {
        return _keys[keyHash];
    }

    /// @inheritdoc IConfederationRegistry
    function isKeyValidAt(uint32 memberId, bytes32 keyHash, uint64 time) public view returns (bool) {
        SigningKey storage key = _keys[keyHash];
        return
            memberId != 0 &&
            key.memberId == memberId &&
            time >= key.validFrom &&
            (key.validUntil == 0 || time < key.validUntil) &&
            (!key.revoked || time < key.compromisedAt);
    }

    /// @inheritdoc IConfederationRegistry
    function notaryMember(address notary) external view returns (uint32) {
        NotaryRecord memory record = _notaries[notary];
        return record.authorised ? record.memberId : 0;
    }

    /// @inheritdoc IConfederationRegistry
    function notariesOf(uint32 memberId) external view returns (address[] memory) {
        return _notaryList[memberId];
    }

    /// @inheritdoc IConfederationRegistry
    function isRevoker(uint32 memberId, address account) external view returns (bool) {
        return _revokers[memberId][account];
    }

    /// @inheritdoc IConfederationRegistry
    function getAnchor(bytes32 root) external view returns (uint64 anchoredAt, uint32 memberId) {
        AnchorRecord memory record = _anchors[root];
        return (record.anchoredAt, record.memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function revocationOf(uint32 memberId, bytes32 digest) external view returns (uint64 revokedAt, uint8 reason) {
        Revocation memory revocation = _revocations[memberId][digest];
        return (revocation.revokedAt, revocation.reason);
    }

    /// @inheritdoc IConfederationRegistry
    function getEndorsement(
        uint32 endorser,
        EndorsementKind kind,
        bytes32 subject
    ) external view returns (uint64 since, string memory claimURI) {
        Endorsement storage endorsement = _endorsements[_endorsementKey(endorser, kind, subject)];
        return (endorsement.since, endorsement.claimURI);
    }

    /// @inheritdoc IConfederationRegistry
    function leafOf(bytes32 digest) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(digest))));
    }

    /// @inheritdoc IConfederationRegistry
    function checkCredential(
        bytes32 issuerDidHash,
        bytes32 keyHash,
        bytes32 digest,
        bytes32[] calldata proof,
        bytes32 root
    ) external view returns (CredentialCheck memory) {
        return _checkCredential(issuerDidHash, keyHash, digest, proof, root);
    }

    /// @inheritdoc IConfederationRegistry
    function checkCredentials(CredentialQuery[] calldata queries) external view returns (CredentialCheck[] memory checks) {
        checks = new CredentialCheck[](queries.length);
        for (uint256 i = 0; i < queries.length; ++i) {
            CredentialQuery calldata query = queries[i];
            checks[i] = _checkCredential(query.issuerDidHash, query.keyHash, query.digest, query.proof, query.root);
        }
    }

    /// @inheritdoc IConfederationRegistry
    function checkCredentialGroups(
        CredentialGroup[] calldata groups,
        DigestQuery[] calldata digests
    ) external view returns (GroupCheck[] memory groupChecks, RevocationCheck[] memory revocations) {
        groupChecks = new GroupCheck[](groups.length);
        for (uint256 i = 0; i < groups.length; ++i) {
            CredentialGroup calldata group = groups[i];
            groupChecks[i] = _checkGroup(group.issuerDidHash, group.keyHash, group.root);
        }
        revocations = new RevocationCheck[](digests.length);
        for (uint256 i = 0; i < digests.length; ++i) {
            uint256 groupIndex = digests[i].group;
            if (groupIndex >= groups.length) revert UnknownGroup(groupIndex, groups.length);
            uint32 issuerId = groupChecks[groupIndex].issuerId;
            // Only a member revokes: as {checkCredential}, an unknown issuer's digests read as not revoked.
            if (issuerId == 0) continue;
            Revocation memory revocation = _revocations[issuerId][digests[i].digest];
            if (revocation.revokedAt == 0) continue;
            RevocationCheck memory check = revocations[i];
            check.revoked = true;
            check.revokedAt = revocation.revokedAt;
            check.revocationReason = revocation.reason;
        }
    }

    // ----------------------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------------------

    /// @dev What a credential's check shares with every credential of its (issuer, key, root): for {checkCredentialGroups} and {_checkCredential}.
    function _checkGroup(bytes32 issuerDidHash, bytes32 keyHash, bytes32 root) private view returns (GroupCheck memory check) {
        AnchorRecord memory anchorRecord = _anchors[root];
        check.rootAnchored = anchorRecord.anchoredAt != 0;
        check.anchoredAt = anchorRecord.anchoredAt;
        check.anchoredBy = anchorRecord.memberId;

        uint32 issuerId = _memberByDid[issuerDidHash];
        check.issuerId = issuerId;
        check.keyRegistered = issuerId != 0 && _keys[keyHash].memberId == issuerId;
        if (issuerId == 0) return check;

        MemberRecord storage issuer = _members[issuerId];
        check.issuerRole = issuer.role;
        check.issuerStatusNow = issuer.status;
        if (check.rootAnchored) {
            check.issuerActiveAtAnchor = statusAt(issuerId, anchorRecord.anchoredAt) == Status.Active;
            check.keyValidAtAnchor = isKeyValidAt(issuerId, keyHash, anchorRecord.anchoredAt);
        }
    }

    /// @dev {_checkGroup}'s facts, and this digest's proof and revocation.
    function _checkCredential(
        bytes32 issuerDidHash,
        bytes32 keyHash,
        bytes32 digest,
        bytes32[] calldata proof,
        bytes32 root
    ) private view returns (CredentialCheck memory check) {
        GroupCheck memory group = _checkGroup(issuerDidHash, keyHash, root);
        check.rootAnchored = group.rootAnchored;
        check.anchoredAt = group.anchoredAt;
        check.anchoredBy = group.anchoredBy;
        check.issuerId = group.issuerId;
        check.issuerRole = group.issuerRole;
        check.issuerStatusNow = group.issuerStatusNow;
        check.issuerActiveAtAnchor = group.issuerActiveAtAnchor;
        check.keyRegistered = group.keyRegistered;
        check.keyValidAtAnchor = group.keyValidAtAnchor;
        check.proofValid = MerkleProof.verifyCalldata(proof, root, leafOf(digest));
        if (group.issuerId == 0) return check;
        Revocation memory revocation = _revocations[group.issuerId][digest];
        check.revoked = revocation.revokedAt != 0;
        check.revokedAt = revocation.revokedAt;
        check.revocationReason = revocation.reason;
    }

    /// @dev The registry's clock; virtual so that a test contract can set it (as EAS does).
    function _time() internal view virtual returns (uint64) {
        return uint64(block.timestamp);
    }

    function _addMember(
        string memory did,
        address controller,
        Role role,
        string memory metadataURI,
        bytes32 metadataHash
    ) private returns (uint32 memberId) {
        uint256 didLength = bytes(did).length;
        if (didLength == 0 || didLength > _MAX_DID_LENGTH) revert InvalidDid(did);
        if (role == Role.None) revert InvalidRole();
        bytes32 didHash = keccak256(bytes(did));
        if (_memberByDid[didHash] != 0) revert DidAlreadyRegistered(did, _memberByDid[didHash]);
        _requireFreeController(controller);

        memberId = ++_memberCount;
        _members[memberId] = MemberRecord({
            controller: controller,
            role: role,
            status: Status.None,
            statusSince: 0,
            metadataHash: metadataHash,
            did: did,
            metadataURI: metadataURI
        });
        _memberByDid[didHash] = memberId;
        _memberByController[controller] = memberId;
        emit MemberApplied(memberId, did, controller, role, metadataURI, metadataHash);
    }

    function _setStatus(uint32 memberId, Status status) private {
        MemberRecord storage member = _members[memberId];
        Status previous = member.status;
        if (previous == Status.Active) --_activeMembers;
        if (status == Status.Active) ++_activeMembers;
        uint64 currentTime = _time();
        member.status = status;
        member.statusSince = currentTime;
        _statusHistory[memberId].push(StatusChange({since: currentTime, status: status}));
        emit MemberStatusChanged(memberId, previous, status);

        bool active = status == Status.Active;
        if (active != (previous == Status.Active)) {
            address[] storage notaries = _notaryList[memberId];
            for (uint256 i = 0; i < notaries.length; ++i) {
                _notaries[notaries[i]].memberActive = active;
            }
        }
    }

    /// @dev One vote by the caller's member on `action` about `memberId`; applies it at quorum.
    function _voteOnMember(Action action, uint32 memberId) private {
        uint32 voter = _activeMemberOf(msg.sender);
        MemberRecord storage subject = _existingMember(memberId);
        if (voter == memberId) revert CannotVoteOnSelf(memberId);
        Status target = _transitionTarget(memberId, subject.status, action);
        // Keeps the invariant quorum <= active members: the subject never votes on itself, so suspending or
        // removing an active member must leave enough others to decide anything afterwards.
        if (subject.status == Status.Active && _activeMembers - 1 < _quorum) {
            revert QuorumWouldBecomeUnreachable(_activeMembers - 1, _quorum);
        }
        if (_recordApproval(action, memberId, 0, voter)) _setStatus(memberId, target);
    }

    /// @dev The status `action` leads to from `status`, or a revert when it does not apply.
    function _transitionTarget(uint32 memberId, Status status, Action action) private pure returns (Status) {
        if (action == Action.Admit && status == Status.Pending) return Status.Active;
        if (action == Action.Suspend && status == Status.Active) return Status.Suspended;
        if (action == Action.Reinstate && status == Status.Suspended) return Status.Active;
        if (action == Action.Remove && status != Status.Removed) return Status.Removed;
        revert InvalidTransition(memberId, status, action);
    }

    /**
     * @dev Records `voter`'s approval and tells whether the proposal now has its quorum, counting only the
     * approvers who are still active (a member suspended since it voted no longer counts). At quorum the
     * subject's epoch moves on, so every other open proposal about it lapses.
     */
    function _recordApproval(Action action, uint256 subject, uint256 value, uint32 voter) private returns (bool reached) {
        bytes32 proposalId = keccak256(abi.encode(action, subject, value, _epochs[subject]));
        if (_hasApproved[proposalId][voter]) revert AlreadyApproved(proposalId, voter);
        _hasApproved[proposalId][voter] = true;
        uint32[] storage voters = _approvers[proposalId];
        voters.push(voter);

        uint32 approvals = 0;
        for (uint256 i = 0; i < voters.length; ++i) {
            if (_members[voters[i]].status == Status.Active) ++approvals;
        }
        emit ProposalApproved(proposalId, voter, action, subject, value, approvals, _quorum);
        reached = approvals >= _quorum;
        if (reached) ++_epochs[subject];
    }

    function _existingMember(uint32 memberId) private view returns (MemberRecord storage) {
        if (memberId == 0 || memberId > _memberCount) revert UnknownMember(memberId);
        return _members[memberId];
    }

    function _controlledMember(uint32 memberId) private view returns (MemberRecord storage member) {
        member = _existingMember(memberId);
        if (member.controller != msg.sender) revert NotController(memberId, msg.sender);
    }

    function _activeMemberOf(address account) private view returns (uint32 memberId) {
        memberId = _memberByController[account];
        if (memberId == 0) revert NotAMember(account);
        _requireActive(memberId, _members[memberId]);
    }

    function _requireActive(uint32 memberId, MemberRecord storage member) private view {
        if (member.status != Status.Active) revert MemberNotActive(memberId, member.status);
    }

    function _requireFreeController(address controller) private view {
        if (controller == address(0)) revert ZeroAddress();
        uint32 existing = _memberByController[controller];
        if (existing != 0) revert ControllerAlreadyInUse(controller, existing);
    }

    function _memberIdFromSubject(bytes32 subject) private pure returns (uint32) {
        uint256 value = uint256(subject);
        if (value > type(uint32).max) revert UnknownMember(0);
        return uint32(value);
    }

    function _endorsementKey(uint32 endorser, EndorsementKind kind, bytes32 subject) private pure returns (bytes32) {
        return keccak256(abi.encode(endorser, kind, subject));
    }
}
