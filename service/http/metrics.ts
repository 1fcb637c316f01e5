import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { BATCH_STATES, type NotaryStore } from '../store';

/**
 * The events the batcher and the anchorer report (service/batching/observer.ts, NotaryObserver): the
 * methods' parameters name only the fields read here, so the real observer interface fits.
 */
export interface BatchingObserver {
  sealed(event: { size: number; reason: string }): void;
  transition(event: { from: string; to: string; reason: string }): void;
  anchorLatency(event: { latencyMs: number }): void;
  anchorCost(event: { gasUsed: bigint | undefined; feePaid: bigint | undefined; sealToMinedMs: number }): void;
  feeWait(event: AnchoringWait): void;
  failure(event: { kind: string; operation: string }): void;
}

/** Whether anchoring waits on fees, as the anchorer last said (see /ready). */
export interface AnchoringWait {
  waiting: boolean;
  reason: string | undefined;
  neededPerGas: bigint | undefined;
  at: number;
}

/** What the indexer reports (service/indexer's IndexerObserver fits as it is). */
export interface IndexerObserver {
  chunkIndexed(chunk: { fromBlock: number; toBlock: number; events: number }): void;
  reorged(reorg: { removedEvents: number }): void;
  stepFailed(failure: { error: unknown }): void;
}

/** What the verifier pool reports (service/credentials' VerifierPoolObserver fits as it is). */
export interface VerifierPoolMetricsObserver {
  verifiedOnWorkers(credentials: number): void;
}

export interface ServiceMetricsOptions {
  /** Gauges read from it at each scrape: queue depth, oldest queued credential, batches per state. */
  store: NotaryStore;
  /** Node.js process metrics (CPU, memory, event loop lag, GC) too. Default true. */
  processMetrics?: boolean;
  clock?: () => number;
}

const PREFIX = 'badge_notary_';

