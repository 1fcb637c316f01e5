import type { AnchorGateway } from '../chain/anchor-gateway';
import type { ServiceConfig } from '../config/config';
import type { BatchState, NotaryStore } from '../store';
import { Anchorer } from './anchorer';
import { Batcher } from './batcher';
import type { Clock } from '../clock';
import { NotaryStats, notifyAll, type NotaryObserver, type NotaryStatsSnapshot } from './observer';
import { StoredReceiptLookup } from './receipt-lookup';
import { Loop } from './loop';

export interface NotaryServiceOptions {
  store: NotaryStore;
  gateway: AnchorGateway;
  config: Pick<ServiceConfig, 'confirmations' | 'finalityDepth' | 'batch' | 'pollIntervalMs'> & Partial<Pick<ServiceConfig, 'fees'>>;
  /** Default Date.now. */
  clock?: Clock;
  /** Told of every seal, move and failure, beside the service's own counters. */
  observer?: NotaryObserver;
  /** How long a submitted transaction may go unseen before it counts as dropped. Default 10 poll intervals. */
  dropAfterMs?: number;
  /** Backoff after a failure. Default: from one poll interval up to 60 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** The notary account's send lock, shared with every other sender of the account (see AnchorerOptions). */
  sendLock?: <T>(task: () => Promise<T>) => Promise<T>;
  /**
   * Takes the members' submitted revocation requests to mined or failed (service/notary's RevocationFollower),
   * on the same timer as the anchorer: reading a request never moves it.
   */
  revocationFollower?: { follow(): Promise<unknown> };
  /**
   * Several processes on one database (issue #13): only the holder of this lease seals, anchors and follows
   * revocations; every process serves the API. Its store's batch writes are fenced by the same lease
   * (PgBatchRepository with leadership.fence()). Absent: this process is the only one, and always does.
   */
  leadership?: LeadershipGate;
}

/** The part of service/leadership's Leadership the loops use. */
export interface LeadershipGate {
  /** Takes or renews the lease. */
  step(): Promise<unknown>;
  /** Whether this process may act as the leader now. */
  current(): unknown;
  /** Frees the lease at a clean stop. */
  stepDown(): Promise<void>;
  /** How often step() runs (ms): well within the lease's time to live. */
  readonly stepIntervalMs: number;
}

/** What the metrics endpoint publishes. */
export interface NotaryMetrics extends NotaryStatsSnapshot {
  /** Batches per state, from the store. */
  batches: Record<BatchState, number>;
  queueDepth: number;
  /** How long the oldest queued credential has waited (ms); 0 with an empty queue. */
  oldestQueuedAgeMs: number;
}

/**
 * The notary's working core, and the one module that wires store, merkle and chain together: a batcher
 * that seals the intake queue into trees and an anchorer that takes each batch to final, both on a
 * `pollIntervalMs` timer, and the receipt lookup; and, when given one, the follower of revocation
 * transactions on a third timer.
 */
export class NotaryService {
  readonly batcher: Batcher;
  readonly anchorer: Anchorer;
  readonly receipts: StoredReceiptLookup;
  private readonly store: NotaryStore;
  private readonly clock: Clock;
  private readonly stats = new NotaryStats();
  private readonly loops: Loop[];
  private readonly leadership: LeadershipGate | undefined;

  constructor(options: NotaryServiceOptions) {
    const { store, gateway, config } = options;
    this.store = store;
    this.clock = options.clock ?? Date.now;
    const observer = notifyAll([this.stats, options.observer]);
    this.batcher = new Batcher({ store, maxSize: config.batch.maxSize, maxAgeMs: config.batch.maxAgeMs, clock: this.clock, observer });
    this.anchorer = new Anchorer({
      store,
      gateway,
      clock: this.clock,
      confirmations: config.confirmations,
      finalityDepth: config.finalityDepth,
      dropAfterMs: options.dropAfterMs ?? 10 * config.pollIntervalMs,
      backoff: options.backoff ?? { initialMs: config.pollIntervalMs, maxMs: Math.max(60_000, config.pollIntervalMs) },
      sendLock: options.sendLock,
      observer,
      fees: config.fees && {
        policy: {
          maxFeePerGas: config.fees.maxFeePerGas,
          minPriorityFeePerGas: config.fees.minPriorityFeePerGas,
          replacementBumpPercent: config.fees.replacementBumpPercent,
        },
        replaceAfterMs: config.fees.replaceAfterMs,
        dailyLimitWei: config.fees.dailyLimitWei,
      },
    });
    this.receipts = new StoredReceiptLookup({ store });
    /** A loop's tick whose failure is told to the observer (retried at the loop's next turn), never thrown. */
    const reportingFailures = (operation: string, retryInMs: number, tick: () => Promise<unknown>) => async () => {
      try {
        await tick();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        observer.failure({ batchId: undefined, kind: 'other', operation, message, failures: 1, retryInMs, at: this.clock() });
      }
    };
    const batcherTick = reportingFailures('seal', config.pollIntervalMs, () =>
      this.batcher.tick().catch((error: unknown) => {
        store.health.noteFailure(error, this.clock());
        throw error;
      }),
    );
    this.leadership = options.leadership;
    const whenLeading = (tick: () => Promise<unknown>) => () => (this.leads() ? tick() : Promise.resolve());
    this.loops = [new Loop(config.pollIntervalMs, whenLeading(batcherTick)), new Loop(config.pollIntervalMs, whenLeading(() => this.anchorer.tick()))];
    const leadership = this.leadership;
    if (leadership) this.loops.unshift(new Loop(leadership.stepIntervalMs, reportingFailures('lease', leadership.stepIntervalMs, () => leadership.step())));
    const follower = options.revocationFollower;
    if (follower) this.loops.push(new Loop(config.pollIntervalMs, whenLeading(reportingFailures('follow revocations', config.pollIntervalMs, () => follower.follow()))));
  }

  /** Starts the loops; each runs a tick, waits `pollIntervalMs`, and again. Starting twice is a no-op. */
  start(): void {
    for (const loop of this.loops) loop.start();
  }

  /** Stops the loops, waits for a tick in flight to end, and frees the lease. The store stays open: it is the caller's. */
  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
    await this.leadership?.stepDown();
  }

  /** Whether this process seals and anchors now: always, unless it shares its database under a lease. */
  leads(): boolean {
    return this.leadership === undefined || this.leadership.current() !== undefined;
  }

  async metrics(): Promise<NotaryMetrics> {
    const oldest = await this.store.credentials.oldestQueuedAt();
    return {
      ...this.stats.snapshot(),
      batches: await this.store.batches.countByState(),
      queueDepth: await this.store.credentials.queueDepth(),
      oldestQueuedAgeMs: oldest === undefined ? 0 : Math.max(0, this.clock() - oldest),
    };
  }
}
