/**
 * Status list entries in PostgreSQL, the notary's half of its status lists: the same answers as the SQLite
 * StatusListRepository (test/store/status-list-repository.test.ts runs one suite on both). They are bound with
 * their credentials (PgCredentialRepository, by pg-status-list-bindings.ts).
 */
import { statusSlotKey, type StatusSlot } from '../../status-list';
import type { StatusListRepository } from '../status-list-repository';
import type { PgDatabase } from './pg-database';

/** The public methods of the SQLite repository, which this one implements the same way. */
type StatusListStorage = { [K in keyof StatusListRepository]: StatusListRepository[K] };

export class PgStatusListRepository implements StatusListStorage {
  constructor(private readonly db: PgDatabase) {}

  /** The digests bound to those of `slots` that are bound, keyed by statusSlotKey: one round trip for all. */
  async digestsAt(memberId: number, slots: readonly StatusSlot[]): Promise<Map<string, string>> {
    if (slots.length === 0) return new Map();
    const { rows } = await this.db.query<{ list: string; index: number; digest: string }>(
      `SELECT e.list, e.list_index AS "index", e.digest
         FROM status_list_entries e
         JOIN unnest($2::text[], $3::bigint[]) AS wanted (list, list_index) USING (list, list_index)
        WHERE e.member_id = $1`,
      [memberId, slots.map((slot) => slot.list), slots.map((slot) => slot.index)],
    );
    return new Map(rows.map((row) => [statusSlotKey({ list: row.list, index: Number(row.index) }), row.digest]));
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
