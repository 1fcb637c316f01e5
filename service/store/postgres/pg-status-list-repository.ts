/**
 * Status list entries in PostgreSQL, the notary's half of its status lists: the same answers as the SQLite
 * StatusListRepository (test/store/status-list-repository.test.ts runs one suite on both). They are bound with
 * their credentials (PgCredentialRepository, by pg-status-list-bindings.ts).
 */
import type { StatusListRepository } from '../status-list-repository';
import type { PgDatabase } from './pg-database';

/** The public methods of the SQLite repository, which this one implements the same way. */
type StatusListStorage = { [K in keyof StatusListRepository]: StatusListRepository[K] };

export class PgStatusListRepository implements StatusListStorage {
  constructor(private readonly db: PgDatabase) {}

  /** The digest bound to an index, if any. */
  async digestAt(memberId: number, list: string, index: number): Promise<string | undefined> {
    const { rows } = await this.db.query<{ digest: string }>(
      'SELECT digest FROM status_list_entries WHERE member_id = $1 AND list = $2 AND list_index = $3',
      [memberId, list, index],
    );
    return rows[0]?.digest;
  }

  /** The indexes of member `memberId`'s list `list` bound to any of `digests`, ascending. */
  async indexesOf(memberId: number, list: string, digests: readonly string[]): Promise<number[]> {
    if (digests.length === 0) return [];
    const { rows } = await this.db.query<{ index: number }>(
      `SELECT list_index AS "index" FROM status_list_entries
       WHERE member_id = $1 AND list = $2 AND digest = ANY($3::text[]) ORDER BY list_index`,
      [memberId, list, digests.map((digest) => digest.toLowerCase())],
    );
    return rows.map((row) => row.index);
  }
}
