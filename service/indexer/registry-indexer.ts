import { getAddress } from 'ethers';
import type { IndexedBlock, MirrorCursor, RegistryEventRecord, RegistryMirrorRepository } from '../store';
import type { ChainBlock, ChainLog, ChainReader } from './chain-reader';
import { ChainMovedError, IndexerError } from './errors';
import { decodeCatalogueLog, decodeRegistryLog } from './registry-events';

/** Where the registry is: a ChainBinding fits, and so does `{ registry, deploymentBlock: record.blockNumber }`. */
export interface RegistryLocation {
  registry: string;
  /** The block of the deployment transaction: the mirror starts there. */
  deploymentBlock: number;
  /**
   * The badge-class catalogue deployed beside the registry (the deployment record's `catalogue`), whose events
   * the mirror keeps too; undefined or null when the deployment has none. Its deployment is not before the
   * registry's, so the same start block covers it.
   */
  catalogue?: string | null;
}

/** What the indexer reports, for metrics and logs. Every method is optional; none may block. */
export interface IndexerObserver {
  /** Blocks fromBlock..toBlock were applied, with `events` registry events. */
  chunkIndexed?(chunk: { fromBlock: number; toBlock: number; events: number }): void;
  /** The last indexed block left the chain and the mirror was rolled back. */
  reorged?(reorg: ReorgReport): void;
  /** A step failed (an RPC error, the chain moving under it, ...); the loop retries in `retryInMs`. */
  stepFailed?(failure: { error: unknown; consecutiveFailures: number; retryInMs: number }): void;
  /** A log at the registry's (or the catalogue's) address that is no event of that contract was skipped. */
  logSkipped?(log: ChainLog): void;
}

export interface ReorgReport {
  /** The mirror's last block before the rollback. */
  orphanedHead: number;
  /** The newest kept block still on the chain; the deployment block - 1 when none is. */
  commonAncestor: number;
  removedEvents: number;
  /** No kept block was still on the chain: the reorg is deeper than the kept hashes, the mirror starts over. */
  beyondKeptBlocks: boolean;
}

export interface StepResult {
  /** The chain's head when the step began. */
  head: number;
  /** The mirror's last block after the step (undefined while nothing is indexed). */
  indexedHead: number | undefined;
  /** Events applied by this step. */
  events: number;
  reorgs: ReorgReport[];
}

export interface RegistryIndexerOptions {
  reader: ChainReader;
  mirror: RegistryMirrorRepository;
  deployment: RegistryLocation;
  /** Time between steps while the indexer runs (ServiceConfig.pollIntervalMs). */
  pollIntervalMs: number;
  /** Most blocks per eth_getLogs call and per transaction. Default 2,000. */
  chunkSize?: number;
  /** How many of the newest indexed blocks' hashes to keep: the deepest reorg handled without starting over. Default 256. */
  keepBlocks?: number;
  /** Longest wait between failed steps. Default 60 s. */
  maxBackoffMs?: number;
  observer?: IndexerObserver;
  /** The clock for the cursor's updatedAt, ms. */
  now?: () => number;
}

/** getBlock calls in flight at once (a JsonRpcProvider batches calls made together). */
const BLOCK_FETCH_CONCURRENCY = 16;

interface Waiter {
  blockNumber: number;
  resolve(): void;
  reject(error: unknown): void;
}

type ChunkOutcome = { events: number } | { reorg: ReorgReport };

/**
 * Mirrors the registry's events into the store, from its deployment block on, and the badge-class catalogue's
 * beside them when the deployment has one (the same chunks, cursor and reorg handling).
 *
 * Each step: (a) checks that the mirror's last block is still on the chain, and if not walks back through the
 * kept block hashes to the newest one still there (the common ancestor) and rolls the mirror back to it; (b)
 * reads the logs from there to the head in chunks and applies each chunk in one transaction with the hashes of
 * its newest blocks. Per chunk, the order of the reads is what makes it safe: first the blocks whose hashes it
 * keeps (its last block among them), then the check that the mirror's last block is still on the chain, then
 * the logs. A reorg before the check shows in it; one after it changes the hash kept for the chunk's last
 * block, and the next check rolls the chunk back. A reorg deeper than the kept hashes starts the mirror over.
 *
 * @example
 *   const indexer = new RegistryIndexer({ reader: provider, mirror: store.registry, deployment: binding, pollIntervalMs: 200 });
 *   indexer.start();
 *   await indexer.waitForBlock(receipt.blockNumber);
 *   await indexer.stop();
 */
export class RegistryIndexer {
  private readonly reader: ChainReader;
  private readonly mirror: RegistryMirrorRepository;
  private readonly registry: string;
  private readonly catalogue: string | null;
  private readonly startBlock: number;
  private readonly pollIntervalMs: number;
  private readonly chunkSize: number;
  private readonly keepBlocks: number;
  private readonly maxBackoffMs: number;
  private readonly observer: IndexerObserver;
  private readonly now: () => number;

