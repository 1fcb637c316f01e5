import { expect } from 'chai';
import fc from 'fast-check';
import { BatchTree, verifyProof, type Hex } from '../../service/merkle';
import { digestsFor, flipBit } from './fixtures';

/** Every size to 64 (all the shapes of small trees), then sizes drawn up to 4,096. */
const SMALL = 64;
const LARGE = 4096;

/** Every leaf of `tree` verifies against its root, given with its digest, index and size. */
async function everyLeafProves(tree: BatchTree, digests: readonly Hex[]): Promise<void> {
  const root = tree.root;
  for (let index = 0; index < tree.size; index++) {
    const result = await verifyProof({
      digest: digests[index],
      proof: tree.proof(index),
      root,
      index,
      size: tree.size,
    });
    if (!result.valid) expect.fail(`leaf ${index} of ${tree.size}: ${result.message}`);
  }
}

describe('merkle: properties (fast-check)', function () {
  this.timeout(60_000);

  it(`every leaf of every tree of 1 to ${SMALL} leaves is provable`, async function () {
    for (let size = 1; size <= SMALL; size++) {
      const digests = digestsFor(size, size);
      await everyLeafProves(await BatchTree.build(digests), digests);
    }
  });

  it(`every leaf of trees of sizes drawn from ${SMALL + 1} to ${LARGE} is provable`, async function () {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: SMALL + 1, max: LARGE }), fc.nat(), async (size, seed) => {
        const digests = digestsFor(size, seed);
        await everyLeafProves(await BatchTree.build(digests), digests);
      }),
      { numRuns: 12 },
    );
  });

  describe('a tampered proof is rejected', function () {
    /** A tree, a leaf in it, and where to flip a bit. */
    const arbitraryCase = fc
      .record({
        size: fc.integer({ min: 2, max: 600 }),
        seed: fc.nat(),
        pick: fc.nat(),
        byte: fc.nat(31),
        bit: fc.nat(7),
      })
      .map((c) => ({ ...c, index: c.pick % c.size }));

    async function setUp(size: number, seed: number, index: number) {
      const digests = digestsFor(size, seed);
      const tree = await BatchTree.build(digests);
      return { digest: digests[index], leaf: tree.leaf(index), proof: tree.proof(index), root: tree.root, index, size };
    }

    it('a changed leaf (or digest)', async function () {
      await fc.assert(
        fc.asyncProperty(arbitraryCase, async ({ size, seed, index, byte, bit }) => {
          const { leaf, digest, proof, root } = await setUp(size, seed, index);
          const byLeaf = await verifyProof({ leaf: flipBit(leaf, byte, bit), proof, root, index, size });
          const byDigest = await verifyProof({ digest: flipBit(digest, byte, bit), proof, root, index, size });
          expect(byLeaf).to.include({ valid: false, reason: 'root-mismatch' });
          expect(byDigest).to.include({ valid: false, reason: 'root-mismatch' });
        }),
        { numRuns: 100 },
      );
    });

    it('a changed proof element', async function () {
      await fc.assert(
        fc.asyncProperty(arbitraryCase, fc.nat(), async ({ size, seed, index, byte, bit }, which) => {
          const { digest, proof, root } = await setUp(size, seed, index);
          const at = which % proof.length;
          const tampered = proof.map((element, i) => (i === at ? flipBit(element, byte, bit) : element));
          expect(await verifyProof({ digest, proof: tampered, root, index, size })).to.include({
            valid: false,
            reason: 'root-mismatch',
          });
        }),
        { numRuns: 100 },
      );
    });

    it('a dropped or an added element: by its length with index and size, by its root without', async function () {
      await fc.assert(
        fc.asyncProperty(
          arbitraryCase,
          fc.nat(),
          fc.boolean(),
          async ({ size, seed, index, byte, bit }, where, drop) => {
            const { digest, proof, root } = await setUp(size, seed, index);
            const at = where % (proof.length + (drop ? 0 : 1));
            const extra = flipBit(root, byte, bit);
            const tampered = drop
              ? proof.filter((_, i) => i !== at)
              : [...proof.slice(0, at), extra, ...proof.slice(at)];
            expect(await verifyProof({ digest, proof: tampered, root, index, size })).to.include({
              valid: false,
              reason: 'proof-length',
            });
            expect(await verifyProof({ digest, proof: tampered, root })).to.include({
              valid: false,
              reason: 'root-mismatch',
            });
          },
        ),
        { numRuns: 100 },
      );
    });

    it('a changed root', async function () {
      await fc.assert(
        fc.asyncProperty(arbitraryCase, async ({ size, seed, index, byte, bit }) => {
          const { digest, proof, root } = await setUp(size, seed, index);
          const result = await verifyProof({ digest, proof, root: flipBit(root, byte, bit), index, size });
          expect(result).to.include({ valid: false, reason: 'root-mismatch', computedRoot: root });
        }),
        { numRuns: 100 },
      );
    });
  });

  it('dump then load keeps the root and every proof', async function () {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: LARGE }), fc.nat(), async (size, seed) => {
        const tree = await BatchTree.build(digestsFor(size, seed));
        const loaded = BatchTree.load(tree.dump());
        expect(loaded.root).to.equal(tree.root);
        for (let index = 0; index < size; index++) {
          // Joined: chai's deep equality would take most of the run.
          if (loaded.proof(index).join() !== tree.proof(index).join()) expect.fail(`proof ${index} of ${size} changed`);
        }
      }),
      { numRuns: 15 },
    );
  });
});
