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

/**
 * What became of one transaction sent (or adopted) for a batch; null while it is live (the batch's current
 * one, or a variant of the same nonce that may still be mined). 'replaced': another variant was mined.
 */
export type AnchorTransactionOutcome = 'mined' | 'dropped' | 'reorged' | 'failed' | 'replaced';

/** The fees a signed transaction offers (wei per gas). */
export type RecordedFees = { kind: 'eip1559'; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { kind: 'legacy'; gasPrice: bigint };

/** One transaction recorded for a batch, in anchor_transactions. */
export interface AnchorTransaction {
  txHash: string;
  batchId: number;
  nonce: number;
  sentAt: number;
  outcome: AnchorTransactionOutcome | null;
  /** The signed transaction (undefined for one adopted from the chain). */
  raw?: string;
  fees?: RecordedFees;
  gasLimit?: bigint;
  /** Once mined: the gas it used and what it paid in all (wei). */
  gasUsed?: bigint;
  feePaid?: bigint;
}

/** A signed transaction about to be broadcast for a batch. */
export interface SignedAnchor {
  hash: string;
  nonce: number;
  sentAt: number;
  raw?: string;
  fees?: RecordedFees;
  gasLimit?: bigint;
}

interface AnchorTransactionRow {
  tx_hash: string;
  batch_id: number;
  nonce: number;
  sent_at: number;
  outcome: AnchorTransactionOutcome | null;
  raw: string | null;
  fee_kind: 'eip1559' | 'legacy' | null;
  max_fee_per_gas: string | null;
  max_priority_fee_per_gas: string | null;
  gas_price: string | null;
  gas_limit: string | null;
  gas_used: string | null;
  fee_paid: string | null;
}

const big = (text: string | null) => (text === null ? undefined : BigInt(text));

const transactionFromRow = (row: AnchorTransactionRow): AnchorTransaction => {
  const fees: RecordedFees | undefined =
    row.fee_kind === 'eip1559'
      ? { kind: 'eip1559', maxFeePerGas: BigInt(row.max_fee_per_gas!), maxPriorityFeePerGas: BigInt(row.max_priority_fee_per_gas!) }
      : row.fee_kind === 'legacy'
        ? { kind: 'legacy', gasPrice: BigInt(row.gas_price!) }
        : undefined;
  const optional = { raw: row.raw ?? undefined, fees, gasLimit: big(row.gas_limit), gasUsed: big(row.gas_used), feePaid: big(row.fee_paid) };
  return {
    txHash: row.tx_hash,
    batchId: row.batch_id,
    nonce: row.nonce,
    sentAt: row.sent_at,
    outcome: row.outcome,
    ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<AnchorTransaction>),
  };
};

/** The columns of a signed transaction, as named parameters. */
const signedColumns = (batchId: number, tx: SignedAnchor) => ({
  hash: tx.hash,
  id: batchId,
  nonce: tx.nonce,
  sentAt: tx.sentAt,
  raw: tx.raw ?? null,
  feeKind: tx.fees?.kind ?? null,
  maxFee: tx.fees?.kind === 'eip1559' ? tx.fees.maxFeePerGas.toString() : null,
  tip: tx.fees?.kind === 'eip1559' ? tx.fees.maxPriorityFeePerGas.toString() : null,
  gasPrice: tx.fees?.kind === 'legacy' ? tx.fees.gasPrice.toString() : null,
  gasLimit: tx.gasLimit?.toString() ?? null,
});

const INSERT_SIGNED = `INSERT INTO anchor_transactions
  (tx_hash, batch_id, nonce, sent_at, raw, fee_kind, max_fee_per_gas, max_priority_fee_per_gas, gas_price, gas_limit)
  VALUES (@hash, @id, @nonce, @sentAt, @raw, @feeKind, @maxFee, @tip, @gasPrice, @gasLimit)`;

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
    return row && fromRow(row);
  }

  async getByRoot(root: string): Promise<Batch | undefined> {
    const row = this.db.prepare<[string], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE root = ?`).get(root);
    return row && fromRow(row);
  }

  /** The stored tree of a batch. */
  async tree(id: number): Promise<Buffer | undefined> {
    return this.db.prepare<[number], { tree: Buffer }>('SELECT tree FROM batch_trees WHERE batch_id = ?').get(id)?.tree;
  }

  async inState(state: BatchState, limit = 1000): Promise<Batch[]> {
    return this.db
      .prepare<[BatchState, number], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE state = ? ORDER BY id LIMIT ?`)
      .all(state, limit)
      .map(fromRow);
  }

  async list(options: { limit: number; beforeId?: number }): Promise<Batch[]> {
    return this.db
      .prepare<[number, number], BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id < ? ORDER BY id DESC LIMIT ?`)
      .all(options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit)
      .map(fromRow);
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
      .map(transactionFromRow);
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
