// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IConfederationRegistry} from "./IConfederationRegistry.sol";

/**
 * @title The network's shared catalogue of badge classes
 * @notice A member publishes a badge class (an Open Badges 3.0 Achievement) by its content id: the hash of the
 * class document's canonical JSON (JCS), computed off-chain. The chain records who published it, when, and where
 * the document lives; never the document and never personal data. A publisher supersedes its own class with a new
 * version: the old version stays readable and records what superseded it, so old badges go on verifying against
 * the version they cite. Any active member adopts a class (and may withdraw its adoption), so a verifier sees that
 * an issuer uses the network's shared class. Endorsing a class is the registry's `endorse(..., BadgeClass, ...)`.
 *
 * Who may act is the registry's answer: the caller is the controller of an active member.
 */
interface IBadgeClassCatalogue {
    /// @notice A published badge class. `publishedAt` is 0 for a class never published.
    struct BadgeClass {
        uint32 publisher;
        uint64 publishedAt;
        /// The version this one replaces; zero for a first version.
        bytes32 supersedes;
        /// The version that replaced this one; zero while it is current.
        bytes32 supersededBy;
        /// Where the class document lives (https or ipfs).
        string uri;
        uint32 adopterCount;
    }

    /// @notice `account` controls no member of the registry.
    error NotAMember(address account);
    /// @notice Member `memberId` is not Active (it is `status`): it cannot publish or adopt.
    error MemberNotActive(uint32 memberId, IConfederationRegistry.Status status);
    /// @notice The zero content id names no document.
    error ZeroClassId();
    /// @notice A class needs the URI of its document.
    error EmptyURI();
    /// @notice `classId` is already in the catalogue, published by `publisher`: a content id is published once.
    error ClassAlreadyPublished(bytes32 classId, uint32 publisher);
    /// @notice `classId` was never published.
    error UnknownClass(bytes32 classId);
    /// @notice Only the publisher (`publisher`) of `classId` supersedes it; `memberId` asked.
    error NotPublisher(bytes32 classId, uint32 publisher, uint32 memberId);
    /// @notice `classId` was already superseded by `supersededBy`: supersede the current version, adopt the current one.
    error ClassSuperseded(bytes32 classId, bytes32 supersededBy);
    /// @notice Member `memberId` already adopts `classId`.
    error AlreadyAdopted(bytes32 classId, uint32 memberId);
    /// @notice Member `memberId` does not adopt `classId`.
    error NotAdopted(bytes32 classId, uint32 memberId);

    /// @notice Member `publisher` published `classId`, whose document lives at `uri`.
    event BadgeClassPublished(bytes32 indexed classId, uint32 indexed publisher, string uri);
    /// @notice Member `publisher` replaced `classId` with `newClassId` (published in the same transaction).
    event BadgeClassSuperseded(bytes32 indexed classId, bytes32 indexed newClassId, uint32 indexed publisher);
    /// @notice Member `memberId` adopted `classId`.
    event BadgeClassAdopted(bytes32 indexed classId, uint32 indexed memberId);
    /// @notice Member `memberId` withdrew its adoption of `classId`.
    event BadgeClassAdoptionWithdrawn(bytes32 indexed classId, uint32 indexed memberId);

    /**
     * @notice Publishes `classId` as a class of the caller's member.
     * @dev Caller: controller of an active member. Emits {BadgeClassPublished}.
     * @param classId the content id of the class document (JCS hash).
     * @param uri where the document lives.
     */
    function publish(bytes32 classId, string calldata uri) external;

    /**
     * @notice Publishes `newClassId` as the new version of the caller's current class `classId`.
     * @dev Caller: controller of the active member that published `classId`.
     * Emits {BadgeClassPublished} then {BadgeClassSuperseded}.
     */
    function supersede(bytes32 classId, bytes32 newClassId, string calldata uri) external;

    /**
     * @notice The caller's member adopts the current class `classId` (not a superseded version).
     * @dev Caller: controller of an active member. Emits {BadgeClassAdopted}.
     */
    function adopt(bytes32 classId) external;

    /**
     * @notice The caller's member withdraws its adoption of `classId` (also while suspended or removed: a member
     * may always stop claiming a class).
     * @dev Caller: controller of a member. Emits {BadgeClassAdoptionWithdrawn}.
     */
    function withdrawAdoption(bytes32 classId) external;

    /// @notice The registry whose members act here.
    function registry() external view returns (IConfederationRegistry);

    /// @notice Class `classId`; reverts {UnknownClass} when it was never published.
    function getBadgeClass(bytes32 classId) external view returns (BadgeClass memory);

    /// @notice Whether member `memberId` adopts `classId` now.
    function isAdopted(bytes32 classId, uint32 memberId) external view returns (bool);

    /// @notice How many members adopt `classId` now (0 for an unknown class).
    function adopterCount(bytes32 classId) external view returns (uint32);
}
