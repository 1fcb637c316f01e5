// Fault: the disk under the service's SQLite database fills up or turns read-only while the service runs.
// The tests run as root, so file permissions stop nothing; the disks are real instead:
// - full: the data directory is a small tmpfs (mount -t tmpfs -o size=16m) and the test fills it with a file
//   until write(2) fails with ENOSPC; SQLite then fails to grow its WAL and returns SQLITE_FULL. Deleting the
//   file lifts the fault while the service runs.
// - read-only: the data directory is an ext4 file system on a loop device mounted with errors=remount-ro; the
//   test writes to /sys/fs/ext4/<loop>/trigger_fs_error, and the kernel aborts the journal and remounts it
//   read-only, as it does on a real disk error; every write, through files already open too, fails with
//   EROFS. Such a file system comes back only through umount, e2fsck and mount, so the service is stopped
//   for it and started again after.
// A live remount (mount -o remount,ro) is refused with EBUSY while SQLite holds the file open for writing,
// so it cannot model a disk turning read-only under a running service.
// In both: intake answers 503 storage-unavailable and acknowledges nothing of the request, a sealed batch
// whose anchor would be recorded now is not broadcast, what was stored before is served and undamaged, and
// once the fault is lifted PRAGMA integrity_check is ok, every acknowledged row is there, and everything
// acknowledged gets a verified receipt, each root anchored once.
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { call, startKillableService, waitFor, type KillableService } from '../support/killable-service';
import {
  auditRun,
  editorKey,
  issueBadges,
  printFaultTable,
  readDatabaseCopy,
  startFaultBench,
  submit,
  waitForBatchState,
  waitForReceipt,
  type Acknowledged,
  type FaultBench,
  type FaultRow,
} from './helpers';

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'pipe' }).toString();

