/**
 * Binding status list indexes to credentials in PostgreSQL, as StatusListRepository.bindMany does in SQLite:
 * one statement for every binding, run inside the caller's transaction.
 */
import { StatusIndexTakenError, type StatusListBinding } from '../status-list-repository';
import type { PgQueryable } from './pg-database';

/**
 * Binds each index to its digest. An index already bound to another digest (before, or earlier in `bindings`) is
 * a StatusIndexTakenError, which rolls the caller's transaction back; the same binding again changes nothing.
 * The rows are written in key order, so two transactions binding overlapping indexes wait for one another
 * instead of deadlocking.
 */
export async function bindStatusIndexes(db: PgQueryable, bindings: readonly StatusListBinding[]): Promise<void> {
  if (bindings.length === 0) return;
  const wanted = bindings.map((binding) => ({ ...binding, digest: binding.digest.toLowerCase() }));
  const ordered = [...wanted].sort((a, b) => a.memberId - b.memberId || (a.list < b.list ? -1 : a.list > b.list ? 1 : a.index - b.index));
  await db.query(
    `INSERT INTO status_list_entries (member_id, list, list_index, digest)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[]) ORDER BY 1, 2, 3
     ON CONFLICT (member_id, list, list_index) DO NOTHING`,
    [ordered.map((b) => b.memberId), ordered.map((b) => b.list), ordered.map((b) => b.index), ordered.map((b) => b.digest)],
  );
  // Whatever the insert skipped is bound already: each index must now hold the digest asked for.
  const { rows } = await db.query<{ memberId: number; list: string; index: number; digest: string }>(
    `SELECT e.member_id AS "memberId", e.list, e.list_index AS "index", e.digest
       FROM status_list_entries e
       JOIN unnest($1::bigint[], $2::text[], $3::bigint[]) AS wanted(member_id, list, list_index)
         ON e.member_id = wanted.member_id AND e.list = wanted.list AND e.list_index = wanted.list_index`,
    [wanted.map((b) => b.memberId), wanted.map((b) => b.list), wanted.map((b) => b.index)],
  );
  const bound = new Map(rows.map((row) => [`${row.memberId}\n${row.list}\n${row.index}`, row.digest]));
  for (const binding of wanted) {
    const holder = bound.get(`${binding.memberId}\n${binding.list}\n${binding.index}`);
    if (holder !== binding.digest) throw new StatusIndexTakenError(binding, holder);
  }
}
