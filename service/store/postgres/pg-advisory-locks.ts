/**
 * Locks between the service processes of one PostgreSQL database: transaction advisory locks, each held in a
 * transaction on a connection of its own while its task runs. A process that dies loses its connection and the
 * server frees its locks; a process frozen while it holds one (SIGSTOP, a stalled VM) is idle in its transaction,
 * and the server ends its session after `holdTimeoutMs` of silence, so the others are not blocked for longer.
 */
import type { Pool } from 'pg';

/** The first key of every lock this service takes (pg_advisory_xact_lock(int, int)): a constant used for nothing else. */
const SERVICE_LOCK_CLASS = 470_211;

export class PgAdvisoryLocks {
  constructor(
    private readonly pool: Pool,
    private readonly options: { holdTimeoutMs: number },
  ) {}

  /**
   * Runs `task` while no other process (or caller here) runs one under `name`. A task that keeps the database
   * silent for longer than holdTimeoutMs loses the lock (its session is ended) and runs on without it: locks
   * taken here serialise what must not overlap in the normal course (two senders reading one nonce), and what
   * must never happen twice is fenced besides (the anchorer's writes, by its lease).
   */
  async runExclusive<T>(name: string, task: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection whose transaction could not be ended cleanly is not returned to the pool.
    let broken = true;
    // The server ending the session (the hold timeout, a restart) is an 'error' event on a checked-out client:
    // the COMMIT below then fails, and the client is dropped.
    const ended = () => (broken = true);
    client.on('error', ended);
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${Math.max(1, Math.floor(this.options.holdTimeoutMs))}`);
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SERVICE_LOCK_CLASS, name]);
      try {
        return await task();
      } finally {
        await client.query('COMMIT').then(
          () => (broken = false),
          () => undefined,
        );
      }
    } finally {
      client.off('error', ended);
      client.release(broken);
    }
  }
}
