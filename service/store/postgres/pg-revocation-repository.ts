/**
 * Revocation requests in PostgreSQL: the same moves and refusals as the SQLite RevocationRepository
 * (test/store/revocation-repository.test.ts runs one suite on both).
 */
import type { RevocationRepository } from '../revocation-repository';
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
} from '../revocation-records';
import type { PgDatabase } from './pg-database';

type RevocationStorage = { [K in keyof RevocationRepository]: RevocationRepository[K] };

const COLUMNS = 'id, member_id, digests, reason, requested_by, requested_at, state, tx_hash, block_number, error';

export class PgRevocationRepository implements RevocationStorage {
  constructor(private readonly db: PgDatabase) {}

  async create(input: NewRevocationRequest): Promise<RevocationRequest> {
    const { rows } = await this.db.query<RevocationRow>(
      `INSERT INTO revocation_requests (member_id, digests, reason, requested_by, requested_at, state)
       VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING ${COLUMNS}`,
      [input.memberId, digestsColumn(input), input.reason, input.requestedBy, input.requestedAt],
    );
    return revocationFromRow(rows[0]!);
  }

  async get(id: number): Promise<RevocationRequest | undefined> {
    const { rows } = await this.db.query<RevocationRow>(`SELECT ${COLUMNS} FROM revocation_requests WHERE id = $1`, [id]);
    return rows[0] && revocationFromRow(rows[0]);
  }

  async listForMember(memberId: number, options: { limit: number; beforeId?: number }): Promise<RevocationRequest[]> {
    const { rows } = await this.db.query<RevocationRow>(
      `SELECT ${COLUMNS} FROM revocation_requests WHERE member_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`,
      [memberId, options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit],
    );
    return rows.map(revocationFromRow);
  }

  async inState(state: RevocationRequestState, limit = 1000): Promise<RevocationRequest[]> {
    const { rows } = await this.db.query<RevocationRow>(`SELECT ${COLUMNS} FROM revocation_requests WHERE state = $1 ORDER BY id LIMIT $2`, [state, limit]);
    return rows.map(revocationFromRow);
  }

  /** Every request that names `digest`, oldest first: the digests column is a JSON array of strings. */
  async forDigest(digest: string): Promise<RevocationRequest[]> {
    const { rows } = await this.db.query<RevocationRow>(`SELECT ${COLUMNS} FROM revocation_requests WHERE digests::jsonb ? $1 ORDER BY id`, [
      digest.toLowerCase(),
    ]);
    return rows.map(revocationFromRow);
  }

  markSubmitted(id: number, txHash: string): Promise<RevocationRequest> {
    return this.move(id, MOVES.submitted(txHash));
  }

  markMined(id: number, blockNumber: number): Promise<RevocationRequest> {
    return this.move(id, MOVES.mined(blockNumber));
  }

  markFailed(id: number, error: string, blockNumber?: number): Promise<RevocationRequest> {
    return this.move(id, MOVES.failed(error, blockNumber));
  }

  /** One statement: the move happens only from the states it names, and its row comes back. */
  private async move(id: number, move: RevocationMove): Promise<RevocationRequest> {
    const columns = Object.keys(move.set);
    const { rows } = await this.db.query<RevocationRow>(
      `UPDATE revocation_requests SET state = $1${columns.map((column, i) => `, ${column} = $${i + 4}`).join('')}
        WHERE id = $2 AND state = ANY($3::text[]) RETURNING ${COLUMNS}`,
      [move.to, id, move.from, ...Object.values(move.set)],
    );
    if (!rows[0]) throw refusedMove(id, move, await this.get(id));
    return revocationFromRow(rows[0]);
  }
}
