/**
 * The small interfaces the HTTP layer depends on. Each has a real implementation elsewhere (the store's
 * registry mirror, the batching code's receipt lookup, the verifier pool, the revocation sender over the
 * transaction queue); tests may pass their own.
 */
import type { Provider } from 'ethers';
import type { VerifyCredentialResult, VerifyManyParameters } from '../credentials';
import type { CredentialBatchView, CredentialStatus } from '../batching';
import type { RegistryReader } from '../verify';

/** Milliseconds since the epoch. */
export type Clock = () => number;

// ---------------------------------------------------------------------------------------------------------
// The registry mirror (Store.registry, filled by service/indexer). Structural: the repository fits as it is.
// ---------------------------------------------------------------------------------------------------------

export interface MirrorMember {
  id: number;
  did: string;
  controller: string;
  role: number;
  status: number;
  statusSince: number;
  metadataURI: string;
  metadataHash: string;
}

export interface MirrorKey {
  keyHash: string;
  memberId: number;
  validFrom: number;
  validUntil: number;
  compromisedAt: number;
  revoked: boolean;
}

export interface MirrorRevocation {
  memberId: number;
  digest: string;
  revokedAt: number;
  reason: number;
  blockNumber: number;
  txHash: string;
}

export interface MirrorEndorsement {
  endorser: number;
  kind: number;
  subject: string;
  claimURI: string;
  since: number;
  blockNumber: number;
}

/** What the API reads from the mirror of the registry's events. */
export interface RegistryMirror {
  /** How far the mirror goes; undefined before the indexer first ran. */
  cursor(): { startBlock: number; lastBlock: number; lastBlockHash: string | null; updatedAt: number } | undefined;
  members(): MirrorMember[];
  member(id: number): MirrorMember | undefined;
  memberByDid(did: string): MirrorMember | undefined;
  statusHistory(memberId: number): { since: number; status: number }[];
  key(keyHash: string): MirrorKey | undefined;
  keysOf(memberId: number): MirrorKey[];
  notariesOf(memberId: number): string[];
  /** Accounts the member lets revoke its credentials (beside its controller and notaries). */
  revokersOf(memberId: number): string[];
  revocationsOfDigest(digest: string): MirrorRevocation[];
  endorsementsGiven(memberId: number): MirrorEndorsement[];
  endorsementsReceived(memberId: number): MirrorEndorsement[];
}

// ---------------------------------------------------------------------------------------------------------
// Receipts (service/batching's ReceiptLookup fits as it is).
// ---------------------------------------------------------------------------------------------------------

export type { CredentialBatchView, CredentialStatus };

/** Where a credential is: queued for a batch, in a sealed batch, its batch's transaction sent, anchored. */
export type CredentialState = CredentialStatus['state'];
export const PENDING_STATES: readonly CredentialState[] = ['queued', 'sealed', 'submitted'];

/**
 * A digest's state and, once anchored, its receipt; undefined for a digest this service never took. The
 * receipt is one that service/merkle's buildReceipt or validateReceipt returned: GET .../receipt writes it with
 * receiptJson, which relies on its fields having been checked.
 */
export interface ReceiptLookup {
  status(digest: string): Promise<CredentialStatus | undefined>;
}

// ---------------------------------------------------------------------------------------------------------
// Signature checks (the verifier pool, or inline verification).
// ---------------------------------------------------------------------------------------------------------

/** Verifies credentials offline (format, signature, schema, dates); results in input order. */
export interface CredentialVerifier {
  verifyMany(parameters: VerifyManyParameters): Promise<VerifyCredentialResult[]>;
}

// ---------------------------------------------------------------------------------------------------------
// Revocations (sent through service/chain/transaction-queue.ts).
// ---------------------------------------------------------------------------------------------------------

export interface RevocationTransaction {
  hash: string;
  nonce: number;
}

export interface RevocationSender {
  /** The account that sends the revocations. */
  readonly account: string;
  /**
   * Sends revokeCredentials(memberId, digests, reason). `beforeBroadcast` runs with the signed transaction's
   * hash before it leaves (record it there). A registry refusal rejects with a RegistryRevertError.
   */
  send(
    request: { memberId: number; digests: readonly string[]; reason: number },
    beforeBroadcast: (transaction: RevocationTransaction) => void,
  ): Promise<RevocationTransaction>;
  /** The mined transaction's block and whether it succeeded; undefined while it is not mined. */
  receipt(hash: string): Promise<{ blockNumber: number; succeeded: boolean } | undefined>;
}

// ---------------------------------------------------------------------------------------------------------
// The chain.
// ---------------------------------------------------------------------------------------------------------

export interface ChainAccess {
  chainId: number;
  /** The registry's address. */
  registry: string;
  /** For readiness (the head) and for the registry's views when the mirror does not know something yet. */
  provider: Provider;
  /** A reader for ONE verification run (it remembers the head): a new one per request. */
  newReader(): RegistryReader;
}
