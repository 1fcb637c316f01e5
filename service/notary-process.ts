import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { createServer as createTcpServer } from 'node:net';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { Wallet } from 'ethers';
import type { Logger } from 'pino';
import { EthersAnchorGateway } from './chain/anchor-gateway';
import { connectChain, type ChainConnection } from './chain/connection';
import { readDeploymentRecord, registryCaip10 } from './chain/deployment-record';
import { TransactionQueue } from './chain/transaction-queue';
import type { PostgresConfig, ServiceConfig } from './config/config';
import { browserRpcUrl } from './config/public-rpc';
import { loadSharedStatusListKey, loadStatusListKey } from './config/status-list-key';
import { createVerifierPool, type VerifierPool } from './credentials';
import { archiveDatabase, startEmbeddedChain, type EmbeddedChain } from './embedded/embedded-chain';
import { Loop, NotaryService, feeWaitLogger, notifyAll } from './batching';
import { RevocationFollower } from './notary';
import { createApp, createRevocationSender, expressMessageClasses, serviceLogger, ServiceMetrics } from './http';
import { RegistryIndexer } from './indexer';
import { DirectoryLockedError, lockDirectory, removeDatabaseFiles, sameChain, Store, type ChainBinding, type NotaryStore } from './store';
import { PgStore } from './store/postgres/pg-store';
import { PgDatabase } from './store/postgres/pg-database';
import { migratePostgres } from './store/postgres/migrate';
import { PgLeaseStore } from './store/postgres/lease-store';
import { PgAdvisoryLocks } from './store/postgres/pg-advisory-locks';
import { Leadership } from './leadership';
import type { CrossProcessAccountLock } from './chain/transaction-queue';
import type { IssuerKey } from './credentials/keys';
import { JsonRpcCatalogueReader } from './chain/json-rpc-catalogue-reader';
import { JsonRpcRegistryReader } from './chain/json-rpc-registry-reader';
import { NotaryError, redactUrls, sanitisedMessage, type NotaryErrorOptions } from './errors';

/** The running notary: its URL, what it runs on, and how to stop it. */
export interface RunningNotary {
  url: string;
  config: ServiceConfig;
  binding: ChainBinding;
  rpcUrl: string;
  store: NotaryStore;
  /** Present in embedded mode: the local chain and the demo member's key. */
  embedded?: EmbeddedChain;
  /** Where a database bound to an earlier chain was moved, if one was. */
  archivedDatabase?: string;
  stop(): Promise<void>;
}

/** The slow-client timeouts the configuration sets (BADGE_NOTARY_*_TIMEOUT_MS); an unset one keeps its default. */
export function httpTimeoutsOf(config: Pick<ServiceConfig, 'http'>): Partial<HttpServerTimeouts> {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.http;
  return Object.fromEntries(Object.entries({ headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs }).filter(([, value]) => value !== undefined));
}

export class StartupError extends NotaryError {
  override name = 'StartupError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('cannot-start', message, options);
  }
}

/**
 * How long the HTTP server waits for slow clients (ms). A client that trickles its headers is cut off after
 * `headersTimeoutMs`, one that trickles its body after `requestTimeoutMs` (both answered 408, JSON); an idle
 * keep-alive connection is closed after `keepAliveTimeoutMs`. Node checks the first two every
 * `checkIntervalMs`, so a cut-off comes at most that much late.
 */
export interface HttpServerTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  checkIntervalMs: number;
}

/** 10 s for the headers; 60 s for a whole request (a 16 MiB intake body at about 2.2 Mbit/s); 5 s idle keep-alive. */
export const DEFAULT_HTTP_TIMEOUTS: HttpServerTimeouts = {
  headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, checkIntervalMs: 1_000
};

const CLIENT_ERRORS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'request-timeout', message: 'the request was not received in time' },
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', code: 'headers-too-large', message: 'the request headers are too large' },
};

/**
 * The notary's HTTP server: the app behind the slow-client timeouts, and a JSON error for requests Node
 * cannot even parse (malformed HTTP, oversize headers, timeouts), like every other error of the API. Its
 * requests and responses are made with the app's prototypes (expressMessageClasses says why).
 */
