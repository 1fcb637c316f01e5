import type { SqliteDatabase } from './database';
import { StoreError } from './database';

/** The anchoring state machine: sealed -> submitted(tx) -> confirmed(block) -> final. */
export type BatchState = 'sealed' | 'submitted' | 'confirmed' | 'final';
export const BATCH_STATES: readonly BatchState[] = ['sealed', 'submitted', 'confirmed', 'final'];

export interface Batch {
  id: number;
  root: string;
  size: number;
  state: BatchState;
  sealedAt: number;
  stateChangedAt: number;
  txHash: string | null;
  txNonce: number | null;
  blockNumber: number | null;
  blockHash: string | null;
  /** Block time of the anchor, unix seconds. */
  anchoredAt: number | null;
  anchoredBy: number | null;
  attempts: number;
  lastError: string | null;
}

interface BatchRow {
  id: number;
  root: string;
  size: number;
  state: BatchState;
  sealed_at: number;
  state_changed_at: number;
  tx_hash: string | null;
  tx_nonce: number | null;
  block_number: number | null;
  block_hash: string | null;
  anchored_at: number | null;
  anchored_by: number | null;
  attempts: number;
  last_error: string | null;
}

const BATCH_COLUMNS =
  'id, root, size, state, sealed_at, state_changed_at, tx_hash, tx_nonce, block_number, block_hash, anchored_at, anchored_by, attempts, last_error';

const fromRow = (row: BatchRow): Batch => ({
  id: row.id,
  root: row.root,
  size: row.size,
  state: row.state,
  sealedAt: row.sealed_at,
  stateChangedAt: row.state_changed_at,
  txHash: row.tx_hash,
  txNonce: row.tx_nonce,
  blockNumber: row.block_number,
  blockHash: row.block_hash,
  anchoredAt: row.anchored_at,
  anchoredBy: row.anchored_by,
  attempts: row.attempts,
  lastError: row.last_error,
});

export interface SealInput {
  root: string;
  /** The stored form of the tree (service/merkle BatchTree.dump()). */
  tree: Buffer;
  /** The batch's digests in leaf order. */
  digests: readonly string[];
  sealedAt: number;
}

/** What became of one transaction sent (or adopted) for a batch; null while it is the batch's current one. */
export type AnchorTransactionOutcome = 'mined' | 'dropped' | 'reorged' | 'failed';

/** One transaction recorded for a batch, in anchor_transactions. */
export interface AnchorTransaction {
  txHash: string;
  batchId: number;
  nonce: number;
  sentAt: number;
  outcome: AnchorTransactionOutcome | null;
}

/** The block that holds a batch's anchor, as the anchorer saw it confirmed. */
export interface AnchorBlock {
  blockNumber: number;
  blockHash: string;
  anchoredAt: number;
  anchoredBy: number;
}

/**
 * Batches and their moves through the state machine. Every move names the state it starts from and
 * fails (StoreError) when the batch is elsewhere, so two workers or a stale one never move a batch wrongly.
 */
