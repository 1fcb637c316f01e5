// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @title The registry of a confederated Open Badges network
 * @notice One deployment per network. It is the network's list of trusted providers (its members, their
 * signing keys and the accounts that notarise for them), the ledger of anchored Merkle roots of badge
 * credentials, and the record of revocations and endorsements. Only hashes, DIDs of organisations and
 * URIs are stored: never personal data.
 *
 * Members are numbered from 1 in order of application; a member's DID maps to its number once and forever.
 * Collective decisions (admission, suspension, reinstatement, removal, changing the quorum) take effect
 * when `quorum` active members other than the subject have approved the same proposal.
 */
interface IConfederationRegistry {
    /// @notice What a member does in the network (DOMAIN.md, "The confederated network").
    enum Role {
        None,
        /// Runs the whole process and issues badges.
        IssuingPoint,
        /// Observes and collects evidence; co-issues with an issuing point.
        ValidationPoint,
        /// Promotes only; issues nothing.
        InformationPoint
    }

    /// @notice Where a member stands. Removed, Rejected, Withdrawn and Lapsed are final. A removed member keeps its
    /// DID (its old badges must go on verifying); a rejected, withdrawn or lapsed application frees its DID and
    /// controller for a new application.
    enum Status {
        None,
        Pending,
        Active,
        Suspended,
        Removed,
        /// An application the quorum rejected.
        Rejected,
        /// An application its applicant withdrew.
        Withdrawn,
        /// An application left undecided for longer than APPLICATION_LIFETIME, then cleared by anyone.
        Lapsed
    }

    /// @notice The collective decisions that need a quorum.
    enum Action {
        Admit,
        Suspend,
        Reinstate,
        Remove,
        SetQuorum,
        Reject,
        /// Revoking a suspended or removed member's credentials: `value` is keccak256(abi.encode(digests, reason)).
        RevokeCredentials
    }

    /// @notice What an endorsement is about.
    enum EndorsementKind {
        Member,
        BadgeClass
    }

    /// @notice A member as set at deployment.
    struct Founder {
        string did;
        address controller;
        Role role;
        string metadataURI;
        bytes32 metadataHash;
    }

    /// @notice A member as the registry sees it now.
    struct MemberView {
        uint32 id;
        string did;
        address controller;
        Role role;
        Status status;
        uint64 statusSince;
        string metadataURI;
        bytes32 metadataHash;
    }

    /// @notice One entry of a member's status history: `status` holds from `since` on.
    struct StatusChange {
        uint64 since;
        Status status;
    }

    /// @notice A signing key of a member, registered by the hash of its public key.
    struct SigningKey {
        uint32 memberId;
        uint64 validFrom;
        /// 0: no planned end.
        uint64 validUntil;
        /// Meaningful only when `revoked`: signatures made from this time on are not trusted.
        uint64 compromisedAt;
        bool revoked;
    }

    /// @notice Everything the chain can say about one credential, answered in one call.
    struct CredentialCheck {
        /// The root is in the registry.
        bool rootAnchored;
        uint64 anchoredAt;
        uint32 anchoredBy;
        /// The issuer DID belongs to a member.
        uint32 issuerId;
        Role issuerRole;
        Status issuerStatusNow;
        /// The issuer was Active at the anchor time.
        bool issuerActiveAtAnchor;
        /// The key is registered to the issuer (and to no one else).
        bool keyRegistered;
        /// The key was inside its validity window and not yet compromised at the anchor time.
        bool keyValidAtAnchor;
        /// digest -> leaf -> proof leads to the root.
        bool proofValid;
        /// Revoked by its issuer; `revokedAt` and `revocationReason` say when and why.
        bool revoked;
        uint64 revokedAt;
        uint8 revocationReason;
    }

    /// @notice One credential to check with {checkCredentials}: the arguments of {checkCredential}.
    struct CredentialQuery {
        bytes32 issuerDidHash;
        bytes32 keyHash;
        bytes32 digest;
        bytes32[] proof;
        bytes32 root;
    }

    /**
     * @notice Credentials that share an issuer, a signing key and a root: one group of {checkCredentialGroups}.
     * A bulk verifier sends each distinct (issuer, key, root) once, however many credentials have it.
     */
    struct CredentialGroup {
        bytes32 issuerDidHash;
        bytes32 keyHash;
        bytes32 root;
    }

