import { createHash } from 'node:crypto';
import { keccak256 } from 'ethers';
import { MerkleTree } from 'merkletreejs';
import type { Hex } from '../../service/merkle';
import leavesVectors from '../vectors/merkle/leaves.json';
import receiptVectors from '../vectors/merkle/receipt.json';
import storedTreeVectors from '../vectors/merkle/stored-tree.json';
import treeVectors from '../vectors/merkle/trees.json';

export { leavesVectors, receiptVectors, storedTreeVectors, treeVectors };

/** `count` distinct digests, the same for the same seed: sha256 of the seed and the position. */
export function digestsFor(count: number, seed = 0): Hex[] {
  return Array.from(
    { length: count },
    (_, i) => `0x${createHash('sha256').update(`${seed}:${i}`).digest('hex')}` as Hex,
  );
}

/** The independent reference: merkletreejs with ethers' keccak256, sorted pairs, over leaves hashed by ethers. */
export function referenceTree(digests: readonly string[]): MerkleTree {
  const leaves = digests.map((digest) => keccak256(keccak256(digest)));
  return new MerkleTree(leaves, keccak256, { sortPairs: true });
}

/** `hex` with one bit of byte `byte` flipped. */
export function flipBit(hex: string, byte: number, bit: number): Hex {
  const bytes = Buffer.from(hex.slice(2), 'hex');
  bytes[byte % bytes.length] ^= 1 << (bit % 8);
  return `0x${bytes.toString('hex')}`;
}
