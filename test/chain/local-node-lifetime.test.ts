// The embedded Hardhat node never outlives the process that started it, however that process ends: a SIGKILL,
// an uncaught exception, or stop(). Each parent is a real Node process running startLocalNode from the sources;
// the checks look only at the processes it started (other nodes may run on the machine at the same time).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startLocalNode } from '../../service/chain/local-node';
import { isRunning, killSurvivors, portIsFree, processGroupMembers, processTree, waitForFreePort, waitUntilEnded } from '../support/process-tree';

const projectRoot = join(__dirname, '..', '..');

interface NodeParent {
  /** The parent process. */
  pid: number;
  /** What its startLocalNode returned. */
  node: { pid: number; port: number };
  /** What `whenStarted` made the parent do once the node answered. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a Node process that starts a local node, prints its pid and port as one JSON line, then runs
 * `whenStarted` (JavaScript, with `node` in scope). Its own process group, so that no signal the test sends
 * reaches the test.
 */
async function startNodeParent(whenStarted: string): Promise<NodeParent> {
  const script = [
    "const { startLocalNode } = require('./service/chain/local-node');",
    'startLocalNode().then((node) => {',
    '  console.log(JSON.stringify({ pid: node.pid, port: node.port }));',
    `  ${whenStarted}`,
    '});',
  ].join('\n');
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const node = await new Promise<{ pid: number; port: number }>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^\{"pid".*\}$/m.exec(output);
      if (line) resolve(JSON.parse(line[0]) as { pid: number; port: number });
    });
    void exit.then(({ code, signal }) => reject(new Error(`the parent ended (${code ?? signal}) before its node answered:\n${output}`)));
  });
  return { pid: child.pid!, node, exit };
}

describe('the local Hardhat node ends with the process that started it', function () {
  this.timeout(120_000);
  // Every process a test started, killed after it whatever its outcome, so that a failing test leaks nothing.
  let started: number[] = [];
  afterEach(function () {
    killSurvivors(started);
    started = [];
  });

  /** Starts a parent, checks its node runs, runs `end` on it, and checks the node's processes all end within 10 s. */
  async function expectNodeEndsWith(whenStarted: string, end: (parent: NodeParent) => void | Promise<void>): Promise<void> {
    const parent = await startNodeParent(whenStarted);
    // The node's whole process group and anything under it (the Hardhat process itself, not only a leader).
    const nodeProcesses = [...new Set([...processGroupMembers(parent.node.pid), ...processTree(parent.node.pid)])];
    started.push(parent.pid, ...nodeProcesses);
    expect(nodeProcesses.filter(isRunning), 'the node runs while its parent does').to.include(parent.node.pid);
    expect(await portIsFree(parent.node.port), 'the node holds its port').to.equal(false);

    await end(parent);

    const tookMs = await waitUntilEnded(nodeProcesses, 10_000);
    // Also any process of the node's group that appeared after the list above was taken.
    expect(processGroupMembers(parent.node.pid).filter(isRunning), `running in the node's process group ${parent.node.pid}`).to.deep.equal([]);
    const portFreeMs = await waitForFreePort(parent.node.port, 5_000);
    console.log(`      (the node’s ${nodeProcesses.length} process(es) ended within ${tookMs} ms of their parent; its port was free ${portFreeMs} ms after that)`);
  }

  it('a parent killed with SIGKILL (no handler of it runs) takes its node with it, and the port is free', async function () {
    await expectNodeEndsWith('setInterval(() => undefined, 1000);', async (parent) => {
      process.kill(parent.pid, 'SIGKILL');
      expect((await parent.exit).signal).to.equal('SIGKILL');
    });
  });

  it('a parent that crashes on an uncaught exception takes its node with it', async function () {
    await expectNodeEndsWith("setTimeout(() => { throw new Error('a crash in the parent'); }, 10);", async (parent) => {
      expect((await parent.exit).code).to.equal(1);
    });
  });

  it('stop() ends every process of the node before it resolves', async function () {
    const node = await startLocalNode();
    const nodeProcesses = processGroupMembers(node.pid);
    started.push(...nodeProcesses);
    expect(nodeProcesses.filter(isRunning)).to.include(node.pid);
    await node.stop();
    expect(nodeProcesses.filter(isRunning), 'running after stop()').to.deep.equal([]);
    expect(await portIsFree(node.port)).to.equal(true);
  });
});
