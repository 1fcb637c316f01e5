import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { serviceProcessEnv } from './service-store';

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const projectRoot = join(__dirname, '..', '..');

/** Runs a command of the project as a separate process and collects its output. */
export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a TypeScript script of the project with ts-node. */
export function runTsScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptResult> {
  return runProcess(join(projectRoot, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', script, ...args], env);
}

/**
 * How `npm start` runs the service: the build in dist/ (scripts/start.js) when it is the build of the current
 * sources, as after `npm test`'s build step; else scripts/start.ts through ts-node, never stale (bin/build-state.js).
 */
export function startScriptCommand(): { command: string; args: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildState } = require('../../bin/build-state') as { buildState(): { fresh: boolean } };
  if (buildState().fresh) return { command: process.execPath, args: [join(projectRoot, 'dist', 'scripts', 'start.js')] };
  return { command: join(projectRoot, 'node_modules', '.bin', 'ts-node'), args: ['--transpile-only', 'scripts/start.ts'] };
}

/**
 * What a service process started with `env` adds to run on the store under test: the PostgreSQL database of its
 * data directory (BADGE_NOTARY_DATA_DIR, ./data by default) while the suites run on PostgreSQL, unless `env` names
 * a database itself (the replica tests share one on purpose).
 */
export async function storeUnderTestEnv(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  if (env.BADGE_NOTARY_DATABASE_URL !== undefined) return {};
  return serviceProcessEnv(resolve(projectRoot, env.BADGE_NOTARY_DATA_DIR ?? 'data'));
}

/** `env` with what a service started with it (here by startNotary, or as a process) needs to run on the store under test. */
export async function withStoreUnderTest(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  return { ...(await storeUnderTestEnv(env)), ...env };
}

/** Runs the service's start script (as `npm start` does) to its end, on the store under test. */
export async function runStartScript(env: NodeJS.ProcessEnv = {}): Promise<ScriptResult> {
  const { command, args } = startScriptCommand();
  return runProcess(command, args, await withStoreUnderTest(env));
}
