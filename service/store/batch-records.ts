/** Batches, their anchor transactions, and how both are stored: the records both stores share. */
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

export interface BatchRow {
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

export const BATCH_COLUMNS =
  'id, root, size, state, sealed_at, state_changed_at, tx_hash, tx_nonce, block_number, block_hash, anchored_at, anchored_by, attempts, last_error';

export const batchFromRow = (row: BatchRow): Batch => ({
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

export interface AnchorTransactionRow {
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

export const anchorTransactionFromRow = (row: AnchorTransactionRow): AnchorTransaction => {
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
export const signedColumns = (batchId: number, tx: SignedAnchor) => ({
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

/** The block that holds a batch's anchor, as the anchorer saw it confirmed. */
export interface AnchorBlock {
  blockNumber: number;
  blockHash: string;
  anchoredAt: number;
  anchoredBy: number;
}