    /// @notice What the chain says about one {CredentialGroup}: the fields of {CredentialCheck} that do not depend
    /// on the digest, with the same meaning.
    struct GroupCheck {
        bool rootAnchored;
        uint64 anchoredAt;
        uint32 anchoredBy;
        uint32 issuerId;
        Role issuerRole;
        Status issuerStatusNow;
        bool issuerActiveAtAnchor;
        bool keyRegistered;
        bool keyValidAtAnchor;
    }

    /// @notice One credential of {checkCredentialGroups}: its digest, and the index of its group in the groups given.
    struct DigestQuery {
        uint256 group;
        bytes32 digest;
    }

    /// @notice Whether the issuer of a {DigestQuery}'s group revoked the digest: the revocation fields of
    /// {CredentialCheck}, with the same meaning.
    struct RevocationCheck {
        bool revoked;
        uint64 revokedAt;
        uint8 revocationReason;
    }

    // ----------------------------------------------------------------------------------------------------
    // Errors
    // ----------------------------------------------------------------------------------------------------

    /// @notice Thrown when a member number is 0 or was never issued.
    error UnknownMember(uint32 memberId);

    /// @notice Thrown when `account` is not the controller of member `memberId`.
    error NotController(uint32 memberId, address account);

    /// @notice Thrown when `account` controls no member at all.
    error NotAMember(address account);

    /// @notice Thrown when a member must be active for what it asked, and is in `status`.
    error MemberNotActive(uint32 memberId, Status status);

    /// @notice Thrown when a DID is already taken by member `memberId`.
    error DidAlreadyRegistered(string did, uint32 memberId);

    /// @notice Thrown when a DID is empty or longer than the registry accepts.
    error InvalidDid(string did);

    /// @notice Thrown when an account already controls member `memberId`: one account controls one member.
    error ControllerAlreadyInUse(address controller, uint32 memberId);

    /// @notice Thrown when an address argument is the zero address.
    error ZeroAddress();

    /// @notice Thrown when the role is None.
    error InvalidRole();

    /// @notice Thrown when `action` cannot apply to member `memberId` in its `status`.
    error InvalidTransition(uint32 memberId, Status status, Action action);

    /// @notice Thrown when a member votes on its own admission, suspension, reinstatement or removal.
    error CannotVoteOnSelf(uint32 memberId);

    /// @notice Thrown when member `voter` has already approved proposal `proposalId`.
    error AlreadyApproved(bytes32 proposalId, uint32 voter);

    /// @notice Thrown when a quorum is 0 or above the `activeMembers` that could reach it.
    error QuorumOutOfRange(uint32 quorum, uint32 activeMembers);

    /// @notice Thrown when a suspension or removal would leave fewer active voters than the quorum.
    /// Lower the quorum first.
    error QuorumWouldBecomeUnreachable(uint32 votersAfter, uint32 quorum);

    /// @notice Thrown when a key hash is already registered, to member `memberId`.
    error KeyAlreadyRegistered(bytes32 keyHash, uint32 memberId);

    /// @notice Thrown when member `memberId` has no key with hash `keyHash`.
    error UnknownKey(uint32 memberId, bytes32 keyHash);

    /// @notice Thrown when a key hash is zero.
    error ZeroKeyHash();

    /// @notice Thrown when a public key is not 0xed01 + 32 bytes (Ed25519) nor 0x8024 + 0x02/0x03 + 32 bytes (P-256).
    error MalformedPublicKey(bytes publicKey);

    /// @notice Thrown when a validity window starts in the past or ends before it starts.
    error InvalidValidityWindow(uint64 validFrom, uint64 validUntil, uint64 currentTime);

    /// @notice Thrown when a compromise time is in the future, or later than one already stated.
    error InvalidCompromiseTime(uint64 compromisedAt, uint64 limit);

    /// @notice Thrown when `notary` already notarises for member `memberId`.
    error NotaryAlreadyAuthorised(address notary, uint32 memberId);

    /// @notice Thrown when `notary` does not notarise for member `memberId`.
    error NotaryNotAuthorised(address notary, uint32 memberId);

    /// @notice Thrown when member `memberId` already has the most notaries allowed, `max`.
    error TooManyNotaries(uint32 memberId, uint256 max);

    /// @notice Thrown when `account` is not an authorised notary of any member.
    error NotANotary(address account);

