// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IConfederationRegistry} from "./IConfederationRegistry.sol";
import {RegistryViews} from "./RegistryViews.sol";

/**
 * @title ConfederationRegistry
 * @notice The one registry of a confederated Open Badges network. See {IConfederationRegistry}.
 *
 * Its state lives in {RegistryStorage} and its views in {RegistryViews}; this contract holds what changes the
 * state. Each external function checks who calls and then calls an internal function that applies the change
 * and its rules (as OpenZeppelin's `grantRole` over `_grantRole`), so a derived contract reuses the rules
 * without the caller's checks.
 */
contract ConfederationRegistry is RegistryViews {
    /// Longest DID accepted, in bytes: organisation DIDs (did:web, did:key) are far shorter.
    uint256 private constant _MAX_DID_LENGTH = 256;

    /// Most notaries one member may authorise: bounds the loop that mirrors a status change into them.
    uint256 private constant _MAX_NOTARIES = 16;

    /// How long an application may wait for its admission; after it, it can only be rejected or cleared.
    uint64 internal constant _APPLICATION_LIFETIME = 30 days;

    /// The `subject` of quorum proposals in the epoch table (member numbers start at 1).
    uint256 private constant _QUORUM_SUBJECT = 0;

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
        _voteOnMember(_activeMemberOf(msg.sender), Action.Admit, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function voteSuspension(uint32 memberId) external {
        _voteOnMember(_activeMemberOf(msg.sender), Action.Suspend, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function voteReinstatement(uint32 memberId) external {
        _voteOnMember(_activeMemberOf(msg.sender), Action.Reinstate, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function voteRemoval(uint32 memberId) external {
        _voteOnMember(_activeMemberOf(msg.sender), Action.Remove, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function voteRejection(uint32 memberId) external {
        _voteOnMember(_activeMemberOf(msg.sender), Action.Reject, memberId);
    }

    /// @inheritdoc IConfederationRegistry
    function withdrawMembershipApplication(uint32 memberId) external {
        _closeApplication(memberId, _controlledMember(memberId), Status.Withdrawn);
    }

    /// @inheritdoc IConfederationRegistry
    function closeLapsedApplication(uint32 memberId) external {
        MemberRecord storage member = _existingMember(memberId);
        uint64 lapsesAt = member.statusSince + _APPLICATION_LIFETIME;
        if (member.status == Status.Pending && _time() < lapsesAt) revert ApplicationNotLapsed(memberId, lapsesAt);
        _closeApplication(memberId, member, Status.Lapsed);
    }

    /// @inheritdoc IConfederationRegistry
    function voteCredentialRevocation(uint32 memberId, bytes32[] calldata digests, uint8 reason) external {
        _voteCredentialRevocation(_activeMemberOf(msg.sender), memberId, digests, reason);
    }

    /// @inheritdoc IConfederationRegistry
    function voteQuorum(uint32 newQuorum) external {
        _voteQuorum(_activeMemberOf(msg.sender), newQuorum);
    }

    /// @inheritdoc IConfederationRegistry
    function updateMetadata(uint32 memberId, string calldata metadataURI, bytes32 metadataHash) external {
        _controlledMember(memberId);
        _updateMetadata(memberId, metadataURI, metadataHash);
    }

    /// @inheritdoc IConfederationRegistry
    function changeController(uint32 memberId, address newController) external {
        _requireNotClosedApplication(memberId, _controlledMember(memberId));
        _changeController(memberId, newController);
    }

    // ----------------------------------------------------------------------------------------------------
    // Keys and notaries
    // ----------------------------------------------------------------------------------------------------

    /// @inheritdoc IConfederationRegistry
    function registerKey(uint32 memberId, bytes32 keyHash, uint64 validFrom, uint64 validUntil) external {
        _registerKey(memberId, _controlledMember(memberId), keyHash, validFrom, validUntil);
    }

    /// @inheritdoc IConfederationRegistry
    function registerPublicKey(uint32 memberId, bytes calldata publicKey, uint64 validFrom, uint64 validUntil) external {
        MemberRecord storage member = _controlledMember(memberId);
        _requireWellFormedKey(publicKey);
        bytes32 keyHash = keccak256(publicKey);
        _registerKey(memberId, member, keyHash, validFrom, validUntil);
        emit SigningKeyPublished(memberId, keyHash, publicKey);
    }

    /// @inheritdoc IConfederationRegistry
    function revokeKey(uint32 memberId, bytes32 keyHash, uint64 compromisedAt) external {
        _controlledMember(memberId);
        _revokeKey(memberId, keyHash, compromisedAt);
    }

    /// @inheritdoc IConfederationRegistry
    function authoriseNotary(uint32 memberId, address notary) external {
        _requireActive(memberId, _controlledMember(memberId));
        _authoriseNotary(memberId, notary);
    }

    /// @inheritdoc IConfederationRegistry
    function deauthoriseNotary(uint32 memberId, address notary) external {
        _controlledMember(memberId);
        _deauthoriseNotary(memberId, notary);
    }

    /// @inheritdoc IConfederationRegistry
    function authoriseRevoker(uint32 memberId, address account) external {
        _requireActive(memberId, _controlledMember(memberId));
        _authoriseRevoker(memberId, account);
    }

    /// @inheritdoc IConfederationRegistry
    function deauthoriseRevoker(uint32 memberId, address account) external {
        _controlledMember(memberId);
        _deauthoriseRevoker(memberId, account);
    }

    // ----------------------------------------------------------------------------------------------------
    // Anchors, revocations, endorsements
    // ----------------------------------------------------------------------------------------------------

    /// @inheritdoc IConfederationRegistry
    function anchor(bytes32 root) external {
        _anchor(_anchoringMemberOf(msg.sender), root);
    }

    /// @inheritdoc IConfederationRegistry
    function revokeCredentials(uint32 memberId, bytes32[] calldata digests, uint8 reason) external {
        MemberRecord storage member = _revokingMember(memberId, msg.sender);
        if (member.status != Status.Active) _requireFormerMembersController(memberId, member);
        _revokeCredentials(memberId, digests, reason);
    }

    /// @inheritdoc IConfederationRegistry
    function endorse(uint32 endorser, EndorsementKind kind, bytes32 subject, string calldata claimURI) external {
        _requireActive(endorser, _controlledMember(endorser));
        _endorse(endorser, kind, subject, claimURI);
    }

    /// @inheritdoc IConfederationRegistry
    function withdrawEndorsement(uint32 endorser, EndorsementKind kind, bytes32 subject) external {
        _controlledMember(endorser);
        _withdrawEndorsement(endorser, kind, subject);
    }

    // ----------------------------------------------------------------------------------------------------
    // Internal state changes: the rules, without the caller's checks
    // ----------------------------------------------------------------------------------------------------

    /// @dev The registry's clock; virtual so that a test contract can set it (as EAS does).
    function _time() internal view virtual returns (uint64) {
        return uint64(block.timestamp);
    }

    /// @dev Numbers a new member, with status None; {_setStatus} gives it its first status.
    function _addMember(
        string memory did,
        address controller,
        Role role,
        string memory metadataURI,
        bytes32 metadataHash
    ) internal returns (uint32 memberId) {
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

    /// @dev Records a status change in the member's history, the active count and its notaries' mirror.
    function _setStatus(uint32 memberId, Status status) internal {
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

    /// @dev One vote by member `voter` on `action` about `memberId`; applies it at quorum.
    function _voteOnMember(uint32 voter, Action action, uint32 memberId) internal {
        MemberRecord storage subject = _existingMember(memberId);
        if (voter == memberId) revert CannotVoteOnSelf(memberId);
        Status target = _transitionTarget(memberId, subject.status, action);
        if (action == Action.Admit) {
            uint64 lapsedAt = subject.statusSince + _APPLICATION_LIFETIME;
            if (_time() >= lapsedAt) revert ApplicationLapsed(memberId, lapsedAt);
        }
        // Keeps the invariant quorum <= active members: the subject never votes on itself, so suspending or
        // removing an active member must leave enough others to decide anything afterwards.
        if (subject.status == Status.Active && _activeMembers - 1 < _quorum) {
            revert QuorumWouldBecomeUnreachable(_activeMembers - 1, _quorum);
        }
        if (!_recordApproval(action, memberId, 0, voter)) return;
        if (target == Status.Rejected) _closeApplication(memberId, subject, target);
        else _setStatus(memberId, target);
    }

    /// @dev Ends a pending application in `status` and frees its DID and controller for new applications.
    function _closeApplication(uint32 memberId, MemberRecord storage member, Status status) internal {
        if (member.status != Status.Pending) revert NotPending(memberId, member.status);
        delete _memberByDid[keccak256(bytes(member.did))];
        delete _memberByController[member.controller];
        _setStatus(memberId, status);
    }

    /// @dev One vote by member `voter` to revoke `digests` of suspended or removed member `memberId`.
    function _voteCredentialRevocation(uint32 voter, uint32 memberId, bytes32[] calldata digests, uint8 reason) internal {
        Status status = _existingMember(memberId).status;
        if (voter == memberId) revert CannotVoteOnSelf(memberId);
        if (status != Status.Suspended && status != Status.Removed) {
            revert InvalidTransition(memberId, status, Action.RevokeCredentials);
        }
        if (digests.length == 0) revert EmptyRevocationBatch();
        uint256 batch = uint256(keccak256(abi.encode(digests, reason)));
        if (_recordApproval(Action.RevokeCredentials, memberId, batch, voter)) {
            _revokeCredentials(memberId, digests, reason);
        }
    }

    /// @dev The status `action` leads to from `status`, or a revert when it does not apply.
    function _transitionTarget(uint32 memberId, Status status, Action action) internal pure returns (Status) {
        if (action == Action.Admit && status == Status.Pending) return Status.Active;
        if (action == Action.Suspend && status == Status.Active) return Status.Suspended;
        if (action == Action.Reinstate && status == Status.Suspended) return Status.Active;
        if (action == Action.Reject && status == Status.Pending) return Status.Rejected;
        bool member = status == Status.Pending || status == Status.Active || status == Status.Suspended;
        if (action == Action.Remove && member) return Status.Removed;
        revert InvalidTransition(memberId, status, action);
    }

    /// @dev One vote by member `voter` for quorum `newQuorum`; applies it at quorum.
    function _voteQuorum(uint32 voter, uint32 newQuorum) internal {
        if (newQuorum == 0 || newQuorum > _activeMembers) revert QuorumOutOfRange(newQuorum, _activeMembers);
        if (_recordApproval(Action.SetQuorum, _QUORUM_SUBJECT, newQuorum, voter)) {
            emit QuorumChanged(_quorum, newQuorum);
            _quorum = newQuorum;
        }
    }

    /**
     * @dev Records `voter`'s approval and tells whether the proposal now has its quorum, counting only the
     * approvers who are still active (a member suspended since it voted no longer counts). At quorum the
     * subject's epoch moves on, so every other open proposal about it lapses.
     */
    function _recordApproval(Action action, uint256 subject, uint256 value, uint32 voter) internal returns (bool reached) {
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

    function _updateMetadata(uint32 memberId, string calldata metadataURI, bytes32 metadataHash) internal {
        MemberRecord storage member = _members[memberId];
        member.metadataURI = metadataURI;
        member.metadataHash = metadataHash;
        emit MemberMetadataUpdated(memberId, metadataURI, metadataHash);
    }

    function _changeController(uint32 memberId, address newController) internal {
        _requireFreeController(newController);
        MemberRecord storage member = _members[memberId];
        address previous = member.controller;
        delete _memberByController[previous];
        _memberByController[newController] = memberId;
        member.controller = newController;
        emit ControllerChanged(memberId, previous, newController);
    }

    /// @dev `member` is member `memberId`'s record, which the caller has at hand.
    function _registerKey(
        uint32 memberId,
        MemberRecord storage member,
        bytes32 keyHash,
        uint64 validFrom,
        uint64 validUntil
    ) internal {
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

    /// @dev The multicodec forms of docs/formats.md: Ed25519 (0xed01 + 32 bytes), compressed P-256 (0x8024 + 33 bytes).
    function _requireWellFormedKey(bytes calldata publicKey) internal pure {
        uint256 length = publicKey.length;
        bool ed25519 = length == 34 && publicKey[0] == 0xed && publicKey[1] == 0x01;
        bool p256 = length == 35 &&
            publicKey[0] == 0x80 &&
            publicKey[1] == 0x24 &&
            (publicKey[2] == 0x02 || publicKey[2] == 0x03);
        if (!ed25519 && !p256) revert MalformedPublicKey(publicKey);
    }

    function _revokeKey(uint32 memberId, bytes32 keyHash, uint64 compromisedAt) internal {
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

    function _authoriseNotary(uint32 memberId, address notary) internal {
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

    function _deauthoriseNotary(uint32 memberId, address notary) internal {
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

    function _authoriseRevoker(uint32 memberId, address account) internal {
        if (account == address(0)) revert ZeroAddress();
        if (_revokers[memberId][account]) revert RevokerAlreadyAuthorised(memberId, account);
        _revokers[memberId][account] = true;
        emit RevokerAuthorised(memberId, account);
    }

    function _deauthoriseRevoker(uint32 memberId, address account) internal {
        if (!_revokers[memberId][account]) revert RevokerNotAuthorised(memberId, account);
        _revokers[memberId][account] = false;
        emit RevokerDeauthorised(memberId, account);
    }

    function _anchor(uint32 memberId, bytes32 root) internal {
        if (root == bytes32(0)) revert ZeroRoot();
        uint64 anchoredAt = _anchors[root].anchoredAt;
        if (anchoredAt != 0) revert RootAlreadyAnchored(root, anchoredAt);
        _anchors[root] = AnchorRecord({anchoredAt: _time(), memberId: memberId});
        emit RootAnchored(root, memberId);
    }

    /// @dev A digest already revoked keeps its first time and reason.
    function _revokeCredentials(uint32 memberId, bytes32[] calldata digests, uint8 reason) internal {
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

    function _endorse(uint32 endorser, EndorsementKind kind, bytes32 subject, string calldata claimURI) internal {
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

    function _withdrawEndorsement(uint32 endorser, EndorsementKind kind, bytes32 subject) internal {
        bytes32 key = _endorsementKey(endorser, kind, subject);
        if (_endorsements[key].since == 0) revert NoSuchEndorsement(endorser, kind, subject);
        delete _endorsements[key];
        emit EndorsementWithdrawn(endorser, kind, subject);
    }

    // ----------------------------------------------------------------------------------------------------
    // The caller's checks
    // ----------------------------------------------------------------------------------------------------

    /// @dev Member `memberId`'s record, when `msg.sender` controls it.
    function _controlledMember(uint32 memberId) internal view returns (MemberRecord storage member) {
        member = _existingMember(memberId);
        if (member.controller != msg.sender) revert NotController(memberId, msg.sender);
    }

    /// @dev The active member `account` controls.
    function _activeMemberOf(address account) internal view returns (uint32 memberId) {
        memberId = _memberByController[account];
        if (memberId == 0) revert NotAMember(account);
        _requireActive(memberId, _members[memberId]);
    }

    /// @dev The member `account` anchors for, read in one storage slot: its notary record mirrors the status.
    function _anchoringMemberOf(address account) internal view returns (uint32) {
        NotaryRecord memory notary = _notaries[account];
        if (!notary.authorised) revert NotANotary(account);
        if (!notary.memberActive) revert MemberNotActive(notary.memberId, _members[notary.memberId].status);
        return notary.memberId;
    }

    /// @dev Member `memberId`'s record, when `account` is its controller, one of its revokers or its notary.
    function _revokingMember(uint32 memberId, address account) internal view returns (MemberRecord storage member) {
        member = _existingMember(memberId);
        if (account != member.controller && !_revokers[memberId][account]) {
            NotaryRecord memory notary = _notaries[account];
            if (!notary.authorised || notary.memberId != memberId) revert NotAuthorisedForMember(account, memberId);
        }
    }

    function _requireActive(uint32 memberId, MemberRecord storage member) internal view {
        if (member.status != Status.Active) revert MemberNotActive(memberId, member.status);
    }

    /**
     * @dev A suspended or removed member's revokers and notaries lose their power with its status; its controller
     * keeps the power to withdraw what the member issued while active.
     */
    function _requireFormerMembersController(uint32 memberId, MemberRecord storage member) internal view {
        Status status = member.status;
        bool former = status == Status.Suspended || status == Status.Removed;
        if (!former || msg.sender != member.controller) revert MemberNotActive(memberId, status);
    }

    /// @dev A rejected, withdrawn or lapsed application no longer holds its controller, which may be reused.
    function _requireNotClosedApplication(uint32 memberId, MemberRecord storage member) internal view {
        Status status = member.status;
        if (status == Status.Rejected || status == Status.Withdrawn || status == Status.Lapsed) {
            revert MemberNotActive(memberId, status);
        }
    }

    function _requireFreeController(address controller) internal view {
        if (controller == address(0)) revert ZeroAddress();
        uint32 existing = _memberByController[controller];
        if (existing != 0) revert ControllerAlreadyInUse(controller, existing);
    }

    function _memberIdFromSubject(bytes32 subject) internal pure returns (uint32) {
        uint256 value = uint256(subject);
        if (value > type(uint32).max) revert UnknownMember(0);
        return uint32(value);
    }
}
