// Shared set-up of the fault tests: a real `hardhat node` with the registry (test/support/notary-network),
// a JSON-RPC proxy of our own between it and the service (test/support/rpc-proxy), the service as its own
// process (test/support/killable-service), badges signed by registered member keys, and the audits every
// fault test ends with: each acknowledged credential's receipt verified against the chain with verifyBadge,
// anchor transactions and RootAnchored events counted per root, every batch final.
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, type TransactionResponse } from 'ethers';
import { memberJwt } from '../../service/cli/service-commands';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import type { Receipt } from '../../service/merkle';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { verifyBadge } from '../../service/verify';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { call, waitFor, type KillableService } from '../support/killable-service';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { RpcProxy } from '../support/rpc-proxy';
import { wellKnownAccount } from '../support/well-known-accounts';

export const DIDS = { 1: 'did:web:school-a.example', 2: 'did:web:ngo-b.example' } as const;
export type Member = 1 | 2;

/** The notary accounts: 9 is member 1's (startNotaryNetwork), 8 is authorised for member 2 by the fault tests that need it. */
export const NOTARY_ACCOUNT: Record<Member, number> = { 1: 9, 2: 8 };

/** A node with the registry, the proxy in front of it, a work directory, and member keys registered. */
export interface FaultBench {
  network: NotaryNetwork;
  proxy: RpcProxy;
  /** Straight to the node, never through the proxy: the test's own view of the chain. */
  provider: JsonRpcProvider;
  directory: string;
  keys: Record<Member, IssuerKey>;
  deploymentFile: string;
  /** A JSON-RPC call straight to the node (evm_mine, evm_snapshot, ...). */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** BADGE_NOTARY_* variables of a service on this chain, through the proxy, anchoring for `member`. */
  serviceEnv(member: Member, dataDir: string, extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startFaultBench(options: { notaryForMember2?: boolean; directory?: string } = {}): Promise<FaultBench> {
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), 'badge-notary-faults-'));
  const network = await startNotaryNetwork();
  const keys: Record<Member, IssuerKey> = { 1: generateIssuerKey({ type: 'Ed25519' }), 2: generateIssuerKey({ type: 'P-256' }) };
  let proxy: RpcProxy | undefined;
  const provider = new JsonRpcProvider(network.node.rpcUrl, undefined, { cacheTimeout: -1, staticNetwork: true });
  try {
    await (await network.as(0).registerKey(1, keys[1].keyHash, 0, 0)).wait();
    await (await network.as(1).registerKey(2, keys[2].keyHash, 0, 0)).wait();
    if (options.notaryForMember2) await (await network.as(1).authoriseNotary(2, wellKnownAccount(NOTARY_ACCOUNT[2]).address)).wait();
    proxy = await RpcProxy.start(network.node.rpcUrl);
  } catch (error) {
    provider.destroy();
    await network.stop();
    throw error;
  }
  const deploymentFile = join(directory, 'deployment.json');
  network.writeRecord(deploymentFile);
  const bench: FaultBench = {
    network,
    proxy,
    provider,
    directory,
    keys,
    deploymentFile,
    rpc: (method, params = []) => provider.send(method, params),
    serviceEnv: (member, dataDir, extra = {}) => ({
      BADGE_NOTARY_RPC_URL: proxy!.url,
      BADGE_NOTARY_DEPLOYMENT: deploymentFile,
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(NOTARY_ACCOUNT[member]).privateKey,
      BADGE_NOTARY_DATA_DIR: dataDir,
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_POLL_INTERVAL_MS: '100',
      BADGE_NOTARY_BATCH_MAX_AGE_MS: '300',
      ...extra,
    }),
    async close() {
      provider.destroy();
      await proxy!.close();
      await network.stop();
      if (!options.directory) rmSync(directory, { recursive: true, force: true });
    },
  };
  return bench;
}

/** `count` badges of `member`, signed with its registered key: compact JWS (vc-jwt), every fourth a Data Integrity JSON credential. */
export async function issueBadges(bench: FaultBench, member: Member, count: number): Promise<(string | object)[]> {
  const badges: (string | object)[] = [];
  for (let i = 0; i < count; i++) {
    const credential = buildAchievementCredential(demoBadgeInput({ issuerDid: DIDS[member] }));
    badges.push(await signCredential({ credential, key: bench.keys[member], format: i % 4 === 3 ? 'data-integrity' : 'vc-jwt' }));
  }
  return badges;
}