  /** Steps run one at a time: each waits for the one before. */
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private stopRequested = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private failures = 0;
  private waiters: Waiter[] = [];

  constructor(options: RegistryIndexerOptions) {
    this.reader = options.reader;
    this.mirror = options.mirror;
    this.registry = getAddress(options.deployment.registry);
    this.catalogue = options.deployment.catalogue ? getAddress(options.deployment.catalogue) : null;
    this.startBlock = options.deployment.deploymentBlock;
    this.pollIntervalMs = options.pollIntervalMs;
    this.chunkSize = options.chunkSize ?? 2_000;
    this.keepBlocks = options.keepBlocks ?? 256;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.observer = options.observer ?? {};
    this.now = options.now ?? Date.now;
    if (!Number.isSafeInteger(this.startBlock) || this.startBlock < 0) {
      throw new IndexerError(`the deployment block must be a block number, not ${this.startBlock}`);
    }
    if (!Number.isSafeInteger(this.chunkSize) || this.chunkSize < 1) throw new IndexerError(`chunkSize must be at least 1, not ${this.chunkSize}`);
    if (!Number.isSafeInteger(this.keepBlocks) || this.keepBlocks < 1) throw new IndexerError(`keepBlocks must be at least 1, not ${this.keepBlocks}`);
  }

