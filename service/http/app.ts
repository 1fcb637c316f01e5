import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { StoredReceiptLookup } from '../batching';
import { createRegistryViews } from '../chain/registry-views';
import { generateIssuerKey, verifyCredential, type IssuerKey } from '../credentials';
import {
  ApiClients,
  BadgeClassDocuments,
  CredentialRevocations,
  CredentialWriter,
  Intake,
  RegistryDirectory,
  Revocations,
  StatusLists,
  type BadgeClassCatalogueStore,
  type Clock,
  type CredentialStatusSource,
  type CredentialVerifier,
  type RegistryMirror,
  type RevocationSender,
} from '../notary';
import type { NotaryStore } from '../store';
import { mountWebPages } from '../web';
import { mountDashboardPage } from '../web/dashboard';
import { mountConsolePage } from '../web/console';
import { Authenticator } from './auth';
import { requestContext } from './context';
import { errorHandler, methodNotAllowed, unknownRoute } from './errors';
import { serviceLogger } from './logger';
import type { HttpLimits } from './limits';
import { ServiceMetrics } from './metrics';
import type { ChainAccess } from './ports';
import { createRateLimiters } from './rate-limit';
import { everyRequest } from './request-steps';
import { securityHeaders } from './security-headers';
import { badgeClassRoutes } from './routes/badge-classes';
import { clientRoutes } from './routes/clients';
import { credentialRoutes } from './routes/credentials';
import { opsRoutes } from './routes/ops';
import { didDocumentRoutes } from './routes/did-documents';
import { registryRoutes } from './routes/registry';
import { revocationRoutes } from './routes/revocations';
import { statsRoutes } from './routes/stats';
import { statusListRoutes } from './routes/status-lists';
import type { Route, RouteContext } from './routes/route';
import { verifyRoutes } from './routes/verify';
import { VerificationGate } from './verification-gate';

export type { HttpLimits };

export interface AppDependencies {
  store: NotaryStore;
  /** The service configuration (service/config): intake limits and the confirmations verification asks. */
  config: { intake: { maxBulk: number; maxBodyBytes: number }; confirmations: number };
  /** The chain: its id, the registry, a provider, and the factory of one-run registry readers. */
  chain: ChainAccess;
  /** ms since the epoch. Default Date.now. */
  clock?: Clock;
  /** Default: the service's logger (errors sanitised) at level "info" to stdout. */
  logger?: Logger;
  /**
   * The verifier pool (service/credentials createVerifierPool) for the signature checks of intake and of public
   * verification. Default: inline (this thread).
   */
  verifier?: CredentialVerifier;
  /** The registry mirror. Default: store.registry. */
  mirror?: RegistryMirror;
  /**
   * The badge-class catalogue: the mirror of the catalogue contract (filled by the indexer) and the class documents.
   * Intake checks credentials issued against a class with it, public verification takes class documents from it,
   * and the /v1/badge-classes routes answer from it. Default: store.badgeClasses.
   */
  badgeClasses?: BadgeClassCatalogueStore;
  /** Digest -> state and receipt. Default: service/batching's StoredReceiptLookup over the store (it needs the store bound to its chain). */
  receipts?: CredentialStatusSource;
  /**
   * Whether this process seals and anchors now (NotaryService.leads): with several processes on one PostgreSQL,
   * only the holder of the anchorer's lease does. GET /ready says it. Default: this process is the only one.
   */
  anchorer?: { leads(): boolean };
  /** Sends revocations (createRevocationSender over the notary's TransactionQueue). Without it, POST /v1/revocations is 503. */
  revocations?: RevocationSender;
  /** Shared with the batcher, anchorer and indexer as their observer. Default: a new one. */
  metrics?: ServiceMetrics;
  limits?: Partial<HttpLimits>;
  /**
   * The notary's status-list key (Ed25519): its did:key signs the served status lists (docs/status-list.md).
   * Default: a key made for this app, which lives as long as the process.
   */
  statusListKey?: IssuerKey;
  /**
   * The chain's JSON-RPC URL the backpack's pages may verify against when the service cannot be reached
   * (service/config/public-rpc.ts decides it). Default: none, so they verify through the service only.
   */
  publicRpcUrl?: string;
  /** Express's "trust proxy" (for the client address behind a reverse proxy). Default false. */
  trustProxy?: boolean | number | string;
}

/** Verifies on the calling thread: for tests and small deployments; pass the verifier pool for throughput. */
export const inlineVerifier: CredentialVerifier = {
  verifyMany: ({ credentials, ...rest }) => Promise.all(credentials.map((credential) => verifyCredential({ credential, ...rest }))),
};

/**
 * Builds the notary's HTTP API from its dependencies. It does not listen: the caller does, on a server whose
 * requests are made with the app's prototypes (expressMessageClasses says why), and tests
 * drive it in-process with supertest.
 *
 * @example
 * const app = createApp({ store, config, chain: { chainId, registry, provider, newReader }, verifier: pool, revocations })
 * http.createServer(expressMessageClasses(app), app).listen(config.http.port, config.http.host)
 */
