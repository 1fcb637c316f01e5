import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, HARDHAT_WELL_KNOWN_MNEMONIC, stopProcessGroup } from '../../service/chain/local-node';

const projectRoot = join(__dirname, '..', '..');

/**
 * A Ganache node (the `ganache` package: another EVM implementation than Hardhat's, on @ethereumjs) as its own
 * process on a free loopback port, with Hardhat's well-known accounts, so `wellKnownAccount(i)` holds funds.
 */
export interface GanacheNode {
  rpcUrl: string;
  pid: number;
  /** Ganache's default chain id. */
  chainId: 1337;
  /** SIGTERM to its process group (SIGKILL after 5 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/** `hardfork`: one of Ganache's, e.g. 'shanghai' (its newest: no MCOPY) or 'byzantium' (no SHL/SHR). */
export async function startGanache(hardfork: string, timeoutMs = 90_000): Promise<GanacheNode> {
  const port = await freePort();
  const args = ['--server.host', '127.0.0.1', '--server.port', String(port), '--chain.hardfork', hardfork];
  args.push('--wallet.mnemonic', HARDHAT_WELL_KNOWN_MNEMONIC, '--logging.quiet');
  const child = spawn(join(projectRoot, 'node_modules', '.bin', 'ganache'), args, {
    cwd: projectRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.length < 100 && output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.length < 100 && output.push(chunk.toString()));
  const stop = () => stopProcessGroup(child);

  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ganache exited with code ${child.exitCode}:\n${output.join('')}`);
    try {
      const response = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`ganache did not answer at ${rpcUrl} within ${timeoutMs} ms:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { rpcUrl, pid: child.pid!, chainId: 1337, stop };
}
