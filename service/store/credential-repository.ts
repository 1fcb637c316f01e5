import type { SqliteDatabase } from './database';
import { StatusIndexBinder } from './status-list-repository';

/** A credential as intake acknowledges it. */
export interface NewCredential {
  digest: string;
  memberId: number;
  issuerDid: string;
  keyHash: string;
  format: string;
  artifact: string;
  submittedBy: string;
  receivedAt: number;
  /** The status list indexes the credential's revocation entries name (docs/status-list.md); bound with it. */
  statusEntries?: readonly { list: string; index: number }[];
}

export interface StoredCredential extends Omit<NewCredential, 'statusEntries'> {
  batchId: number | null;
  leafIndex: number | null;
}

interface CredentialRow {
  digest: string;
  member_id: number;
  issuer_did: string;
  key_hash: string;
  format: string;
  artifact: string;
  submitted_by: string;
  received_at: number;
  batch_id: number | null;
  leaf_index: number | null;
}

/** A credential's place in the pipeline: queued (no batch yet) or leaf `leafIndex` of batch `batchId`. */
export type CredentialPlacement = Pick<StoredCredential, 'digest' | 'receivedAt' | 'batchId' | 'leafIndex'>;

const fromRow = (row: CredentialRow): StoredCredential => ({
  digest: row.digest,
  memberId: row.member_id,
  issuerDid: row.issuer_did,
  keyHash: row.key_hash,
  format: row.format,
  artifact: row.artifact,
  submittedBy: row.submitted_by,
  receivedAt: row.received_at,
  batchId: row.batch_id,
  leafIndex: row.leaf_index,
});

/** The acknowledged credentials and the queue of those not yet in a batch. */
export class CredentialRepository {
  private readonly insert;
  private readonly byDigest;
  private readonly placementByDigest;
  private readonly depth;
  private readonly oldest;
  private readonly queue;
  private readonly statusIndexes: StatusIndexBinder;

  constructor(private readonly db: SqliteDatabase) {
    this.statusIndexes = new StatusIndexBinder(db);
    this.insert = db.prepare(
      `INSERT INTO credentials (digest, member_id, issuer_did, key_hash, format, artifact, submitted_by, received_at)
       VALUES (@digest, @memberId, @issuerDid, @keyHash, @format, @artifact, @submittedBy, @receivedAt)
       ON CONFLICT (digest) DO NOTHING`,
    );
    this.byDigest = db.prepare<[string], CredentialRow>('SELECT * FROM credentials WHERE digest = ?');
    this.placementByDigest = db.prepare<[string], Pick<CredentialRow, 'digest' | 'received_at' | 'batch_id' | 'leaf_index'>>(
      // The planner would take the primary key's index and then read the row: the covering one never does.
      'SELECT digest, received_at, batch_id, leaf_index FROM credentials INDEXED BY credentials_placement WHERE digest = ?',
    );
    // The queue's partial index holds only queued credentials: counting them there costs the queue's length,
    // where the planner would otherwise count through every credential's placement entry.
    this.depth = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM credentials INDEXED BY credentials_queue WHERE batch_id IS NULL');
    this.oldest = db.prepare<[], { t: number | null }>('SELECT min(received_at) AS t FROM credentials WHERE batch_id IS NULL');
    this.queue = db.prepare<[number], { digest: string }>(
      'SELECT digest FROM credentials WHERE batch_id IS NULL ORDER BY received_at, digest LIMIT ?',
    );
  }

  /**
   * Stores the credentials not stored yet, all in one transaction: when it returns, every one of them is
   * durable, with its status list indexes bound (an index bound to another digest fails the whole transaction).
   * Tells, per credential, whether it was new (false: the same digest was already acknowledged).
   */
  async insertMany(credentials: readonly NewCredential[]): Promise<boolean[]> {
    return this.db.transaction((items: readonly NewCredential[]) =>
      items.map(({ statusEntries, ...item }) => {
        const created = this.insert.run(item).changes === 1;
        if (created && statusEntries?.length) {
          this.statusIndexes.bindMany(statusEntries.map((entry) => ({ ...entry, memberId: item.memberId, digest: item.digest })));
        }
        return created;
      }),
    )(credentials);
  }

  async get(digest: string): Promise<StoredCredential | undefined> {
    const row = this.byDigest.get(digest);
    return row && fromRow(row);
  }

  /** Where a credential stands, without its artifact: what a status or receipt lookup reads. */
  async placement(digest: string): Promise<CredentialPlacement | undefined> {
    const row = this.placementByDigest.get(digest);
    return row && { digest: row.digest, receivedAt: row.received_at, batchId: row.batch_id, leafIndex: row.leaf_index };
  }

  async queueDepth(): Promise<number> {
    return this.depth.get()!.n;
  }

  /** When the oldest queued credential arrived (ms), or undefined for an empty queue. */
  async oldestQueuedAt(): Promise<number | undefined> {
    return this.oldest.get()!.t ?? undefined;
  }

  /** The next digests to batch, oldest first. */
  async nextQueued(limit: number): Promise<string[]> {
    return this.queue.all(limit).map((row) => row.digest);
  }
}
