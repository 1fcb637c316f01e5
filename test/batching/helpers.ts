// Shared set-up of the batching tests: the registry on Hardhat's in-process network, reached through a plain
// ethers JSON-RPC provider (BrowserProvider over the network's EIP-1193 interface, like a JsonRpcProvider
// over HTTP), the store in a temporary directory (SQLite, or PostgreSQL when the suite runs again on it:
// test/support/service-store.ts), and a clock the test moves by hand.
import hre from 'hardhat';
import { mine } from '@nomicfoundation/hardhat-network-helpers';
import { BrowserProvider, Wallet, ZeroHash, hexlify, randomBytes, type Eip1193Provider } from 'ethers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfederationRegistry__factory, type ConfederationRegistry } from '../../typechain-types';
import { EthersAnchorGateway } from '../../service/chain/anchor-gateway';
import { Anchorer, Batcher, type AnchorerOptions, type NotaryObserver } from '../../service/batching';
import type { Batch, NewCredential, NotaryStore } from '../../service/store';
import { openServiceStore } from '../support/service-store';
import { wellKnownAccount } from '../support/well-known-accounts';

/** Hardhat's well-known accounts used here: 0 deploys, 1 and 2 control the founders, 10 and 11 notarise. */
export const deployerAccount = () => wellKnownAccount(0);
export const controllerAccount = (founder: 1 | 2) => wellKnownAccount(founder);
export const notaryAccount = () => wellKnownAccount(10);
export const otherNotaryAccount = () => wellKnownAccount(11);

export const ISSUER_DID = 'did:web:founder1.example.org';

/** A clock the test moves: milliseconds, starting at a fixed time. */
export class ManualClock {
  constructor(public now = 1_750_000_000_000) {}
  readonly read = () => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** A plain ethers JSON-RPC provider over the in-process Hardhat network; nothing cached between calls. */
export function jsonRpcProvider(): BrowserProvider {
  return new BrowserProvider(hre.network.provider as Eip1193Provider, undefined, { cacheTimeout: -1 });
}

export async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  return hre.network.provider.send(method, params);
}

/** Deploys the registry with one founder (or two, when a suspension needs a second voter), quorum 1, and
 * authorises the notary (and a second notary) for member 1. */
async function deployRegistry(founders: 1 | 2) {
  const provider = jsonRpcProvider();
  const deployer = deployerAccount().connect(provider);
  const controllers = [controllerAccount(1), controllerAccount(2)].slice(0, founders).map((a) => new Wallet(a.privateKey, provider));
  const records = controllers.map((c, i) => ({
    did: `did:web:founder${i + 1}.example.org`,
    controller: c.address,
    role: 1,
    metadataURI: '',
    metadataHash: ZeroHash,
  }));
  const contract = await new ConfederationRegistry__factory(deployer).deploy(records, 1);
  const deployment = await contract.deploymentTransaction()!.wait();
  const address = await contract.getAddress();
  const asController = ConfederationRegistry__factory.connect(address, controllers[0]);
  await (await asController.authoriseNotary(1, notaryAccount().address)).wait();
  await (await asController.authoriseNotary(1, otherNotaryAccount().address)).wait();
  return { address, deploymentBlock: deployment!.blockNumber, deploymentBlockHash: deployment!.blockHash };
}

export const oneFounderRegistry = () => deployRegistry(1);
export const twoFounderRegistry = () => deployRegistry(2);

export interface TestEnv {
  directory: string;
  store: NotaryStore;
  clock: ManualClock;
  provider: BrowserProvider;
  registry: ConfederationRegistry;
  registryAddress: string;
  deploymentBlock: number;
  gateway: EthersAnchorGateway;
  /** A new gateway (as a restarted process would make). */
  newGateway(): EthersAnchorGateway;
  /** Closes the store and opens it again on its database, as a restarted process would. */
  reopenStore(): Promise<NotaryStore>;
  /** Runs one statement on the notary's database (`?` for each parameter), behind the service's back. */
  sql(statement: string, params?: unknown[]): Promise<void>;
  batcher(options?: { maxSize?: number; maxAgeMs?: number }): Batcher;
  anchorer(options?: Partial<AnchorerOptions>): Anchorer;
  /** Queues `count` credentials with random digests; returns the digests. */
  queue(count: number, receivedAt?: number): Promise<string[]>;
  /** Seals everything queued into one batch now. */
  sealAll(): Promise<Batch>;
  /** How many RootAnchored events the registry emitted for `root`. */
  anchorEvents(root: string): Promise<number>;
  close(): Promise<void>;
}

