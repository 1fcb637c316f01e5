/**
 * What both modes of npm run bench:service (scripts/bench/service.ts) use to run the service under load: a
 * process started in its own process group and waited for, a shuffle, and the wait for an empty pipeline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../service/chain/local-node';

export const projectRoot = join(__dirname, '..', '..');

export interface Started {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote, for the error message when it fails. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `args` on a free port (PORT and BADGE_NOTARY_PORT) in its own process group; resolves once `ready`
 * answers 2xx. `spawned` is told of the process as soon as it runs, so that a caller stopping everything
 * meanwhile (Ctrl-C during the start) stops this one too.
 */
export async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: string, spawned?: (started: Started) => void): Promise<Started> {
  const port = await freePort();
  const child = spawn(args[0], args.slice(1), {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PORT: String(port), BADGE_NOTARY_PORT: String(port) },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started: Started = {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await exited;
    },
  };
  spawned?.(started);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited:\n${output}`);
    try {
      if ((await fetch(`${url}${ready}`)).ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) {
      await started.stop();
      throw new Error(`${args.join(' ')} not ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return started;
}

export function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** Waits until /metrics shows nothing queued, sealed or submitted: every acknowledged credential is anchored. */
export async function untilPipelineEmpty(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = (pattern: RegExp) => Number(text.match(pattern)?.[1] ?? NaN);
    const pending = [/^badge_notary_queue_depth (\S+)$/m, /^badge_notary_batches\{state="sealed"\} (\S+)$/m, /^badge_notary_batches\{state="submitted"\} (\S+)$/m];
    if (pending.every((pattern) => value(pattern) === 0)) return;
    if (Date.now() > deadline) throw new Error(`the pipeline did not drain within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
