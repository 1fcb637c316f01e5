// The helpers of npm run bench:service -- --store postgres (scripts/bench): its command line, the CPU accounting
// read from /proc (on real processes: a busy child, a parent and its children, a postmaster.pid file) and the
// report's arithmetic and targets; and the script refusing a bad --store with exit code 2.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childPidsOf, clusterCpuSeconds, cpuSecondsOf, machineBusySeconds, postmasterPid } from '../../scripts/bench/process-cpu';
import { BenchArgumentError, parseServiceBenchArguments } from '../../scripts/bench/service-arguments';
import { runTsScript } from '../support/run-node-script';
import { cpuPerRequest, formatStoresReport, medianBy, roundRatios, type IntakeRun, type LookupRound, type Measured } from '../../scripts/bench/stores-report';

const onLinux = process.platform === 'linux';

/** Polls `probe` every 50 ms until it returns a value; fails after 20 s. */
async function until<T>(probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the condition did not hold within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('bench:service helpers', function () {
  describe('the command line', function () {
    it('defaults to SQLite and reads --store in both spellings', function () {
      expect(parseServiceBenchArguments([])).to.deep.equal({ store: 'sqlite' });
      expect(parseServiceBenchArguments(['--store', 'postgres'])).to.deep.equal({ store: 'postgres' });
      expect(parseServiceBenchArguments(['--store=postgres'])).to.deep.equal({ store: 'postgres' });
      expect(parseServiceBenchArguments(['--store', 'sqlite'])).to.deep.equal({ store: 'sqlite' });
    });

    it('refuses an unknown store, a missing value, a repeated or unknown option, saying what it expected', function () {
      const refused = (argv: string[], words: RegExp) => {
        expect(() => parseServiceBenchArguments(argv)).to.throw(BenchArgumentError, words);
      };
      refused(['--store', 'mysql'], /"mysql" is not a store: sqlite or postgres/);
      refused(['--store'], /--store needs a value/);
      refused(['--store=postgres', '--store', 'sqlite'], /given twice/);
      refused(['--stores', 'postgres'], /unknown argument "--stores"/);
      refused(['postgres'], /usage: npm run bench:service/);
    });
  });

  describe('CPU from /proc', function () {
    before(function () {
      if (!onLinux) this.skip(); // /proc is Linux's; the bench prints NaN elsewhere
    });

    it('counts the CPU a busy process used, and NaN for a process that is gone', async function () {
      const busy = spawn(process.execPath, ['-e', 'for (;;);']);
      try {
        // On a loaded machine the busy process may wait for a core: the CPU is read until it shows, within 20 s.
        const used = await until(() => {
          const seconds = cpuSecondsOf(busy.pid!);
          return seconds > 0.1 ? seconds : undefined;
        });
        expect(used).to.be.greaterThan(0.1);
      } finally {
        busy.kill('SIGKILL');
        await exited(busy);
      }
      expect(Number.isNaN(cpuSecondsOf(busy.pid!)), 'a process that is gone').to.equal(true);
    });

    it('finds the children of a process, and a cluster\'s CPU includes its children\'s', async function () {
      // A parent (the "postmaster") with two children, one of them busy.
      const parent = spawn('sh', ['-c', `sleep 30 & ${JSON.stringify(process.execPath)} -e "for (;;);" & wait`], { detached: true });
      try {
        const children = await until(() => {
          const found = childPidsOf(parent.pid!);
          return found.length === 2 && found.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0) > 0.2 ? found : undefined;
        });
        const ownOnly = cpuSecondsOf(parent.pid!);
        const childrenCpu = children.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
        const cluster = clusterCpuSeconds(parent.pid!);
        expect(cluster).to.be.at.least(ownOnly + childrenCpu - 1e-9); // read later, and CPU only grows
        expect(clusterCpuSeconds(parent.pid!) - ownOnly).to.be.greaterThan(0.2);
      } finally {
        process.kill(-parent.pid!, 'SIGKILL');
        await exited(parent);
      }
    });

    it('reads how long the whole machine was busy from /proc/stat, leaving idle and iowait out', function () {
      const procRoot = mkdtempSync(join(tmpdir(), 'badge-notary-proc-'));
      try {
        // user nice system idle iowait irq softirq steal guest guest_nice, in 1/100 s
        writeFileSync(join(procRoot, 'stat'), 'cpu  1000 20 300 90000 500 7 3 10 0 0\ncpu0 500 10 150 45000 250 3 1 5 0 0\n');
        expect(machineBusySeconds(procRoot)).to.be.closeTo(13.4, 1e-9);
        writeFileSync(join(procRoot, 'stat'), 'intr 1 2 3\n');
        expect(Number.isNaN(machineBusySeconds(procRoot))).to.equal(true);
      } finally {
        rmSync(procRoot, { recursive: true, force: true });
      }
      expect(machineBusySeconds()).to.be.greaterThan(0);
    });

    it('reads the postmaster PID from the first line of postmaster.pid, and refuses a file without one', function () {
      const dataDir = mkdtempSync(join(tmpdir(), 'badge-notary-postmaster-'));
      try {
        writeFileSync(join(dataDir, 'postmaster.pid'), `${process.pid}\n/var/lib/postgresql/data\n1700000000\n5432\n`);
        expect(postmasterPid(dataDir)).to.equal(process.pid);
        writeFileSync(join(dataDir, 'postmaster.pid'), '\n');
        expect(() => postmasterPid(dataDir)).to.throw(/does not start with a PID/);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  describe('the report', function () {
    const run = (requests: number, seconds: number, serviceCpu: number, databaseCpu: number): Measured => ({
      result: {
        requests: { total: requests },
        latency: { p50: 1, p99: 4 },
        non2xx: 0,
        errors: 0,
        timeouts: 0,
        statusCodeStats: { 200: { count: requests } },
      },
      seconds,
      serviceCpu,
      databaseCpu,
      clientCpu: seconds / 4,
      machineCpu: serviceCpu + databaseCpu + seconds / 4 + seconds / 10,
    });
    const intake = (credentials: number): IntakeRun => ({ ...run(credentials / 250, 5, 2, 0.5), credentials });

    it('divides the server CPU by the requests served, service and database apart', function () {
      expect(cpuPerRequest(run(10_000, 5, 2, 0.5))).to.deep.equal({ service: 0.2, database: 0.05, total: 0.25 });
    });

    it('takes the middle item', function () {
      expect(medianBy([5, 1, 3], (n) => n)).to.equal(3);
      expect(medianBy([{ v: 2 }, { v: 9 }, { v: 4 }, { v: 1 }], (item) => item.v)).to.deep.equal({ v: 4 });
      expect(() => medianBy([], (n: number) => n)).to.throw();
    });

    it('judges both targets on the median round, and shows each round', function () {
      // SQLite 0.1 ms per lookup; PostgreSQL 0.15 (1.5x), 0.3 (3x), 0.18 (1.8x) by round; 2 replicas 1.6x, 1.2x, 1.55x as fast.
      const round = (pgCpu: number, speedup: number): LookupRound => ({
        sqlite: run(30_000, 5, 3, 0),
        oneReplica: run(20_000, 5, (pgCpu * 20_000) / 1000 - 1, 1),
        twoReplicas: run(20_000 * speedup, 5, 4, 2),
      });
      const rounds = [round(0.15, 1.6), round(0.3, 1.2), round(0.18, 1.55)];
      expect(roundRatios(rounds[1]).cpuOneReplica).to.be.closeTo(3, 1e-9);
      expect(roundRatios(rounds[1]).speedup).to.be.closeTo(1.2, 1e-9);
      const report = formatStoresReport({
        settings: { connections: 10, lookupConnections: 40, bulk: 250, intakeSeconds: 5, rounds: 3, roundSeconds: 5, lookupLoad: 'wrk' },
        intake: { sqlite: intake(10_000), oneReplica: intake(5_000), twoReplicas: intake(7_500) },
        rounds,
        lookups: { sqlite: 10_000, postgres: 12_500, drainSeconds: 1.5 },
        load: { before: [0.5, 0.4, 0.3], after: [1.5, 1, 0.5], cores: 2 },
        postgresVersion: 'PostgreSQL 15.1',
        notes: [],
      });
      expect(report).to.match(/CPU per lookup <= 2x SQLite's: 1\.80x \(met; rounds: 1\.50, 3\.00, 1\.80;/);
      expect(report).to.match(/>= 1\.5x one replica's: 1\.55x \(met; rounds: 1\.60, 1\.20, 1\.55\)/);
      expect(report).to.match(/\| SQLite, 1 process +\| bulk intake, VC-JWT, signatures checked \| 2,000 credentials\/s/);
      expect(report).to.match(/\| PostgreSQL 15\.1, 2 replicas +\| receipt lookup \(anchored\) +\| 6,200 req\/s/);
      expect(report).to.contain('load average 0.50 0.40 0.30 before, 1.50 1.00 0.50 after; 2 cores');
      // SQLite's lookup rounds: 3 s of service CPU in 5 s, a quarter core of load, a tenth of a core for the rest.
      expect(report).to.match(/\| SQLite, 1 process +\| receipt lookup \(anchored\) .*\| 0\.60 \/ 0\.25 \/ 0\.10 +\|$/m);
      expect(report).to.contain('CPU cores: server / load generator / rest of the machine');
      expect(report).to.contain('intake (autocannon, 10 connections) 5 s per store');
      expect(report).to.contain('lookup (wrk, 40 connections) in 3 rounds of 5 s');
      expect(report).to.contain('half each (one single-threaded wrk process per replica)');

      const missed = formatStoresReport({
        settings: { connections: 10, lookupConnections: 40, bulk: 250, intakeSeconds: 5, rounds: 1, roundSeconds: 5, lookupLoad: 'autocannon' },
        intake: { sqlite: intake(10_000), oneReplica: intake(5_000), twoReplicas: intake(7_500) },
        rounds: [round(0.3, 1.2)],
        lookups: { sqlite: 1, postgres: 1, drainSeconds: 0 },
        load: { before: [0, 0, 0], after: [0, 0, 0], cores: 2 },
        postgresVersion: 'PostgreSQL 15.1',
        notes: ['a note'],
      });
      expect(missed).to.match(/3\.00x \(MISSED;/);
      expect(missed).to.match(/1\.20x \(MISSED;/);
      expect(missed).to.contain('note: a note');
      expect(missed).to.contain("half each (one autocannon instance given both replicas' URLs)");
    });
  });
});

describe('npm run bench:service with a bad --store', function () {
  it('says what it expected and exits 2, before starting anything', async function () {
    const { code, stdout, stderr } = await runTsScript('scripts/bench/service.ts', ['--store', 'mysql']);
    expect(code, stderr).to.equal(2);
    expect(stderr).to.contain('--store "mysql" is not a store: sqlite or postgres');
    expect(stderr).to.contain('usage: npm run bench:service [-- --store sqlite|postgres]');
    expect(stdout).to.equal('');
  });
});
