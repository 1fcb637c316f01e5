import type { SqliteDatabase } from './database';
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

interface RevocationRow {
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

const fromRow = (row: RevocationRow): RevocationRequest => ({
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

/**
 * The revocations members asked this service to send (revocation_requests, migration 002). Every move
 * names the state it starts from and fails (StoreError) when the request is elsewhere.
 */
export class RevocationRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Records a request as pending, before anything is sent. */
  async create(input: { memberId: number; digests: readonly string[]; reason: number; requestedBy: string; requestedAt: number }): Promise<RevocationRequest> {
    if (input.digests.length === 0) throw new StoreError('a revocation request needs at least one digest');
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO revocation_requests (member_id, digests, reason, requested_by, requested_at, state)
         VALUES (?, ?, ?, ?, ?, 'pending')`,
      )
      .run(input.memberId, JSON.stringify(input.digests.map((d) => d.toLowerCase())), input.reason, input.requestedBy, input.requestedAt);
    return this.read(Number(lastInsertRowid))!;
  }

  async get(id: number): Promise<RevocationRequest | undefined> {
    return this.read(id);
  }

  private read(id: number): RevocationRequest | undefined {
    const row = this.db.prepare<[number], RevocationRow>('SELECT * FROM revocation_requests WHERE id = ?').get(id);
    return row && fromRow(row);
  }

  /** A member's requests, newest first. */
  async listForMember(memberId: number, options: { limit: number; beforeId?: number }): Promise<RevocationRequest[]> {
    return this.db
      .prepare<[number, number, number], RevocationRow>(
        'SELECT * FROM revocation_requests WHERE member_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
      )
      .all(memberId, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit)
      .map(fromRow);
  }

  async inState(state: RevocationRequestState, limit = 1000): Promise<RevocationRequest[]> {
    return this.db
      .prepare<[RevocationRequestState, number], RevocationRow>('SELECT * FROM revocation_requests WHERE state = ? ORDER BY id LIMIT ?')
      .all(state, limit)
      .map(fromRow);
  }

  /** Every request that names `digest`, oldest first. */
  async forDigest(digest: string): Promise<RevocationRequest[]> {
    return this.db
      .prepare<[string], RevocationRow>(
        `SELECT r.* FROM revocation_requests r
         WHERE EXISTS (SELECT 1 FROM json_each(r.digests) WHERE json_each.value = ?) ORDER BY r.id`,
      )
      .all(digest.toLowerCase())
      .map(fromRow);
  }

  /** pending -> submitted: the transaction is signed (and about to be, or just, broadcast). */
  async markSubmitted(id: number, txHash: string): Promise<RevocationRequest> {
    return this.move(id, ['pending'], 'submitted', 'tx_hash = @txHash, error = NULL', { txHash: txHash.toLowerCase() });
  }

  /** submitted -> mined: the transaction is in block `blockNumber` and did not revert. */
  async markMined(id: number, blockNumber: number): Promise<RevocationRequest> {
    return this.move(id, ['submitted'], 'mined', 'block_number = @blockNumber', { blockNumber });
  }

  /** pending or submitted -> failed, with the reason. */
  async markFailed(id: number, error: string, blockNumber?: number): Promise<RevocationRequest> {
    return this.move(id, ['pending', 'submitted'], 'failed', 'error = @error, block_number = @blockNumber', {
      error,
      blockNumber: blockNumber ?? null,
    });
  }

  private move(id: number, from: RevocationRequestState[], to: RevocationRequestState, assignments: string, values: object): RevocationRequest {
    const states = from.map((state) => `'${state}'`).join(', ');
    const result = this.db
      .prepare(`UPDATE revocation_requests SET state = @to, ${assignments} WHERE id = @id AND state IN (${states})`)
      .run({ ...values, id, to });
    if (result.changes !== 1) {
      const current = this.read(id);
      throw new StoreError(
        current
          ? `revocation request ${id} is ${current.state}, not ${from.join(' or ')}: cannot move it to ${to}`
          : `there is no revocation request ${id}`,
      );
    }
    return this.read(id)!;
  }
}
