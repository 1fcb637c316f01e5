/**
 * What a copy checks before it commits: every copied table has as many rows on both sides, and a sample of
 * credentials placed in batches has, from the copied rows, the same place, the same batch root and the same proof
 * as from the source, and that proof leads from the credential's leaf to the copied batch's root.
 */
import { BatchTree, verifyProof, type Hex } from '../../merkle';
import { StoreError } from '../database';
import type { PgQueryable } from '../postgres/pg-database';
import { countRows } from './postgres-target';
import type { SqliteCopySource } from './sqlite-source';

export class CopyCheckError extends StoreError {
  override name = 'CopyCheckError';
}

export interface CopyCheck {
  /** Tables whose row counts were compared (all equal, or the copy was rolled back). */
  tablesCompared: number;
  /** Credentials whose proof was read from both copies of their batch tree and verified against the copied root. */
  proofsVerified: number;
}

interface Placement {
  digest: string;
  batch_id: number;
  leaf_index: number;
  root: string;
  tree: Buffer;
}

const PLACEMENT = `SELECT c.digest, c.batch_id, c.leaf_index, b.root, t.tree
  FROM credentials c JOIN batches b ON b.id = c.batch_id JOIN batch_trees t ON t.batch_id = c.batch_id`;

export async function checkCopy(source: SqliteCopySource, target: PgQueryable, copied: readonly string[], sample: number): Promise<CopyCheck> {
  for (const table of copied) {
    const [from, to] = [source.count(table), await countRows(target, table)];
    if (from !== to) throw new CopyCheckError(`table ${table} has ${from} rows in SQLite but ${to} in PostgreSQL after the copy: rolled back`);
  }
  // Digests are hashes: their order is as good as a random sample, and the same on every run.
  const digests = source
    .all<{ digest: string }>('SELECT digest FROM credentials WHERE batch_id IS NOT NULL ORDER BY digest LIMIT ?', sample)
    .map((row) => row.digest);
  const trees = new Map<string, BatchTree>();
  const load = (side: string, placement: Placement) => {
    const key = `${side}:${placement.batch_id}`;
    let tree = trees.get(key);
    if (!tree) trees.set(key, (tree = BatchTree.load(placement.tree)));
    return tree;
  };
  for (const digest of digests) {
    const before = source.get<Placement>(`${PLACEMENT} WHERE c.digest = ?`, digest)!;
    const { rows } = await target.query<Placement>(`${PLACEMENT} WHERE c.digest = $1`, [digest]);
    const after = rows[0];
    const fail = (what: string) => new CopyCheckError(`credential ${digest}: ${what} after the copy: rolled back`);
    if (!after) throw fail('not placed in a batch in PostgreSQL');
    if (Number(after.batch_id) !== Number(before.batch_id) || Number(after.leaf_index) !== Number(before.leaf_index) || after.root !== before.root) {
      throw fail(
        `placed at batch ${after.batch_id} leaf ${after.leaf_index} root ${after.root}, not batch ${before.batch_id} leaf ${before.leaf_index} root ${before.root}`,
      );
    }
    const proof = load('target', after).proof(Number(after.leaf_index));
    if (proof.join() !== load('source', before).proof(Number(before.leaf_index)).join()) throw fail("its proof differs from the source tree's");
    const tree = load('target', after);
    const verified = await verifyProof({ digest: digest as Hex, proof, root: after.root as Hex, index: Number(after.leaf_index), size: tree.size });
    if (!verified.valid) throw fail(`its proof does not lead to its batch root: ${verified.message}`);
  }
  return { tablesCompared: copied.length, proofsVerified: digests.length };
}