export class BatchRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Seals a batch in one transaction: the batch with its tree, and every credential given its leaf. All or
   * nothing: a digest that is unknown or already in a batch aborts the whole seal.
   */
  seal(input: SealInput): Batch {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO batches (root, size, state, sealed_at, state_changed_at)
           VALUES (?, ?, 'sealed', ?, ?)`,
        )
        .run(input.root, input.digests.length, input.sealedAt, input.sealedAt);
      const batchId = Number(lastInsertRowid);
      this.db.prepare('INSERT INTO batch_trees (batch_id, tree) VALUES (?, ?)').run(batchId, input.tree);
      const assign = this.db.prepare('UPDATE credentials SET batch_id = ?, leaf_index = ? WHERE digest = ? AND batch_id IS NULL');
      input.digests.forEach((digest, index) => {
        if (assign.run(batchId, index, digest).changes !== 1) {
          throw new StoreError(`cannot seal: credential ${digest} is unknown or already in a batch`);
        }
      });
      return this.get(batchId)!;
    })();
  }

  get(id: number): Batch | undefined {
    const row = this.db.prepare<[number], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id = ?`).get(id);
    return row && fromRow(row);
  }

  getByRoot(root: string): Batch | undefined {
    const row = this.db.prepare<[string], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE root = ?`).get(root);
    return row && fromRow(row);
  }

  /** The stored tree of a batch. */
  tree(id: number): Buffer | undefined {
    return this.db.prepare<[number], { tree: Buffer }>('SELECT tree FROM batch_trees WHERE batch_id = ?').get(id)?.tree;
  }

  inState(state: BatchState, limit = 1000): Batch[] {
    return this.db
      .prepare<[BatchState, number], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE state = ? ORDER BY id LIMIT ?`)
      .all(state, limit)
      .map(fromRow);
  }

  list(options: { limit: number; beforeId?: number }): Batch[] {
    return this.db
      .prepare<[number, number], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id < ? ORDER BY id DESC LIMIT ?`)
      .all(options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit)
      .map(fromRow);
  }

  countByState(): Record<BatchState, number> {
    const counts = Object.fromEntries(BATCH_STATES.map((state) => [state, 0])) as Record<BatchState, number>;
    for (const row of this.db.prepare<[], { state: BatchState; n: number }>('SELECT state, count(*) AS n FROM batches GROUP BY state').all()) {
      counts[row.state] = row.n;
    }
    return counts;
  }

  /** sealed -> submitted: the transaction is recorded before (or as) it is broadcast. */
  markSubmitted(id: number, tx: { hash: string; nonce: number; sentAt: number }): void {
    this.db.transaction(() => {
      this.move(id, 'sealed', 'submitted', tx.sentAt, 'tx_hash = @hash, tx_nonce = @nonce, attempts = attempts + 1', tx);
      this.db
        .prepare('INSERT INTO anchor_transactions (tx_hash, batch_id, nonce, sent_at) VALUES (?, ?, ?, ?)')
        .run(tx.hash, id, tx.nonce, tx.sentAt);
    })();
  }

  /** submitted -> confirmed: the anchor is in a block with the configured confirmations. */
  markConfirmed(id: number, landing: AnchorBlock, at: number): void {
    this.db.transaction(() => {
      this.move(
        id,
        'submitted',
        'confirmed',
        at,
        'block_number = @blockNumber, block_hash = @blockHash, anchored_at = @anchoredAt, anchored_by = @anchoredBy, last_error = NULL',
        landing,
      );
      this.setOutcome(id, 'mined');
    })();
  }

  /** confirmed -> final: deep enough that a reorg is no longer expected. */
  markFinal(id: number, at: number): void {
    this.move(id, 'confirmed', 'final', at, '', {});
  }

  /**
   * submitted or confirmed -> sealed: the transaction was dropped, failed (mined but reverted), or a reorg
   * took the anchor away. The batch will be anchored again; the old transaction's fate is kept in
   * anchor_transactions.
   */
  returnToSealed(
    id: number,
    from: 'submitted' | 'confirmed',
    outcome: 'dropped' | 'reorged' | 'failed',
    reason: string,
    at: number,
  ): void {
    this.db.transaction(() => {
      this.setOutcome(id, outcome);
      this.move(
        id,
        from,
        'sealed',
        at,
        'tx_hash = NULL, tx_nonce = NULL, block_number = NULL, block_hash = NULL, anchored_at = NULL, anchored_by = NULL, last_error = @reason',
        { reason },
      );
    })();
  }

  /**
   * sealed -> submitted with a transaction that needs no new send record: one found on chain that already
   * anchors the root (adopted, never sent again), or one of this batch's own earlier transactions seen
   * again (still pending after a reorg, or the very same signed transaction prepared anew). Its row in
   * anchor_transactions is written, or reopened (outcome back to none); `attempts` is not counted, since
   * nothing new is sent. A transaction recorded for another batch is refused.
   */
  adoptTransaction(id: number, tx: { hash: string; nonce: number; at: number }): void {
    this.db.transaction(() => {
      this.move(id, 'sealed', 'submitted', tx.at, 'tx_hash = @hash, tx_nonce = @nonce', tx);
      const { changes } = this.db
        .prepare(
          `INSERT INTO anchor_transactions (tx_hash, batch_id, nonce, sent_at) VALUES (@hash, @id, @nonce, @at)
           ON CONFLICT (tx_hash) DO UPDATE SET outcome = NULL, sent_at = excluded.sent_at
           WHERE anchor_transactions.batch_id = excluded.batch_id`,
        )
        .run({ ...tx, id });
      if (changes !== 1) throw new StoreError(`transaction ${tx.hash} is recorded for another batch than ${id}`);
    })();
  }

  /** Every transaction recorded for a batch, oldest first. */
  transactions(batchId: number): AnchorTransaction[] {
    return this.db
      .prepare<[number], { tx_hash: string; batch_id: number; nonce: number; sent_at: number; outcome: AnchorTransactionOutcome | null }>(
        'SELECT tx_hash, batch_id, nonce, sent_at, outcome FROM anchor_transactions WHERE batch_id = ? ORDER BY sent_at, rowid',
      )
      .all(batchId)
      .map((row) => ({ txHash: row.tx_hash, batchId: row.batch_id, nonce: row.nonce, sentAt: row.sent_at, outcome: row.outcome }));
  }

  recordError(id: number, message: string): void {
    this.db.prepare('UPDATE batches SET last_error = ? WHERE id = ?').run(message, id);
  }

  private move(id: number, from: BatchState, to: BatchState, at: number, assignments: string, values: object): void {
    const set = assignments ? `, ${assignments}` : '';
    const result = this.db
      .prepare(`UPDATE batches SET state = @to, state_changed_at = @at${set} WHERE id = @id AND state = @from`)
      .run({ ...values, id, from, to, at });
    if (result.changes !== 1) {
      const current = this.get(id);
      throw new StoreError(
        current ? `batch ${id} is ${current.state}, not ${from}: cannot move it to ${to}` : `there is no batch ${id}`,
      );
    }
  }

  private setOutcome(batchId: number, outcome: 'mined' | 'dropped' | 'reorged' | 'failed'): void {
    this.db
      .prepare(
        `UPDATE anchor_transactions SET outcome = ?
         WHERE batch_id = ? AND tx_hash = (SELECT tx_hash FROM batches WHERE id = ?)`,
      )
      .run(outcome, batchId, batchId);
  }
}
