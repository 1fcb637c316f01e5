import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchTree,
  attachReceiptToCredential,
  attachReceiptToJwt,
  buildReceipt,
  checkReceipt,
  leafOf,
  verifyProof,
  type Hex,
} from '../../service/merkle';
import { leavesVectors, receiptVectors, storedTreeVectors, treeVectors } from './fixtures';

describe('merkle: test vectors (test/vectors/merkle, written by scripts/vectors/merkle.ts)', function () {
  describe('digest -> leaf', function () {
    for (const { digest, leaf } of leavesVectors.vectors) {
      it(`leafOf(${digest.slice(0, 10)}...) is ${leaf.slice(0, 10)}...`, async function () {
        expect(await leafOf(digest as Hex)).to.equal(leaf);
      });
    }
  });

  describe('leaves -> root, layers and proofs', function () {
    for (const vector of treeVectors.trees) {
      for (const parallel of [false, true]) {
        it(`a batch of ${vector.size} (${parallel ? 'two threads' : 'one thread'})`, async function () {
          const tree = await BatchTree.build(vector.digests, { parallel });
          expect(tree.size).to.equal(vector.size);
          expect(tree.root).to.equal(vector.root);
          expect(vector.leaves.map((_, i) => tree.leaf(i))).to.deep.equal(vector.leaves);
          if ('layers' in vector) expect(tree.layers()).to.deep.equal(vector.layers);
          for (const { index, proof } of vector.proofs) {
            expect(tree.proof(index), `proof of leaf ${index}`).to.deep.equal(proof);
            const check = await verifyProof({
              digest: vector.digests[index] as Hex,
              proof: proof as Hex[],
              root: vector.root as Hex,
              index,
              size: vector.size,
            });
            expect(check.valid, `verifyProof of leaf ${index}`).to.equal(true);
          }
        });
      }
    }
  });

  describe('stored tree', function () {
    const vector = treeVectors.trees.find((tree) => tree.size === storedTreeVectors.size);
    const stored = Buffer.from(storedTreeVectors.bytes.slice(2), 'hex');

    it('dump() writes the stored bytes of the vector', async function () {
      const tree = await BatchTree.build(vector!.digests);
      expect(`0x${tree.dump().toString('hex')}`).to.equal(storedTreeVectors.bytes);
    });

    it('load() reads the root and every proof from them', function () {
      const tree = BatchTree.load(stored);
      expect(tree.root).to.equal(vector!.root);
      for (const { index, proof } of vector!.proofs) expect(tree.proof(index)).to.deep.equal(proof);
    });
  });

  describe('receipt and embeddings', function () {
    const { inputs, receipt } = receiptVectors;

    async function vectorReceipt() {
      const vector = treeVectors.trees.find((tree) => tree.size === receipt.batch.size)!;
      const tree = await BatchTree.build(vector.digests);
      return buildReceipt({
        tree,
        index: inputs.index,
        digest: vector.digests[inputs.index] as Hex,
        batchId: inputs.batchId,
        anchor: inputs.anchor,
      });
    }

    it('buildReceipt gives the receipt of the vector, and it checks', async function () {
      const built = await vectorReceipt();
      expect(built).to.deep.equal(receipt);
      expect(JSON.stringify(built)).to.equal(JSON.stringify(receipt), 'same fields in the same order');
      expect(await checkReceipt(receipt, { digest: receipt.digest as Hex })).to.deep.equal({ valid: true, receipt });
    });

    it('attaching it to the credential and to the JWT gives the vector embeddings', async function () {
      const built = await vectorReceipt();
      expect(attachReceiptToCredential(receiptVectors.dataIntegrity.credential, built)).to.deep.equal(
        receiptVectors.dataIntegrity.withReceipt,
      );
      expect(attachReceiptToJwt(receiptVectors.jwt.credential, built)).to.deep.equal(receiptVectors.jwt.envelope);
    });
  });

  describe('docs/formats.md', function () {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'formats.md'), 'utf8');

    it('shows the vector receipt as its example, unchanged', function () {
      const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]);
      const examples = blocks.filter((block) => block.includes('"version": "badge-notary-receipt/1"'));
      expect(examples, 'a json block with a receipt').to.have.length.above(0);
      const example = JSON.parse(examples[0]) as unknown;
      expect(example).to.deep.equal(receiptVectors.receipt);
    });

    it('quotes the worked example from the vectors', function () {
      const five = treeVectors.trees.find((tree) => tree.size === 5)!;
      for (const value of [...five.digests, ...five.leaves, five.root, ...five.layers!.flat()]) {
        expect(doc, `docs/formats.md mentions ${value}`).to.include(value);
      }
      expect(doc).to.include(storedTreeVectors.bytes.slice(2, 2 + 24), 'the stored header');
    });
  });
});