    /// @notice Thrown when the root is zero.
    error ZeroRoot();

    /// @notice Thrown when `root` was already anchored at `anchoredAt`: a root is written once.
    error RootAlreadyAnchored(bytes32 root, uint64 anchoredAt);

    /// @notice Thrown when `account` is neither the controller, a notary nor a revoker of member `memberId`.
    error NotAuthorisedForMember(address account, uint32 memberId);

    /// @notice Thrown when `account` already revokes for member `memberId`.
    error RevokerAlreadyAuthorised(uint32 memberId, address account);

    /// @notice Thrown when `account` does not revoke for member `memberId`.
    error RevokerNotAuthorised(uint32 memberId, address account);

    /// @notice Thrown when a revocation batch is empty.
    error EmptyRevocationBatch();

    /// @notice Thrown when a {DigestQuery} names group `group`, and only `groupCount` groups were given.
    error UnknownGroup(uint256 group, uint256 groupCount);

    /// @notice Thrown when member `memberId` must be a pending application for this, and is in `status`.
    error NotPending(uint32 memberId, Status status);

    /// @notice Thrown when the application of member `memberId` lapsed at `lapsedAt`: it can only be cleared.
    error ApplicationLapsed(uint32 memberId, uint64 lapsedAt);

    /// @notice Thrown when the application of member `memberId` is cleared before it lapses, at `lapsesAt`.
    error ApplicationNotLapsed(uint32 memberId, uint64 lapsesAt);

    /// @notice Thrown when a member endorses itself.
    error SelfEndorsement(uint32 memberId);

    /// @notice Thrown when there is no standing endorsement to withdraw.
    error NoSuchEndorsement(uint32 endorser, EndorsementKind kind, bytes32 subject);

    // ----------------------------------------------------------------------------------------------------
    // Events: every state change, so that an indexer can mirror the registry
    // ----------------------------------------------------------------------------------------------------

    /// @notice Emitted when an organisation applies (or is set as a founder) and gets number `memberId`.
    event MemberApplied(
        uint32 indexed memberId,
        string did,
        address indexed controller,
        Role role,
        string metadataURI,
        bytes32 metadataHash
    );

    /// @notice Emitted when a member's status changes.
    event MemberStatusChanged(uint32 indexed memberId, Status previous, Status current);

    /// @notice Emitted when a member's metadata changes.
    event MemberMetadataUpdated(uint32 indexed memberId, string metadataURI, bytes32 metadataHash);

    /// @notice Emitted when a member hands control to another account.
    event ControllerChanged(uint32 indexed memberId, address indexed previous, address indexed current);

    /// @notice Emitted when member `voter` approves a proposal; `approvals` of `required` are now in.
    /// `subject` is the member voted on (0 for a quorum change); `value` the proposed quorum (0 otherwise).
    event ProposalApproved(
        bytes32 indexed proposalId,
        uint32 indexed voter,
        Action action,
        uint256 subject,
        uint256 value,
        uint32 approvals,
        uint32 required
    );

    /// @notice Emitted when the quorum changes.
    event QuorumChanged(uint32 previous, uint32 current);

    /// @notice Emitted when a member registers a signing key.
    event SigningKeyRegistered(uint32 indexed memberId, bytes32 indexed keyHash, uint64 validFrom, uint64 validUntil);

    /// @notice Emitted with {SigningKeyRegistered} by registerPublicKey: the public key itself (multicodec form), kept
    /// in the log only, so that a member's DID document can be generated from the chain.
    event SigningKeyPublished(uint32 indexed memberId, bytes32 indexed keyHash, bytes publicKey);

    /// @notice Emitted when a member revokes a key, or moves its compromise time earlier.
    event SigningKeyRevoked(uint32 indexed memberId, bytes32 indexed keyHash, uint64 compromisedAt);

    /// @notice Emitted when a member authorises an account to anchor and revoke on its behalf.
    event NotaryAuthorised(uint32 indexed memberId, address indexed notary);

    /// @notice Emitted when a member withdraws a notary's authorisation.
    event NotaryDeauthorised(uint32 indexed memberId, address indexed notary);

    /// @notice Emitted when a member lets `account` revoke its credentials (e.g. the notary service it uses).
    event RevokerAuthorised(uint32 indexed memberId, address indexed account);

    /// @notice Emitted when a member withdraws a revoker's authorisation.
    event RevokerDeauthorised(uint32 indexed memberId, address indexed account);

