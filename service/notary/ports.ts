/**
 * The interfaces the use cases depend on. Each has a real implementation elsewhere (the store's
 * repositories and registry mirror, the batching code's StoredReceiptLookup, the verifier pool, the revocation
 * sender over the transaction queue, the registry's views over JSON-RPC); tests may pass their own.
 */
import type { VerifyCredentialResult, VerifyManyParameters } from '../credentials';
import type { CredentialBatchView, CredentialStatus } from '../batching';
import type { BadgeClassDocument, BadgeClassId, BadgeClassRecord } from '../catalogue';
import type { Endorsement, Member, Revocation, SigningKey, StatusChange } from '../registry';
import type {
  BadgeClassDocumentWriter,
  BatchRepository,
  CatalogueEntry,
  CatalogueSearch,
  ClientRepository,
  CredentialRepository,
  MemberPeriodCount,
  MemberReasonCount,
  MemberRevocationsAtHead,
  RevocationRepository,
  StoredBadgeClassDocument,
} from '../store';

export type { Clock } from '../clock';
export type { BadgeClassDocumentWriter };

/** Who asks a use case: a member, through one of its API clients or keys (`subject` names which). */
export interface Actor {
  memberId: number;
  memberDid: string;
  subject: string;
}

// ---------------------------------------------------------------------------------------------------------
// The store (service/store's repositories fit as they are).
// ---------------------------------------------------------------------------------------------------------

export type CredentialStore = Pick<CredentialRepository, 'get' | 'insertMany'>;
export type BatchStore = Pick<BatchRepository, 'get'>;
export type RevocationStore = Pick<
  RevocationRepository,
  'create' | 'get' | 'listForMember' | 'inState' | 'forDigest' | 'markSubmitted' | 'markMined' | 'markFailed'
>;
export type ClientStore = Pick<ClientRepository, 'create' | 'get' | 'listForMember' | 'revoke'>;

// ---------------------------------------------------------------------------------------------------------
// The registry mirror (Store.registry, filled by service/indexer). Structural: the repository fits as it is.
// ---------------------------------------------------------------------------------------------------------

/** What the service reads from the mirror of the registry's events. */
export interface RegistryMirror {
  /** How far the mirror goes; undefined before the indexer first ran. */
  cursor(): { startBlock: number; lastBlock: number; lastBlockHash: string | null; updatedAt: number } | undefined;
  members(): Member[];
  member(id: number): Member | undefined;
  memberByDid(did: string): Member | undefined;
  statusHistory(memberId: number): StatusChange[];
  key(keyHash: string): SigningKey | undefined;
  keysOf(memberId: number): SigningKey[];
  notariesOf(memberId: number): string[];
  /** Accounts the member lets revoke its credentials (beside its controller and notaries). */
  revokersOf(memberId: number): string[];
  revocationsOfDigest(digest: string): Revocation[];
  /** A member's revoked digests and the indexed block they are true of, read together (its status lists). */
  revocationsAtHead(memberId: number): MemberRevocationsAtHead;
  /** The network dashboard's figures of every notary (GET /v1/stats): anchors per member and month, revocations by reason. */
  anchorsPerMemberMonth(fromSeconds: number, toSeconds: number): MemberPeriodCount[];
  revocationsPerMemberReason(): MemberReasonCount[];
  endorsementsGiven(memberId: number): Endorsement[];
  endorsementsReceived(memberId: number): Endorsement[];
}

/**
 * The mirror of the badge-class catalogue (issue #11): the contract's records, filled by service/indexer from
 * the catalogue's events, and the class documents the notary holds (uploaded by their publishers, each checked
 * against its id). Intake and the HTTP API read it; the indexer and the document upload write it.
 */
export interface BadgeClassCatalogueMirror {
  /** The class as the catalogue contract records it; undefined for a class never published (or not mirrored yet). */
  badgeClass(classId: BadgeClassId): BadgeClassRecord | undefined;
  /** The class document whose id is `classId`, when the notary holds it. */
  document(classId: BadgeClassId): BadgeClassDocument | undefined;
}

/**
 * The whole catalogue as the HTTP API reads it (service/store's BadgeClassCatalogueRepository fits as it is): the
 * mirror above, plus the stored documents, the search and the version chains. Structural. Uploads go through the
 * store port's BadgeClassDocumentWriter (NotaryStore.badgeClassDocuments), which on PostgreSQL writes the shared
 * documents first.
 */
export interface BadgeClassCatalogueStore extends BadgeClassCatalogueMirror {
  /** The catalogue contract the mirror follows; null when the deployment names none. */
  catalogueAddress(): string | null;
  storedDocument(classId: BadgeClassId): StoredBadgeClassDocument | undefined;
  search(query: CatalogueSearch): CatalogueEntry[];
  versionChain(classId: BadgeClassId): BadgeClassRecord[];
  adoptedClasses(): (CatalogueEntry & { adopterCount: number })[];
}

/**
 * The registry's own views, asked when the mirror does not know (yet) what is asked (service/chain's
 * createRegistryViews). Each answers undefined for a thing the registry does not have, and rejects when
 * the chain cannot be read.
 */
export interface RegistryViews {
  member(id: number): Promise<{ id: number; did: string; role: number; status: number } | undefined>;
  memberIdByDid(did: string): Promise<number | undefined>;
  key(keyHash: string): Promise<Omit<SigningKey, 'keyHash'> | undefined>;
  /** The member's revocation of `digest`; undefined when it has none. */
  revocationOf(memberId: number, digest: string): Promise<{ revokedAt: number; reason: number } | undefined>;
}

// ---------------------------------------------------------------------------------------------------------
// Credential status and receipts (service/batching's StoredReceiptLookup fits as it is).
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
export interface CredentialStatusSource {
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
    beforeBroadcast: (transaction: RevocationTransaction) => void | Promise<void>,
  ): Promise<RevocationTransaction>;
  /** The mined transaction's block and whether it succeeded; undefined while it is not mined. */
  receipt(hash: string): Promise<{ blockNumber: number; succeeded: boolean } | undefined>;
}
