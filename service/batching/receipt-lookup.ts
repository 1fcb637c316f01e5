import { BatchTree, buildReceipt, type AnchorFacts, type Hex, type Receipt } from '../merkle';
import type { Batch, BatchState, ChainBinding, NotaryStore } from '../store';
import { NotaryError, type NotaryErrorOptions } from '../errors';

/** Final batches kept in memory: about 200 bytes each. */
const FINAL_BATCHES_KEPT = 10_000;

/** Where a credential's batch stands. */
export interface CredentialBatchView {
  id: number;
  root: string;
  size: number;
  leafIndex: number;
  state: BatchState;
  sealedAt: number;
  /** The anchoring transaction, once there is one (it may still change until the batch is final). */
  txHash: string | null;
  blockNumber: number | null;
  /** The last failure while anchoring, in words (cleared once confirmed). */
  lastError: string | null;
}

/**
 * A credential's status:
 * - queued: acknowledged, waiting for a batch;
 * - sealed / submitted: in a batch whose root is not anchored with enough confirmations yet;
 * - confirmed / final: anchored; `receipt` proves it.
 */
export type CredentialStatus =
  | { digest: string; state: 'queued'; receivedAt: number }
  | { digest: string; state: 'sealed' | 'submitted'; receivedAt: number; batch: CredentialBatchView }
  | { digest: string; state: 'confirmed' | 'final'; receivedAt: number; batch: CredentialBatchView; receipt: Receipt };

export interface StoredReceiptLookupOptions {
  store: NotaryStore;
  /**
   * Stored trees kept in memory, by total size in bytes (a tree of N leaves is about 64 N bytes): receipts
   * are often fetched in runs from the same batch. Default 64 MiB; 0 keeps none.
   */
  treeCacheBytes?: number;
}

/** Thrown when a receipt is asked for from a database that belongs to no chain yet. */
export class UnboundStoreError extends NotaryError {
  override name = 'UnboundStoreError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('store-not-bound', message, options);
  }
}

/**
 * Answers, per credential digest, where it stands and, once its batch is confirmed, its receipt: the proof
 * read from the stored tree by the leaf's index (O(log N) once the tree is loaded), the chain and registry as
 * CAIP from the database's chain binding, and the anchoring transaction, block and member from the batch.
 */
export class StoredReceiptLookup {
  private readonly store: NotaryStore;
  private readonly trees: TreeCache;
  private chainBinding: ChainBinding | undefined;
  /** Final batches, oldest first: a final batch never changes. */
  private readonly finalBatches = new Map<number, Batch>();

  constructor(options: StoredReceiptLookupOptions) {
    this.store = options.store;
    this.trees = new TreeCache(options.treeCacheBytes ?? 64 * 1024 * 1024);
  }

  /** The status of the credential with this digest (0x and 64 hex digits, any case), or undefined when unknown. */
  async status(digest: string): Promise<CredentialStatus | undefined> {
    const credential = await this.store.credentials.placement(digest.toLowerCase());
    if (!credential) return undefined;
    const { receivedAt } = credential;
    if (credential.batchId === null || credential.leafIndex === null) return { digest: credential.digest, state: 'queued', receivedAt };
    const batch = await this.batch(credential.batchId);
    if (!batch) throw new Error(`credential ${credential.digest} names batch ${credential.batchId}, which is not stored`);
    const view: CredentialBatchView = {
      id: batch.id,
      root: batch.root,
      size: batch.size,
      leafIndex: credential.leafIndex,
      state: batch.state,
      sealedAt: batch.sealedAt,
      txHash: batch.txHash,
      blockNumber: batch.blockNumber,
      lastError: batch.lastError,
    };
    if (batch.state === 'sealed' || batch.state === 'submitted') return { digest: credential.digest, state: batch.state, receivedAt, batch: view };
    const receipt = await this.receiptOf(batch, credential.leafIndex, credential.digest as Hex);
    return { digest: credential.digest, state: batch.state, receivedAt, batch: view, receipt };
  }

  /** The receipt of the credential with this digest, or undefined while it has none (unknown or not confirmed). */
  async receipt(digest: string): Promise<Receipt | undefined> {
    const status = await this.status(digest);
    return status && 'receipt' in status ? status.receipt : undefined;
  }

  private async receiptOf(batch: Batch, leafIndex: number, digest: Hex): Promise<Receipt> {
    return buildReceipt({ tree: await this.tree(batch), index: leafIndex, digest, batchId: String(batch.id), anchor: await this.anchorFacts(batch) });
  }

  /** A batch by id: a final one from memory, since it never changes again; any other from the store. */
  private async batch(id: number): Promise<Batch | undefined> {
    const final = this.finalBatches.get(id);
    if (final) return final;
    const batch = await this.store.batches.get(id);
    if (batch?.state === 'final') {
      if (this.finalBatches.size >= FINAL_BATCHES_KEPT) this.finalBatches.delete(this.finalBatches.keys().next().value!);
      this.finalBatches.set(id, batch);
    }
    return batch;
  }

  /** The anchor facts of a confirmed or final batch (buildReceipt checks each distinct set once). */
  private async anchorFacts(batch: Batch): Promise<AnchorFacts> {
    const binding = await this.binding();
    return {
      chainId: binding.chainId,
      registry: binding.registry,
      transactionHash: batch.txHash!,
      blockNumber: batch.blockNumber!,
      blockTimestamp: batch.anchoredAt!,
      memberId: batch.anchoredBy!,
    };
  }

  /** The database's chain binding: read once it exists, since a database is bound once and for good. */
  private async binding(): Promise<ChainBinding> {
    this.chainBinding ??= await this.store.chainBinding.get();
    if (!this.chainBinding) throw new UnboundStoreError('the database is bound to no chain: cannot name the chain and registry of a receipt');
    return this.chainBinding;
  }

  private async tree(batch: Batch): Promise<BatchTree> {
    const cached = this.trees.get(batch.id);
    if (cached) return cached;
    const stored = await this.store.batches.tree(batch.id);
    if (!stored) throw new Error(`batch ${batch.id} has no stored tree`);
    const tree = BatchTree.load(stored);
    if (tree.root !== batch.root.toLowerCase()) throw new Error(`the stored tree of batch ${batch.id} has root ${tree.root}, not the batch's ${batch.root}`);
    this.trees.set(batch.id, tree, stored.length);
    return tree;
  }
}

/** A small least-recently-used cache of loaded trees, bounded by their bytes. A batch's tree never changes. */
class TreeCache {
  private readonly entries = new Map<number, { tree: BatchTree; bytes: number }>();
  private total = 0;

  constructor(private readonly capacity: number) {}

  get(batchId: number): BatchTree | undefined {
    const entry = this.entries.get(batchId);
    if (!entry) return undefined;
    this.entries.delete(batchId);
    this.entries.set(batchId, entry);
    return entry.tree;
  }

  set(batchId: number, tree: BatchTree, bytes: number): void {
    if (bytes > this.capacity) return;
    this.entries.set(batchId, { tree, bytes });
    this.total += bytes;
    for (const [id, entry] of this.entries) {
      if (this.total <= this.capacity) break;
      this.entries.delete(id);
      this.total -= entry.bytes;
    }
  }
}
