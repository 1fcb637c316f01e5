import { expect } from 'chai';
import {
  BatchSizeError,
  BatchTree,
  DuplicateDigestError,
  InvalidDigestError,
  LeafIndexError,
  MAX_BATCH_SIZE,
  STORED_TREE_HEADER_BYTES,
  StoredTreeError,
  layerWidths,
  maxProofLength,
  nodeCount,
  proofLength,
  type Hex,
} from '../../service/merkle';
import { loadKeccak256 } from '../../service/merkle/keccak';
import { digestsFor, referenceTree } from './fixtures';

const SIZES = [
  ...Array.from({ length: 33 }, (_, i) => i + 1),
  63,
  64,
  65,
  100,
  127,
  128,
  129,
  255,
  256,
  257,
  1000,
  1025,
];

describe('merkle: BatchTree', function () {
  describe('equals merkletreejs({ sortPairs: true }) with keccak256, byte for byte', function () {
    it(`for every layer of trees of ${SIZES.length} sizes from 1 to 1025, on one thread and on two`, async function () {
      for (const size of SIZES) {
        const digests = digestsFor(size, size);
        const reference = referenceTree(digests);
        const expected = Buffer.concat(reference.getLayers().flat());
        for (const parallel of [false, true]) {
          const stored = (await BatchTree.build(digests, { parallel })).dump();
          expect(
            stored.subarray(STORED_TREE_HEADER_BYTES).equals(expected),
            `size ${size}, parallel ${parallel}`,
          ).to.equal(true);
        }
      }
    });

    it('and its proofs are merkletreejs getHexProof(leaf, index) for every leaf', async function () {
      for (const size of SIZES) {
        const digests = digestsFor(size, 1000 + size);
        const reference = referenceTree(digests);
        const leaves = reference.getHexLeaves();
        const tree = await BatchTree.build(digests);
        expect(tree.root).to.equal(reference.getHexRoot());
        for (let index = 0; index < size; index++) {
          expect(tree.proof(index), `leaf ${index} of ${size}`).to.deep.equal(
            reference.getHexProof(leaves[index], index),
          );
        }
      }
    });

    it('on two threads past the parallel threshold (70,000 leaves): same root and a sample of proofs', async function () {
      this.timeout(120_000);
      const digests = digestsFor(70_000, 7);
      const [one, two] = [await BatchTree.build(digests, { parallel: false }), await BatchTree.build(digests)];
      const reference = referenceTree(digests);
      expect(two.dump().equals(one.dump())).to.equal(true);
      expect(two.root).to.equal(reference.getHexRoot());
      const leaves = reference.getHexLeaves();
      for (const index of [0, 1, 32_767, 32_768, 34_999, 35_000, 65_535, 65_536, 69_998, 69_999]) {
        expect(two.proof(index)).to.deep.equal(reference.getHexProof(leaves[index], index));
      }
    });
  });

  describe('shape', function () {
    it('a single leaf is the root, with an empty proof', async function () {
      const [digest] = digestsFor(1);
      const tree = await BatchTree.build([digest]);
      expect(tree.root).to.equal(tree.leaf(0));
      expect(tree.proof(0)).to.deep.equal([]);
    });

    it('stores about 2N nodes, and each proof has the length proofLength() says, at most ceil(log2 N)', async function () {
      for (const size of [1, 2, 3, 5, 13, 100, 1000]) {
        const tree = await BatchTree.build(digestsFor(size));
        expect(tree.dump().length).to.equal(STORED_TREE_HEADER_BYTES + 32 * nodeCount(size));
        expect(nodeCount(size)).to.be.below(2 * size + Math.log2(size) + 1);
        expect(maxProofLength(size)).to.equal(Math.ceil(Math.log2(size)));
        for (let index = 0; index < size; index++) expect(tree.proof(index).length).to.equal(proofLength(index, size));
      }
    });

    it('keeps the batch order: leaf i is the leaf of digest i', async function () {
      const digests = digestsFor(9);
      const reversed = await BatchTree.build([...digests].reverse());
      const tree = await BatchTree.build(digests);
      expect(reversed.leaf(0)).to.equal(tree.leaf(8));
      expect(reversed.root).to.not.equal(tree.root);
    });

    it('takes digests as 32-byte arrays and as hex in either case, with the same result', async function () {
      const digests = digestsFor(6);
      const root = (await BatchTree.build(digests)).root;
      expect((await BatchTree.build(digests.map((d) => Buffer.from(d.slice(2), 'hex')))).root).to.equal(root);
      expect((await BatchTree.build(digests.map((d) => `0x${d.slice(2).toUpperCase()}`))).root).to.equal(root);
    });
  });

  describe('input it refuses', function () {
    it('an empty batch, with BatchSizeError', async function () {
      const error = await BatchTree.build([]).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(BatchSizeError).and.include({ size: 0, max: MAX_BATCH_SIZE });
      expect((error as Error).message).to.equal(
        `a batch needs at least one digest: a batch holds 1 to ${MAX_BATCH_SIZE} digests`,
      );
    });

    const bad: [string, unknown][] = [
      ['without 0x', 'ab'.repeat(32)],
      ['too short', `0x${'ab'.repeat(31)}`],
      ['too long', `0x${'ab'.repeat(33)}`],
      ['with a non-hex digit at the end', `0x${'ab'.repeat(31)}ag`],
      ['with a non-hex digit first', `0xg${'a'.repeat(63)}`],
      ['with 0X', `0X${'ab'.repeat(32)}`],
      ['31 bytes', new Uint8Array(31)],
      ['a number', 42],
    ];
    for (const [what, value] of bad) {
      it(`a digest ${what}, with InvalidDigestError naming its position`, async function () {
        const digests = digestsFor(4) as unknown[];
        digests[2] = value;
        const error = await BatchTree.build(digests as string[]).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InvalidDigestError).and.include({ index: 2 });
        expect((error as Error).message).to.match(
          /^digest 2 is not a 32-byte hash: expected 0x followed by 64 hex digits, got /,
        );
      });
    }

    it('a digest twice, with DuplicateDigestError naming both positions (on one thread and on two)', async function () {
      for (const parallel of [false, true]) {
        const digests = digestsFor(10);
        digests[7] = digests[3].toUpperCase().replace('0X', '0x') as Hex;
        const error = await BatchTree.build(digests, { parallel }).catch((e: unknown) => e);
        expect(error)
          .to.be.instanceOf(DuplicateDigestError)
          .and.include({ digest: digests[3], firstIndex: 3, secondIndex: 7 });
      }
    });

    it('a leaf index outside the tree, with LeafIndexError', async function () {
      const tree = await BatchTree.build(digestsFor(5));
      for (const index of [-1, 5, 1.5, Number.NaN]) {
        expect(() => tree.proof(index)).to.throw(LeafIndexError, 'a tree of 5 leaves has indices 0 to 4');
        expect(() => tree.leaf(index)).to.throw(LeafIndexError);
      }
    });
  });

  describe('dump and load', function () {
    it('round-trips: same root, leaves and proofs', async function () {
      const tree = await BatchTree.build(digestsFor(300));
      const loaded = BatchTree.load(tree.dump());
      expect(loaded.size).to.equal(300);
      expect(loaded.root).to.equal(tree.root);
      for (let i = 0; i < 300; i++) expect(loaded.proof(i)).to.deep.equal(tree.proof(i));
    });

    it('dump() is a copy: changing it leaves the tree as it was', async function () {
      const tree = await BatchTree.build(digestsFor(3));
      const root = tree.root;
      tree.dump().fill(0);
      expect(tree.root).to.equal(root);
    });

    it('loads from a Uint8Array view inside a larger buffer', async function () {
      const stored = (await BatchTree.build(digestsFor(7))).dump();
      const larger = new Uint8Array(stored.length + 10);
      larger.set(stored, 5);
      expect(BatchTree.load(larger.subarray(5, 5 + stored.length)).root).to.equal(BatchTree.load(stored).root);
    });

    describe('refuses bytes that are not a stored tree, saying what it expected', function () {
      let stored: Buffer;
      before(async function () {
        stored = (await BatchTree.build(digestsFor(10))).dump();
      });
      const cases: [string, (bytes: Buffer) => Buffer, RegExp][] = [
        ['shorter than the header', (b) => b.subarray(0, 8), /has 8 bytes, fewer than the 12-byte header/],
        [
          'another magic',
          (b) => Buffer.concat([Buffer.from('XXXX'), b.subarray(4)]),
          /starts with 0x58585858, not with "BNMT"/,
        ],
        ['version 2', (b) => withUInt32(b, 4, 2), /version 2 is not supported: this code reads version 1/],
        ['0 leaves', (b) => withUInt32(b, 8, 0), /cannot have 0 leaves/],
        ['too many leaves', (b) => withUInt32(b, 8, MAX_BATCH_SIZE + 1), /cannot have 16777217 leaves/],
        [
          'a leaf count that does not fit the length',
          (b) => withUInt32(b, 8, 11),
          /of 11 leaves has 684 bytes: it needs 12 \+ 32 x 23 nodes = 748 bytes/,
        ],
        [
          'truncated',
          (b) => b.subarray(0, b.length - 1),
          /of 10 leaves has 683 bytes: it needs 12 \+ 32 x 21 nodes = 684 bytes/,
        ],
        ['with a byte more', (b) => Buffer.concat([b, Buffer.alloc(1)]), /has 685 bytes/],
      ];
      for (const [what, damage, message] of cases) {
        it(what, function () {
          expect(() => BatchTree.load(damage(Buffer.from(stored)))).to.throw(StoredTreeError, message);
        });
      }
    });
  });
});