export function createApp(dependencies: AppDependencies): Express {
  const context = createContext(dependencies);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', dependencies.trustProxy ?? false);

  app.use(
    everyRequest([
      requestContext({ app, logger: context.logger, onFinished: (info) => context.metrics.httpRequest(info) }),
      securityHeaders(),
      context.rateLimits.authenticationFailures,
    ]),
  );

  // The router tries routes in this order: the public reads by digest, the busiest, come first.
  const routes: Route[] = [
    ...credentialRoutes(context),
    ...opsRoutes(context),
    ...revocationRoutes(context),
    ...registryRoutes(context),
    ...badgeClassRoutes(context),
    ...statsRoutes(context),
    ...didDocumentRoutes(context),
    ...statusListRoutes(context),
    ...clientRoutes(context),
    ...verifyRoutes(context),
  ];
  const methodsByPath = new Map<string, string[]>();
  for (const route of routes) {
    app[route.method](route.path, ...route.handlers);
    methodsByPath.set(route.path, [...(methodsByPath.get(route.path) ?? []), route.method]);
  }
  // A known path asked with another method: 405 with Allow (and OPTIONS answered).
  for (const [path, methods] of methodsByPath) app.all(path, methodNotAllowed(methods));
  // The verifier web page (service/web, docs/web.md): GET / and /verify, its files under /web/.
  // The verifier and the earner's backpack (service/web/index.ts WEB_PAGES).
  const deploymentBlock = dependencies.chain.deploymentBlock ?? 0;
  mountWebPages(app, {
    backpackNetwork: { chainId: dependencies.chain.chainId, registry: dependencies.chain.registry, deploymentBlock, rpcUrl: dependencies.publicRpcUrl },
  });
  // The network dashboard (service/web/dashboard.ts, docs/dashboard.md): GET /dashboard, its files under /dashboard/.
  mountDashboardPage(app);
  // The governance console (docs/console.md): GET /console, its files, the registry's address, ABI and refusals.
  mountConsolePage(app, {
    chainId: dependencies.chain.chainId,
    registry: dependencies.chain.registry,
    deploymentBlock,
  });
  app.use(unknownRoute());
  // A write that met a full or failing disk is remembered for readiness (GET /ready says the service is degraded).
  app.use(errorHandler({ onError: (error) => context.store.health.noteFailure(error, context.clock()) }));
  return app;
}

function createContext(dependencies: AppDependencies): RouteContext {
  const { store, config, chain } = dependencies;
  const clock = dependencies.clock ?? Date.now;
  const logger = dependencies.logger ?? serviceLogger('info');
  const metrics = dependencies.metrics ?? new ServiceMetrics({ store, clock });
  const limits: HttpLimits = {
    maxBulk: config.intake.maxBulk,
    maxIntakeBodyBytes: config.intake.maxBodyBytes,
    maxJsonBodyBytes: 1024 * 1024,
    maxVerifyBodyBytes: 512 * 1024,
    maxCredentialValues: 1_000,
    publicVerificationSlots: Math.max(1, Math.floor(workersOf(dependencies.verifier) / 2)),
    publicVerificationQueue: 16,
    maxImageBodyBytes: 4 * 1024 * 1024,
    maxRevocationDigests: 200,
    rateLimitWindowMs: 60_000,
    rateLimitPerMember: 300_000,
    rateLimitPerAddress: 60_000,
    rateLimitAuthFailuresPerAddress: 600,
    registryCacheMs: 5_000,
    statsCacheMs: 2_000,
    maxIndexerLagBlocks: 10,
    chainTimeoutMs: 3_000,
    ...dependencies.limits,
  };
  const mirror = dependencies.mirror ?? store.registry;
  const directory = new RegistryDirectory({
    mirror,
    views: createRegistryViews(chain.provider, chain.registry),
    clock,
    cacheMs: limits.registryCacheMs,
    onRpcError: (operation) => metrics.rpcError('http', operation),
  });
  const verifier = dependencies.verifier ?? inlineVerifier;
  // The catalogue's mirror: intake and verification check a credential's class against it.
  const badgeClasses = dependencies.badgeClasses ?? store.badgeClasses;
  return {
    store,
    chain,
    clock,
    logger,
    metrics,
    limits,
    mirror,
    directory,
    confirmations: config.confirmations,
    authenticator: new Authenticator({ store, directory, clock }),
    intake: new Intake({ store, verifier, directory, clock, writer: new CredentialWriter(store), badgeClasses }),
    receipts: dependencies.receipts ?? new StoredReceiptLookup({ store }),
    anchorer: dependencies.anchorer ?? { leads: () => true },
    revocations: new Revocations({ store, sender: dependencies.revocations, clock, maxDigests: limits.maxRevocationDigests }),
    credentialRevocations: new CredentialRevocations({ store, directory }),
    clients: new ApiClients({ store, clock }),
    badgeClasses,
    badgeClassDocuments: new BadgeClassDocuments({ documents: store.badgeClassDocuments, clock }),
    statusLists: new StatusLists({
      store,
      mirror,
      signer: dependencies.statusListKey ?? generateIssuerKey({ type: 'Ed25519' }),
      registry: `eip155:${chain.chainId}:${chain.registry}`,
      clock,
    }),
    rateLimits: createRateLimiters(limits, {
      trustProxy: dependencies.trustProxy ?? false,
      isValidApiKey: async (apiKey) => (await store.clients.authenticate(apiKey)) !== undefined,
    }),
    publicVerification: {
      checkOffline: async ({ credential, ...rest }) => (await verifier.verifyMany({ credentials: [credential], ...rest, includeCredential: true }))[0]!,
      gate: new VerificationGate({ slots: limits.publicVerificationSlots, maxWaiting: limits.publicVerificationQueue }),
    },
  };
}

/** The worker threads of a verifier pool (its `size`); 1 for another verifier. */
function workersOf(verifier: CredentialVerifier | undefined): number {
  const size = (verifier as { size?: unknown } | undefined)?.size;
  return typeof size === 'number' && size > 0 ? size : 1;
}
