// The processes a test started, found from /proc (Linux), so that a test can check it left none behind without
// looking at processes other tests or engineers run on the same machine.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { sleep } from './killable-service';

interface ProcessStat {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
}

/** /proc/<pid>/stat: "pid (command) state ppid pgrp ...", where the command may itself hold spaces and parentheses. */
function statOf(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const [state, ppid, pgid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: state!, ppid: Number(ppid), pgid: Number(pgid) };
}

function allProcesses(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => statOf(Number(name)))
    .filter((stat): stat is ProcessStat => stat !== undefined);
}

/** `root` and every process below it (children, their children...), as they are at this moment. */
export function processTree(root: number): number[] {
  const processes = allProcesses();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const stat of processes) if (stat.ppid === tree[i]) tree.push(stat.pid);
  }
  return tree;
}

/** The processes of the process group `pgid`. */
export function processGroupMembers(pgid: number): number[] {
  return allProcesses()
    .filter((stat) => stat.pgid === pgid)
    .map((stat) => stat.pid);
}

/**
 * Whether `pid` is a live process: process.kill(pid, 0) succeeds. A zombie (ended, not yet reaped by its parent)
 * also answers it, though it runs nothing and holds no port, so it counts as ended.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return statOf(pid)?.state !== 'Z';
}

/** Waits until none of `pids` runs; throws naming those still running after `timeoutMs`. Resolves with the time it took. */
export async function waitUntilEnded(pids: readonly number[], timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0) return Date.now() - startedAt;
    if (Date.now() - startedAt > timeoutMs) {
      const described = running.map((pid) => `${pid} (${readCommandLine(pid)})`).join(', ');
      throw new Error(`still running ${timeoutMs} ms later: ${described}`);
    }
    await sleep(100);
  }
}

function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return 'gone';
  }
}

/** SIGKILL to each of `pids` still running: a test's clean-up after a failure, so that a failing test leaks nothing. */
export function killSurvivors(pids: readonly number[]): void {
  for (const pid of pids.filter(isRunning)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
}

/** Whether 127.0.0.1:`port` can be listened on. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Waits until 127.0.0.1:`port` can be listened on; throws after `timeoutMs`. Resolves with the time it took. Polled,
 * not read once: a process's main thread shows as a zombie while its other threads may still be exiting, holding
 * its sockets a moment longer (seen under load).
 */
export async function waitForFreePort(port: number, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  while (!(await portIsFree(port))) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`port ${port} on 127.0.0.1 is still taken ${timeoutMs} ms later`);
    await sleep(50);
  }
  return Date.now() - startedAt;
}
