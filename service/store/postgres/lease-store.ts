/**
 * The leases of service/leadership in PostgreSQL: one row per lease. Expiry is judged by the database's clock
 * (clock_timestamp(), not the transaction's start), so processes whose clocks disagree still agree on who holds it.
 * The table: migrations/002-leases.sql.
 */
import type { Pool, PoolClient } from 'pg';
import { LeaseLostError, type LeaseStore } from '../../leadership';

export class PgLeaseStore implements LeaseStore {
  constructor(private readonly pool: Pool) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined> {
    await this.pool.query('INSERT INTO leases (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
    // The row lock of the UPDATE waits for a fenced transaction of the old holder (FOR SHARE) to end: a takeover
    // never overlaps a write made under the old token. Should the row have changed meanwhile (a renewal), the
    // WHERE is evaluated again on its new version. The new expiry is counted from before the wait: shorter, not longer.
    const result = await this.pool.query<{ token: string }>(
      `UPDATE leases SET holder = $2, token = token + 1, expires_at = clock_timestamp() + $3 * interval '1 millisecond'
        WHERE name = $1 AND expires_at <= clock_timestamp()
        RETURNING token`,
      [name, holder, ttlMs],
    );
    return result.rowCount === 1 ? Number(result.rows[0]!.token) : undefined;
  }

  async renew(name: string, holder: string, token: number, ttlMs: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE leases SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
        WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > clock_timestamp()`,
      [name, holder, token, ttlMs],
    );
    return result.rowCount === 1;
  }

  async release(name: string, holder: string, token: number): Promise<void> {
    await this.pool.query(`UPDATE leases SET expires_at = '-infinity' WHERE name = $1 AND holder = $2 AND token = $3`, [name, holder, token]);
  }
}

/**
 * The fence: call it first in a transaction whose writes only the leader may make. It refuses (LeaseLostError) a
 * token that is not the running one, and keeps the lease row share-locked until the transaction ends, so no other
 * process can take the lease over while the transaction's writes are in flight.
 */
export async function assertLeaseHeld(client: PoolClient, name: string, holder: string, token: number): Promise<void> {
  const result = await client.query(
    `SELECT 1 FROM leases WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > clock_timestamp() FOR SHARE`,
    [name, holder, token],
  );
  if (result.rowCount !== 1) throw new LeaseLostError(name, token);
}
