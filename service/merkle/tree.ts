import { BatchSizeError, DuplicateDigestError, InvalidDigestError, LeafIndexError, StoredTreeError } from './errors';
import { toHex, type Hex } from './hex';
import { buildAllNodes, buildsInParallel } from './build';
import type { Keccak256 } from './keccak';
import { MAX_BATCH_SIZE, layerWidths, nodeCount } from './shape';

/** The first bytes of a stored tree: "BNMT", badge notary Merkle tree. */
export const STORED_TREE_MAGIC = Buffer.from('BNMT', 'ascii');
/** The version of the stored layout that this code writes and reads. */
export const STORED_TREE_VERSION = 1;
/** Magic (4 bytes), version (uint32 big-endian), leaf count (uint32 big-endian). */
export const STORED_TREE_HEADER_BYTES = 12;

const NODE = 32;

export interface BuildOptions {
  /**
   * Build on two threads: the calling one and a helper. By default a batch of 65,536 digests or more does when the
   * machine has a second core. The tree is the same either way.
   */
  parallel?: boolean;
}

/**
 * The Merkle tree of one batch of credential digests, kept as its stored form: a 12-byte header and then every
 * layer, leaves first and root last, as 32-byte nodes (docs/formats.md, "Stored tree"). Storage is O(N) (about 2N
 * nodes), and a proof is read by the leaf's index in O(log N) from the same bytes, with no hashing.
 *
 * The nodes are byte for byte those of merkletreejs({ sortPairs: true }) over the same leaves with keccak256.
 *
 * @example
 * const tree = await BatchTree.build(digests); // digests[i] is leaf i
 * store.save(batchId, tree.root, tree.dump());
 * const proof = BatchTree.load(store.read(batchId)).proof(i);
 */
export class BatchTree {
  /** Byte offset of each layer in `bytes`, leaves first. */
  private readonly offsets: readonly number[];
  private readonly widths: readonly number[];
  /** The internal nodes {@link proves} has found sound, one bit each by {@link nodeNumber}; made on first use. */
  private soundParents: Uint8Array | undefined;

  private constructor(
    private readonly bytes: Buffer,
    /** The number of leaves. */
    readonly size: number,
  ) {
    this.widths = layerWidths(size);
    const offsets = [STORED_TREE_HEADER_BYTES];
    for (const width of this.widths.slice(0, -1)) offsets.push(offsets[offsets.length - 1] + width * NODE);
    this.offsets = offsets;
  }

  /**
   * Builds the tree of a batch; leaf i is the leaf of `digests[i]`.
   *
   * @param digests credential digests, each 0x and 64 hex digits (either case) or 32 bytes; each at most once.
   * @throws {BatchSizeError} when there are no digests or more than {@link MAX_BATCH_SIZE}.
   * @throws {InvalidDigestError} naming the first digest that is not 32 bytes.
   * @throws {DuplicateDigestError} naming both positions of a digest that is there twice.
   */
  static async build(digests: readonly (string | Uint8Array)[], options: BuildOptions = {}): Promise<BatchTree> {
    const size = digests.length;
    if (size < 1 || size > MAX_BATCH_SIZE) throw new BatchSizeError(size, MAX_BATCH_SIZE);
    const parallel = buildsInParallel(size, options.parallel);
    const allocate = (length: number) =>
      parallel ? Buffer.from(new SharedArrayBuffer(length)) : Buffer.allocUnsafe(length);

    const packed = allocate(size * NODE);
    for (let index = 0; index < size; index++) readDigest(digests[index], index, packed, index * NODE);
    const bytes = allocate(STORED_TREE_HEADER_BYTES + nodeCount(size) * NODE);
    STORED_TREE_MAGIC.copy(bytes, 0);
    bytes.writeUInt32BE(STORED_TREE_VERSION, 4);
    bytes.writeUInt32BE(size, 8);
    const tree = new BatchTree(bytes, size);
    await buildAllNodes(packed, bytes, { size, offsets: tree.offsets, widths: tree.widths }, parallel);
    tree.rejectDuplicateLeaves(packed);
    return tree;
  }

  /**
   * Reads a tree from the bytes that {@link BatchTree.dump} wrote. The header and the length are checked; the
   * hashes are not recomputed (buildReceipt checks each proof it hands out against the root).
   * The tree keeps `stored` without copying it: do not change those bytes afterwards.
   *
   * @throws {StoredTreeError} saying what was expected: the magic, the version, a leaf count, the exact length.
   */
  static load(stored: Uint8Array): BatchTree {
    const bytes = Buffer.isBuffer(stored) ? stored : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
    if (bytes.length < STORED_TREE_HEADER_BYTES) {
      throw new StoredTreeError('not a stored batch tree', {
        details: `it has ${bytes.length} bytes, fewer than the ${STORED_TREE_HEADER_BYTES}-byte header`,
      });
    }
    if (!bytes.subarray(0, 4).equals(STORED_TREE_MAGIC)) {
      throw new StoredTreeError('not a stored batch tree', {
        details: `it starts with 0x${bytes.toString('hex', 0, 4)}, not with "BNMT" (0x${STORED_TREE_MAGIC.toString('hex')})`,
      });
    }
    const version = bytes.readUInt32BE(4);
    if (version !== STORED_TREE_VERSION) {
      throw new StoredTreeError(`stored batch tree version ${version} is not supported`, {
        details: `this code reads version ${STORED_TREE_VERSION}`,
      });
    }
    const size = bytes.readUInt32BE(8);
    if (size < 1 || size > MAX_BATCH_SIZE) {
      throw new StoredTreeError(`a stored batch tree cannot have ${size} leaves`, {
        details: `a batch holds 1 to ${MAX_BATCH_SIZE} digests`,
      });
    }
    const nodes = nodeCount(size);
    const expected = STORED_TREE_HEADER_BYTES + nodes * NODE;
    if (bytes.length !== expected) {
      throw new StoredTreeError(`the stored batch tree of ${size} leaves has ${bytes.length} bytes`, {
        details: `it needs ${STORED_TREE_HEADER_BYTES} + 32 x ${nodes} nodes = ${expected} bytes`,
      });
    }
    return new BatchTree(bytes, size);
  }

