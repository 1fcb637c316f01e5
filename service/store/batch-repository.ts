import type { SqliteDatabase } from './database';
import { StoreError } from './database';
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
} from './batch-records';

export * from './batch-records';

const INSERT_SIGNED = `INSERT INTO anchor_transactions
  (tx_hash, batch_id, nonce, sent_at, raw, fee_kind, max_fee_per_gas, max_priority_fee_per_gas, gas_price, gas_limit)
  VALUES (@hash, @id, @nonce, @sentAt, @raw, @feeKind, @maxFee, @tip, @gasPrice, @gasLimit)`;

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
  async seal(input: SealInput): Promise<Batch> {
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
      return this.read(batchId)!;
    })();
  }

  async get(id: number): Promise<Batch | undefined> {
    return this.read(id);
  }

  private read(id: number): Batch | undefined {
    const row = this.db.prepare<[number], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id = ?`).get(id);
    return row && batchFromRow(row);
  }

  async getByRoot(root: string): Promise<Batch | undefined> {
    const row = this.db.prepare<[string], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE root = ?`).get(root);
    return row && batchFromRow(row);
  }

  /** The stored tree of a batch. */
  async tree(id: number): Promise<Buffer | undefined> {
    return this.db.prepare<[number], { tree: Buffer }>('SELECT tree FROM batch_trees WHERE batch_id = ?').get(id)?.tree;
  }

  async inState(state: BatchState, limit = 1000): Promise<Batch[]> {
    return this.db
      .prepare<[BatchState, number], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE state = ? ORDER BY id LIMIT ?`)
      .all(state, limit)
      .map(batchFromRow);
  }

  async list(options: { limit: number; beforeId?: number }): Promise<Batch[]> {
    return this.db
      .prepare<[number, number], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id < ? ORDER BY id DESC LIMIT ?`)
      .all(options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit)
      .map(batchFromRow);
  }

  async countByState(): Promise<Record<BatchState, number>> {
    const counts = Object.fromEntries(BATCH_STATES.map((state) => [state, 0])) as Record<BatchState, number>;
    for (const row of this.db.prepare<[], { state: BatchState; n: number }>('SELECT state, count(*) AS n FROM batches GROUP BY state').all()) {
      counts[row.state] = row.n;
    }
    return counts;
  }

  /** sealed -> submitted: the transaction is recorded before (or as) it is broadcast. */
  async markSubmitted(id: number, tx: SignedAnchor): Promise<void> {
    this.db.transaction(() => {
      this.move(id, 'sealed', 'submitted', tx.sentAt, 'tx_hash = @hash, tx_nonce = @nonce, attempts = attempts + 1', tx);
      this.db.prepare(INSERT_SIGNED).run(signedColumns(id, tx));
    })();
  }

  /**
   * A submitted batch's stuck transaction is replaced: the new variant (same nonce, higher fees) is recorded
   * before it is broadcast and becomes the batch's current transaction; the earlier ones stay live, since
   * any of them may still be the one mined. The batch's state and state_changed_at do not move.
   */
  async recordReplacement(id: number, tx: SignedAnchor): Promise<void> {
    this.db.transaction(() => {
      const { changes } = this.db
        .prepare(`UPDATE batches SET tx_hash = @hash, attempts = attempts + 1 WHERE id = @id AND state = 'submitted' AND tx_nonce = @nonce`)
        .run({ id, hash: tx.hash, nonce: tx.nonce });
      if (changes !== 1) throw new StoreError(`batch ${id} is not submitted with nonce ${tx.nonce}: cannot record a replacement`);
      this.db.prepare(INSERT_SIGNED).run(signedColumns(id, tx));
    })();
  }

  /** A submitted batch's live variant `hash` is the one the chain mined: it becomes the batch's transaction. */
  async useVariant(id: number, hash: string): Promise<void> {
    const { changes } = this.db
      .prepare(
        `UPDATE batches SET tx_hash = @hash WHERE id = @id AND state = 'submitted'
         AND EXISTS (SELECT 1 FROM anchor_transactions WHERE tx_hash = @hash AND batch_id = @id AND outcome IS NULL)`,
      )
      .run({ id, hash });
    if (changes !== 1) throw new StoreError(`transaction ${hash} is not a live variant of submitted batch ${id}`);
  }

  /** The transactions of a batch that may still be mined, oldest first. */
  async liveTransactions(batchId: number): Promise<AnchorTransaction[]> {
    return (await this.transactions(batchId)).filter((tx) => tx.outcome === null);
  }

  /** What the mined anchor transactions paid in all (wei), of those seen mined at or after `since` (ms). */
  async feesPaidSince(since: number): Promise<bigint> {
    return this.db
      .prepare<[number], { fee_paid: string }>('SELECT fee_paid FROM anchor_transactions WHERE mined_at >= ? AND fee_paid IS NOT NULL')
      .all(since)
      .reduce((sum, row) => sum + BigInt(row.fee_paid), 0n);
  }

  /** submitted -> confirmed: the anchor is in a block with the configured confirmations. */
  async markConfirmed(id: number, landing: AnchorBlock, at: number, paid?: { gasUsed: bigint; feePaid: bigint }): Promise<void> {
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
      this.db
        .prepare(`UPDATE anchor_transactions SET gas_used = ?, fee_paid = ?, mined_at = ? WHERE tx_hash = (SELECT tx_hash FROM batches WHERE id = ?)`)
        .run(paid?.gasUsed.toString() ?? null, paid?.feePaid.toString() ?? null, at, id);
    })();
  }

  /** confirmed -> final: deep enough that a reorg is no longer expected. */
  async markFinal(id: number, at: number): Promise<void> {
    this.move(id, 'confirmed', 'final', at, '', {});
  }

  /**
   * submitted or confirmed -> sealed: the transaction was dropped, failed (mined but reverted), or a reorg
   * took the anchor away. The batch will be anchored again; the old transaction's fate is kept in
   * anchor_transactions.
   */
  async returnToSealed(
    id: number,
    from: 'submitted' | 'confirmed',
    outcome: 'dropped' | 'reorged' | 'failed',
    reason: string,
    at: number,
  ): Promise<void> {
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
  async adoptTransaction(id: number, tx: { hash: string; nonce: number; at: number }): Promise<void> {
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
  async transactions(batchId: number): Promise<AnchorTransaction[]> {
    return this.db
      .prepare<[number], AnchorTransactionRow>('SELECT * FROM anchor_transactions WHERE batch_id = ? ORDER BY sent_at, rowid')
      .all(batchId)
      .map(anchorTransactionFromRow);
  }

  async recordError(id: number, message: string): Promise<void> {
    this.db.prepare('UPDATE batches SET last_error = ? WHERE id = ?').run(message, id);
  }

  private move(id: number, from: BatchState, to: BatchState, at: number, assignments: string, values: object): void {
    const set = assignments ? `, ${assignments}` : '';
    const result = this.db
      .prepare(`UPDATE batches SET state = @to, state_changed_at = @at${set} WHERE id = @id AND state = @from`)
      .run({ ...values, id, from, to, at });
    if (result.changes !== 1) {
      const current = this.read(id);
      throw new StoreError(
        current ? `batch ${id} is ${current.state}, not ${from}: cannot move it to ${to}` : `there is no batch ${id}`,
      );
    }
  }

  /**
   * Sets the outcome of the batch's current transaction; its other live variants (same nonce) are then
   * 'replaced' (the current one was mined, or mined and reverted or reorged), or 'dropped' with it.
   */
  private setOutcome(batchId: number, outcome: 'mined' | 'dropped' | 'reorged' | 'failed'): void {
    this.db
      .prepare(
        `UPDATE anchor_transactions SET outcome = ?
         WHERE batch_id = ? AND tx_hash = (SELECT tx_hash FROM batches WHERE id = ?)`,
      )
      .run(outcome, batchId, batchId);
    this.db
      .prepare('UPDATE anchor_transactions SET outcome = ? WHERE batch_id = ? AND outcome IS NULL')
      .run(outcome === 'dropped' ? 'dropped' : 'replaced', batchId);
  }
}
