// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IBadgeClassCatalogue} from "./IBadgeClassCatalogue.sol";
import {IConfederationRegistry} from "./IConfederationRegistry.sol";

/**
 * @title BadgeClassCatalogue
 * @notice The network's catalogue of badge classes. See {IBadgeClassCatalogue}.
 *
 * A separate contract because the registry is at the EIP-170 size limit; it asks the registry who may act.
 * As in the registry, each external function checks who calls and an internal function applies the rules.
 */
contract BadgeClassCatalogue is IBadgeClassCatalogue {
    IConfederationRegistry private immutable _REGISTRY;

    mapping(bytes32 classId => BadgeClass) private _classes;
    mapping(bytes32 classId => mapping(uint32 memberId => bool)) private _adopted;

    /// @param registry_ the registry whose members publish and adopt.
    constructor(IConfederationRegistry registry_) {
        _REGISTRY = registry_;
    }

    /// @inheritdoc IBadgeClassCatalogue
    function publish(bytes32 classId, string calldata uri) external {
        _publish(_activeMemberOf(msg.sender), classId, uri);
    }

    /// @inheritdoc IBadgeClassCatalogue
    function supersede(bytes32 classId, bytes32 newClassId, string calldata uri) external {
        _supersede(_activeMemberOf(msg.sender), classId, newClassId, uri);
    }

    /// @inheritdoc IBadgeClassCatalogue
    function adopt(bytes32 classId) external {
        _adopt(_activeMemberOf(msg.sender), classId);
    }

    /// @inheritdoc IBadgeClassCatalogue
    function withdrawAdoption(bytes32 classId) external {
        _withdrawAdoption(_memberOf(msg.sender), classId);
    }

    /// @inheritdoc IBadgeClassCatalogue
    function registry() external view returns (IConfederationRegistry) {
        return _REGISTRY;
    }

    /// @inheritdoc IBadgeClassCatalogue
    function getBadgeClass(bytes32 classId) external view returns (BadgeClass memory) {
        return _existingClass(classId);
    }

    /// @inheritdoc IBadgeClassCatalogue
    function isAdopted(bytes32 classId, uint32 memberId) external view returns (bool) {
        return _adopted[classId][memberId];
    }

    /// @inheritdoc IBadgeClassCatalogue
    function adopterCount(bytes32 classId) external view returns (uint32) {
        return _classes[classId].adopterCount;
    }

    // ----------------------------------------------------------------------------------------------------
    // Internal state changes: the rules, without the caller's checks
    // ----------------------------------------------------------------------------------------------------

    /// @dev The catalogue's clock; virtual as the registry's, so that a test contract can set it.
    function _time() internal view virtual returns (uint64) {
        return uint64(block.timestamp);
    }

    function _publish(uint32 publisher, bytes32 classId, string calldata uri) internal returns (BadgeClass storage class) {
        if (classId == bytes32(0)) revert ZeroClassId();
        if (bytes(uri).length == 0) revert EmptyURI();
        class = _classes[classId];
        if (class.publishedAt != 0) revert ClassAlreadyPublished(classId, class.publisher);
        class.publisher = publisher;
        class.publishedAt = _time();
        class.uri = uri;
        emit BadgeClassPublished(classId, publisher, uri);
    }

    function _supersede(uint32 publisher, bytes32 classId, bytes32 newClassId, string calldata uri) internal {
        BadgeClass storage old = _currentClass(classId);
        if (old.publisher != publisher) revert NotPublisher(classId, old.publisher, publisher);
        _publish(publisher, newClassId, uri).supersedes = classId;
        old.supersededBy = newClassId;
        emit BadgeClassSuperseded(classId, newClassId, publisher);
    }

    function _adopt(uint32 memberId, bytes32 classId) internal {
        BadgeClass storage class = _currentClass(classId);
        if (_adopted[classId][memberId]) revert AlreadyAdopted(classId, memberId);
        _adopted[classId][memberId] = true;
        ++class.adopterCount;
        emit BadgeClassAdopted(classId, memberId);
    }

    function _withdrawAdoption(uint32 memberId, bytes32 classId) internal {
        if (!_adopted[classId][memberId]) revert NotAdopted(classId, memberId);
        delete _adopted[classId][memberId];
        --_classes[classId].adopterCount;
        emit BadgeClassAdoptionWithdrawn(classId, memberId);
    }

    function _existingClass(bytes32 classId) internal view returns (BadgeClass storage class) {
        class = _classes[classId];
        if (class.publishedAt == 0) revert UnknownClass(classId);
    }

    /// @dev Class `classId` when it is the current version: new work goes to the newest version.
    function _currentClass(bytes32 classId) internal view returns (BadgeClass storage class) {
        class = _existingClass(classId);
        if (class.supersededBy != bytes32(0)) revert ClassSuperseded(classId, class.supersededBy);
    }

    // ----------------------------------------------------------------------------------------------------
    // The caller's checks, asked of the registry
    // ----------------------------------------------------------------------------------------------------

    /// @dev The member `account` controls, whatever its status.
    function _memberOf(address account) internal view returns (uint32 memberId) {
        memberId = _REGISTRY.memberIdByController(account);
        if (memberId == 0) revert NotAMember(account);
    }

    /// @dev The active member `account` controls.
    function _activeMemberOf(address account) internal view returns (uint32 memberId) {
        memberId = _memberOf(account);
        IConfederationRegistry.Status status = _REGISTRY.getMember(memberId).status;
        if (status != IConfederationRegistry.Status.Active) revert MemberNotActive(memberId, status);
    }
}