  /** The stored form: the bytes a store writes and {@link BatchTree.load} reads back. A copy: the tree stays intact. */
  dump(): Buffer {
    return Buffer.from(this.bytes);
  }

  /** The root, which is anchored on chain. */
  get root(): Hex {
    return this.hexAt(this.bytes.length - NODE);
  }

  /** The leaf of digest `index`. @throws {LeafIndexError} */
  leaf(index: number): Hex {
    this.checkIndex(index);
    return this.hexAt(STORED_TREE_HEADER_BYTES + index * NODE);
  }

  /**
   * The proof of leaf `index`: its siblings from the leaf layer up, none for a layer where the node was carried
   * up alone. Folding it with sorted-pair keccak256 from the leaf gives the root. @throws {LeafIndexError}
   */
  proof(index: number): Hex[] {
    this.checkIndex(index);
    const proof: Hex[] = [];
    for (let layer = 0, position = index; layer < this.widths.length - 1; layer++, position >>>= 1) {
      const sibling = position ^ 1;
      if (sibling < this.widths[layer]) proof.push(this.hexAt(this.offsets[layer] + sibling * NODE));
    }
    return proof;
  }

  /**
   * Whether leaf `index` is `leaf` and the stored path from it up to the root is sound: each node on it is the
   * sorted-pair keccak256 of its children (or its one child, carried up alone). A check of the stored bytes
   * themselves, made before a receipt is handed out. Each parent found sound is remembered, so a tree checks
   * each of its nodes at most once however many receipts it serves: a warm lookup hashes nothing here.
   * @throws {LeafIndexError}
   */
  proves(index: number, leaf: Uint8Array, keccak: Keccak256): boolean {
    this.checkIndex(index);
    if (!this.node(0, index).equals(leaf)) return false;
    const sound = (this.soundParents ??= new Uint8Array(Math.ceil(nodeCount(this.size) / 8)));
    for (let layer = 0, position = index; layer < this.widths.length - 1; layer++, position >>>= 1) {
      const parent = this.nodeNumber(layer + 1, position >>> 1);
      if ((sound[parent >>> 3] & (1 << (parent & 7))) !== 0) continue;
      const sibling = position ^ 1;
      const node = this.node(layer, position);
      const expected = sibling < this.widths[layer] ? keccak.pair(node, this.node(layer, sibling)) : node;
      if (!this.node(layer + 1, position >>> 1).equals(expected)) return false;
      sound[parent >>> 3] |= 1 << (parent & 7);
    }
    return true;
  }

  /** Every layer as hex, leaves first and root last: for tests and for showing small trees. */
  layers(): Hex[][] {
    return this.widths.map((width, layer) =>
      Array.from({ length: width }, (_, i) => toHex(this.bytes, this.offsets[layer] + i * NODE, NODE)),
    );
  }

  /** The node at byte `offset` as lowercase 0x hex, read straight from the stored bytes (no view allocated). */
  private hexAt(offset: number): Hex {
    return `0x${this.bytes.toString('hex', offset, offset + NODE)}`;
  }

  /** The node's number in storage order (leaves first), which is its bit in `soundParents`. */
  private nodeNumber(layer: number, position: number): number {
    return (this.offsets[layer] - STORED_TREE_HEADER_BYTES) / NODE + position;
  }

  private node(layer: number, position: number): Buffer {
    const offset = this.offsets[layer] + position * NODE;
    return this.bytes.subarray(offset, offset + NODE);
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new LeafIndexError(index, this.size);
  }

  /**
   * Equal leaves mean equal digests. An open-addressing table keyed on the first four bytes of each leaf (uniform,
   * being a hash) finds them in one pass, without a million strings in a Set.
   */
  private rejectDuplicateLeaves(digests: Buffer): void {
    let capacity = 2;
    while (capacity < this.size * 2) capacity *= 2;
    const mask = capacity - 1;
    const slots = new Int32Array(capacity).fill(-1);
    const leaf = (index: number) => STORED_TREE_HEADER_BYTES + index * NODE;
    for (let index = 0; index < this.size; index++) {
      const offset = leaf(index);
      for (let slot = this.bytes.readUInt32BE(offset) & mask; ; slot = (slot + 1) & mask) {
        const other = slots[slot];
        if (other === -1) {
          slots[slot] = index;
          break;
        }
        const otherOffset = leaf(other);
        if (this.bytes.compare(this.bytes, otherOffset, otherOffset + NODE, offset, offset + NODE) === 0) {
          throw new DuplicateDigestError(toHex(digests, index * NODE, NODE), other, index);
        }
      }
    }
  }
}

/** Writes the 32 bytes of digest `value` at `offset` of `target`, or throws naming its position. */
function readDigest(value: string | Uint8Array, index: number, target: Buffer, offset: number): void {
  if (typeof value === 'string') {
    // Buffer.write stops at the first pair that is not hex, so 32 bytes written means 64 hex digits.
    const ok =
      value.length === 66 && value.startsWith('0x') && target.write(value.slice(2), offset, NODE, 'hex') === NODE;
    if (ok) return;
  } else if (value instanceof Uint8Array && value.length === NODE) {
    target.set(value, offset);
    return;
  }
  throw new InvalidDigestError(index, value);
}
