/**
 * The registry's records (the structs and events of contracts/IConfederationRegistry.sol) as the service
 * handles them: one type per concept, used by the mirror (store, indexer), the API, the verifier and the CLI.
 * Times are unix seconds; hashes are lower-case 0x hex; `role`, `status` and `kind` are the enum values of ./enums.
 */

/** A member as getMember shows it (MemberView). */
export interface Member {
  id: number;
  did: string;
  controller: string;
  role: number;
  status: number;
  statusSince: number;
  metadataURI: string;
  metadataHash: string;
}

/** One entry of a member's status history: `status` holds from `since` on. */
export interface StatusChange {
  since: number;
  status: number;
}

/** A signing key as getKey shows it, with the hash it is registered by. */
export interface SigningKey {
  keyHash: string;
  /** 0 when the registry does not know the key. */
  memberId: number;
  validFrom: number;
  /** 0: no planned end. */
  validUntil: number;
  /** Meaningful only when `revoked` (0 otherwise): signatures made from this time on are not trusted. */
  compromisedAt: number;
  revoked: boolean;
  /**
   * The public key in multicodec form (0xed01 + Ed25519 key, or 0x8024 + compressed P-256 point; lower-case hex),
   * when the member published it with registerPublicKey (SigningKeyPublished); absent for a key registered by hash.
   */
  publicKey?: string;
}

/** A credential digest revoked by a member (CredentialRevoked), with where the mirror saw it. */
export interface Revocation {
  memberId: number;
  digest: string;
  revokedAt: number;
  reason: number;
  blockNumber: number;
  txHash: string;
}

/** A standing endorsement; `kind` Member has the endorsed member's number as a 32-byte `subject` (memberSubject). */
export interface Endorsement {
  endorser: number;
  kind: number;
  subject: string;
  claimURI: string;
  since: number;
  blockNumber: number;
}

/** The 32-byte `subject` of an endorsement of member `memberId`. */
export function memberSubject(memberId: number): string {
  return `0x${memberId.toString(16).padStart(64, '0')}`;
}
