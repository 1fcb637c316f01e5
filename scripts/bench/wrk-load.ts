/**
 * A lookup load from wrk (Debian's package: a C load generator on epoll), for runs where the load generator's
 * own CPU must stay small: on a 2-core machine autocannon, in Node, took 0.08 ms of CPU per lookup, half of
 * what the service it measured took, and that CPU is taken from the servers under test.
 * One wrk process per server URL, with one thread and its share of the connections, each GETting the given
 * paths in turn (scripts/bench/wrk-paths.lua) from its own starting point.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reapedChildrenCpuSecondsOf } from './process-cpu';
import type { LoadFigures } from './stores-report';

const SCRIPT = join(__dirname, 'wrk-paths.lua');
const FIGURES_LINE = /^wrk-figures (\{.*\})$/m;

/** What wrk-paths.lua prints when a run ends. */
interface WrkFigures {
  requests: number;
  durationMicros: number;
  non2xx: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  timeouts: number;
  p50Micros: number;
  p99Micros: number;
}

export interface WrkRun {
  figures: LoadFigures;
  /** CPU seconds the wrk processes used (from this process's reaped-children counters). */
  clientCpu: number;
}

/** Whether `wrk` can be run here. */
export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** Parses wrk-paths.lua's line out of a wrk process's output. */
export function parseWrkFigures(output: string): WrkFigures {
  const match = output.match(FIGURES_LINE);
  if (!match) throw new Error(`wrk printed no figures line:\n${output}`);
  return JSON.parse(match[1]) as WrkFigures;
}

/**
 * Merges the figures of the wrk processes of one run: requests and errors add up; the latencies quoted are
 * the highest of the processes' percentiles (the percentiles of the whole are not recoverable from theirs).
 */
export function mergeWrkFigures(runs: WrkFigures[]): LoadFigures {
  const sum = (key: keyof WrkFigures) => runs.reduce((total, run) => total + run[key], 0);
  const highest = (key: keyof WrkFigures) => Math.max(...runs.map((run) => run[key]));
  return {
    requests: { total: sum('requests') },
    latency: { p50: Math.round(highest('p50Micros') / 1000), p99: Math.round(highest('p99Micros') / 1000) },
    non2xx: sum('non2xx'),
    errors: sum('connectErrors') + sum('readErrors') + sum('writeErrors'),
    timeouts: sum('timeouts'),
  };
}

function runWrk(args: string[]): Promise<WrkFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    // 'close', not 'exit': wrk writes to a pipe through a full buffer, flushed as it exits, and 'exit' can be
    // emitted before that last chunk has been read (the CI failure "wrk printed no figures line" with no output).
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`wrk ${args.join(' ')} exited ${code}:\n${output}`));
      try {
        resolve(parseWrkFigures(output));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** GETs `paths` on every URL for `seconds`, the connections shared out over the URLs (one wrk process each). */
export async function wrkLoad(options: { urls: string[]; paths: string[]; connections: number; seconds: number }): Promise<WrkRun> {
  const { urls, paths, connections, seconds } = options;
  if (connections < urls.length) throw new Error(`${connections} connections cannot be shared over ${urls.length} servers`);
  const folder = mkdtempSync(join(tmpdir(), 'badge-notary-wrk-'));
  try {
    const pathsFile = join(folder, 'paths');
    writeFileSync(pathsFile, `${paths.join('\n')}\n`);
    const before = reapedChildrenCpuSecondsOf(process.pid);
    const runs = await Promise.all(
      urls.map((url, i) => {
        const share = Math.floor(connections / urls.length) + (i < connections % urls.length ? 1 : 0);
        const start = Math.floor((i * paths.length) / urls.length);
        return runWrk(['-t1', `-c${share}`, `-d${seconds}s`, '-s', SCRIPT, url, '--', pathsFile, String(start)]);
      }),
    );
    return { figures: mergeWrkFigures(runs), clientCpu: reapedChildrenCpuSecondsOf(process.pid) - before };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
