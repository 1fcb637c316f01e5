// service/chain/end-with-parent.js on its own, preloaded into a small Node process instead of a Hardhat node:
// each of its two signs that the parent is gone ends the process by itself, and stdin that is no pipe is left alone.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sleep, waitFor } from '../support/killable-service';
import { isRunning, killSurvivors, waitUntilEnded } from '../support/process-tree';

const PRELOAD = join(__dirname, '..', '..', 'service', 'chain', 'end-with-parent.js');
/** A process that would run for ever: only the preload can end it. */
const FOREVER = 'setInterval(() => undefined, 1000);';

/** How the child ended, once its output has been read too ('exit' may come before the last of it). */
function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
}

/** Resolves once every writer of the stream's pipe has closed it and all it carried has been read. */
function endOf(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve) => stream.once('end', () => resolve()));
}

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

describe('end-with-parent.js: a preloaded process ends when its parent is gone', function () {
  this.timeout(30_000);
  let started: number[] = [];
  afterEach(function () {
    killSurvivors(started);
    started = [];
  });

  it('ends, exit code 0, when its stdin pipe closes, with a line saying why', async function () {
    const child = spawn(process.execPath, ['--require', PRELOAD, '-e', FOREVER], { stdio: ['pipe', 'ignore', 'pipe'] });
    started.push(child.pid!);
    const stderr = collect(child.stderr!);
    const exit = exitOf(child);
    await sleep(300);
    expect(isRunning(child.pid!), 'runs while its stdin is open').to.equal(true);

    child.stdin!.end();

    expect(await exit).to.deep.equal({ code: 0, signal: null });
    expect(stderr()).to.include(`the process that started this node (PID ${process.pid}) is gone (its end of our stdin closed)`);
  });

  it('ends when its parent dies even though another process keeps its stdin pipe open (its parent PID changed)', async function () {
    // A middle process (killed below) is the preloaded process's parent and holds its stdin's write end; a holder
    // process, started by the middle with that same end as its own stdin, keeps the pipe open after the middle dies.
    const middleScript = [
      "const { spawn } = require('node:child_process');",
      `const preloaded = spawn(process.execPath, ['--require', ${JSON.stringify(PRELOAD)}, '-e', ${JSON.stringify(`console.error('running'); ${FOREVER}`)}], { stdio: ['pipe', 'ignore', 'inherit'] });`,
      `const holder = spawn(process.execPath, ['-e', ${JSON.stringify(FOREVER)}], { stdio: [preloaded.stdin, 'ignore', 'ignore'] });`,
      'console.log(JSON.stringify({ preloaded: preloaded.pid, holder: holder.pid }));',
      FOREVER,
    ].join('\n');
    const middle = spawn(process.execPath, ['-e', middleScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(middle.pid!);
    const stdout = collect(middle.stdout!);
    const stderr = collect(middle.stderr!);
    const stderrEnded = endOf(middle.stderr!);
    const pids = await waitFor('the middle process’s children', () => (/^\{.*\}$/m.exec(stdout()) ? (JSON.parse(stdout()) as { preloaded: number; holder: number }) : undefined), {
      timeoutMs: 10_000,
    });
    started.push(pids.preloaded, pids.holder);
    // Killed before the preload has run, the middle would leave a process whose parent was never the middle.
    await waitFor('the preloaded process to run its script', () => (stderr().includes('running') ? true : undefined), { timeoutMs: 10_000 });

    middle.kill('SIGKILL');

    const tookMs = await waitUntilEnded([pids.preloaded], 5_000);
    // The preloaded process wrote its last line into the pipe it shared with the middle: read to its end.
    await stderrEnded;
    expect(stderr(), stderr()).to.match(new RegExp(`\\(PID ${middle.pid}\\) is gone \\(our parent is now PID \\d+\\)`));
    expect(isRunning(pids.holder), 'the holder of the pipe runs on').to.equal(true);
    console.log(`      (ended ${tookMs} ms after its parent was killed; the poll is every 500 ms)`);
  });

  it('leaves a stdin that is no pipe alone (/dev/null would end at once): the process keeps running', async function () {
    const child = spawn(process.execPath, ['--require', PRELOAD, '-e', FOREVER], { stdio: ['ignore', 'ignore', 'pipe'] });
    started.push(child.pid!);
    const stderr = collect(child.stderr!);
    await sleep(1_500);
    expect(isRunning(child.pid!), stderr()).to.equal(true);
    expect(stderr()).to.equal('');
  });
});