/** Why this machine cannot mount file systems for the test, or undefined when it can. */
function mountProblem(): string | undefined {
  const probe = mkdtempSync(join(tmpdir(), 'badge-notary-mount-probe-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    run('umount', [probe]);
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}): the disk fault tests need root with CAP_SYS_ADMIN`;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

function isMounted(directory: string): boolean {
  try {
    return run('findmnt', ['-n', '--mountpoint', directory]).trim() !== '';
  } catch {
    return false; // findmnt exits 1 when nothing is mounted there
  }
}

function unmount(directory: string): void {
  try {
    run('umount', [directory]);
  } catch {
    run('umount', ['-l', directory]); // something still holds it: detach it lazily
  }
}

/** Fills the file system holding `directory` with one file until ENOSPC. Returns the file and its size. */
function fillDisk(directory: string): { path: string; bytes: number } {
  const path = join(directory, 'filler');
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    for (const chunk of [1024 * 1024, 4096, 512]) {
      const buffer = Buffer.alloc(chunk, 0xa5);
      for (let i = 0; i < 100_000; i++) {
        try {
          bytes += writeSync(fd, buffer);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return { path, bytes };
}

/** Rows that must come through a fault unchanged. */
interface StoredRows {
  credentials: { digest: string; member_id: number; artifact: string; received_at: number; batch_id: number | null; leaf_index: number | null }[];
  batches: { id: number; root: string; tree: Buffer; state: string; tx_hash: string | null }[];
}

const readRows = (db: Database.Database): StoredRows => ({
  credentials: db.prepare('SELECT digest, member_id, artifact, received_at, batch_id, leaf_index FROM credentials ORDER BY digest').all() as StoredRows['credentials'],
  batches: db.prepare('SELECT id, root, tree, state, tx_hash FROM batches JOIN batch_trees ON batch_id = id ORDER BY id').all() as StoredRows['batches'],
});

describe('faults: the database’s disk full or read-only', function () {
  this.timeout(600_000);
  let bench: FaultBench;
  let service: KillableService | undefined;
  let mountPoint: string | undefined;
  const rows: FaultRow[] = [];

  before(async function () {
    const problem = mountProblem();
    if (problem) {
      console.log(`      skipped: ${problem}`);
      this.skip();
    }
    bench = await startFaultBench();
  });

  let scratch: string | undefined;

  afterEach(async function () {
    bench?.proxy.discard('eth_estimateGas');
    await service?.kill();
    service = undefined;
    if (mountPoint && isMounted(mountPoint)) unmount(mountPoint);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    mountPoint = scratch = undefined;
  });

  after(async function () {
    if (rows.length > 0) printFaultTable('disk faults', rows);
    await bench?.close();
  });

  /**
   * The part both faults share, up to the fault: batch 1 anchored and final, batch 2 sealed with its anchor
   * held at the gas estimate (so its first database write comes during the fault).
   */
  const beforeTheFault = async (dataDir: string) => {
    service = await startKillableService(bench.serviceEnv(1, dataDir, { BADGE_NOTARY_BATCH_MAX_SIZE: '4' }));
    const apiKey = await editorKey(bench, service, 1);
    const acknowledged = await submit(service, apiKey, 1, await issueBadges(bench, 1, 4));
    for (const item of acknowledged) await waitForReceipt(service, item.digest);
    bench.proxy.hold('eth_estimateGas');
    const sealed = await submit(service, apiKey, 1, await issueBadges(bench, 1, 3));
    acknowledged.push(...sealed);
    await bench.proxy.waitForHeld('eth_estimateGas');
    const batch = await waitForBatchState(service, 2, 'sealed');
    expect(batch.size).to.equal(3);
    const stored = readDatabaseCopy(join(dataDir, 'notary.sqlite'), readRows);
    expect(stored.credentials).to.have.length(7);
    return { apiKey, acknowledged, stored };
  };

  /** During the fault: intake refuses with 503, stores nothing; stored receipts are served; batch 2 is not broadcast. */
  const duringTheFault = async (apiKey: string, acknowledged: Acknowledged[], reason: string[]) => {
    const refused = await issueBadges(bench, 1, 5);
    const bulk = await call(service!.url, 'POST', '/v1/credentials', { token: apiKey, body: { credentials: refused } });
    expect(bulk.status, JSON.stringify(bulk.body)).to.equal(503);
    expect(bulk.body.error).to.include({ code: 'storage-unavailable' });
    expect((bulk.body.error as { reason?: string }).reason).to.be.oneOf(reason);
    expect(bulk.headers.get('retry-after')).to.equal('30');
    const one = await call(service!.url, 'POST', '/v1/credentials', { token: apiKey, body: { credential: refused[0] } });
    expect(one.status, JSON.stringify(one.body)).to.equal(503);

    // What was stored is still served: the receipts of batch 1, the status of batch 2's credentials.
    for (const item of acknowledged.slice(0, 4)) expect((await call(service!.url, 'GET', `/v1/credentials/${item.digest}/receipt`)).status).to.equal(200);
    for (const item of acknowledged.slice(4)) expect((await call(service!.url, 'GET', `/v1/credentials/${item.digest}`)).body.state).to.equal('sealed');

    // Batch 2's anchor goes ahead to the point of recording it, which fails: nothing may be broadcast.
    const sends = bench.proxy.forwarded('eth_sendRawTransaction');
    const failuresBefore = await storeFailures();
    bench.proxy.release('eth_estimateGas');
    await waitFor('the anchorer failing to record batch 2’s transaction', async () => ((await storeFailures()) > failuresBefore ? true : undefined));
    expect(bench.proxy.forwarded('eth_sendRawTransaction'), 'broadcasts during the fault').to.equal(sends);
    expect((await call(service!.url, 'GET', '/v1/batches/2')).body.batch).to.include({ state: 'sealed', transactionHash: null });
    expect((await call(service!.url, 'GET', '/health')).status, 'the process lives on').to.equal(200);
    const ready = await call(service!.url, 'GET', '/ready');
    // Never plainly "ready" while writes fail: degraded (reads served) or, when even the write lock fails, 503.
    expect(ready.status === 503 || (ready.status === 200 && ready.body.status === 'degraded'), `/ready said ${ready.status} ${JSON.stringify(ready.body)}`).to.equal(true);
    const sqlite = [...new Set(service!.output.join('').match(/SQLITE_[A-Z_]+/g) ?? [])].join(', ');
    return { refused, answers: [bulk.body.error!.message, one.body.error!.message], notes: `SQLite said ${sqlite || 'nothing logged'}; /ready answered ${ready.status} ${String(ready.body.status ?? ready.body.error?.code)} meanwhile` };
  };

  /** badge_notary_failures_total{component="batching",kind="other"}: failed steps that were not the chain's. */
  const storeFailures = async () => {
    const text = String((await call(service!.url, 'GET', '/metrics')).body.text ?? '');
    return Number(/^badge_notary_failures_total\{component="batching",kind="other"\} (\d+)/m.exec(text)?.[1] ?? 0);
  };

  /** After the fault: the database is sound and holds every row it held, unchanged. */
  const checkDatabase = (databasePath: string, stored: StoredRows) => {
    const db = new Database(databasePath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      const now = readRows(db);
      expect(now.credentials).to.deep.equal(stored.credentials);
      expect(now.batches.map(({ state: _state, tx_hash: _tx, ...rest }) => rest))
        .to.deep.equal(stored.batches.map(({ state: _state, tx_hash: _tx, ...rest }) => rest));
      expect(now.batches[0]).to.deep.equal(stored.batches[0]);
    } finally {
      db.close();
    }
  };

  it('full (tmpfs, ENOSPC): 503 without acknowledging; stored data intact; works again once space is freed', async function () {
    scratch = mountPoint = mkdtempSync(join(tmpdir(), 'badge-notary-full-disk-'));
    run('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mountPoint]);
    const dataDir = join(mountPoint, 'data');
    const { apiKey, acknowledged, stored } = await beforeTheFault(dataDir);

    const filler = fillDisk(mountPoint);
    const fault = await duringTheFault(apiKey, acknowledged, ['full']);
    unlinkSync(filler.path);

    // Lifted, the same service takes the refused credentials and anchors everything.
    acknowledged.push(...(await submit(service!, apiKey, 1, fault.refused)));
    const figures = await auditRun(bench, service!, acknowledged, { member: 1 });
    expect(await service!.stop(), 'a clean stop').to.equal(0);
    service = undefined;
    const databasePath = join(dataDir, 'notary.sqlite');
    const db = new Database(databasePath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
      const now = readRows(db);
      expect(now.credentials.map((row) => row.digest).sort()).to.deep.equal(acknowledged.map((item) => item.digest).sort());
      for (const row of stored.credentials)
        expect(now.credentials.find((c) => c.digest === row.digest)).to.deep.include({ artifact: row.artifact, received_at: row.received_at });
      expect(now.batches[0]).to.deep.equal(stored.batches[0]);
    } finally {
      db.close();
    }
    rows.push({ fault: 'disk full (tmpfs ENOSPC)', injected: 1, ...figures, notes: `filled with ${(filler.bytes / 1048576).toFixed(1)} MiB; ${fault.notes}; intake said "${fault.answers[0]}"` });
  });

  it('read-only (ext4 remounted read-only after an error): 503 without acknowledging; after e2fsck and a restart, all is there', async function () {
    const sysfs = '/sys/fs/ext4';
    if (!existsSync(sysfs)) {
      console.log(`      skipped: ${sysfs} is missing: this kernel has no ext4 to make read-only`);
      this.skip();
    }
    scratch = mkdtempSync(join(tmpdir(), 'badge-notary-ro-disk-'));
    const disk = join(scratch, 'disk.img');
    const mnt = (mountPoint = join(scratch, 'mnt'));
    mkdirSync(mnt);
    run('truncate', ['-s', '64M', disk]);
    run('mkfs.ext4', ['-q', '-F', disk]);
    const mount = () => run('mount', ['-o', 'loop,errors=remount-ro', disk, mnt]);
    mount();
    const dataDir = join(mnt, 'data');
    const { apiKey, acknowledged, stored } = await beforeTheFault(dataDir);

    const device = basename(run('findmnt', ['-no', 'SOURCE', mnt]).trim());
    writeFileSync(join(sysfs, device, 'trigger_fs_error'), '1');
    expect(() => writeFileSync(join(mnt, 'probe'), 'x')).to.throw(/EROFS/);
    const fault = await duringTheFault(apiKey, acknowledged, ['read-only', 'io']);

    // Lifting it: stop the service, check and repair the file system, mount it again, start the service.
    const code = await service!.stop();
    service = undefined;
    unmount(mnt);
    let fsck: string;
    try {
      fsck = run('e2fsck', ['-f', '-y', disk]);
    } catch (error) {
      // Exit status 1: errors were corrected (the error the test triggered); more is a failure.
      if ((error as { status?: number }).status !== 1) throw error;
      fsck = 'corrected';
    }
    mount();
    checkDatabase(join(dataDir, 'notary.sqlite'), stored);

    service = await startKillableService(bench.serviceEnv(1, dataDir, { BADGE_NOTARY_BATCH_MAX_SIZE: '4' }));
    acknowledged.push(...(await submit(service, apiKey, 1, fault.refused)));
    const figures = await auditRun(bench, service, acknowledged, { member: 1 });
    rows.push({
      fault: 'disk read-only (ext4 errors=remount-ro)',
      injected: 1,
      ...figures,
      notes: `${fault.notes}; service stopped with exit code ${code}; e2fsck: ${fsck.split('\n')[0] || 'clean'}; intake said "${fault.answers[0]}"`,
    });
  });
});