  /** Runs a step now and then every pollIntervalMs; a failed step is retried later with a growing delay. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopRequested = false;
    this.schedule(0);
  }

  /** Stops the loop and waits for the step in flight to finish; waiters not yet satisfied are rejected. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopRequested = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.inFlight;
      await this.queue;
    } finally {
      this.stopRequested = false;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(new IndexerError(`the indexer stopped before block ${waiter.blockNumber} was indexed`));
  }

  /** One step: catch up with the chain's head, rolling back first if the chain reorganised. Throws on failure. */
  step(): Promise<StepResult> {
    const run = this.queue.then(() => this.runStep());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the mirror has indexed block `blockNumber` (at once if it has). */
  waitForBlock(blockNumber: number, options: { signal?: AbortSignal } = {}): Promise<void> {
    if ((this.mirror.indexedHead() ?? -1) >= blockNumber) return Promise.resolve();
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        blockNumber,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick().finally(() => (this.inFlight = undefined));
    }, delayMs);
  }

  private async tick(): Promise<void> {
    let delay = this.pollIntervalMs;
    try {
      await this.step();
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      delay = Math.min(this.maxBackoffMs, this.pollIntervalMs * 2 ** Math.min(this.failures, 20));
      this.report(() => this.observer.stepFailed?.({ error, consecutiveFailures: this.failures, retryInMs: delay }));
    }
    if (this.running) this.schedule(delay);
  }

  private async runStep(): Promise<StepResult> {
    this.mirror.initCursor({ registry: this.registry, startBlock: this.startBlock, catalogue: this.catalogue }, this.now());
    const head = await this.reader.getBlockNumber();
    const result: StepResult = { head, indexedHead: undefined, events: 0, reorgs: [] };
    while (!this.stopRequested) {
      const cursor = this.mirror.cursor()!;
      const from = cursor.lastBlock + 1;
      if (from > head) {
        // Nothing new: still make sure that what the mirror has is on the chain.
        const reorg = await this.ensureCanonical(cursor);
        if (reorg === undefined) break;
        result.reorgs.push(reorg);
        continue;
      }
      const outcome = await this.indexChunk(cursor, from, Math.min(head, from + this.chunkSize - 1), head);
      if ('reorg' in outcome) result.reorgs.push(outcome.reorg);
      else result.events += outcome.events;
    }
    result.indexedHead = this.mirror.indexedHead();
    return result;
  }

  /** Reads and applies blocks from..to, or rolls back when the cursor's block has left the chain. */
  private async indexChunk(cursor: MirrorCursor, from: number, to: number, head: number): Promise<ChunkOutcome> {
    // 1. The blocks whose hashes the chunk keeps (its last one, and those among the newest keepBlocks of the
    //    chain), read before the logs: a reorg after this read changes the hash kept for `to`, and the next
    //    step notices it.
    const keptFrom = Math.min(to, Math.max(from, head - this.keepBlocks + 1));
    const kept = await this.readBlocks(range(keptFrom, to));

    // 2. Then the mirror's last block must still be on the chain: a reorg before this check shows here, one
    //    after it changes the hash kept for `to`. (No parentHash links are checked: Hardhat's hardhat_mine
    //    leaves them zero in the blocks it reserves, and the order of these reads is enough.)
    const reorg = await this.ensureCanonical(cursor);
    if (reorg !== undefined) return { reorg };

    // 3. The logs (the registry's, then the catalogue's: one call each, over the same blocks), and the times of
    //    their blocks; each log must name the hash of the block read.
    const registryLogs = await this.readLogs(this.registry, from, to);
    const catalogueLogs = this.catalogue === null ? [] : await this.readLogs(this.catalogue, from, to);
    const blockNumbers = new Set([...registryLogs, ...catalogueLogs].map((log) => log.blockNumber));
    const others = await this.readBlocks([...blockNumbers].filter((n) => !kept.has(n)));
    const decode = (logs: readonly ChainLog[], decoder: typeof decodeRegistryLog): RegistryEventRecord[] => {
      const events: RegistryEventRecord[] = [];
      for (const log of logs) {
        const block = kept.get(log.blockNumber) ?? others.get(log.blockNumber)!;
        if (log.removed || log.blockHash.toLowerCase() !== block.hash.toLowerCase()) {
          throw new ChainMovedError(`a log of block ${log.blockNumber} names block hash ${log.blockHash}, the chain now has ${block.hash}`);
        }
        const event = decoder(log, block.timestamp);
        if (event === undefined) this.report(() => this.observer.logSkipped?.(log));
        else events.push(event);
      }
      return events;
    };
    const events = decode(registryLogs, decodeRegistryLog);
    const catalogueEvents = decode(catalogueLogs, decodeCatalogueLog);

    // 4. All of it in one transaction.
    this.mirror.applyChunk(
      { fromBlock: from, toBlock: to, events, catalogueEvents, blocks: [...kept.values()].map(indexedBlock), keepBlocks: this.keepBlocks },
      this.now(),
    );
    const count = events.length + catalogueEvents.length;
    this.report(() => this.observer.chunkIndexed?.({ fromBlock: from, toBlock: to, events: count }));
    this.releaseWaiters();
    return { events: count };
  }

  /** The logs of `address` in blocks from..to, in chain order; a log outside those blocks is an RPC fault. */
  private async readLogs(address: string, from: number, to: number): Promise<ChainLog[]> {
    const logs = (await this.reader.getLogs({ address, fromBlock: from, toBlock: to }))
      .filter((log) => log.address.toLowerCase() === address.toLowerCase())
      .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
    const stray = logs.find((log) => log.blockNumber < from || log.blockNumber > to);
    if (stray !== undefined) throw new IndexerError(`asked for the logs of blocks ${from} to ${to}, got one of block ${stray.blockNumber}`);
    return logs;
  }

  /**
   * Undefined when the cursor's block is still on the chain. Otherwise walks back through the kept hashes,
   * newest first, to the newest block still on the chain, and rolls the mirror back to it (or to before the
   * deployment block when none is).
   */
  private async ensureCanonical(cursor: MirrorCursor): Promise<ReorgReport | undefined> {
    if (cursor.lastBlockHash === null) return undefined;
    const current = await this.reader.getBlock(cursor.lastBlock);
    if (current?.hash?.toLowerCase() === cursor.lastBlockHash) return undefined;

    let ancestor = cursor.startBlock - 1;
    for (const kept of this.mirror.recentBlocks()) {
      if (kept.number >= cursor.lastBlock) continue;
      const canonical = await this.reader.getBlock(kept.number);
      if (canonical?.hash?.toLowerCase() === kept.hash) {
        ancestor = kept.number;
        break;
      }
    }
    const removedEvents = this.mirror.rollbackTo(ancestor, this.now());
    const report: ReorgReport = {
      orphanedHead: cursor.lastBlock,
      commonAncestor: ancestor,
      removedEvents,
      beyondKeptBlocks: ancestor === cursor.startBlock - 1,
    };
    this.report(() => this.observer.reorged?.(report));
    return report;
  }

  /** The blocks by number; a block the chain does not have (any more) means it is moving. */
  private async readBlocks(numbers: readonly number[]): Promise<Map<number, ChainBlock & { hash: string }>> {
    const blocks = new Map<number, ChainBlock & { hash: string }>();
    for (let i = 0; i < numbers.length; i += BLOCK_FETCH_CONCURRENCY) {
      const slice = numbers.slice(i, i + BLOCK_FETCH_CONCURRENCY);
      const fetched = await Promise.all(slice.map((n) => this.reader.getBlock(n)));
      fetched.forEach((block, j) => {
        if (block === null || block.hash === null) throw new ChainMovedError(`block ${slice[j]} is not on the chain (any more)`);
        blocks.set(slice[j], block as ChainBlock & { hash: string });
      });
    }
    return blocks;
  }

  private releaseWaiters(): void {
    const head = this.mirror.indexedHead() ?? -1;
    const ready = this.waiters.filter((waiter) => waiter.blockNumber <= head);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.blockNumber > head);
    for (const waiter of ready) waiter.resolve();
  }

  /** Calls the observer; an observer that throws must not break indexing. */
  private report(call: () => void): void {
    try {
      call();
    } catch {
      // The observer's problem, not the mirror's.
    }
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

function indexedBlock(block: ChainBlock & { hash: string }): IndexedBlock {
  return { number: block.number, hash: block.hash.toLowerCase(), parentHash: block.parentHash.toLowerCase(), time: block.timestamp };
}
