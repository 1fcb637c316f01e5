import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, stopProcessGroup } from '../../service/chain/local-node';

/**
 * A real PostgreSQL server for the tests (issue #13): Debian's `postgresql` package, a data directory made by
 * initdb in a temporary folder, the server on a free loopback port, stopped by its PID and its folder removed
 * after. PostgreSQL refuses to run as root, so when the tests run as root (CI's container) initdb and the
 * server run as the package's `postgres` account, which owns the folder.
 */
export interface PostgresServer {
  /** postgres://notary@127.0.0.1:<port>/notary */
  url: string;
  port: number;
  /** The temporary folder that holds the data directory and the socket. */
  folder: string;
  /** The running server's PID; undefined while stopped. */
  readonly pid: number | undefined;
  /** Starts the server again on the same folder and port (after stop or a kill). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT: active transactions are rolled back); resolves once the server has exited. */
  stop(): Promise<void>;
  /** SIGKILL to the server's process group: a crash, not a shutdown. */
  kill(): Promise<void>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

const USER = 'notary';
const DATABASE = 'notary';

/** The folder of the newest installed PostgreSQL's programs, or undefined when none is installed. */
export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  const found = versions.map((version) => join(root, version, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
  return found;
}

/** The uid/gid the server runs as: ours, or the `postgres` account's when we are root. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root and there is no `postgres` account to run PostgreSQL as');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgres(timeoutMs = 60_000): Promise<PostgresServer> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql): /usr/lib/postgresql/<version>/bin/initdb not found');
  const account = serverAccount();
  const folder = mkdtempSync(join(tmpdir(), 'badge-notary-pg-'));
  const dataDir = join(folder, 'data');
  if (account) chownSync(folder, account.uid, account.gid);

  const initdb = spawnSync(join(bin, 'initdb'), ['-D', dataDir, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], {
    encoding: 'utf8',
    ...account,
  });
  if (initdb.status !== 0) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`initdb failed (${initdb.status}):\n${initdb.stderr}`);
  }

  const port = await freePort();
  let child: ChildProcess | undefined;
  const output: string[] = [];

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    output.length = 0;
    // The socket folder is ours too, so nothing lands in /var/run/postgresql.
    child = spawn(join(bin, 'postgres'), ['-D', dataDir, '-p', String(port), '-k', folder, '-c', 'listen_addresses=127.0.0.1'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...account,
    });
    const keep = (chunk: Buffer) => output.length < 200 && output.push(chunk.toString());
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}:\n${output.join('')}`);
      const client = new Client({ host: '127.0.0.1', port, user: USER, database: 'postgres' });
      try {
        await client.connect();
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
        break;
      } catch {
        // still starting
      } finally {
        await client.end().catch(() => undefined);
      }
      if (Date.now() > deadline) {
        await stopProcessGroup(child);
        throw new Error(`postgres did not accept connections on port ${port} within ${timeoutMs} ms:\n${output.join('')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const signalAndWait = async (signal: NodeJS.Signals) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    try {
      process.kill(-running.pid!, signal);
    } catch {
      return;
    }
    await exited;
  };

  // A run that ends without destroy() (a failure in a hook, Ctrl-C, process.exit) still stops the server and
  // removes its folder: the server runs in its own process group and would outlive the run.
  const onExit = () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  try {
    await start();
  } catch (error) {
    process.off('exit', onExit);
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }

  return {
    url: `postgres://${USER}@127.0.0.1:${port}/${DATABASE}`,
    port,
    folder,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    start,
    stop: () => signalAndWait('SIGINT'),
    kill: () => signalAndWait('SIGKILL'),
    async destroy() {
      process.off('exit', onExit);
      if (child) await stopProcessGroup(child);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
