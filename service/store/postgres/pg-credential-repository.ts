/**
 * The acknowledged credentials and their queue in PostgreSQL: the same answers as the SQLite
 * CredentialRepository (test/store/credential-repository.test.ts runs one suite on both).
 */
import type { CredentialPlacement, CredentialRepository, NewCredential, StoredCredential } from '../credential-repository';
import type { StatusListBinding } from '../status-list-repository';
import type { PgDatabase } from './pg-database';
import { bindStatusIndexes } from './pg-status-list-bindings';
import { ReadsGatheredPerTick } from './reads-gathered-per-tick';

/** The public methods of the SQLite repository, which this one implements the same way. */
type CredentialStorage = { [K in keyof CredentialRepository]: CredentialRepository[K] };

const COLUMNS = `digest, member_id AS "memberId", issuer_did AS "issuerDid", key_hash AS "keyHash", format, artifact,
  submitted_by AS "submittedBy", received_at AS "receivedAt", batch_id AS "batchId", leaf_index AS "leafIndex"`;

export class PgCredentialRepository implements CredentialStorage {
  /** Every receipt and status lookup reads a placement: those asked in one turn go out as one statement. */
  private readonly placements: ReadsGatheredPerTick<string, CredentialPlacement>;

  constructor(private readonly db: PgDatabase) {
    this.placements = new ReadsGatheredPerTick(async (digests) => {
      // Named (pg-database.ts, NamedStatement): parsed and planned once per connection.
      const { rows } = await this.db.query<CredentialPlacement>({
        name: 'credential-placements',
        text: 'SELECT digest, received_at AS "receivedAt", batch_id AS "batchId", leaf_index AS "leafIndex" FROM credentials WHERE digest = ANY($1::text[])',
        values: [digests],
      });
      return new Map(rows.map((row) => [row.digest, row]));
    });
  }

  /**
   * Stores the credentials not stored yet and binds their status list indexes, in one transaction: every one is
   * committed when it resolves. A digest twice in `credentials` is stored once, from its first occurrence, as
   * SQLite does. Another process storing one of the digests at the same moment: this one waits for it and finds
   * the digest stored (not new). Rows are written in digest order, so two writers of overlapping digests never
   * deadlock. An index bound to another digest is a StatusIndexTakenError, and nothing is stored.
   */
  insertMany(credentials: readonly NewCredential[]): Promise<boolean[]> {
    const firsts = new Map<string, NewCredential>();
    for (const credential of credentials) if (!firsts.has(credential.digest)) firsts.set(credential.digest, credential);
    const rows = [...firsts.values()];
    if (rows.length === 0) return Promise.resolve([]);
    return this.db.transaction(async (client) => {
      const inserted = await client.query<{ digest: string }>(
        `INSERT INTO credentials (digest, member_id, issuer_did, key_hash, format, artifact, submitted_by, received_at)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[]) ORDER BY 1
         ON CONFLICT (digest) DO NOTHING RETURNING digest`,
        [
          rows.map((r) => r.digest),
          rows.map((r) => r.memberId),
          rows.map((r) => r.issuerDid),
          rows.map((r) => r.keyHash),
          rows.map((r) => r.format),
          rows.map((r) => r.artifact),
          rows.map((r) => r.submittedBy),
          rows.map((r) => r.receivedAt),
        ],
      );
      const created = new Set(inserted.rows.map((row) => row.digest));
      const bindings: StatusListBinding[] = [];
      for (const digest of created) {
        const { memberId, statusEntries } = firsts.get(digest)!;
        for (const entry of statusEntries ?? []) bindings.push({ ...entry, memberId, digest });
      }
      await bindStatusIndexes(client, bindings);
      // New only at a digest's first occurrence, as one insert after another would say.
      return credentials.map((credential) => created.delete(credential.digest));
    });
  }

  async get(digest: string): Promise<StoredCredential | undefined> {
    const { rows } = await this.db.query<StoredCredential>(`SELECT ${COLUMNS} FROM credentials WHERE digest = $1`, [digest]);
    return rows[0];
  }

  /** Where a credential stands, without its artifact: what a status or receipt lookup reads. */
  async placement(digest: string): Promise<CredentialPlacement | undefined> {
    return this.placements.read(digest);
  }

  async queueDepth(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM credentials WHERE batch_id IS NULL');
    return rows[0]!.n;
  }

  /** When the oldest queued credential arrived (ms), or undefined for an empty queue. */
  async oldestQueuedAt(): Promise<number | undefined> {
    const { rows } = await this.db.query<{ t: number | null }>('SELECT min(received_at) AS t FROM credentials WHERE batch_id IS NULL');
    return rows[0]!.t ?? undefined;
  }

  /** The next digests to batch, oldest first. */
  async nextQueued(limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ digest: string }>('SELECT digest FROM credentials WHERE batch_id IS NULL ORDER BY received_at, digest LIMIT $1', [limit]);
    return rows.map((row) => row.digest);
  }
}
