/**
 * Batches and their anchoring state machine in PostgreSQL: the same moves and refusals as the SQLite
 * BatchRepository (test/store/batch-repository-contract.test.ts runs one suite on both).
 */
import type { PoolClient } from 'pg';
import type { BatchRepository } from '../batch-repository';
import {
  anchorTransactionFromRow,
  BATCH_COLUMNS,
  BATCH_STATES,
  batchFromRow,
  signedColumns,
  type AnchorBlock,
  type AnchorTransaction,
  type AnchorTransactionRow,
  type Batch,
  type BatchRow,
  type BatchState,
  type SealInput,
  type SignedAnchor,
} from '../batch-records';
import { LeaseLostError, type LeaseFence } from '../../leadership';
import { StoreError } from '../database';
import { assertLeaseHeld } from './lease-store';
import type { PgDatabase, PgQueryable } from './pg-database';

/** The public methods of the SQLite repository, which this one implements the same way. */
type BatchStorage = { [K in keyof BatchRepository]: BatchRepository[K] };

const ANCHOR_TRANSACTION_COLUMNS =
  'tx_hash, batch_id, nonce, sent_at, outcome, raw, fee_kind, max_fee_per_gas, max_priority_fee_per_gas, gas_price, gas_limit, gas_used, fee_paid';

