// Issue #17, points 7, 10 and 13, with `npm start` (scripts/start.ts) as its own process on free ports:
// the data directory is private to the service's user, a second instance on the same ports or data directory
// changes nothing and says why, and a restart moves the old demo receipt aside with the old database.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../service/chain/local-node';
import { startKillableService, type KillableService } from '../support/killable-service';
import { killSurvivors, processTree, waitUntilEnded } from '../support/process-tree';
import { runStartScript } from '../support/run-node-script';

/** Every file and directory under `root`, with its permission bits. */
function modesUnder(root: string): Map<string, number> {
  const modes = new Map<string, number>([['.', statSync(root).mode & 0o777]]);
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    modes.set(path.slice(root.length + 1), statSync(path).mode & 0o777);
  }
  return modes;
}

/** The bytes of every file the running instance keeps in `dataDir`, by name. */
function filesOf(dataDir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['notary.sqlite', 'deployment.json', 'demo-api-key', 'demo-badge.jwt', 'demo-issuer-key.json', 'notary.lock']) {
    const path = join(dataDir, name);
    if (existsSync(path)) files[name] = readFileSync(path).toString('base64');
  }
  files.listing = readdirSync(dataDir, { recursive: true }).map(String).sort().join(',');
  return files;
}

describe('end to end: npm start’s data directory and a second instance (issue #17)', function () {
  this.timeout(300_000);
  let directory: string;
  let dataDir: string;
  let env: Record<string, string>;
  let first: KillableService | undefined;
  let port: string;
  // The processes each instance started (the service and, below it, its chain node), so that the test can
  // check it leaves none of its own behind, whatever else runs on the machine.
  const instanceProcesses: number[][] = [];
  /** Starts an instance, waits for its banner's last line (the demo files are written once it listens), notes its processes. */
  const startInstance = async () => {
    const instance = await startKillableService(env);
    for (let i = 0; i < 100 && !instance.output.join('').includes('Stop with Ctrl-C'); i++) await new Promise((done) => setTimeout(done, 100));
    instanceProcesses.push(processTree(instance.pid));
    return instance;
  };

  before(async function () {
    process.umask(0o022);
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-start-'));
    dataDir = join(directory, 'data');
    env = { BADGE_NOTARY_DATA_DIR: dataDir, BADGE_NOTARY_NODE_PORT: String(await freePort()) };
    first = await startInstance();
    port = new URL(first.url).port;
  });
  after(async function () {
    await first?.stop();
    killSurvivors(instanceProcesses.flat());
    rmSync(directory, { recursive: true, force: true });
  });

  it('runs its chain node as a process of its own, below the service', function () {
    expect(instanceProcesses[0]!.length, 'the service and its node').to.be.greaterThan(1);
  });

  it('prints health at /health and readiness at /ready', function () {
    const banner = first!.output.join('');
    expect(banner).to.include(`health ${first!.url}/health `).and.include(`ready ${first!.url}/ready `);
  });

  it('creates the data directory 0700 and every file in it 0600, the database’s -wal and -shm too', function () {
    const modes = modesUnder(dataDir);
    for (const name of ['notary.sqlite', 'notary.sqlite-wal', 'notary.sqlite-shm', 'deployment.json', 'demo-api-key', 'demo-badge.jwt', 'demo-issuer-key.json']) {
      expect(modes.has(name), name).to.equal(true);
    }
    for (const [name, mode] of modes) {
      const directoryEntry = statSync(join(dataDir, name)).isDirectory();
      expect(mode.toString(8), name).to.equal(directoryEntry ? '700' : '600');
    }
  });

  const second = (overrides: Record<string, string>) => runStartScript({ ...env, BADGE_NOTARY_LOG_LEVEL: 'warn', ...overrides });

  it('a second instance on the same ports and data directory exits non-zero, naming the port, and changes nothing', async function () {
    const before = filesOf(dataDir);
    const result = await second({ BADGE_NOTARY_PORT: port });
    expect(filesOf(dataDir), 'the first instance’s files').to.deep.equal(before);
    expect(result.code, result.stdout + result.stderr).to.equal(2);
    expect(result.stderr).to.match(new RegExp(`port ${port} on 127\\.0\\.0\\.1, for the HTTP API, is taken.*BADGE_NOTARY_PORT`));
    expect((await fetch(`${first!.url}/ready`)).status, 'the first still serves').to.equal(200);
  });

  it('a second instance on free ports but the same data directory exits non-zero on the directory’s lock, and changes nothing', async function () {
    const before = filesOf(dataDir);
    const result = await second({ BADGE_NOTARY_PORT: String(await freePort()), BADGE_NOTARY_NODE_PORT: String(await freePort()) });
    expect(result.code, result.stdout + result.stderr).to.equal(2);
    expect(result.stderr).to.include(`the data directory ${dataDir} is in use by process`).and.include('BADGE_NOTARY_DATA_DIR');
    expect(filesOf(dataDir)).to.deep.equal(before);
    expect((await fetch(`${first!.url}/ready`)).status).to.equal(200);
  });

  it('a second instance with its own data directory but the first’s chain port fails before creating anything', async function () {
    const otherDir = join(directory, 'other');
    const result = await second({ BADGE_NOTARY_PORT: String(await freePort()), BADGE_NOTARY_DATA_DIR: otherDir });
    expect(result.code, result.stdout + result.stderr).to.equal(2);
    expect(result.stderr).to.include('for the local chain, is taken').and.include('BADGE_NOTARY_NODE_PORT');
    expect(existsSync(otherDir)).to.equal(false);
    expect((await fetch(`${first!.url}/ready`)).status).to.equal(200);
  });

  it('a restart moves the old demo receipt aside with the old database, so the printed verify command is for the new badge', async function () {
    const receipt = join(dataDir, 'demo-badge.jwt.receipt.json');
    writeFileSync(receipt, '{"the": "receipt of the first start’s badge"}\n');
    expect(await first!.stop()).to.equal(0);
    first = undefined;
    expect(existsSync(join(dataDir, 'notary.lock')), 'the lock is given back on stop').to.equal(false);
    await waitUntilEnded(instanceProcesses[0]!, 5_000);
    first = await startInstance();
    expect(existsSync(receipt)).to.equal(false);
    const previous = readdirSync(join(dataDir, 'previous'));
    expect(previous.some((name) => name.endsWith('.sqlite'))).to.equal(true);
    const moved = previous.find((name) => name.endsWith('.jwt.receipt.json'));
    expect(moved, previous.join(', ')).to.not.equal(undefined);
    expect(readFileSync(join(dataDir, 'previous', moved!), 'utf8')).to.include('first start');
    expect(statSync(join(dataDir, 'previous')).mode & 0o777).to.equal(0o700);
  });

  it('stopped with SIGTERM, leaves none of the processes it started running: its chain node ends with it', async function () {
    expect(await first!.stop()).to.equal(0);
    first = undefined;
    for (const processes of instanceProcesses) await waitUntilEnded(processes, 5_000);
  });
});
