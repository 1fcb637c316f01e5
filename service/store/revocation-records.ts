/** Revocation requests, and how both stores keep them: the records both stores share. */
import { StoreError } from './database';

/**
 * A revocation request's life: pending (recorded, not sent) -> submitted (broadcast, tx hash known) ->
 * mined (in a block, the registry accepted it) or failed (refused before sending, or reverted when mined).
 */
export type RevocationRequestState = 'pending' | 'submitted' | 'mined' | 'failed';

export interface RevocationRequest {
  id: number;
  memberId: number;
  /** The digests to revoke, 0x-hex lower case, in the order given. */
  digests: string[];
  /** The registry's uint8 reason code. */
  reason: number;
  /** Who asked: an API client id, or the JWT key that signed the request. */
  requestedBy: string;
  /** ms since the epoch. */
  requestedAt: number;
  state: RevocationRequestState;
  txHash: string | null;
  blockNumber: number | null;
  error: string | null;
}

export interface RevocationRow {
  id: number;
  member_id: number;
  digests: string;
  reason: number;
  requested_by: string;
  requested_at: number;
  state: RevocationRequestState;
  tx_hash: string | null;
  block_number: number | null;
  error: string | null;
}

export const revocationFromRow = (row: RevocationRow): RevocationRequest => ({
  id: row.id,
  memberId: row.member_id,
  digests: JSON.parse(row.digests) as string[],
  reason: row.reason,
  requestedBy: row.requested_by,
  requestedAt: row.requested_at,
  state: row.state,
  txHash: row.tx_hash,
  blockNumber: row.block_number,
  error: row.error,
});

export interface NewRevocationRequest {
  memberId: number;
  digests: readonly string[];
  reason: number;
  requestedBy: string;
  requestedAt: number;
}

/** The digests column of a new request: the digests lower-cased, in the order given, as a JSON array. */
export function digestsColumn(input: NewRevocationRequest): string {
  if (input.digests.length === 0) throw new StoreError('a revocation request needs at least one digest');
  return JSON.stringify(input.digests.map((d) => d.toLowerCase()));
}

/** A move: the states it starts from, the state it ends in, and the other columns it writes. */
export interface RevocationMove {
  from: RevocationRequestState[];
  to: RevocationRequestState;
  set: Partial<Record<'tx_hash' | 'block_number' | 'error', string | number | null>>;
}

export const MOVES = {
  /** pending -> submitted: the transaction is signed (and about to be, or just, broadcast). */
  submitted: (txHash: string): RevocationMove => ({ from: ['pending'], to: 'submitted', set: { tx_hash: txHash.toLowerCase(), error: null } }),
  /** submitted -> mined: the transaction is in block `blockNumber` and did not revert. */
  mined: (blockNumber: number): RevocationMove => ({ from: ['submitted'], to: 'mined', set: { block_number: blockNumber } }),
  /** pending or submitted -> failed, with the reason. */
  failed: (error: string, blockNumber?: number): RevocationMove => ({ from: ['pending', 'submitted'], to: 'failed', set: { error, block_number: blockNumber ?? null } }),
};

/** The refusal of a move that found request `id` elsewhere (`current`), or not at all. */
export function refusedMove(id: number, move: RevocationMove, current: RevocationRequest | undefined): StoreError {
  return new StoreError(
    current
      ? `revocation request ${id} is ${current.state}, not ${move.from.join(' or ')}: cannot move it to ${move.to}`
      : `there is no revocation request ${id}`,
  );
}