async function insertSigned(client: PoolClient, batchId: number, tx: SignedAnchor): Promise<void> {
  const c = signedColumns(batchId, tx);
  await client.query(
    `INSERT INTO anchor_transactions
       (tx_hash, batch_id, nonce, sent_at, raw, fee_kind, max_fee_per_gas, max_priority_fee_per_gas, gas_price, gas_limit)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [c.hash, c.id, c.nonce, c.sentAt, c.raw, c.feeKind, c.maxFee, c.tip, c.gasPrice, c.gasLimit],
  );
}

/**
 * With a fence (several processes on one database, issue #13), every write is made in a transaction that first
 * checks, and share-locks, the anchorer lease under the token this process acts on: a leader paused past its lease
 * (SIGSTOP, a long GC) finds its seal or its markSubmitted refused with LeaseLostError when it resumes, before it
 * could broadcast what it signed. Reads are not fenced: every process serves receipts.
 */
export class PgBatchRepository implements BatchStorage {
  constructor(
    private readonly db: PgDatabase,
    private readonly fence?: LeaseFence,
  ) {}

  /** A write transaction, fenced when this repository has a fence. */
  private write<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return this.db.transaction(async (client) => {
      if (this.fence) {
        const { lease, holder } = this.fence;
        const token = this.fence.token();
        if (token === undefined) throw new LeaseLostError(lease, 0);
        await assertLeaseHeld(client, lease, holder, token);
      }
      return work(client);
    });
  }

  async seal(input: SealInput): Promise<Batch> {
    return this.write(async (client) => {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO batches (root, size, state, sealed_at, state_changed_at) VALUES ($1, $2, 'sealed', $3, $3) RETURNING id`,
        [input.root, input.digests.length, input.sealedAt],
      );
      const batchId = rows[0]!.id;
      await client.query('INSERT INTO batch_trees (batch_id, tree) VALUES ($1, $2)', [batchId, input.tree]);
      // One statement for every leaf: the digests with their positions, assigned only where still queued.
      const assigned = await client.query(
        `UPDATE credentials c SET batch_id = $1, leaf_index = leaf.position - 1
           FROM unnest($2::text[]) WITH ORDINALITY AS leaf(digest, position)
          WHERE c.digest = leaf.digest AND c.batch_id IS NULL`,
        [batchId, input.digests],
      );
      if (assigned.rowCount !== input.digests.length) {
        const { rows: missing } = await client.query<{ digest: string }>(
          `SELECT leaf.digest FROM unnest($1::text[]) AS leaf(digest)
            WHERE NOT EXISTS (SELECT 1 FROM credentials c WHERE c.digest = leaf.digest AND c.batch_id = $2) LIMIT 1`,
          [input.digests, batchId],
        );
        const repeated = input.digests.find((digest, index) => input.digests.indexOf(digest) !== index);
        throw new StoreError(`cannot seal: credential ${missing[0]?.digest ?? repeated} is unknown or already in a batch`);
      }
      return (await this.read(client, batchId))!;
    });
  }

  get(id: number): Promise<Batch | undefined> {
    return this.read(this.db, id);
  }

  async getByRoot(root: string): Promise<Batch | undefined> {
    const { rows } = await this.db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE root = $1`, [root]);
    return rows[0] && batchFromRow(rows[0]);
  }

  async tree(id: number): Promise<Buffer | undefined> {
    const { rows } = await this.db.query<{ tree: Buffer }>('SELECT tree FROM batch_trees WHERE batch_id = $1', [id]);
    return rows[0]?.tree;
  }

  async inState(state: BatchState, limit = 1000): Promise<Batch[]> {
    const { rows } = await this.db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE state = $1 ORDER BY id LIMIT $2`, [state, limit]);
    return rows.map(batchFromRow);
  }

  async list(options: { limit: number; beforeId?: number }): Promise<Batch[]> {
    const { rows } = await this.db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id < $1 ORDER BY id DESC LIMIT $2`, [
      options.beforeId ?? Number.MAX_SAFE_INTEGER,
      options.limit,
    ]);
    return rows.map(batchFromRow);
  }

  async countByState(): Promise<Record<BatchState, number>> {
    const counts = Object.fromEntries(BATCH_STATES.map((state) => [state, 0])) as Record<BatchState, number>;
    const { rows } = await this.db.query<{ state: BatchState; n: number }>('SELECT state, count(*)::bigint AS n FROM batches GROUP BY state');
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  async markSubmitted(id: number, tx: SignedAnchor): Promise<void> {
    await this.write(async (client) => {
      await this.move(client, id, 'sealed', 'submitted', tx.sentAt, 'tx_hash = $5, tx_nonce = $6, attempts = attempts + 1', [tx.hash, tx.nonce]);
      await insertSigned(client, id, tx);
    });
  }

  async recordReplacement(id: number, tx: SignedAnchor): Promise<void> {
    await this.write(async (client) => {
      const { rowCount } = await client.query(
        `UPDATE batches SET tx_hash = $2, attempts = attempts + 1 WHERE id = $1 AND state = 'submitted' AND tx_nonce = $3`,
        [id, tx.hash, tx.nonce],
      );
      if (rowCount !== 1) throw new StoreError(`batch ${id} is not submitted with nonce ${tx.nonce}: cannot record a replacement`);
      await insertSigned(client, id, tx);
    });
  }

  async useVariant(id: number, hash: string): Promise<void> {
    const { rowCount } = await this.write((client) => client.query(
      `UPDATE batches SET tx_hash = $2 WHERE id = $1 AND state = 'submitted'
         AND EXISTS (SELECT 1 FROM anchor_transactions WHERE tx_hash = $2 AND batch_id = $1 AND outcome IS NULL)`,
      [id, hash],
    ));
    if (rowCount !== 1) throw new StoreError(`transaction ${hash} is not a live variant of submitted batch ${id}`);
  }

  async liveTransactions(batchId: number): Promise<AnchorTransaction[]> {
    return (await this.transactions(batchId)).filter((tx) => tx.outcome === null);
  }

  async feesPaidSince(since: number): Promise<bigint> {
    const { rows } = await this.db.query<{ fee_paid: string }>('SELECT fee_paid FROM anchor_transactions WHERE mined_at >= $1 AND fee_paid IS NOT NULL', [
      since,
    ]);
    return rows.reduce((sum, row) => sum + BigInt(row.fee_paid), 0n);
  }

  async markConfirmed(id: number, landing: AnchorBlock, at: number, paid?: { gasUsed: bigint; feePaid: bigint }): Promise<void> {
    await this.write(async (client) => {
      await this.move(
        client,
        id,
        'submitted',
        'confirmed',
        at,
        'block_number = $5, block_hash = $6, anchored_at = $7, anchored_by = $8, last_error = NULL',
        [landing.blockNumber, landing.blockHash, landing.anchoredAt, landing.anchoredBy],
      );
      await this.setOutcome(client, id, 'mined');
      await client.query(
        'UPDATE anchor_transactions SET gas_used = $1, fee_paid = $2, mined_at = $3 WHERE tx_hash = (SELECT tx_hash FROM batches WHERE id = $4)',
        [paid?.gasUsed.toString() ?? null, paid?.feePaid.toString() ?? null, at, id],
      );
    });
  }

  async markFinal(id: number, at: number): Promise<void> {
    await this.write((client) => this.move(client, id, 'confirmed', 'final', at, '', []));
  }

  async returnToSealed(id: number, from: 'submitted' | 'confirmed', outcome: 'dropped' | 'reorged' | 'failed', reason: string, at: number): Promise<void> {
    await this.write(async (client) => {
      await this.setOutcome(client, id, outcome);
      await this.move(
        client,
        id,
        from,
        'sealed',
        at,
        'tx_hash = NULL, tx_nonce = NULL, block_number = NULL, block_hash = NULL, anchored_at = NULL, anchored_by = NULL, last_error = $5',
        [reason],
      );
    });
  }

  async adoptTransaction(id: number, tx: { hash: string; nonce: number; at: number }): Promise<void> {
    await this.write(async (client) => {
      await this.move(client, id, 'sealed', 'submitted', tx.at, 'tx_hash = $5, tx_nonce = $6', [tx.hash, tx.nonce]);
      const { rowCount } = await client.query(
        `INSERT INTO anchor_transactions (tx_hash, batch_id, nonce, sent_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tx_hash) DO UPDATE SET outcome = NULL, sent_at = excluded.sent_at
         WHERE anchor_transactions.batch_id = excluded.batch_id`,
        [tx.hash, id, tx.nonce, tx.at],
      );
      if (rowCount !== 1) throw new StoreError(`transaction ${tx.hash} is recorded for another batch than ${id}`);
    });
  }

  async transactions(batchId: number): Promise<AnchorTransaction[]> {
    const { rows } = await this.db.query<AnchorTransactionRow>(
      `SELECT ${ANCHOR_TRANSACTION_COLUMNS} FROM anchor_transactions WHERE batch_id = $1 ORDER BY sent_at, seq`,
      [batchId],
    );
    return rows.map(anchorTransactionFromRow);
  }

  async recordError(id: number, message: string): Promise<void> {
    await this.write((client) => client.query('UPDATE batches SET last_error = $2 WHERE id = $1', [id, message]));
  }

  private async read(on: PgQueryable, id: number): Promise<Batch | undefined> {
    // Named: a receipt lookup of a batch not final yet runs it (pg-database.ts, NamedStatement).
    const { rows } = await on.query<BatchRow>({ name: 'batch-by-id', text: `SELECT ${BATCH_COLUMNS} FROM batches WHERE id = $1`, values: [id] });
    return rows[0] && batchFromRow(rows[0]);
  }

  /** Moves a batch from `from` to `to`; `assignments` use $5 on, with `values`. Refuses a batch elsewhere. */
  private async move(client: PoolClient, id: number, from: BatchState, to: BatchState, at: number, assignments: string, values: unknown[]): Promise<void> {
    const set = assignments ? `, ${assignments}` : '';
    const { rowCount } = await client.query(`UPDATE batches SET state = $3, state_changed_at = $4${set} WHERE id = $1 AND state = $2`, [
      id,
      from,
      to,
      at,
      ...values,
    ]);
    if (rowCount !== 1) {
      const current = await this.read(client, id);
      throw new StoreError(current ? `batch ${id} is ${current.state}, not ${from}: cannot move it to ${to}` : `there is no batch ${id}`);
    }
  }

  private async setOutcome(client: PoolClient, batchId: number, outcome: 'mined' | 'dropped' | 'reorged' | 'failed'): Promise<void> {
    await client.query(
      `UPDATE anchor_transactions SET outcome = $1 WHERE batch_id = $2 AND tx_hash = (SELECT tx_hash FROM batches WHERE id = $2)`,
      [outcome, batchId],
    );
    await client.query('UPDATE anchor_transactions SET outcome = $1 WHERE batch_id = $2 AND outcome IS NULL', [
      outcome === 'dropped' ? 'dropped' : 'replaced',
      batchId,
    ]);
  }
}
