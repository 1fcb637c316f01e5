/**
 * The shape of a batch tree, which depends on its number of leaves only. Layer 0 holds the leaves in batch order;
 * each next layer holds the parents of adjacent pairs, and a layer's last node, when it has no partner, is carried up
 * unchanged (merkletreejs's default: no duplication). The last layer holds the root alone.
 */

/** The largest batch: 2^24 leaves, a stored tree of about 1 GiB. */
export const MAX_BATCH_SIZE = 2 ** 24;

/** The number of nodes in each layer, leaves first, root last. */
export function layerWidths(size: number): number[] {
  const widths = [size];
  for (let width = size; width > 1;) {
    width = Math.ceil(width / 2);
    widths.push(width);
  }
  return widths;
}

/** All nodes of the tree, every layer counted: about twice the leaves. */
export function nodeCount(size: number): number {
  return layerWidths(size).reduce((sum, width) => sum + width, 0);
}

/** The longest proof in a tree of `size` leaves: ceil(log2(size)), 0 for one leaf. */
export function maxProofLength(size: number): number {
  return layerWidths(size).length - 1;
}

/** The exact length of the proof of leaf `index`: one sibling per layer, except where the node was carried up. */
export function proofLength(index: number, size: number): number {
  let length = 0;
  const widths = layerWidths(size);
  for (let layer = 0, position = index; layer < widths.length - 1; layer++, position >>>= 1) {
    if ((position ^ 1) < widths[layer]) length++;
  }
  return length;
}
