// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IConfederationRegistry} from "./IConfederationRegistry.sol";

/**
 * @title RegistryStorage
 * @notice The registry's state, shared by its views ({RegistryViews}) and its state changes
 * ({ConfederationRegistry}): one deployment, one storage layout.
 */
abstract contract RegistryStorage is IConfederationRegistry {
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

    uint32 internal _quorum;
    uint32 internal _activeMembers;

    /// Member numbers start at 1, so that 0 means "none". A mapping, not an array: an array's bounds check
    /// would cost the anchor path one more cold storage read.
    uint32 internal _memberCount;
    mapping(uint32 memberId => MemberRecord) internal _members;
    mapping(uint32 memberId => StatusChange[]) internal _statusHistory;
    mapping(bytes32 didHash => uint32 memberId) internal _memberByDid;
    mapping(address controller => uint32 memberId) internal _memberByController;

    /// Bumped each time a proposal about a subject takes effect, so that older votes about it lapse.
    mapping(uint256 subject => uint64 epoch) internal _epochs;
    mapping(bytes32 proposalId => uint32[] voters) internal _approvers;
    mapping(bytes32 proposalId => mapping(uint32 voter => bool)) internal _hasApproved;

    mapping(bytes32 keyHash => SigningKey) internal _keys;
    mapping(address notary => NotaryRecord) internal _notaries;
    mapping(uint32 memberId => address[]) internal _notaryList;
    mapping(uint32 memberId => mapping(address account => bool)) internal _revokers;
    mapping(bytes32 root => AnchorRecord) internal _anchors;
    mapping(uint32 memberId => mapping(bytes32 digest => Revocation)) internal _revocations;
    mapping(bytes32 endorsementKey => Endorsement) internal _endorsements;

    /// @dev Member `memberId`'s record; reverts {UnknownMember} for 0 or a number never issued.
    function _existingMember(uint32 memberId) internal view returns (MemberRecord storage) {
        if (memberId == 0 || memberId > _memberCount) revert UnknownMember(memberId);
        return _members[memberId];
    }

    /// @dev Where `endorser`'s endorsement of `subject` is kept in {_endorsements}.
    function _endorsementKey(uint32 endorser, EndorsementKind kind, bytes32 subject) internal pure returns (bytes32) {
        return keccak256(abi.encode(endorser, kind, subject));
    }
}
