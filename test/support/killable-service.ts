import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../service/chain/local-node';
import { startScriptCommand, storeUnderTestEnv } from './run-node-script';

const projectRoot = join(__dirname, '..', '..');

/** The notary service as its own process (its start script, as `npm start` runs it), in its own process group. */
export interface KillableService {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr. */
  output: string[];
  /** SIGTERM to its process group; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL to its process group: no handler runs, nothing is flushed or closed. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGSTOP to its process group: frozen as a long GC pause or a stalled VM would freeze it. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  exited(): boolean;
}

export interface StartKillableServiceOptions {
  /** How long to wait for GET /ready to answer 200. Default 90 s. */
  readyTimeoutMs?: number;
  /** Wait for GET /ready to answer at all (any status) rather than for 200. Default false. */
  anyReadiness?: boolean;
}

/**
 * Starts the service with `env` (BADGE_NOTARY_* variables) on a free port and waits until it is ready. It runs on the
 * store under test (test/support/service-store.ts) unless `env` names a PostgreSQL database itself.
 */
export async function startKillableService(env: NodeJS.ProcessEnv, options: StartKillableServiceOptions = {}): Promise<KillableService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const start = startScriptCommand();
  const child = spawn(start.command, start.args, {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BADGE_NOTARY_PORT: String(port), BADGE_NOTARY_LOG_LEVEL: 'warn', ...(await storeUnderTestEnv(env)), ...env },
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const signal = (name: NodeJS.Signals) => {
    if (exited()) return;
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  const service: KillableService = {
    url,
    pid: child.pid!,
    child,
    output,
    exited,
    async stop() {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 20_000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      signal('SIGKILL');
      // A paused group takes SIGKILL too, but is given SIGCONT so nothing waits on it.
      signal('SIGCONT');
      await exit;
    },
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (exited()) throw new Error(`the service exited with ${child.exitCode ?? child.signalCode}:\n${output.join('')}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.status === 200 || options.anyReadiness) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await service.kill();
      throw new Error(`the service was not ready within the time given:\n${output.join('')}`);
    }
    await sleep(200);
  }
  return service;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

/** One JSON request to the service. */
export async function call(url: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiAnswer> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: ApiAnswer['body'];
  try {
    body = JSON.parse(text) as ApiAnswer['body'];
  } catch {
    body = { text };
  }
  return { status: response.status, headers: response.headers, body };
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; intervalMs?: number } = {}
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(options.intervalMs ?? 100);
  }
}

/** Polls GET .../receipt until 200 (each answer before must be 202, pending); its receipt. */
export async function waitForReceipt(url: string, digest: string, timeoutMs = 60_000): Promise<unknown> {
  return waitFor(
    `the receipt of ${digest}`,
    async () => {
      const { status, body } = await call(url, 'GET', `/v1/credentials/${digest}/receipt`);
      if (status === 200) return body;
      expect(status, JSON.stringify(body)).to.equal(202);
      return undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
