import { expect } from 'chai';
import { rejects } from '../support/rejects';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, StoreError, type NewCredential } from '../../service/store';

// The BatchRepository methods the anchorer added: adoptTransaction, transactions, and returnToSealed with
// the 'failed' outcome.

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

describe('store: batch repository, anchoring additions', function () {
  let directory: string;
  let store: Store;

  /** A sealed batch of one credential, root hash(500 + n). */
  const sealed = async (n: number) => {
    store.credentials.insertMany([credential(n)]);
    return (await store.batches.seal({ root: hash(500 + n), tree: Buffer.from('tree'), digests: [hash(n)], sealedAt: 5 })).id;
  };

  beforeEach(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-store-extra-'));
    store = Store.open({ path: join(directory, 'notary.sqlite') });
  });

  afterEach(async function () {
    store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('adoptTransaction', function () {
    it('moves a sealed batch to submitted with a transaction found on chain, without counting an attempt', async function () {
      const id = await sealed(1);
      await store.batches.adoptTransaction(id, { hash: hash(600), nonce: 7, at: 9 });
      expect((await store.batches.get(id))).to.include({ state: 'submitted', txHash: hash(600), txNonce: 7, attempts: 0, stateChangedAt: 9 });
      expect((await store.batches.transactions(id))).to.deep.equal([{ txHash: hash(600), batchId: id, nonce: 7, sentAt: 9, outcome: null }]);
    });

    it('reopens one of the batch’s own earlier transactions instead of recording it twice', async function () {
      const id = await sealed(1);
      await store.batches.markSubmitted(id, { hash: hash(600), nonce: 4, sentAt: 6 });
      await store.batches.returnToSealed(id, 'submitted', 'dropped', 'the node no longer knows it', 7);
      await store.batches.adoptTransaction(id, { hash: hash(600), nonce: 4, at: 8 });
      expect((await store.batches.get(id))).to.include({ state: 'submitted', txHash: hash(600), attempts: 1 });
      expect((await store.batches.transactions(id))).to.deep.equal([{ txHash: hash(600), batchId: id, nonce: 4, sentAt: 8, outcome: null }]);
    });

    it('refuses a batch that is not sealed, and a transaction recorded for another batch, changing nothing', async function () {
      const first = await sealed(1);
      const second = await sealed(2);
      await store.batches.markSubmitted(first, { hash: hash(600), nonce: 4, sentAt: 6 });
      await rejects(store.batches.adoptTransaction(first, { hash: hash(601), nonce: 5, at: 7 }), StoreError, 'is submitted, not sealed');
      await rejects(store.batches.adoptTransaction(second, { hash: hash(600), nonce: 4, at: 7 }), 
        StoreError,
        `transaction ${hash(600)} is recorded for another batch than ${second}`,
      );
      expect((await store.batches.get(second))).to.include({ state: 'sealed', txHash: null });
      expect((await store.batches.transactions(second))).to.deep.equal([]);
      expect((await store.batches.transactions(first))).to.have.length(1);
    });
  });

  describe('transactions', function () {
    it('lists every transaction of a batch oldest first with its fate, and only that batch’s', async function () {
      const id = await sealed(1);
      const other = await sealed(2);
      await store.batches.markSubmitted(other, { hash: hash(700), nonce: 1, sentAt: 5 });
      await store.batches.markSubmitted(id, { hash: hash(600), nonce: 2, sentAt: 6 });
      await store.batches.markConfirmed(id, { blockNumber: 10, blockHash: hash(800), anchoredAt: 1, anchoredBy: 1 }, 7);
      await store.batches.returnToSealed(id, 'confirmed', 'reorged', 'block 10 left the canonical chain', 8);
      await store.batches.markSubmitted(id, { hash: hash(601), nonce: 3, sentAt: 9 });
      expect((await store.batches.transactions(id))).to.deep.equal([
        { txHash: hash(600), batchId: id, nonce: 2, sentAt: 6, outcome: 'reorged' },
        { txHash: hash(601), batchId: id, nonce: 3, sentAt: 9, outcome: null },
      ]);
      expect((await store.batches.transactions(999))).to.deep.equal([]);
    });
  });

  describe('returnToSealed with the failed outcome', function () {
    it('sends a batch whose transaction reverted back to sealed and marks that transaction failed', async function () {
      const id = await sealed(1);
      await store.batches.markSubmitted(id, { hash: hash(600), nonce: 4, sentAt: 6 });
      await store.batches.returnToSealed(id, 'submitted', 'failed', 'the transaction reverted', 7);
      expect((await store.batches.get(id))).to.include({ state: 'sealed', txHash: null, txNonce: null, lastError: 'the transaction reverted' });
      expect((await store.batches.transactions(id)).map((tx) => tx.outcome)).to.deep.equal(['failed']);
    });
  });
});
