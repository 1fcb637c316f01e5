/**
 * CPU time of the processes a benchmark measures, read from /proc (Linux; elsewhere NaN): a service process
 * (all its threads), and a whole PostgreSQL cluster (the postmaster and every backend and helper it forked).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number, procRoot: string): string[] | undefined {
  try {
    const text = readFileSync(join(procRoot, String(pid), 'stat'), 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Clock ticks per second of /proc's CPU fields (USER_HZ: 100 on every Linux build Node runs on). */
const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used (user and system, all its threads), from /proc: NaN when it cannot be read. */
export function cpuSecondsOf(pid: number, procRoot = '/proc'): number {
  const fields = statFields(pid, procRoot);
  if (!fields) return NaN;
  // After the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds of the children a process has waited for (its cutime and cstime, from /proc): a load generator
 * run as a child process counts here once it has exited and been reaped.
 */
export function reapedChildrenCpuSecondsOf(pid: number, procRoot = '/proc'): number {
  const fields = statFields(pid, procRoot);
  if (!fields) return NaN;
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

/** The PIDs whose parent is `pid`, from /proc. */
export function childPidsOf(pid: number, procRoot = '/proc'): number[] {
  if (!existsSync(procRoot)) return [];
  const children: number[] = [];
  for (const entry of readdirSync(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry), procRoot);
    if (fields && Number(fields[1]) === pid) children.push(Number(entry));
  }
  return children;
}

/** The postmaster's PID: the first line of <data directory>/postmaster.pid. */
export function postmasterPid(dataDir: string): number {
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${join(dataDir, 'postmaster.pid')} does not start with a PID`);
  return pid;
}

/**
 * CPU seconds of a PostgreSQL cluster: the postmaster, each process it forked (backends, checkpointer, WAL
 * writer, ...), and the children it has already reaped (its cutime and cstime), so that a backend ending
 * between two readings still counts.
 */
export function clusterCpuSeconds(postmaster: number, procRoot = '/proc'): number {
  const fields = statFields(postmaster, procRoot);
  if (!fields) return NaN;
  const own = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  return childPidsOf(postmaster, procRoot).reduce((sum, child) => sum + (cpuSecondsOf(child, procRoot) || 0), own);
}

/**
 * CPU seconds the whole machine has spent busy since it booted (every core: user, nice, system, irq, softirq and
 * steal; not idle nor iowait), from the first line of /proc/stat: NaN when it cannot be read.
 */
export function machineBusySeconds(procRoot = '/proc'): number {
  try {
    const fields = readFileSync(join(procRoot, 'stat'), 'utf8').split('\n')[0].trim().split(/\s+/);
    if (fields[0] !== 'cpu') return NaN;
    const [user, nice, system, , , irq, softirq, steal] = fields.slice(1, 9).map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}