    /// @notice Emitted when a Merkle root is anchored. The anchor time is the block's timestamp.
    event RootAnchored(bytes32 indexed root, uint32 indexed memberId);

    /// @notice Emitted once per credential digest that its issuer revokes.
    event CredentialRevoked(uint32 indexed memberId, bytes32 indexed digest, uint8 reason);

    /// @notice Emitted when a member endorses another member or a badge class.
    event EndorsementGiven(uint32 indexed endorser, EndorsementKind kind, bytes32 indexed subject, string claimURI);

    /// @notice Emitted when a member withdraws an endorsement.
    event EndorsementWithdrawn(uint32 indexed endorser, EndorsementKind kind, bytes32 indexed subject);

    // ----------------------------------------------------------------------------------------------------
    // Membership
    // ----------------------------------------------------------------------------------------------------

    /**
     * @notice Applies for membership; the caller becomes the new member's controller.
     * @return memberId The new member's number.
     *
     * Requirements: a DID of 1 to 256 bytes that no member has; a role other than None; a caller that
     * controls no other member.
     *
     * Emits {MemberApplied} and {MemberStatusChanged} (None -> Pending).
     */
    function applyForMembership(
        string calldata did,
        Role role,
        string calldata metadataURI,
        bytes32 metadataHash
    ) external returns (uint32 memberId);

    /**
     * @notice Approves the admission of a pending applicant. At quorum, it becomes Active.
     *
     * Requirements: the caller controls an active member other than the applicant, which has not approved it yet.
     *
     * Emits {ProposalApproved}; at quorum also {MemberStatusChanged}.
     */
    function approveAdmission(uint32 memberId) external;

    /**
     * @notice Votes to suspend an active member. Suspended members cannot vote, anchor, revoke or add keys.
     *
     * Requirements: as {approveAdmission}; after the suspension, the active voters must still reach the quorum.
     */
    function voteSuspension(uint32 memberId) external;

    /// @notice Votes to reinstate a suspended member. Requirements as {approveAdmission}.
    function voteReinstatement(uint32 memberId) external;

    /// @notice Votes to remove a pending (rejection), active or suspended member; removal is final.
    /// Requirements as {voteSuspension}.
    function voteRemoval(uint32 memberId) external;

    /**
     * @notice Votes to reject a pending application. At quorum it becomes Rejected and its DID and controller
     * are free again. Requirements as {approveAdmission}; a lapsed application can be rejected too.
     */
    function voteRejection(uint32 memberId) external;

    /**
     * @notice Withdraws the caller's own pending application: it becomes Withdrawn and its DID and controller
     * are free again. Requirements: the caller controls member `memberId`, which is Pending.
     */
    function withdrawMembershipApplication(uint32 memberId) external;

    /**
     * @notice Clears an application left pending for APPLICATION_LIFETIME or longer: it becomes Lapsed and its
     * DID and controller are free again. Anyone may call it. Requirements: member `memberId` is Pending and lapsed.
     */
    function closeLapsedApplication(uint32 memberId) external;

    /**
     * @notice Votes to revoke credentials of a suspended or removed member (whose revokers and notaries can no
     * longer revoke). At quorum each digest is revoked as by {revokeCredentials}. Voters must send the same
     * digests, in the same order, and reason. Requirements as {approveAdmission}.
     *
     * Emits {ProposalApproved}; at quorum also {CredentialRevoked} per digest not yet revoked.
     */
    function voteCredentialRevocation(uint32 memberId, bytes32[] calldata digests, uint8 reason) external;

    /// @notice Votes to change the quorum. Requirements: 1 <= newQuorum <= active members.
    function voteQuorum(uint32 newQuorum) external;

    /// @notice Updates the caller's member metadata. Emits {MemberMetadataUpdated}.
    function updateMetadata(uint32 memberId, string calldata metadataURI, bytes32 metadataHash) external;

    /// @notice Hands control of a member to `newController`; not for a closed application (its controller is
    /// free again). Emits {ControllerChanged}.
    function changeController(uint32 memberId, address newController) external;

    // ----------------------------------------------------------------------------------------------------
    // Keys and notaries
    // ----------------------------------------------------------------------------------------------------

