import type { SqliteDatabase } from './database';
import {
  digestsColumn,
  MOVES,
  refusedMove,
  revocationFromRow,
  type NewRevocationRequest,
  type RevocationMove,
  type RevocationRequest,
  type RevocationRequestState,
  type RevocationRow,
} from './revocation-records';

export type { NewRevocationRequest, RevocationRequest, RevocationRequestState } from './revocation-records';

/**
 * The revocations members asked this service to send (revocation_requests, migration 002). Every move
 * names the state it starts from and fails (StoreError) when the request is elsewhere.
 */
export class RevocationRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Records a request as pending, before anything is sent. */
  async create(input: NewRevocationRequest): Promise<RevocationRequest> {
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO revocation_requests (member_id, digests, reason, requested_by, requested_at, state)
         VALUES (?, ?, ?, ?, ?, 'pending')`,
      )
      .run(input.memberId, digestsColumn(input), input.reason, input.requestedBy, input.requestedAt);
    return this.read(Number(lastInsertRowid))!;
  }

  async get(id: number): Promise<RevocationRequest | undefined> {
    return this.read(id);
  }

  private read(id: number): RevocationRequest | undefined {
    const row = this.db.prepare<[number], RevocationRow>('SELECT * FROM revocation_requests WHERE id = ?').get(id);
    return row && revocationFromRow(row);
  }

  /** A member's requests, newest first. */
  async listForMember(memberId: number, options: { limit: number; beforeId?: number }): Promise<RevocationRequest[]> {
    return this.db
      .prepare<[number, number, number], RevocationRow>(
        'SELECT * FROM revocation_requests WHERE member_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
      )
      .all(memberId, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit)
      .map(revocationFromRow);
  }

  async inState(state: RevocationRequestState, limit = 1000): Promise<RevocationRequest[]> {
    return this.db
      .prepare<[RevocationRequestState, number], RevocationRow>('SELECT * FROM revocation_requests WHERE state = ? ORDER BY id LIMIT ?')
      .all(state, limit)
      .map(revocationFromRow);
  }

  /** Every request that names `digest`, oldest first. */
  async forDigest(digest: string): Promise<RevocationRequest[]> {
    return this.db
      .prepare<[string], RevocationRow>(
        `SELECT r.* FROM revocation_requests r
         WHERE EXISTS (SELECT 1 FROM json_each(r.digests) WHERE json_each.value = ?) ORDER BY r.id`,
      )
      .all(digest.toLowerCase())
      .map(revocationFromRow);
  }

  /** pending -> submitted: the transaction is signed (and about to be, or just, broadcast). */
  async markSubmitted(id: number, txHash: string): Promise<RevocationRequest> {
    return this.move(id, MOVES.submitted(txHash));
  }

  /** submitted -> mined: the transaction is in block `blockNumber` and did not revert. */
  async markMined(id: number, blockNumber: number): Promise<RevocationRequest> {
    return this.move(id, MOVES.mined(blockNumber));
  }

  /** pending or submitted -> failed, with the reason. */
  async markFailed(id: number, error: string, blockNumber?: number): Promise<RevocationRequest> {
    return this.move(id, MOVES.failed(error, blockNumber));
  }

  private move(id: number, move: RevocationMove): RevocationRequest {
    const states = move.from.map((state) => `'${state}'`).join(', ');
    const columns = Object.keys(move.set);
    const result = this.db
      .prepare(`UPDATE revocation_requests SET state = ?${columns.map((column) => `, ${column} = ?`).join('')} WHERE id = ? AND state IN (${states})`)
      .run(move.to, ...Object.values(move.set), id);
    if (result.changes !== 1) throw refusedMove(id, move, this.read(id));
    return this.read(id)!;
  }
}
