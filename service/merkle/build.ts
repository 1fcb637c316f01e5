import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IHasher } from 'hash-wasm';
import { MerkleError } from './errors';
import { loadKeccak256 } from './keccak';

/**
 * The tree builder's kernel and its one helper thread. Hashing is the whole cost of a build (three keccak256 per
 * leaf: two for the leaf, one for its share of the parents), and hash-wasm's cost is per call, so the only way to
 * go faster is a second core: a large batch is cut at a point that no parent spans, each half is built on its own
 * thread, and the few layers above the cut are built last.
 */

/** Batches from this size build on two threads when the machine has two cores. */
export const PARALLEL_BUILD_THRESHOLD = 65_536;

/** Part of a build: leaves `from` to `to` (exclusive), and their parents in layers `firstLayer` to `lastLayer`. */
export interface BuildTask {
  from: number;
  to: number;
  size: number;
  firstLayer: number;
  lastLayer: number;
  /** Byte offset of each layer in the node buffer, leaves first. */
  offsets: readonly number[];
  widths: readonly number[];
}

/**
 * Builds one part of the tree into `nodes`, reading digest i at byte 32i of `digests`. A leaf is
 * keccak256(keccak256(digest)); a parent is keccak256 of its two children, the smaller first; a last node without a
 * partner is carried up unchanged. In layer k the part covers parents from/2^k up to to/2^k, or up to the layer's
 * end when `to` is the batch size, so `from` (and `to`, unless it is the size) must be multiples of 2^lastLayer.
 *
 * Self-contained on purpose: the helper thread runs this function from its source text, so it may use only its
 * parameters and globals (Buffer, Math).
 */
export function buildNodes(hasher: IHasher, digests: Buffer, nodes: Buffer, task: BuildTask): void {
  const { from, to, size, firstLayer, lastLayer, offsets, widths } = task;
  if (firstLayer === 0) {
    for (let i = from; i < to; i++) {
      hasher.init();
      hasher.update(digests.subarray(32 * i, 32 * i + 32));
      const inner = hasher.digest('binary');
      hasher.init();
      hasher.update(inner);
      nodes.set(hasher.digest('binary'), offsets[0] + 32 * i);
    }
  }
  const ordered = Buffer.alloc(64);
  for (let layer = Math.max(firstLayer, 1); layer <= lastLayer; layer++) {
    const start = from / 2 ** layer;
    const end = to === size ? widths[layer] : to / 2 ** layer;
    const below = offsets[layer - 1];
    const here = offsets[layer];
    const belowWidth = widths[layer - 1];
    for (let j = start; j < end; j++) {
      const left = below + 64 * j;
      const right = left + 32;
      if (2 * j + 1 >= belowWidth) {
        nodes.copy(nodes, here + 32 * j, left, right);
        continue;
      }
      hasher.init();
      if (nodes.compare(nodes, right, right + 32, left, right) <= 0) {
        hasher.update(nodes.subarray(left, right + 32));
      } else {
        nodes.copy(ordered, 0, right, right + 32);
        nodes.copy(ordered, 32, left, right);
        hasher.update(ordered);
      }
      nodes.set(hasher.digest('binary'), here + 32 * j);
    }
  }
}

/** Whether a batch of `size` is built on two threads, unless the caller says. */
export function buildsInParallel(size: number, parallel: boolean | undefined): boolean {
  return size >= 2 && (parallel ?? (size >= PARALLEL_BUILD_THRESHOLD && availableParallelism() > 1));
}

/**
 * Builds every layer of the tree into `nodes` from the packed digests. With `parallel`, both buffers must live on a
 * SharedArrayBuffer: the helper thread writes its half straight into `nodes`.
 */
export async function buildAllNodes(
  digests: Buffer,
  nodes: Buffer,
  layout: Pick<BuildTask, 'size' | 'offsets' | 'widths'>,
  parallel: boolean,
): Promise<void> {
  const hasher = (await loadKeccak256()).hasher;
  const top = layout.widths.length - 1;
  if (!parallel) {
    buildNodes(hasher, digests, nodes, { ...layout, from: 0, to: layout.size, firstLayer: 0, lastLayer: top });
    return;
  }
  // Cut near the middle at a multiple of 2^depth: below `depth` no parent has children on both sides of the cut.
  const depth = Math.max(0, Math.floor(Math.log2(layout.size)) - 6);
  const cut = Math.round(layout.size / 2 ** (depth + 1)) * 2 ** depth;
  const helper = runInHelper(digests, nodes, {
    ...layout,
    from: cut,
    to: layout.size,
    firstLayer: 0,
    lastLayer: depth,
  });
  buildNodes(hasher, digests, nodes, { ...layout, from: 0, to: cut, firstLayer: 0, lastLayer: depth });
  await helper;
  buildNodes(hasher, digests, nodes, { ...layout, from: 0, to: layout.size, firstLayer: depth + 1, lastLayer: top });
}

const HELPER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const buildNodes = ${buildNodes.toString()};
require(workerData.hashWasm).createKeccak(256).then((hasher) => {
  buildNodes(hasher, Buffer.from(workerData.digests), Buffer.from(workerData.nodes), workerData.task);
  parentPort.postMessage('done');
});
`;

function runInHelper(digests: Buffer, nodes: Buffer, task: BuildTask): Promise<void> {
  if (!(digests.buffer instanceof SharedArrayBuffer) || !(nodes.buffer instanceof SharedArrayBuffer)) {
    throw new MerkleError('a parallel build needs its buffers on a SharedArrayBuffer');
  }
  return new Promise((resolve, reject) => {
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { hashWasm: require.resolve('hash-wasm'), digests: digests.buffer, nodes: nodes.buffer, task },
    });
    const fail = (cause: unknown) => reject(new MerkleError("the tree builder's helper thread failed", { cause }));
    worker.once('message', () => {
      resolve();
      void worker.terminate();
    });
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`it exited with code ${code} before finishing`)));
  });
}