export async function makeEnv(deployed: { address: string; deploymentBlock: number; deploymentBlockHash: string }): Promise<TestEnv> {
  const directory = mkdtempSync(join(tmpdir(), 'badge-notary-batching-'));
  const opened = await openServiceStore(directory);
  const provider = jsonRpcProvider();
  const clock = new ManualClock();
  const registry = ConfederationRegistry__factory.connect(deployed.address, provider);
  const newGateway = () =>
    new EthersAnchorGateway({
      provider,
      wallet: new Wallet(notaryAccount().privateKey, provider),
      registry: deployed.address,
      fromBlock: deployed.deploymentBlock,
    });
  const env: TestEnv = {
    directory,
    store: opened.store,
    clock,
    provider,
    registry,
    registryAddress: deployed.address,
    deploymentBlock: deployed.deploymentBlock,
    gateway: newGateway(),
    newGateway,
    async reopenStore() {
      env.store = await opened.reopen();
      return env.store;
    },
    sql: (statement, params) => opened.sql(statement, params),
    batcher: (options = {}) =>
      new Batcher({ store: env.store, maxSize: options.maxSize ?? 1000, maxAgeMs: options.maxAgeMs ?? 60_000, clock: clock.read }),
    anchorer: (options = {}) =>
      new Anchorer({ store: env.store, gateway: env.gateway, clock: clock.read, confirmations: 1, ...options }),
    async queue(count, receivedAt = clock.now) {
      const credentials: NewCredential[] = Array.from({ length: count }, () => ({
        digest: hexlify(randomBytes(32)),
        memberId: 1,
        issuerDid: ISSUER_DID,
        keyHash: ZeroHash,
        format: 'vc-jwt',
        artifact: 'eyJ0eXAiOiJKV1QifQ.e30.c2ln',
        submittedBy: 'test-client',
        receivedAt,
      }));
      await env.store.credentials.insertMany(credentials);
      return credentials.map((c) => c.digest);
    },
    async sealAll() {
      const [batch] = await new Batcher({ store: env.store, maxSize: 1_000_000, maxAgeMs: 0, clock: clock.read }).tick();
      if (!batch) throw new Error('nothing was queued to seal');
      return batch;
    },
    async anchorEvents(root) {
      return (await registry.queryFilter(registry.filters.RootAnchored(root), 0, 'latest')).length;
    },
    async close() {
      await opened.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  await env.store.chainBinding.bind(
    { chainId: 31337, registry: deployed.address, deploymentBlock: deployed.deploymentBlock, deploymentBlockHash: deployed.deploymentBlockHash },
    clock.now,
  );
  return env;
}

/**
 * Ticks until `done()` holds, mining one block and moving the clock one second between ticks (the chain and
 * time go on). Fails, saying where every batch stands, when it takes more than `maxTicks` ticks.
 */
export async function tickUntil(env: TestEnv, anchorer: Anchorer, done: () => boolean | Promise<boolean>, maxTicks = 20): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    await anchorer.tick();
    if (await done()) return;
    await mine();
    env.clock.advance(1_000);
  }
  const batches = (await env.store.batches.list({ limit: 20 })).map((b) => `${b.id}:${b.state}${b.lastError ? ` (${b.lastError})` : ''}`);
  throw new Error(`not done after ${maxTicks} ticks; batches: ${batches.join(', ')}`);
}

export const allFinal = (env: TestEnv) => async () => {
  const counts = await env.store.batches.countByState();
  return counts.sealed + counts.submitted + counts.confirmed === 0 && counts.final > 0;
};

/** An observer that keeps every event, for assertions. */
export function recordingObserver() {
  const events = { sealed: [] as unknown[], transitions: [] as Parameters<Required<NotaryObserver>['transition']>[0][], failures: [] as Parameters<Required<NotaryObserver>['failure']>[0][], latencies: [] as number[] };
  const observer: NotaryObserver = {
    sealed: (e) => events.sealed.push(e),
    transition: (e) => events.transitions.push(e),
    failure: (e) => events.failures.push(e),
    anchorLatency: (e) => events.latencies.push(e.latencyMs),
  };
  return { events, observer };
}
