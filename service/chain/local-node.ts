import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A Hardhat JSON-RPC node process on loopback, started and stopped by this project. */
export interface LocalNode {
  rpcUrl: string;
  port: number;
  pid: number;
  /** Stops the node by its PID (its whole process group) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartLocalNodeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Where the project is (for node_modules/.bin/hardhat). */
  projectRoot?: string;
  /** How long to wait for the node to answer JSON-RPC. */
  timeoutMs?: number;
  /** Receives the node's own output (by default it is discarded). */
  log?: (line: string) => void;
}

/** Hardhat's default accounts come from this mnemonic: well known, for local chains only. */
export const HARDHAT_WELL_KNOWN_MNEMONIC = 'test test test test test test test test test test test junk';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startLocalNode(options: StartLocalNodeOptions = {}): Promise<LocalNode> {
  // The checkout holding hardhat.config.ts: two folders up from this source, three from its build in dist/.
  const projectRoot = options.projectRoot ?? [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')].find((dir) => existsSync(join(dir, 'hardhat.config.ts')))!;
  const port = options.port || (await freePort());
  // The file npx hardhat runs, by its real path: given the .bin link, with a preload from this checkout, Node 20
  // looked for hardhat's modules beside the link and did not start.
  const hardhat = realpathSync(join(projectRoot, 'node_modules', '.bin', 'hardhat'));
  // end-with-parent.js (it says why a preload) makes the node exit when this process is gone, however it ends:
  // stdin is the pipe it watches, held open here and never written to.
  const child = spawn(process.execPath, ['--require', join(__dirname, 'end-with-parent.js'), hardhat, 'node', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: projectRoot,
    // Its own process group, so that stop() ends the node and anything it started.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true' },
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      if (output.length < 200) output.push(line);
      options.log?.(line);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const rpcUrl = `http://127.0.0.1:${port}`;
  const node: LocalNode = { rpcUrl, port, pid: child.pid!, stop: () => stopProcessGroup(child) };
  try {
    await waitForRpc(rpcUrl, child, options.timeoutMs ?? 60_000);
  } catch (error) {
    await node.stop();
    throw new Error(`${(error as Error).message}\n${output.slice(-20).join('\n')}`);
  }
  return node;
}

async function waitForRpc(rpcUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Hardhat node exited with ${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode}`);
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Hardhat node did not answer at ${rpcUrl} within ${timeoutMs} ms`);
}

/** SIGTERM to the child's process group (it was spawned detached), SIGKILL after 5 s; resolves once it has exited. */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
