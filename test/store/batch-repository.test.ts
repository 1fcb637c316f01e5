import { expect } from 'chai';
import { StoreError, type NewCredential } from '../../service/store';
import { rejects } from '../support/rejects';
import { describeOnEveryStore } from '../support/store-kinds';

// The batch repository on both stores (issue #13): sealing, the anchoring state machine and its refusals, and
// the transactions recorded for each batch.

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const credential = (n: number): NewCredential => ({
  digest: hash(n),
  memberId: 1,
  issuerDid: 'did:web:school.example',
  keyHash: hash(999),
  format: 'vc-jwt',
  artifact: `artifact-${n}`,
  submittedBy: 'client-1',
  receivedAt: 1000 + n,
});

describeOnEveryStore('store: batch repository', function (current) {
  /** A sealed batch of one credential, root hash(500 + n). */
  const sealed = async (n: number) => {
    await current().queue([credential(n)]);
    return (await current().batches.seal({ root: hash(500 + n), tree: Buffer.from('tree'), digests: [hash(n)], sealedAt: 5 })).id;
  };

  describe('sealing and the state machine', function () {
    const seal = async (digests: string[]) => (await current().batches.seal({ root: hash(500), tree: Buffer.from('tree'), digests, sealedAt: 5 }));

    it('seals a batch: every credential gets its leaf and leaves the queue, in one transaction', async function () {
      await current().queue([credential(1), credential(2), credential(3)]);
      const batch = await seal([hash(2), hash(1)]);
      expect(batch).to.include({ state: 'sealed', size: 2, root: hash(500) });
      expect(await current().placement(hash(2))).to.include({ batchId: batch.id, leafIndex: 0 });
      expect(await current().placement(hash(1))).to.include({ batchId: batch.id, leafIndex: 1 });
      expect(await current().placement(hash(3))).to.deep.equal({ batchId: null, leafIndex: null });
      expect((await current().batches.tree(batch.id))?.toString()).to.equal('tree');
    });

    it('seals nothing when one digest is unknown or already batched', async function () {
      await current().queue([credential(1), credential(2)]);
      await rejects(seal([hash(1), hash(7)]), StoreError, `credential ${hash(7)} is unknown or already in a batch`);
      expect((await current().batches.countByState()).sealed).to.equal(0);
      expect((await current().placement(hash(1)))?.batchId).to.equal(null);
    });

    it('moves through sealed -> submitted -> confirmed -> final, and refuses a move from the wrong state', async function () {
      await current().queue([credential(1)]);
      const { id } = await seal([hash(1)]);
      await rejects(current().batches.markFinal(id, 6), StoreError, `batch ${id} is sealed, not confirmed`);
      await current().batches.markSubmitted(id, { hash: hash(600), nonce: 4, sentAt: 6 });
      await rejects(current().batches.markSubmitted(id, { hash: hash(601), nonce: 5, sentAt: 7 }), StoreError, 'is submitted, not sealed');
      await current().batches.markConfirmed(id, { blockNumber: 10, blockHash: hash(700), anchoredAt: 1_700_000_000, anchoredBy: 1 }, 8);
      await current().batches.markFinal(id, 9);
      expect(await current().batches.get(id)).to.include({ state: 'final', txHash: hash(600), blockNumber: 10, anchoredBy: 1, attempts: 1 });
      expect(await current().batches.countByState()).to.deep.equal({ sealed: 0, submitted: 0, confirmed: 0, final: 1 });
    });

    it('returns a reorged batch to sealed, forgetting the block and keeping the old transaction’s fate', async function () {
      await current().queue([credential(1)]);
      const { id } = await seal([hash(1)]);
      await current().batches.markSubmitted(id, { hash: hash(600), nonce: 4, sentAt: 6 });
      await current().batches.markConfirmed(id, { blockNumber: 10, blockHash: hash(700), anchoredAt: 1, anchoredBy: 1 }, 8);
      await current().batches.returnToSealed(id, 'confirmed', 'reorged', 'block 10 left the canonical chain', 9);
      expect(await current().batches.get(id)).to.include({ state: 'sealed', txHash: null, blockNumber: null, lastError: 'block 10 left the canonical chain' });
      expect(await current().outcome(hash(600))).to.equal('reorged');
    });
  });

  describe('adoptTransaction', function () {
    it('moves a sealed batch to submitted with a transaction found on chain, without counting an attempt', async function () {
      const id = await sealed(1);
      await current().batches.adoptTransaction(id, { hash: hash(600), nonce: 7, at: 9 });
      expect(await current().batches.get(id)).to.include({ state: 'submitted', txHash: hash(600), txNonce: 7, attempts: 0, stateChangedAt: 9 });
      expect(await current().batches.transactions(id)).to.deep.equal([{ txHash: hash(600), batchId: id, nonce: 7, sentAt: 9, outcome: null }]);
    });

    it('reopens one of the batch’s own earlier transactions instead of recording it twice', async function () {
      const id = await sealed(1);
      await current().batches.markSubmitted(id, { hash: hash(600), nonce: 4, sentAt: 6 });
      await current().batches.returnToSealed(id, 'submitted', 'dropped', 'the node no longer knows it', 7);
      await current().batches.adoptTransaction(id, { hash: hash(600), nonce: 4, at: 8 });
      expect(await current().batches.get(id)).to.include({ state: 'submitted', txHash: hash(600), attempts: 1 });
      expect(await current().batches.transactions(id)).to.deep.equal([{ txHash: hash(600), batchId: id, nonce: 4, sentAt: 8, outcome: null }]);
    });

    it('refuses a batch that is not sealed, and a transaction recorded for another batch, changing nothing', async function () {
      const first = await sealed(1);
      const second = await sealed(2);
      await current().batches.markSubmitted(first, { hash: hash(600), nonce: 4, sentAt: 6 });
      await rejects(current().batches.adoptTransaction(first, { hash: hash(601), nonce: 5, at: 7 }), StoreError, 'is submitted, not sealed');
      await rejects(current().batches.adoptTransaction(second, { hash: hash(600), nonce: 4, at: 7 }),
        StoreError,
        `transaction ${hash(600)} is recorded for another batch than ${second}`,
      );
      expect(await current().batches.get(second)).to.include({ state: 'sealed', txHash: null });
      expect(await current().batches.transactions(second)).to.deep.equal([]);
      expect(await current().batches.transactions(first)).to.have.length(1);
    });
  });

  describe('transactions', function () {
    it('lists every transaction of a batch oldest first with its fate, and only that batch’s', async function () {
      const id = await sealed(1);
      const other = await sealed(2);
      await current().batches.markSubmitted(other, { hash: hash(700), nonce: 1, sentAt: 5 });
      await current().batches.markSubmitted(id, { hash: hash(600), nonce: 2, sentAt: 6 });
      await current().batches.markConfirmed(id, { blockNumber: 10, blockHash: hash(800), anchoredAt: 1, anchoredBy: 1 }, 7);
      await current().batches.returnToSealed(id, 'confirmed', 'reorged', 'block 10 left the canonical chain', 8);
      await current().batches.markSubmitted(id, { hash: hash(601), nonce: 3, sentAt: 9 });
      expect(await current().batches.transactions(id)).to.deep.equal([
        { txHash: hash(600), batchId: id, nonce: 2, sentAt: 6, outcome: 'reorged' },
        { txHash: hash(601), batchId: id, nonce: 3, sentAt: 9, outcome: null },
      ]);
      expect(await current().batches.transactions(999)).to.deep.equal([]);
    });
  });

  describe('returnToSealed with the failed outcome', function () {
    it('sends a batch whose transaction reverted back to sealed and marks that transaction failed', async function () {
      const id = await sealed(1);
      await current().batches.markSubmitted(id, { hash: hash(600), nonce: 4, sentAt: 6 });
      await current().batches.returnToSealed(id, 'submitted', 'failed', 'the transaction reverted', 7);
      expect(await current().batches.get(id)).to.include({ state: 'sealed', txHash: null, txNonce: null, lastError: 'the transaction reverted' });
      expect((await current().batches.transactions(id)).map((tx) => tx.outcome)).to.deep.equal(['failed']);
    });
  });
});
