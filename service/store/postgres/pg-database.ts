/**
 * The PostgreSQL store's connection: a pool, queries, and transactions on one pooled client. Every bigint
 * column holds a time in ms, a block number, an id or a count, all far below 2^53, so int8 is read as a JS
 * number (and refused if it is not a safe integer); wei amounts are decimal text, as in SQLite.
 */
import { Pool, types, type PoolClient, type QueryResultRow } from 'pg';
import { StoreError } from '../database';

const INT8 = 20;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new StoreError(`a bigint column holds ${text}, beyond what the service reads as a number`);
  return value;
}

const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? parseInt8 : types.getTypeParser(oid, format ?? 'text')) as typeof types.getTypeParser,
};

/**
 * A statement with a name: the server parses and plans it once per connection and then only binds and runs it
 * (pg's named prepared statements). For the hot reads, such as a receipt lookup's, where parsing and planning
 * anew on every call were a large part of the database's CPU per request. A name stands for one text for good.
 */
export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/** What a repository runs its statements on: the pool, or the client of a transaction. */
export interface PgQueryable {
  query<R extends QueryResultRow>(statement: string | NamedStatement, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export class PgDatabase implements PgQueryable {
  private closing: Promise<void> | undefined;

  constructor(readonly pool: Pool) {}

  static connect(url: string, options: { max?: number } = {}): PgDatabase {
    // A request waits for a connection at most 5 s: a server that is down fails it (503, try again) rather than hold it.
    const pool = new Pool({ connectionString: url, max: options.max ?? 10, types: typeParsers, connectionTimeoutMillis: 5_000 });
    // An idle connection the server closed (a restart, a failover) is dropped by the pool, and the next query
    // connects anew; without a listener its 'error' event would end the process.
    pool.on('error', () => undefined);
    return new PgDatabase(pool);
  }

  query<R extends QueryResultRow>(statement: string | NamedStatement, values: unknown[] = []): Promise<{ rows: R[]; rowCount: number | null }> {
    return typeof statement === 'string' ? this.pool.query<R>(statement, values) : this.pool.query<R>(statement);
  }

  /** Runs `work` in one transaction on one client: committed when it resolves, rolled back when it rejects. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // The server ending the session mid-transaction is an 'error' event on the checked-out client (the query in
    // flight rejects too): without a listener it would end the process.
    let lost = false;
    const ended = () => (lost = true);
    client.on('error', ended);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', ended);
      // A connection the server ended is destroyed rather than handed to the next transaction.
      client.release(lost);
    }
  }

  /** Ends the pool; closing again is a no-op, as Store.close is on SQLite. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}
