import { BatchTree } from '../merkle';
import type { Batch, NotaryStore } from '../store';
import type { Clock } from '../clock';
import { notifyAll, type NotaryObserver } from './observer';

export interface BatcherOptions {
  store: NotaryStore;
  /** A batch is sealed as soon as this many credentials wait, and holds at most this many. */
  maxSize: number;
  /** A batch is sealed when its oldest credential has waited this long (ms), however few there are. */
  maxAgeMs: number;
  clock: Clock;
  observer?: NotaryObserver;
  /** The most batches one tick seals, so that a long queue does not hold the loop. Default 16. */
  maxBatchesPerTick?: number;
}

/**
 * Drains the intake queue into batches (OpenTimestamps' aggregator; Trillian's sequencer): when the queue
 * reaches `maxSize`, or its oldest credential is `maxAgeMs` old, it takes up to `maxSize` digests oldest
 * first, builds their tree, and stores the batch, its tree (O(N): never one proof per leaf) and every
 * credential's leaf in one store transaction, so a failure seals nothing.
 */
export class Batcher {
  private readonly store: NotaryStore;
  private readonly maxSize: number;
  private readonly maxAgeMs: number;
  private readonly clock: Clock;
  private readonly notify: Required<NotaryObserver>;
  private readonly maxBatchesPerTick: number;
  private running: Promise<Batch[]> | undefined;

  constructor(options: BatcherOptions) {
    if (!Number.isInteger(options.maxSize) || options.maxSize < 1) throw new RangeError(`batch maxSize must be a whole number >= 1, got ${options.maxSize}`);
    this.store = options.store;
    this.maxSize = options.maxSize;
    this.maxAgeMs = options.maxAgeMs;
    this.clock = options.clock;
    this.notify = notifyAll([options.observer]);
    this.maxBatchesPerTick = options.maxBatchesPerTick ?? 16;
  }

  /** Why a batch is due now, or undefined when none is. */
  async due(now = this.clock()): Promise<'size' | 'age' | undefined> {
    const depth = await this.store.credentials.queueDepth();
    if (depth === 0) return undefined;
    if (depth >= this.maxSize) return 'size';
    const oldest = await this.store.credentials.oldestQueuedAt();
    return oldest !== undefined && now - oldest >= this.maxAgeMs ? 'age' : undefined;
  }

  /**
   * Seals every batch that is due (at most `maxBatchesPerTick`) and returns them. A tick asked for while one
   * runs gets that one's result. Throws when a seal fails; nothing of that batch is stored then.
   */
  tick(): Promise<Batch[]> {
    this.running ??= this.sealDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sealDue(): Promise<Batch[]> {
    const sealed: Batch[] = [];
    while (sealed.length < this.maxBatchesPerTick) {
      const now = this.clock();
      const reason = await this.due(now);
      if (!reason) break;
      const digests = await this.store.credentials.nextQueued(this.maxSize);
      const tree = await BatchTree.build(digests);
      const batch = await this.store.batches.seal({ root: tree.root, tree: tree.dump(), digests, sealedAt: now });
      this.notify.sealed({ batchId: batch.id, root: batch.root, size: batch.size, reason, at: now });
      sealed.push(batch);
    }
    return sealed;
  }
}