export function createHttpServer(app: Express, timeouts: Partial<HttpServerTimeouts> = {}): Server {
  const limits = { ...DEFAULT_HTTP_TIMEOUTS, ...timeouts };
  const server = createServer(
    {
      ...expressMessageClasses(app),
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    app,
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node's own handler: answer only when no answer to this connection's current request has begun.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const known = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, reason: 'Bad Request', code: 'malformed-request', message: 'the request is not valid HTTP/1.1' };
      const body = JSON.stringify({ error: { code: known.code, message: known.message } });
      socket.end(
        `HTTP/1.1 ${known.status} ${known.reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
        () => socket.destroy(),
      );
      return;
    }
    socket.destroy();
  });
  return server;
}

/**
 * Starts the notary service: the chain (a local one in embedded mode), the store bound to that chain, the
 * registry indexer, the batcher and anchorer, and the HTTP API. Everything it started is stopped by stop(),
 * in reverse order.
 */
export async function startNotary(
  config: ServiceConfig,
  options: { logger?: Logger; httpTimeouts?: Partial<HttpServerTimeouts> } = {}
): Promise<RunningNotary> {
  const logger = options.logger ?? serviceLogger(config.logLevel);
  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
  };

  try {
    // 0. Nothing is changed before every port is known free and the data directory is this process's: a
    // second instance started by mistake must leave the running one's chain, database and files alone.
    await requireFreePorts(config);
    try {
      const lock = lockDirectory(config.dataDir);
      stops.push(() => lock.release());
    } catch (error) {
      if (error instanceof DirectoryLockedError) throw new StartupError(`${error.message}: stop it, or set BADGE_NOTARY_DATA_DIR to another directory`);
      throw error;
    }

    // 1. The chain: a local Hardhat node with the demo member, or the network the configuration names.
    let embedded: EmbeddedChain | undefined;
    let rpcUrl: string;
    let anchorKey: string;
    let registry: string;
    let deploymentBlock: number;
    // The badge-class catalogue, from the deployment record (a registry given by address alone names none).
    let catalogue: string | undefined;
    if (config.chain.mode === 'embedded') {
      embedded = await startEmbeddedChain({ dataDir: config.dataDir, nodePort: config.chain.nodePort, log: (message) => logger.info(message) });
      stops.push(() => embedded!.stop());
      ({ rpcUrl } = embedded.node);
      anchorKey = embedded.anchorKey;
      ({ registry, blockNumber: deploymentBlock, catalogue } = embedded.record);
    } else {
      rpcUrl = config.chain.rpcUrl;
      anchorKey = config.chain.anchorKey;
      if (config.chain.registry) {
        registry = config.chain.registry;
        deploymentBlock = config.chain.deploymentBlock ?? 0;
      } else {
        const record = readDeploymentRecord(config.chain.deploymentFile!);
        ({ registry, blockNumber: deploymentBlock, catalogue } = record);
      }
    }
    const connection: ChainConnection = connectChain({ rpcUrl, pollingIntervalMs: config.pollIntervalMs });
    stops.push(() => connection.close());
    const { provider } = connection;
    const [network, deployment] = await Promise.all([provider.getNetwork(), provider.getBlock(deploymentBlock)]);
    if (!deployment?.hash) throw new StartupError(`the chain at ${redactUrls(rpcUrl)} has no block ${deploymentBlock}, where the registry should have been deployed`);
    const binding: ChainBinding = { chainId: Number(network.chainId), registry, deploymentBlock, deploymentBlockHash: deployment.hash };

    // 2. The store, bound to this chain: it never serves receipts for anchors another chain holds.
    const opened = config.postgres
      ? await openPostgresStore(config, config.postgres, binding, logger)
      : await openSqliteStore(config, binding, embedded !== undefined, logger);
    const { store, archivedDatabase, leadership, documentSync } = opened;
    stops.push(() => store.close());

    // 3. The workers: the indexer mirrors the registry and the catalogue; the batcher and anchorer notarise.
    const metrics = new ServiceMetrics({ store });
    if (catalogue === undefined) logger.info('the deployment names no badge-class catalogue: the catalogue has no classes');
    const indexer = new RegistryIndexer({
      reader: provider,
      mirror: store.registry,
      deployment: { ...binding, catalogue },
      pollIntervalMs: config.pollIntervalMs,
      observer: metrics.indexer,
    });
    indexer.start();
    if (documentSync) {
      // Steps never overlap, and a stop waits for the one in flight before the store closes.
      const copying = new Loop(config.pollIntervalMs, () =>
        documentSync.step().catch((error: unknown) => logger.warn({ err: error }, 'copying class documents from PostgreSQL failed; tried again at the next tick')),
      );
      copying.start();
      stops.push(() => copying.stop());
    }
    stops.push(() => indexer.stop());

    const notaryWallet = new Wallet(anchorKey, provider);
    // On PostgreSQL every process may send for the notary account (revocations): one at a time across them.
    const queue = await TransactionQueue.for(notaryWallet, opened.crossProcessLock ? { crossProcessLock: opened.crossProcessLock } : {});
    const revocationSender = createRevocationSender({ queue, provider, registry });
    const notary = new NotaryService({
      store,
      gateway: new EthersAnchorGateway({ provider, wallet: notaryWallet, registry, fromBlock: deploymentBlock }),
      config,
      observer: notifyAll([metrics.batching, feeWaitLogger(logger)]),
      sendLock: (task) => queue.exclusive(task),
      ...(leadership ? { leadership } : {}),
      revocationFollower: new RevocationFollower({
        store,
        sender: revocationSender,
        onRpcError: (operation) => metrics.rpcError('revocations', operation),
      }),
    });
    notary.start();
    stops.push(() => notary.stop());

    // 4. The HTTP API.
    const verifier: VerifierPool = createVerifierPool({ observer: metrics.verifierPool });
    stops.push(() => verifier.close());
    const app = createApp({
      store,
      config,
      chain: {
        chainId: binding.chainId,
        registry,
        deploymentBlock,
        provider,
        newReader: () => new JsonRpcRegistryReader(provider, registry, deploymentBlock),
        ...(catalogue ? { newCatalogueReader: () => new JsonRpcCatalogueReader(provider, catalogue, registry, deploymentBlock) } : {}),
      },
      logger,
      verifier,
      receipts: notary.receipts,
      anchorer: notary,
      revocations: revocationSender,
      metrics,
      statusListKey: opened.statusListKey,
      publicRpcUrl: browserRpcUrl(config.publicRpcUrl, rpcUrl),
      limits: {
        rateLimitPerAddress: config.rateLimits.perAddressPerMinute,
        rateLimitPerMember: config.rateLimits.perMemberPerMinute,
        maxCredentialValues: config.verification.maxCredentialValues,
        publicVerificationQueue: config.verification.queue,
        ...(config.verification.slots === undefined ? {} : { publicVerificationSlots: config.verification.slots }),
      },
    });
    const server = createHttpServer(app, { ...httpTimeoutsOf(config), ...options.httpTimeouts });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new StartupError(`port ${config.http.port} on ${config.http.host} is taken: set BADGE_NOTARY_PORT to another one (0 picks a free one)`)
            : error,
        ),
      );
      server.listen(config.http.port, config.http.host, resolve);
    });
    stops.push(() => closeServer(server));
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${port}`;
    logger.info({ url, registry: registryCaip10(binding), rpcUrl: redactUrls(rpcUrl) }, 'badge-notary is listening');

    let stopped = false;
    return {
      url,
      config,
      binding,
      rpcUrl,
      store,
      embedded,
      archivedDatabase,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The store the process runs on, bound to its chain, with what its kind brings. */
interface OpenedStore {
  store: NotaryStore;
  statusListKey: IssuerKey;
  /** Where a database bound to an earlier chain was moved, if one was (SQLite on the embedded chain). */
  archivedDatabase?: string;
  /** On PostgreSQL: the anchorer's lease, which this process may hold. */
  leadership?: Leadership;
  /** On PostgreSQL: copies the class documents other processes took into this one's cache. */
  documentSync?: { step(): Promise<unknown> };
  /** On PostgreSQL: the lock on the notary account that every process takes to send. */
  crossProcessLock?: CrossProcessAccountLock;
}

/**
 * The embedded default: one SQLite file. On the embedded chain, a file bound to an earlier chain (the local
 * chain starts afresh after its data was removed) is moved aside; on any other, it is refused.
 */
async function openSqliteStore(config: ServiceConfig, binding: ChainBinding, embedded: boolean, logger: Logger): Promise<OpenedStore> {
  let store = Store.open({ path: config.databasePath });
  let archivedDatabase: string | undefined;
  const stored = await store.chainBinding.get();
  if (stored && !sameChain(stored, binding)) {
    store.close();
    if (!embedded) {
      throw new StartupError(
        `the database ${config.databasePath} belongs to registry ${registryCaip10(stored)} (deployed in block ${stored.deploymentBlock}), not to ${registryCaip10(binding)}: point BADGE_NOTARY_DATABASE at another file`,
      );
    }
    archivedDatabase = archiveDatabase(config.databasePath, config.dataDir, new Date());
    logger.warn({ archivedDatabase }, 'the local chain is new: the database of the previous one was moved aside');
    store = Store.open({ path: config.databasePath });
  }
  try {
    await store.chainBinding.bind(binding, Date.now());
    return { store, archivedDatabase, statusListKey: loadStatusListKey(config.dataDir) };
  } catch (error) {
    store.close();
    throw error;
  }
}

/**
 * Several processes on one PostgreSQL (docs/operations.md): the notary's records there, bound to one chain for
 * good; the chain mirror in this process's SQLite cache, which is dropped and filled again from the chain when
 * it was made for another chain; the anchorer's lease, held by one process at a time.
 */
async function openPostgresStore(config: ServiceConfig, postgres: PostgresConfig, binding: ChainBinding, logger: Logger): Promise<OpenedStore> {
  const db = PgDatabase.connect(postgres.url, { max: postgres.poolSize });
  let mirrorCache: Store | undefined;
  try {
    try {
      await migratePostgres(db.pool);
    } catch (error) {
      throw new StartupError(`cannot use the PostgreSQL database at ${redactUrls(postgres.url)}: ${sanitisedMessage(error)}`, { cause: error });
    }
    mirrorCache = Store.open({ path: config.databasePath });
    const cached = await mirrorCache.chainBinding.get();
    if (cached && !sameChain(cached, binding)) {
      mirrorCache.close();
      removeDatabaseFiles(config.databasePath);
      logger.warn({ mirrorCache: config.databasePath }, 'the chain mirror cache was made for another chain: it is filled again from this one');
      mirrorCache = Store.open({ path: config.databasePath });
    }
    await mirrorCache.chainBinding.bind(binding, Date.now());
    // Unique per process start: a restarted process is a new holder, and waits for its old lease to end.
    const holder = `${hostname()}/${process.pid}/${randomUUID()}`;
    const leadership = new Leadership(new PgLeaseStore(db.pool), { lease: 'anchorer', holder, ttlMs: postgres.leaseTtlMs });
    const store = new PgStore(db, mirrorCache, leadership.fence());
    // A new replica serves every class document from its first request: the ones others took are copied first.
    await store.catalogueDocumentSync.step();
    const stored = await store.chainBinding.get();
    if (stored && !sameChain(stored, binding)) {
      throw new StartupError(
        `the PostgreSQL database at ${redactUrls(postgres.url)} belongs to registry ${registryCaip10(stored)} (deployed in block ${stored.deploymentBlock}), not to ${registryCaip10(binding)}: point BADGE_NOTARY_DATABASE_URL at another database`,
      );
    }
    await store.chainBinding.bind(binding, Date.now());
    // A frozen holder of the account lock keeps the others waiting no longer than a lease.
    const locks = new PgAdvisoryLocks(db.pool, { holdTimeoutMs: postgres.leaseTtlMs });
    return {
      store,
      leadership,
      crossProcessLock: (account, task) => locks.runExclusive(`account:${account}`, task),
      documentSync: store.catalogueDocumentSync,
      statusListKey: await loadSharedStatusListKey(store.serviceKeys),
    };
  } catch (error) {
    mirrorCache?.close();
    await db.close();
    throw error;
  }
}

/** Throws StartupError when the HTTP port, or in embedded mode the local chain's, is taken (port 0 is always free). */
async function requireFreePorts(config: ServiceConfig): Promise<void> {
  const wanted = [{ host: config.http.host, port: config.http.port, setting: 'BADGE_NOTARY_PORT', use: 'the HTTP API' }];
  if (config.chain.mode === 'embedded') wanted.push({ host: '127.0.0.1', port: config.chain.nodePort, setting: 'BADGE_NOTARY_NODE_PORT', use: 'the local chain' });
  for (const { host, port, setting, use } of wanted) {
    if (port === 0) continue;
    const taken = await new Promise<boolean>((resolve, reject) => {
      const probe = createTcpServer();
      probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
      probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(false)));
    });
    if (taken) throw new StartupError(`port ${port} on ${host}, for ${use}, is taken (is badge-notary already running?): set ${setting} to another one`);
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