/** An editor API key of `member` from the service, asked for with a JWT signed by the member's registered key. */
export async function editorKey(bench: FaultBench, service: KillableService, member: Member): Promise<string> {
  const jwt = await memberJwt(bench.keys[member], DIDS[member]);
  const { status, body } = await call(service.url, 'POST', '/v1/clients', { token: jwt, body: { role: 'editor', label: 'fault tests' } });
  expect(status, JSON.stringify(body)).to.equal(201);
  return body.apiKey as string;
}

/** What the tests remember of every credential the service acknowledged with a 202. */
export interface Acknowledged {
  digest: string;
  artifact: string | object;
  member: Member;
}

/** Submits the badges in one bulk request; expects 202 and returns what was acknowledged. */
export async function submit(service: KillableService, apiKey: string, member: Member, badges: (string | object)[]): Promise<Acknowledged[]> {
  const { status, body } = await call(service.url, 'POST', '/v1/credentials', { token: apiKey, body: { credentials: badges } });
  expect(status, JSON.stringify(body)).to.equal(202);
  const items = body.credentials as { index: number; digest: string }[];
  expect(items).to.have.length(badges.length);
  return items.map((item) => ({ digest: item.digest, artifact: badges[item.index], member }));
}

/** A batch as GET /v1/batches shows it. */
export interface BatchView {
  id: number;
  root: string;
  size: number;
  state: string;
  transactionHash: string | null;
  blockNumber: number | null;
  attempts: number;
  lastError: string | null;
}

/** Every batch of the service, newest first (GET /v1/batches, all pages). */
export async function listBatches(service: KillableService): Promise<BatchView[]> {
  const all: BatchView[] = [];
  let before: number | null | undefined;
  for (let page = 0; page < 100; page++) {
    const { status, body } = await call(service.url, 'GET', `/v1/batches?limit=100${before ? `&before=${before}` : ''}`);
    expect(status).to.equal(200);
    all.push(...(body.batches as BatchView[]));
    before = body.next as number | null;
    if (!before) break;
  }
  return all;
}

export async function batchById(
  service: KillableService,
  id: number
): Promise<{ batch: BatchView; transactions: { transactionHash: string; outcome: string | null }[] }> {
  const { status, body } = await call(service.url, 'GET', `/v1/batches/${id}`);
  expect(status).to.equal(200);
  return body as never;
}

/** Waits until the service shows batch `id` in `state`. */
export function waitForBatchState(service: KillableService, id: number, state: string, timeoutMs = 60_000): Promise<BatchView> {
  return waitFor(
    `batch ${id} to be ${state}`,
    async () => {
      const { status, body } = await call(service.url, 'GET', `/v1/batches/${id}`);
      const batch = status === 200 ? (body.batch as BatchView) : undefined;
      return batch?.state === state ? batch : undefined;
    },
    { timeoutMs },
  );
}

