// `npm start` (scripts/start.ts, its own process) never leaves its local chain's node behind: killed with
// SIGKILL when it runs, or stopped with SIGTERM while it is still starting. Only the processes this test started
// are checked (other engineers' nodes run on the same machine).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../service/chain/local-node';
import { sleep, startKillableService, waitFor } from '../support/killable-service';
import { killSurvivors, processTree, waitForFreePort, waitUntilEnded } from '../support/process-tree';
import { startScriptCommand, storeUnderTestEnv } from '../support/run-node-script';

const projectRoot = join(__dirname, '..', '..');

/** The process below `root` that runs the Hardhat node on `port`, if there is one. */
function nodeBelow(root: number, port: string): number | undefined {
  return processTree(root).find((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args.some((arg) => arg.includes('hardhat')) && args.includes('node') && args.includes(port);
    } catch {
      return false; // ended meanwhile
    }
  });
}

describe('end to end: npm start’s local chain node ends with the service', function () {
  this.timeout(300_000);
  let directory: string;
  let started: number[] = [];
  const environment = async () => ({
    BADGE_NOTARY_DATA_DIR: join(directory, `data-${started.length}`),
    BADGE_NOTARY_NODE_PORT: String(await freePort()),
    BADGE_NOTARY_LOG_LEVEL: 'warn',
  });

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-start-stop-'));
  });
  afterEach(function () {
    killSurvivors(started);
    started = [];
    rmSync(directory, { recursive: true, force: true });
  });

  it('killed with SIGKILL (no handler runs), the service takes its chain node with it and the node’s port is free', async function () {
    const env = await environment();
    const service = await startKillableService(env);
    const processes = processTree(service.pid);
    started.push(...processes);
    expect(nodeBelow(service.pid, env.BADGE_NOTARY_NODE_PORT), 'the chain node runs below the service').to.not.equal(undefined);

    await service.kill();

    const tookMs = await waitUntilEnded(processes, 10_000);
    const portFreeMs = await waitForFreePort(Number(env.BADGE_NOTARY_NODE_PORT), 5_000);
    console.log(`      (the service's ${processes.length - 1} process(es) below it ended within ${tookMs} ms of its SIGKILL; the node's port was free ${portFreeMs} ms after that)`);
  });

  it('sent SIGTERM while it starts (its chain node up, the API not yet), it finishes starting, stops everything, frees its lock and exits 0', async function () {
    const env = await environment();
    const start = startScriptCommand();
    const child = spawn(start.command, start.args, {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(await storeUnderTestEnv(env)), ...env, BADGE_NOTARY_PORT: String(await freePort()) },
    });
    started.push(child.pid!);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

    // The moment the node process appears the service is still starting: the node needs seconds to answer,
    // then the registry is deployed, and only then the API listens.
    const node = await waitFor('the chain node below the starting service', () => nodeBelow(child.pid!, env.BADGE_NOTARY_NODE_PORT), { timeoutMs: 90_000, intervalMs: 20 });
    const processes = processTree(child.pid!);
    started.push(...processes);
    expect(output, 'not started yet').to.not.include('badge-notary is running');
    process.kill(child.pid!, 'SIGTERM');

    const ended = await Promise.race([exit, sleep(120_000).then(() => undefined)]);
    expect(ended, `exit after SIGTERM:\n${output}`).to.deep.equal({ code: 0, signal: null });
    expect(output).to.include('SIGTERM: stopping once the start under way has finished');
    await waitUntilEnded([...processes, node], 5_000);
    expect(existsSync(join(env.BADGE_NOTARY_DATA_DIR, 'notary.lock')), 'the data directory’s lock is given back').to.equal(false);
  });
});