describe('merkle: BatchTree.proves, the check made before a receipt is handed out', function () {
  /** Whether the path of leaf `index` (the nodes up to the root and their siblings) takes in node `layer`/`position`. */
  function pathTakesIn(size: number, index: number, layer: number, position: number): boolean {
    const widths = layerWidths(size);
    for (let l = 0, p = index; l < widths.length; l++, p >>>= 1) {
      if (l === layer && (p === position || (p ^ 1) === position)) return true;
    }
    return false;
  }

  it('answers true for every leaf of a sound tree, and again once its nodes are remembered', async function () {
    const keccak = await loadKeccak256();
    for (const size of [1, 2, 3, 13, 64, 100]) {
      const digests = digestsFor(size);
      const tree = await BatchTree.build(digests);
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < size; i++) expect(tree.proves(i, keccak.leaf(Buffer.from(digests[i].slice(2), 'hex')), keccak), `${size}: ${i}`).to.equal(true);
      }
      if (size > 1) expect(tree.proves(0, keccak.leaf(Buffer.from(digests[1].slice(2), 'hex')), keccak), 'another leaf').to.equal(false);
    }
  });

  it('refuses exactly the leaves whose path takes in a damaged node, whatever was checked before', async function () {
    const keccak = await loadKeccak256();
    const size = 13;
    const digests = digestsFor(size);
    const sound = await BatchTree.build(digests);
    const leaves = digests.map((digest) => keccak.leaf(Buffer.from(digest.slice(2), 'hex')));
    const widths = layerWidths(size);
    for (let layer = 0; layer < widths.length; layer++) {
      for (let position = 0; position < widths[layer]; position++) {
        const damaged = sound.dump();
        const offset = STORED_TREE_HEADER_BYTES + 32 * (widths.slice(0, layer).reduce((a, b) => a + b, 0) + position);
        damaged[offset + 7] ^= 0x10;
        const tree = BatchTree.load(damaged);
        // Sound leaves first, so that their parents are remembered before the damaged paths are asked, then all again.
        const order = [...leaves.keys()].sort((a, b) => Number(pathTakesIn(size, a, layer, position)) - Number(pathTakesIn(size, b, layer, position)));
        for (const i of [...order, ...order]) {
          expect(tree.proves(i, leaves[i], keccak), `node ${layer}/${position} damaged, leaf ${i}`).to.equal(!pathTakesIn(size, i, layer, position));
        }
      }
    }
  });
});

function withUInt32(bytes: Buffer, offset: number, value: number): Buffer {
  bytes.writeUInt32BE(value, offset);
  return bytes;
}
