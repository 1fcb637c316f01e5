import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../service/chain/local-node';

const projectRoot = join(__dirname, '..', '..');

/** The service, started as its own process (scripts/start.ts) and stopped by its PID. */
export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  output: string[];
  stop(): Promise<number | null>;
}

export async function startService(env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(join(projectRoot, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/start.ts'], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BADGE_NOTARY_PORT: String(port), BADGE_NOTARY_LOG_LEVEL: 'warn', ...env },
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    return exited;
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the service was not ready within 90 s:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, child, output, stop };
}

export async function call(url: string, method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

export async function waitForReceipt(url: string, digest: string): Promise<unknown> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { status, body } = await call(url, 'GET', `/v1/credentials/${digest}/receipt`);
    if (status === 200) return body;
    expect(status, JSON.stringify(body)).to.equal(202);
    if (Date.now() > deadline) throw new Error(`no receipt for ${digest} within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
