// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IConfederationRegistry} from "./IConfederationRegistry.sol";
import {RegistryStorage} from "./RegistryStorage.sol";

/**
 * @title RegistryViews
 * @notice Everything the registry answers without changing its state: the getters, and the credential checks
 * a verifier asks ({checkCredential}, {checkCredentials}, {checkCredentialGroups}). See {IConfederationRegistry}.
 */
abstract contract RegistryViews is RegistryStorage {
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

    /// @dev What a credential's check shares with every credential of its (issuer, key, root): for {checkCredentialGroups} and {_checkCredential}.
    function _checkGroup(bytes32 issuerDidHash, bytes32 keyHash, bytes32 root) internal view returns (GroupCheck memory check) {
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
    ) internal view returns (CredentialCheck memory check) {
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
}
