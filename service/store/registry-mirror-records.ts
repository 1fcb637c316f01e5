/** The registry mirror's own records: the event log, the indexed blocks, the cursor, notaries and anchors. */

/** A decoded argument of a registry event: integers up to 48 bits as numbers, wider ones as decimal strings. */
export type RegistryEventArg = string | number | boolean;

/** One registry event as the mirror keeps it. */
export interface RegistryEventRecord {
  blockNumber: number;
  /** The log's index in its block. */
  logIndex: number;
  blockHash: string;
  txHash: string;
  /** The block's timestamp, unix seconds: the contract's _time() for this event. */
  blockTime: number;
  /** The event's name in IConfederationRegistry, e.g. 'MemberApplied'. */
  name: string;
  args: Readonly<Record<string, RegistryEventArg>>;
}

/** A block the mirror has indexed, kept to find the common ancestor after a reorg. */
export interface IndexedBlock {
  number: number;
  hash: string;
  parentHash: string;
  time: number;
}

/** A member's revocations as the mirror has them now: the revoked digests, and the indexed block they are true of. */
export interface MemberRevocationsAtHead {
  digests: string[];
  /** The mirror's last indexed block; undefined while nothing is indexed. */
  block?: { number: number; hash: string; time: number };
}

/** What the mirror follows: the registry from its deployment block, and the badge-class catalogue beside it, if any. */
export interface MirrorStart {
  registry: string;
  startBlock: number;
  /** The catalogue's address; undefined or null when the deployment has none. */
  catalogue?: string | null;
}

/** How far the mirror goes: every block from startBlock to lastBlock is indexed. */
export interface MirrorCursor {
  registry: string;
  startBlock: number;
  /** startBlock - 1 while nothing is indexed. */
  lastBlock: number;
  /** null while nothing is indexed. */
  lastBlockHash: string | null;
  /** When the cursor last moved (ms, the caller's clock). */
  updatedAt: number;
}

/** What one indexing step read for blocks fromBlock..toBlock, applied in one transaction. */
export interface MirrorChunk {
  fromBlock: number;
  toBlock: number;
  /** The registry's events in these blocks, in chain order. */
  events: readonly RegistryEventRecord[];
  /** The badge-class catalogue's events in these blocks (none when the mirror follows no catalogue). */
  catalogueEvents?: readonly RegistryEventRecord[];
  /** Hashes of blocks of the chunk to keep for reorg detection; must include toBlock, the new cursor. */
  blocks: readonly IndexedBlock[];
  /** How many of the newest indexed blocks to keep hashes of. */
  keepBlocks: number;
}

export interface MirroredNotary {
  address: string;
  memberId: number;
  authorised: boolean;
  /** Its index in notariesOf(memberId) while authorised, else null. */
  position: number | null;
  /** Block time of its last authorisation or withdrawal. */
  since: number;
}

export interface MirroredAnchor {
  root: string;
  memberId: number;
  anchoredAt: number;
  blockNumber: number;
  blockHash: string;
  txHash: string;
}
