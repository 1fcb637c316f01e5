// Shared pieces of the hostile-input tests: the store's full contents (to show a refused request changed
// nothing), the JSON error check, the fuzzing budget and seed, and a raw HTTP client over a socket for
// what supertest cannot send (raw bytes in the path, broken framing, trickled requests).
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { Store, type NotaryStore } from '../../service/store';
import { PgStore } from '../../service/store/postgres/pg-store';

/** Every table's rows, sorted, as one JSON text: two equal snapshots mean the store did not change. */
export async function snapshotStore(store: NotaryStore): Promise<string> {
  const replacer = (_key: string, value: unknown) => (Buffer.isBuffer(value) ? value.toString('hex') : typeof value === 'bigint' ? value.toString() : value);
  const contents: Record<string, string[]> = {};
  // Some tables are WITHOUT ROWID: the rows are compared as a sorted list of their JSON texts.
  for (const [name, rows] of Object.entries(await everyRow(store))) contents[name] = rows.map((row) => JSON.stringify(row, replacer)).sort();
  return JSON.stringify(contents);
}

/** Rows per table, for the report. */
export async function rowCounts(store: NotaryStore): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(await everyRow(store)).map(([name, rows]) => [name, rows.length]));
}

/** Every row of every table: of the SQLite file; on PostgreSQL, of its tables and of the mirror cache's. */
async function everyRow(store: NotaryStore): Promise<Record<string, unknown[]>> {
  if (store instanceof PgStore) {
    const rows: Record<string, unknown[]> = {};
    const { rows: tables } = await store.db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    for (const { name } of tables) rows[`postgres:${name}`] = (await store.db.query(`SELECT * FROM "${name}"`)).rows;
    for (const [name, cached] of Object.entries(sqliteRows(store.mirrorCache))) rows[`cache:${name}`] = cached;
    return rows;
  }
  if (store instanceof Store) return sqliteRows(store);
  throw new Error(`no snapshot for a store of kind ${store.kind}`);
}

function sqliteRows(store: Store): Record<string, unknown[]> {
  const tables = store.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, store.db.prepare(`SELECT * FROM "${name}"`).all()]));
}

export interface JsonishResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A 4xx whose body is the API's JSON error: `{ "error": { "code", "message" } }`. Returns the code. */
export function expectJsonClientError(response: JsonishResponse, context: string): string {
  expect(response.status, `${context}: status (${response.text.slice(0, 300)})`).to.be.within(400, 499);
  expect(String(response.headers['content-type']), `${context}: content-type`).to.match(/^application\/json/);
  const body = JSON.parse(response.text) as { error?: { code?: unknown; message?: unknown } };
  expect(body.error?.code, `${context}: error.code`).to.be.a('string').and.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  expect(body.error?.message, `${context}: error.message`).to.be.a('string').and.not.equal('');
  return body.error!.code as string;
}

/**
 * The fuzzing budget and seed. BADGE_NOTARY_FUZZ_SEED replays a run (fast-check also prints the seed and the
 * path of a failing case); BADGE_NOTARY_FUZZ_RUNS scales the runs per property (default: `runs`).
 */
export function fuzzParameters(runs: number): { seed: number; numRuns: number; interruptAfterTimeLimit: number; markInterruptAsFailure: boolean } {
  const given = process.env.BADGE_NOTARY_FUZZ_SEED;
  const seed = given !== undefined && /^-?[0-9]+$/.test(given) ? Number(given) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const scale = Number(process.env.BADGE_NOTARY_FUZZ_RUNS ?? '') || runs;
  // The time limit only bounds a run that got unexpectedly slow; reaching it is a failure, not a silent pass.
  return { seed, numRuns: scale, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true };
}

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The connection ended (closed by the server, or reset). */
  closed: boolean;
}

/** Parses one HTTP/1.1 answer (Content-Length framed, or up to the close) out of raw bytes. */
export function parseRawResponse(raw: Buffer, closed: boolean): RawResponse {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, text: '', closed };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = headers['content-length'] !== undefined ? Number(headers['content-length']) : undefined;
  const body = raw.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  return { status, headers, text: (length !== undefined ? body.subarray(0, length) : body).toString('utf8'), closed };
}

/**
 * Sends raw bytes to a loopback server and reads until it closes the connection or `timeoutMs` passes (then
 * the socket is destroyed). The request should carry `Connection: close` when it is complete.
 */
export function rawExchange(port: number, bytes: Buffer | string, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRawResponse(Buffer.concat(chunks), closed));
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(bytes);
  });
}

/** A client that opens a connection and writes only when told: for slow-client tests. */
export function openRawSocket(port: number): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const opened = Date.now();
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<number>((resolveClosed) => socket.on('close', () => resolveClosed(Date.now() - opened)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => Buffer.concat(chunks), closed }));
    socket.once('error', reject);
  });
}