/** The receipt of a credential, once its batch is confirmed (GET .../receipt answers 200). */
export function waitForReceipt(service: KillableService, digest: string, timeoutMs = 90_000): Promise<Receipt> {
  return waitFor(
    `the receipt of ${digest}`,
    async () => {
      const { status, body } = await call(service.url, 'GET', `/v1/credentials/${digest}/receipt`);
      if (status === 200) return body as unknown as Receipt;
      expect(status, JSON.stringify(body)).to.equal(202);
      return undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/**
 * Waits until every batch of the service is final, mining one empty block on the node whenever a batch waits
 * for depth (the tests' nodes mine only on transactions). Bounded by `timeoutMs`.
 */
export async function driveToFinal(
  bench: FaultBench,
  service: KillableService,
  options: { credentials?: number; timeoutMs?: number } = {}
): Promise<BatchView[]> {
  let lastSeen = 'nothing read yet';
  try {
    return await waitFor(
      'every batch to be final',
      async () => {
        // The queue first: a credential sealed after this read is in a batch the list below shows.
        const metrics = String((await call(service.url, 'GET', '/metrics')).body.text ?? '');
        const depth = Number(/^badge_notary_queue_depth (\d+)$/m.exec(metrics)?.[1] ?? NaN);
        const batches = await listBatches(service);
        const batched = batches.reduce((sum, batch) => sum + batch.size, 0);
        const notFinal = batches
          .filter((batch) => batch.state !== 'final')
          .map((batch) => `batch ${batch.id} ${batch.state} (attempts ${batch.attempts}${batch.lastError ? `, ${batch.lastError}` : ''})`);
        lastSeen = `queue depth ${depth}, ${batched} of ${options.credentials ?? '?'} credentials batched, not final: ${notFinal.join(', ') || 'none'}`;
        const allBatched = depth === 0 && (options.credentials === undefined || batched >= options.credentials);
        if (allBatched && batches.length > 0 && batches.every((batch) => batch.state === 'final')) return batches;
        if (batches.some((batch) => batch.state === 'confirmed')) await bench.rpc('evm_mine');
        return undefined;
      },
      { timeoutMs: options.timeoutMs ?? 90_000, intervalMs: 250 },
    );
  } catch (error) {
    // What the service showed last: which batch stayed where, or how many credentials never reached a batch.
    throw new Error(`${(error as Error).message}; last seen: ${lastSeen}`, { cause: error });
  }
}

/** One anchor(root) transaction found in a block. */
export interface AnchorTransactionOnChain {
  hash: string;
  from: string;
  nonce: number;
  blockNumber: number;
  succeeded: boolean;
}

/** What the canonical chain holds about anchors, from the deployment block to the head. */
export interface ChainAudit {
  /** Every mined anchor(root) transaction to the registry, by root (reverted ones included). */
  transactions: Map<string, AnchorTransactionOnChain[]>;
  /** RootAnchored events by root. */
  events: Map<string, { transactionHash: string; blockNumber: number; memberId: number }[]>;
  /** Roots with more than one anchor transaction or more than one RootAnchored event. */
  anchoredTwice: string[];
}

/** Reads every block from the registry's deployment to the head, straight from the node. */
export async function auditChain(bench: FaultBench): Promise<ChainAudit> {
  const { provider } = bench;
  const registryAddress = bench.network.record.registry.toLowerCase();
  const registry = ConfederationRegistry__factory.connect(registryAddress, provider);
  const head = await provider.getBlockNumber();
  const transactions = new Map<string, AnchorTransactionOnChain[]>();
  for (let number = bench.network.record.blockNumber; number <= head; number++) {
    const block = await provider.getBlock(number, true);
    for (const tx of block!.prefetchedTransactions as TransactionResponse[]) {
      if (tx.to?.toLowerCase() !== registryAddress) continue;
      const parsed = registry.interface.parseTransaction({ data: tx.data });
      if (parsed?.name !== 'anchor') continue;
      const root = (parsed.args[0] as string).toLowerCase();
      const receipt = await provider.getTransactionReceipt(tx.hash);
      const list = transactions.get(root) ?? [];
      list.push({ hash: tx.hash, from: tx.from, nonce: tx.nonce, blockNumber: number, succeeded: receipt!.status === 1 });
      transactions.set(root, list);
    }
  }
  const events = new Map<string, { transactionHash: string; blockNumber: number; memberId: number }[]>();
  for (const log of await registry.queryFilter(registry.filters.RootAnchored(), bench.network.record.blockNumber, head)) {
    const root = (log.args.root as string).toLowerCase();
    const list = events.get(root) ?? [];
    list.push({ transactionHash: log.transactionHash, blockNumber: log.blockNumber, memberId: Number(log.args.memberId) });
    events.set(root, list);
  }
  const roots = new Set([...transactions.keys(), ...events.keys()]);
  const anchoredTwice = [...roots].filter((root) => (transactions.get(root)?.length ?? 0) > 1 || (events.get(root)?.length ?? 0) > 1);
  return { transactions, events, anchoredTwice };
}

/** The outcome of auditing a run: the figures of the report's table. */
export interface AuditFigures {
  acknowledged: number;
  receiptsValid: number;
  rootsAnchoredTwice: number;
  batches: number;
}

/**
 * The end-of-test audit: every acknowledged credential has a receipt that verifyBadge accepts against the node
 * (not the service), whose anchor is the canonical RootAnchored event of its root; every root of the service's
 * batches has exactly one anchor transaction and one RootAnchored event, for `member`; every batch is final.
 */
export async function auditRun(
  bench: FaultBench,
  service: KillableService,
  acknowledged: readonly Acknowledged[],
  options: { member?: Member } = {},
): Promise<AuditFigures & { receipts: Map<string, Receipt> }> {
  const batches = await driveToFinal(bench, service, { credentials: new Set(acknowledged.map((a) => a.digest)).size });
  const chain = await auditChain(bench);
  const reader = new JsonRpcRegistryReader(bench.provider, bench.network.record.registry, bench.network.record.blockNumber);
  const receipts = new Map<string, Receipt>();
  let receiptsValid = 0;
  for (const item of acknowledged) {
    const receipt = await waitForReceipt(service, item.digest);
    receipts.set(item.digest, receipt);
    const report = await verifyBadge({ credential: item.artifact, receipt, reader, now: new Date() });
    expect(report.verified, `${item.digest}: ${JSON.stringify(report.steps, null, 1)}`).to.equal(true);
    expect(report.issuer?.memberId).to.equal(item.member);
    const [event] = chain.events.get(receipt.root.toLowerCase()) ?? [];
    if (!event) {
      const batch = batches.find((b) => b.root.toLowerCase() === receipt.root.toLowerCase());
      const mined = await bench.provider.getTransactionReceipt(receipt.anchor.transactionHash);
      throw new Error(
        `no RootAnchored event of ${receipt.root} (receipt of ${item.digest}) on the chain: its batch ${JSON.stringify(batch)}, its transaction's receipt ${JSON.stringify(mined)}, ` +
          `getAnchor ${JSON.stringify(await ConfederationRegistry__factory.connect(bench.network.record.registry, bench.provider).getAnchor(receipt.root), (_k, v) => (typeof v === 'bigint' ? String(v) : v))}, ` +
          `roots with events ${JSON.stringify([...chain.events.keys()])}; the service's log:\n${service.output.join('').slice(-4000)}`,
      );
    }
    expect({ tx: receipt.anchor.transactionHash, block: receipt.anchor.blockNumber }).to.deep.equal({ tx: event.transactionHash, block: event.blockNumber });
    receiptsValid++;
  }
  for (const batch of batches) {
    expect(batch.state, `batch ${batch.id}`).to.equal('final');
    const root = batch.root.toLowerCase();
    expect(chain.transactions.get(root), `anchor transactions of batch ${batch.id}`).to.have.length(1);
    expect(chain.transactions.get(root)![0].succeeded).to.equal(true);
    expect(chain.events.get(root), `RootAnchored events of batch ${batch.id}`).to.have.length(1);
    if (options.member) expect(chain.events.get(root)![0].memberId).to.equal(options.member);
  }
  expect(chain.anchoredTwice, 'roots anchored twice').to.deep.equal([]);
  const batchedDigests = batches.reduce((sum, batch) => sum + batch.size, 0);
  expect(batchedDigests, 'every acknowledged credential is in a batch, once').to.equal(new Set(acknowledged.map((a) => a.digest)).size);
  return { acknowledged: acknowledged.length, receiptsValid, rootsAnchoredTwice: chain.anchoredTwice.length, batches: batches.length, receipts };
}

/**
 * A snapshot of the service's SQLite database as a restart would find it: the file and its WAL copied aside
 * (the live files are left as they are for the next start to recover) and read there.
 */
export function readDatabaseCopy<T>(databasePath: string, read: (db: Database.Database) => T): T {
  const copy = mkdtempSync(join(tmpdir(), 'badge-notary-db-copy-'));
  try {
    const target = join(copy, 'notary.sqlite');
    copyFileSync(databasePath, target);
    if (existsSync(`${databasePath}-wal`)) copyFileSync(`${databasePath}-wal`, `${target}-wal`);
    const db = new Database(target);
    try {
      return read(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** One row of the fault table printed at the end of each fault test file. */
export interface FaultRow extends Partial<AuditFigures> {
  fault: string;
  injected: number;
  notes?: string;
}

export function printFaultTable(title: string, rows: readonly FaultRow[]): void {
  const lines = [
    `\n${title}`,
    '  fault | injected | acknowledged | receipts valid | roots anchored twice | batches | notes',
    ...rows.map(
      (row) =>
        `  ${row.fault} | ${row.injected} | ${row.acknowledged ?? '-'} | ${row.receiptsValid ?? '-'} | ${row.rootsAnchoredTwice ?? '-'} | ${row.batches ?? '-'} | ${row.notes ?? ''}`,
    ),
  ];
  console.log(lines.join('\n'));
}