    /**
     * @notice Registers a signing key by the hash of its public key (see docs/formats.md).
     * @param validFrom 0 for now, otherwise a time not in the past: a key cannot vouch for the past.
     * @param validUntil 0 for no planned end, otherwise after `validFrom`.
     *
     * Requirements: the caller controls member `memberId`, which is Pending or Active; the key is new.
     *
     * Emits {SigningKeyRegistered}.
     */
    function registerKey(uint32 memberId, bytes32 keyHash, uint64 validFrom, uint64 validUntil) external;

    /**
     * @notice Registers a signing key by its public key, in multicodec form (0xed01 + 32-byte Ed25519 key, or
     * 0x8024 + 33-byte compressed P-256 point), under the rules of registerKey with keyHash = keccak256(publicKey).
     * The key is published in an event only; the registry stores its hash, as registerKey does.
     *
     * Requirements: those of registerKey; the key is well formed.
     *
     * Emits {SigningKeyRegistered} and {SigningKeyPublished}.
     */
    function registerPublicKey(uint32 memberId, bytes calldata publicKey, uint64 validFrom, uint64 validUntil) external;

    /**
     * @notice Revokes a key from `compromisedAt` on; signatures anchored before that time stay valid.
     * Allowed in any status, since it only withdraws trust. Revoking again must move the time strictly earlier.
     * @param compromisedAt 0 for now, otherwise a time not in the future.
     *
     * Emits {SigningKeyRevoked}.
     */
    function revokeKey(uint32 memberId, bytes32 keyHash, uint64 compromisedAt) external;

    /// @notice Authorises `notary` to anchor and revoke for member `memberId`. An account serves one member;
    /// a member has at most 16 notaries. Requirements: the caller controls the member, which is Active.
    /// Emits {NotaryAuthorised}.
    function authoriseNotary(uint32 memberId, address notary) external;

    /// @notice Withdraws a notary's authorisation, in any status. Emits {NotaryDeauthorised}.
    function deauthoriseNotary(uint32 memberId, address notary) external;

    /**
     * @notice Lets `account` revoke member `memberId`'s credentials, and nothing else. Unlike a notary, a
     * revoker may serve many members: a notary service that another member runs revokes with its one account
     * for every member that authorised it.
     *
     * Requirements: the caller controls the member, which is Active; `account` is not a revoker of it yet.
     *
     * Emits {RevokerAuthorised}.
     */
    function authoriseRevoker(uint32 memberId, address account) external;

    /// @notice Withdraws a revoker's authorisation, in any status. Emits {RevokerDeauthorised}.
    function deauthoriseRevoker(uint32 memberId, address account) external;

    // ----------------------------------------------------------------------------------------------------
    // Anchors, revocations, endorsements
    // ----------------------------------------------------------------------------------------------------

    /**
     * @notice Anchors a Merkle root of credential digests. Its cost does not depend on the batch size.
     *
     * Requirements: the caller is an authorised notary of an active member; the root is not zero and new.
     *
     * Emits {RootAnchored}.
     */
    function anchor(bytes32 root) external;

    /**
     * @notice Revokes credentials by digest, for the member that issued them. A digest already revoked keeps
     * its first time and reason, and emits nothing.
     *
     * Requirements: the caller is the controller, a notary or a revoker of member `memberId`, which is Active;
     * or the controller of a suspended or removed member (a badge issued while active stays valid until its
     * issuer or the quorum, through {voteCredentialRevocation}, revokes it).
     *
     * May emit {CredentialRevoked} once per digest.
     */
    function revokeCredentials(uint32 memberId, bytes32[] calldata digests, uint8 reason) external;

    /// @notice Endorses another member (`subject` = its number) or a badge class (`subject` = its hash).
    /// Requirements: the caller controls an active member. Emits {EndorsementGiven}; endorsing again
    /// replaces the claim.
    function endorse(uint32 endorser, EndorsementKind kind, bytes32 subject, string calldata claimURI) external;

    /// @notice Withdraws a standing endorsement. Emits {EndorsementWithdrawn}.
    function withdrawEndorsement(uint32 endorser, EndorsementKind kind, bytes32 subject) external;

    // ----------------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------------

    /// @notice The number of approvals a collective decision needs.
    function quorum() external view returns (uint32);

    /// @notice How many members are Active now.
    function activeMemberCount() external view returns (uint32);

    /// @notice How many member numbers have been issued.
    function memberCount() external view returns (uint32);