/**
 * The service's Prometheus metrics, in a registry of their own. Create one per process, pass `batching` to
 * the batcher and the anchorer as their observer, `indexer` to the indexer, and the whole object to
 * createApp, which serves it at /metrics.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly batching: BatchingObserver;
  readonly indexer: IndexerObserver;
  /** Pass to createVerifierPool as its observer. */
  readonly verifierPool: VerifierPoolMetricsObserver;

  private readonly rpcErrors: Counter<'component' | 'operation'>;
  private readonly failures: Counter<'component' | 'kind'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  /** Route patterns are few and methods are express's: this stays small (unmatched paths share one route). */
  private readonly httpSeries = new Map<string, { requests: { inc(): void }; duration: { observe(seconds: number): void } }>();
  private readonly intakeCredentials: Counter<'outcome'>;
  private lastFeeWait: AnchoringWait | undefined;

  constructor(options: ServiceMetricsOptions) {
    const { store } = options;
    const clock = options.clock ?? Date.now;
    const registers = [this.registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });

    new Gauge({
      name: `${PREFIX}queue_depth`,
      help: 'Credentials acknowledged and not yet in a batch.',
      registers,
      async collect() {
        this.set(await store.credentials.queueDepth());
      },
    });
    new Gauge({
      name: `${PREFIX}queue_oldest_age_seconds`,
      help: 'How long the oldest queued credential has waited (0 for an empty queue).',
      registers,
      async collect() {
        const oldest = await store.credentials.oldestQueuedAt();
        this.set(oldest === undefined ? 0 : Math.max(0, (clock() - oldest) / 1000));
      },
    });
    new Gauge({
      name: `${PREFIX}batches`,
      help: 'Batches per anchoring state (sealed, submitted, confirmed, final).',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const counts = await store.batches.countByState();
        for (const state of BATCH_STATES) this.set({ state }, counts[state]);
      },
    });
    const sealed = new Counter({
      name: `${PREFIX}batches_sealed_total`,
      help: 'Batches sealed, by the limit that sealed them (size or age).',
      labelNames: ['reason'] as const,
      registers,
    });
    const sealedCredentials = new Counter({ name: `${PREFIX}batched_credentials_total`, help: 'Credentials put into sealed batches.', registers });
    const transitions = new Counter({
      name: `${PREFIX}batch_transitions_total`,
      help: 'Moves of batches through the anchoring state machine.',
      labelNames: ['from', 'to', 'reason'] as const,
      registers,
    });
    const anchorLatency = new Histogram({
      name: `${PREFIX}anchor_latency_seconds`,
      help: 'From a batch sealed to its anchor confirmed.',
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers,
    });
    this.rpcErrors = new Counter({
      name: `${PREFIX}rpc_errors_total`,
      help: 'Failed calls to the chain (JSON-RPC), by component and operation.',
      labelNames: ['component', 'operation'] as const,
      registers,
    });
    this.failures = new Counter({
      name: `${PREFIX}failures_total`,
      help: 'Failed steps of the batcher, anchorer and indexer, by kind (rpc, refused, other).',
      labelNames: ['component', 'kind'] as const,
      registers,
    });
    new Gauge({
      name: `${PREFIX}indexer_last_block`,
      help: 'The last block the registry mirror holds (-1 before the indexer ran).',
      registers,
      collect() {
        const cursor = store.registry.cursor();
        this.set(cursor && cursor.lastBlockHash !== null ? cursor.lastBlock : -1);
      },
    });
    const indexedEvents = new Counter({ name: `${PREFIX}indexer_events_total`, help: 'Registry events the indexer mirrored.', registers });
    const reorgs = new Counter({ name: `${PREFIX}indexer_reorgs_total`, help: 'Reorganisations the indexer rolled the mirror back for.', registers });
    this.httpRequests = new Counter({
      name: `${PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    });
    this.httpDuration = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'Time to answer HTTP requests, by method and route pattern.',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.intakeCredentials = new Counter({
      name: `${PREFIX}intake_credentials_total`,
      help: 'Credentials submitted, by outcome: created (new), duplicate (already here), rejected.',
      labelNames: ['outcome'] as const,
      registers,
    });

    const gasUsed = new Counter({ name: `${PREFIX}anchor_gas_used_total`, help: 'Gas used by the anchor transactions confirmed.', registers });
    const feesPaid = new Counter({
      name: `${PREFIX}anchor_fees_paid_wei_total`,
      help: 'What the confirmed anchor transactions cost, in wei: gas used times the effective gas price, plus any L1 data fee.',
      registers,
    });
    const replacements = new Counter({
      name: `${PREFIX}anchor_replacements_total`,
      help: 'Stuck anchor transactions re-sent with the same nonce and higher fees.',
      registers,
    });
    const sealToMined = new Histogram({
      name: `${PREFIX}anchor_seal_to_mined_seconds`,
      help: 'From a batch sealed to the block that holds its anchor (block timestamp).',
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10800, 86400],
      registers,
    });
    const feeWaiting = new Gauge({
      name: `${PREFIX}anchoring_fee_wait`,
      help: '1 while anchoring waits because the fee asked is above BADGE_NOTARY_MAX_FEE_PER_GAS or the daily limit is reached; else 0.',
      registers,
    });
    const feeNeeded = new Gauge({
      name: `${PREFIX}anchoring_fee_per_gas_wei`,
      help: 'The fee per gas the chain asked when anchoring last waited on fees (wei); 0 when it does not wait.',
      registers,
    });
    const failures = this.failures;
    const rpcErrors = this.rpcErrors;
    // While it keeps waiting, `at` stays the time it began to.
    const remember = (wait: AnchoringWait) =>
      (this.lastFeeWait = wait.waiting && this.lastFeeWait?.waiting ? { ...wait, at: this.lastFeeWait.at } : wait);
    this.batching = {
      sealed(event) {
        sealed.inc({ reason: event.reason });
        sealedCredentials.inc(event.size);
      },
      transition(event) {
        transitions.inc({ from: event.from, to: event.to, reason: event.reason });
        if (event.reason === 'replaced') replacements.inc();
      },
      anchorLatency(event) {
        anchorLatency.observe(event.latencyMs / 1000);
      },
      anchorCost(event) {
        if (event.gasUsed !== undefined) gasUsed.inc(Number(event.gasUsed));
        if (event.feePaid !== undefined) feesPaid.inc(Number(event.feePaid));
        sealToMined.observe(event.sealToMinedMs / 1000);
      },
      feeWait(event) {
        remember(event);
        feeWaiting.set(event.waiting ? 1 : 0);
        feeNeeded.set(event.waiting && event.neededPerGas !== undefined ? Number(event.neededPerGas) : 0);
      },
      failure(event) {
        failures.inc({ component: 'batching', kind: event.kind });
        if (event.kind === 'rpc') rpcErrors.inc({ component: 'batching', operation: event.operation });
      },
    };
    const verifiedOnWorkers = new Counter({
      name: `${PREFIX}verifier_pool_credentials_total`,
      help: 'Credentials whose signatures the verifier pool checked on its worker threads (intake and public verification).',
      registers,
    });
    this.verifierPool = {
      verifiedOnWorkers(credentials) {
        verifiedOnWorkers.inc(credentials);
      },
    };
    this.indexer = {
      chunkIndexed(chunk) {
        indexedEvents.inc(chunk.events);
      },
      reorged() {
        reorgs.inc();
      },
      stepFailed() {
        // The indexer reads nothing but the chain: a failed step is a failed JSON-RPC call (or the chain moving).
        failures.inc({ component: 'indexer', kind: 'rpc' });
        rpcErrors.inc({ component: 'indexer', operation: 'step' });
      },
    };
  }

  /** Whether anchoring waits on fees now, as the anchorer last reported; undefined before it had anything to send. */
  anchoringWait(): AnchoringWait | undefined {
    return this.lastFeeWait;
  }

  /** A failed chain call outside the batcher and the indexer (the API's own reads and sends). */
  rpcError(component: string, operation: string): void {
    this.rpcErrors.inc({ component, operation });
  }

  httpRequest(info: { method: string; route: string; status: number; seconds: number }): void {
    // The labelled series are looked up once per method, route and status, not hashed from labels per request.
    const key = `${info.method} ${info.route} ${info.status}`;
    let series = this.httpSeries.get(key);
    if (!series) {
      series = {
        requests: this.httpRequests.labels({ method: info.method, route: info.route, status: String(info.status) }),
        duration: this.httpDuration.labels({ method: info.method, route: info.route }),
      };
      this.httpSeries.set(key, series);
    }
    series.requests.inc();
    series.duration.observe(info.seconds);
  }

  intake(counts: { created: number; duplicate: number; rejected: number }): void {
    for (const [outcome, n] of Object.entries(counts)) if (n > 0) this.intakeCredentials.inc({ outcome }, n);
  }

  /** The exposition text for /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
