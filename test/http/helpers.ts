// Shared set-up of the HTTP API tests: the registry on Hardhat's in-process network (reached through a plain
// ethers provider over its EIP-1193 interface), three members with registered issuer keys, a SQLite store in
// a temporary directory bound to that chain, the registry mirror filled by the real indexer, and the app
// built by createApp with no listening: supertest drives it in-process.
import { randomUUID } from 'node:crypto';
import hre from 'hardhat';
import { BrowserProvider, Wallet, ZeroHash, type Eip1193Provider } from 'ethers';
import { SignJWT } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Express } from 'express';
import { BadgeClassCatalogue__factory, ConfederationRegistry__factory, type BadgeClassCatalogue, type ConfederationRegistry } from '../../typechain-types';
import { EthersAnchorGateway } from '../../service/chain/anchor-gateway';
import { TransactionQueue } from '../../service/chain/transaction-queue';
import { Anchorer, Batcher } from '../../service/batching';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import type { CredentialFormat, JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { RegistryIndexer } from '../../service/indexer';
import { createApiClient, createApp, createRevocationSender, ServiceMetrics, type AppDependencies } from '../../service/http';
import { RevocationFollower } from '../../service/notary';
import type { NotaryStore } from '../../service/store';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { openServiceStore } from '../support/service-store';
import { wellKnownAccount } from '../support/well-known-accounts';

export const SCHOOL = 'did:web:school-a.example';
export const NGO = 'did:web:ngo-b.example';
export const CHAMBER = 'did:web:chamber-c.example';

/** Accounts: 0 deploys; 1, 2, 3 control members 1, 2, 3; 10 is member 1's notary (anchors and revocations). */
const CONTROLLERS = [1, 2, 3] as const;
const NOTARY = 10;

export interface Chain {
  provider: BrowserProvider;
  registryAddress: string;
  deploymentBlock: number;
  deploymentBlockHash: string;
  chainId: number;
  /** The registry as each member's controller. */
  as(member: 1 | 2 | 3): ConfederationRegistry;
  /** The badge-class catalogue deployed beside the registry. */
  catalogueAddress: string;
  /** The catalogue as each member's controller. */
  catalogueAs(member: 1 | 2 | 3): BadgeClassCatalogue;
  schoolKey: IssuerKey;
  schoolJwtKey: IssuerKey;
  ngoKey: IssuerKey;
}

/** A plain JSON-RPC provider over the in-process network; nothing cached between calls. */
export function jsonRpcProvider(): BrowserProvider {
  return new BrowserProvider(hre.network.provider as Eip1193Provider, undefined, { cacheTimeout: -1 });
}

/**
 * Deploys the registry: member 1 the school (issuing point), member 2 the NGO (issuing point), member 3 the
 * chamber (validation point), quorum 1; registers the school's Ed25519 and P-256 keys and the NGO's Ed25519
 * key; authorises account 10 as member 1's notary; deploys the badge-class catalogue. A named function, for loadFixture.
 */
export async function deployNetwork(): Promise<Chain> {
  const provider = jsonRpcProvider();
  const wallet = (index: number) => new Wallet(wellKnownAccount(index).privateKey, provider);
  const founders = [
    { did: SCHOOL, role: 1 },
    { did: NGO, role: 1 },
    { did: CHAMBER, role: 2 },
  ].map((f, i) => ({ ...f, controller: wallet(CONTROLLERS[i]).address, metadataURI: `https://example.org/members/${i + 1}.json`, metadataHash: ZeroHash }));
  const contract = await new ConfederationRegistry__factory(wallet(0)).deploy(founders, 1);
  const deployment = (await contract.deploymentTransaction()!.wait())!;
  const registryAddress = await contract.getAddress();
  const as = (member: 1 | 2 | 3) => ConfederationRegistry__factory.connect(registryAddress, wallet(CONTROLLERS[member - 1]));
  const schoolKey = generateIssuerKey({ type: 'Ed25519' });
  const schoolJwtKey = generateIssuerKey({ type: 'P-256' });
  const ngoKey = generateIssuerKey({ type: 'Ed25519' });
  await (await as(1).registerKey(1, schoolKey.keyHash, 0, 0)).wait();
  await (await as(1).registerKey(1, schoolJwtKey.keyHash, 0, 0)).wait();
  await (await as(2).registerKey(2, ngoKey.keyHash, 0, 0)).wait();
  await (await as(1).authoriseNotary(1, wellKnownAccount(NOTARY).address)).wait();
  const catalogue = await new BadgeClassCatalogue__factory(wallet(0)).deploy(registryAddress);
  await catalogue.waitForDeployment();
  const catalogueAddress = await catalogue.getAddress();
  return {
    catalogueAddress,
    catalogueAs: (member: 1 | 2 | 3) => BadgeClassCatalogue__factory.connect(catalogueAddress, wallet(CONTROLLERS[member - 1])),
    provider,
    registryAddress,
    deploymentBlock: deployment.blockNumber,
    deploymentBlockHash: deployment.blockHash,
    chainId: Number((await provider.getNetwork()).chainId),
    as,
    schoolKey,
    schoolJwtKey,
    ngoKey,
  };
}

export interface Env {
  chain: Chain;
  /** SQLite, or PostgreSQL when the suite runs again on it (test/support/service-store.ts). */
  store: NotaryStore;
  /** The SQLite file: the store's, or on PostgreSQL the chain-mirror cache's. */
  sqlitePath: string;
  app: Express;
  metrics: ServiceMetrics;
  /** The app's clock (ms): wall time, never behind the chain's latest block. */
  now(): number;
  /** API keys: the school's administrator and editor, the NGO's administrator. */
  keys: { schoolAdmin: string; schoolEditor: string; ngoAdmin: string };
  /** Catches the mirror up with the chain (one indexer step). */
  index(): Promise<void>;
  /** Seals every queued credential into one batch with the real batcher; returns its id. */
  seal(): Promise<number>;
  /** One tick of the real anchorer, then one block mined. */
  anchorStep(): Promise<void>;
  /** Seals every queued credential into one batch and anchors it to `final` with the real batcher and anchorer. */
  anchorAll(): Promise<void>;
  /** One step of the real revocation follower (what the service runs on its timer): submitted -> mined or failed. */
  followRevocations(): Promise<{ mined: number; failed: number }>;
  close(): Promise<void>;
}

export interface EnvOptions {
  limits?: AppDependencies['limits'];
  maxBulk?: number;
  maxBodyBytes?: number;
  /** Without a revocation sender, POST /v1/revocations is 503. Default true. */
  revocations?: boolean;
  /** Index the chain before the test starts. Default true. */
  indexed?: boolean;
  /** Express's "trust proxy". Default false. */
  trustProxy?: AppDependencies['trustProxy'];
  /** Whether the indexer follows the badge-class catalogue (as a deployment record that names it). Default true. */
  catalogue?: boolean;
  /** The signature checker of intake and public verification (the verifier pool). Default inline. */
  verifier?: AppDependencies['verifier'];
}

/** A fresh store, indexer, app and API keys over a deployed chain. */
export async function makeEnv(chain: Chain, options: EnvOptions = {}): Promise<Env> {
  const directory = mkdtempSync(join(tmpdir(), 'badge-notary-http-'));
  const opened = await openServiceStore(directory);
  const { store } = opened;
  // The chain's clock runs ahead of the wall (each block mined within a second adds one; tests elsewhere
  // move it): the app's clock keeps a minute ahead of the chain, so that what the chain did "now" (a key
  // registered or revoked) has happened for the app too.
  // The chain's clock is read from a block mined now: after a fixture's snapshot is restored, the latest block is
  // the snapshot's, older than the chain's clock by however long ago the snapshot was taken in the run.
  await chain.provider.send('evm_mine', []);
  const latest = (await chain.provider.getBlock('latest'))!;
  const offset = Math.max(0, latest.timestamp * 1000 - Date.now()) + 60_000;
  const now = () => Date.now() + offset;
  await store.chainBinding.bind(
    { chainId: chain.chainId, registry: chain.registryAddress, deploymentBlock: chain.deploymentBlock, deploymentBlockHash: chain.deploymentBlockHash },
    now(),
  );
  const indexer = new RegistryIndexer({
    reader: chain.provider,
    mirror: store.registry,
    deployment: {
      registry: chain.registryAddress,
      deploymentBlock: chain.deploymentBlock,
      catalogue: options.catalogue === false ? null : chain.catalogueAddress,
    },
    pollIntervalMs: 1_000,
    now,
  });
  const notary = new Wallet(wellKnownAccount(NOTARY).privateKey, chain.provider);
  const metrics = new ServiceMetrics({ store, processMetrics: false, clock: now });
  const revocationSender =
    options.revocations === false
      ? undefined
      : createRevocationSender({ queue: await TransactionQueue.for(notary), provider: chain.provider, registry: chain.registryAddress });
  const gateway = new EthersAnchorGateway({ provider: chain.provider, wallet: notary, registry: chain.registryAddress, fromBlock: chain.deploymentBlock });
  const anchorer = new Anchorer({ store, gateway, clock: now, confirmations: 1, finalityDepth: 1, observer: metrics.batching });
  const app = createApp({
    store,
    config: { intake: { maxBulk: options.maxBulk ?? 50, maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024 }, confirmations: 1 },
    chain: {
      chainId: chain.chainId,
      registry: chain.registryAddress,
      deploymentBlock: chain.deploymentBlock,
      provider: chain.provider,
      newReader: () => new JsonRpcRegistryReader(chain.provider, chain.registryAddress, chain.deploymentBlock),
    },
    clock: now,
    logger: pino({ level: 'silent' }),
    metrics,
    revocations: revocationSender,
    limits: { registryCacheMs: 0, ...options.limits },
    trustProxy: options.trustProxy,
    verifier: options.verifier,
  });
  const keys = {
    schoolAdmin: (await createApiClient(store, { memberId: 1, role: 'admin', label: 'school administrator', now: now() })).apiKey,
    schoolEditor: (await createApiClient(store, { memberId: 1, role: 'editor', label: 'school editor', now: now() })).apiKey,
    ngoAdmin: (await createApiClient(store, { memberId: 2, role: 'admin', label: 'NGO administrator', now: now() })).apiKey,
  };
  const env: Env = {
    chain,
    store,
    sqlitePath: opened.sqlitePath,
    app,
    metrics,
    now,
    keys,
    async index() {
      await indexer.step();
    },
    async seal() {
      const [batch] = await new Batcher({ store, maxSize: 100_000, maxAgeMs: 0, clock: now, observer: metrics.batching }).tick();
      if (!batch) throw new Error('nothing was queued');
      return batch.id;
    },
    async anchorStep() {
      await anchorer.tick();
      await hre.network.provider.send('evm_mine', []);
    },
    async anchorAll() {
      const id = await env.seal();
      for (let tick = 0; tick < 10 && (await store.batches.get(id))!.state !== 'final'; tick++) await env.anchorStep();
      const batch = (await store.batches.get(id))!;
      if (batch.state !== 'final') throw new Error(`batch ${id} is ${batch.state}: ${batch.lastError}`);
    },
    async followRevocations() {
      if (!revocationSender) return { mined: 0, failed: 0 };
      return new RevocationFollower({ store, sender: revocationSender }).follow();
    },
    async close() {
      await indexer.stop();
      await opened.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  if (options.indexed ?? true) await env.index();
  return env;
}

/** A signed demo badge of `issuerDid`, in `format`. */
export async function issue(key: IssuerKey, issuerDid: string, format: CredentialFormat = 'vc-jwt'): Promise<string | JsonObject> {
  return signCredential({ credential: buildAchievementCredential(demoBadgeInput({ issuerDid })), key, format });
}

export async function issueJwt(key: IssuerKey, issuerDid: string): Promise<string> {
  return (await issue(key, issuerDid, 'vc-jwt')) as string;
}

/** A JWT for this API: `iss` the member's DID, `kid` the did:key verification method, signed by the key. */
export async function apiJwt(
  key: IssuerKey,
  issuer: string,
  nowMs: number,
  claims: { audience?: string; lifetimeSeconds?: number; issuedAgoSeconds?: number; jti?: string } = {},
): Promise<string> {
  const iat = Math.floor(nowMs / 1000) - (claims.issuedAgoSeconds ?? 0);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.type === 'Ed25519' ? 'EdDSA' : 'ES256', kid: key.verificationMethod, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(claims.audience ?? 'badge-notary')
    .setIssuedAt(iat)
    .setJti(claims.jti ?? randomUUID())
    .setExpirationTime(iat + (claims.lifetimeSeconds ?? 300))
    .sign(key.privateKey);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