    /// @notice A member by number. Reverts {UnknownMember}.
    function getMember(uint32 memberId) external view returns (MemberView memory);

    /// @notice The member number for keccak256(bytes(did)), or 0.
    function memberIdByDidHash(bytes32 didHash) external view returns (uint32);

    /// @notice The member an account controls, or 0.
    function memberIdByController(address controller) external view returns (uint32);

    /// @notice A member's whole status history, oldest first.
    function statusHistory(uint32 memberId) external view returns (StatusChange[] memory);

    /// @notice A member's status at time `time` (None before it applied).
    function statusAt(uint32 memberId, uint64 time) external view returns (Status);

    /// @notice A key by hash (memberId 0 when unknown).
    function getKey(bytes32 keyHash) external view returns (SigningKey memory);

    /// @notice Whether key `keyHash` belonged to member `memberId` and was valid at `time`.
    function isKeyValidAt(uint32 memberId, bytes32 keyHash, uint64 time) external view returns (bool);

    /// @notice The member `notary` is authorised for, or 0.
    function notaryMember(address notary) external view returns (uint32);

    /// @notice The notaries member `memberId` has authorised (at most 16).
    function notariesOf(uint32 memberId) external view returns (address[] memory);

    /// @notice Whether `account` may revoke member `memberId`'s credentials as a revoker.
    function isRevoker(uint32 memberId, address account) external view returns (bool);

    /// @notice When `root` was anchored and by which member (0, 0 when it was not).
    function getAnchor(bytes32 root) external view returns (uint64 anchoredAt, uint32 memberId);

    /// @notice When member `memberId` revoked `digest`, and why (0, 0 when it did not).
    function revocationOf(uint32 memberId, bytes32 digest) external view returns (uint64 revokedAt, uint8 reason);

    /// @notice A standing endorsement (since 0 when there is none).
    function getEndorsement(
        uint32 endorser,
        EndorsementKind kind,
        bytes32 subject
    ) external view returns (uint64 since, string memory claimURI);

    /// @notice The Merkle leaf of a credential digest: keccak256(bytes.concat(keccak256(abi.encode(digest)))).
    function leafOf(bytes32 digest) external pure returns (bytes32);

    /**
     * @notice Every on-chain check of one credential in a single call: root anchored and when, key valid then,
     * issuer active then, proof valid, revoked or not. A verifier reads it and decides.
     * @param issuerDidHash keccak256 of the credential's issuer DID.
     * @param keyHash hash of the public key that signed the credential.
     * @param digest the credential digest (docs/formats.md).
     * @param proof the Merkle proof from the digest's leaf to `root` (sorted pairs, keccak256).
     */
    function checkCredential(
        bytes32 issuerDidHash,
        bytes32 keyHash,
        bytes32 digest,
        bytes32[] calldata proof,
        bytes32 root
    ) external view returns (CredentialCheck memory);

    /**
     * @notice {checkCredential} for many credentials in one call, in the order given: a verifier of a
     * thousand badges makes a handful of eth_calls instead of a thousand.
     */
    function checkCredentials(CredentialQuery[] calldata queries) external view returns (CredentialCheck[] memory);

    /**
     * @notice The on-chain facts of many credentials in one call, for a verifier that checks each Merkle proof
     * itself (docs/formats.md): what {checkCredential} answers, except `proofValid`, with the facts that
     * credentials share read once. Each group (a distinct issuer, key and root) gets its anchor, its issuer's
     * membership then and now, and its key's validity then; each digest only the revocation by its group's
     * issuer. `checkCredential(g.issuerDidHash, g.keyHash, d.digest, proof, g.root)` for `g = groups[d.group]`
     * equals `groupChecks[d.group]` and `revocations[i]` field by field, whatever the proof.
     * @param groups the distinct (issuer DID hash, key hash, root) of the credentials.
     * @param digests one entry per credential: its digest and the index of its group in `groups`.
     * @return groupChecks one per group, in the order given.
     * @return revocations one per digest, in the order given (all zero when the group's issuer is no member).
     *
     * Requirements: every `digests[i].group` is below `groups.length` ({UnknownGroup} otherwise).
     */
    function checkCredentialGroups(
        CredentialGroup[] calldata groups,
        DigestQuery[] calldata digests
    ) external view returns (GroupCheck[] memory groupChecks, RevocationCheck[] memory revocations);
}
