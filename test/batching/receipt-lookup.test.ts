import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash, hexlify, randomBytes } from 'ethers';
import { StoredReceiptLookup, UnboundStoreError } from '../../service/batching';
import { checkReceipt, maxProofLength, type Hex } from '../../service/merkle';
import { allFinal, makeEnv, oneFounderRegistry, tickUntil, type TestEnv } from './helpers';

describe('batching: receipt lookup', function () {
  let env: TestEnv;

  beforeEach(async function () {
    env = await makeEnv(await loadFixture(oneFounderRegistry));
  });

  afterEach(async function () {
    await env.close();
  });

  it('tells unknown (undefined), queued, and the batch state with the leaf, and a receipt only once confirmed', async function () {
    const lookup = new StoredReceiptLookup({ store: env.store });
    expect(await lookup.status(hexlify(randomBytes(32)))).to.equal(undefined);
    const [digest] = await env.queue(3);
    expect(await lookup.status(digest)).to.deep.equal({ digest, state: 'queued', receivedAt: env.clock.now });
    expect(await lookup.receipt(digest)).to.equal(undefined);

    const batch = await env.sealAll();
    const sealed = await lookup.status(digest);
    expect(sealed).to.deep.include({ state: 'sealed' });
    expect(sealed && 'batch' in sealed && sealed.batch).to.include({ id: batch.id, root: batch.root, size: 3, state: 'sealed', txHash: null });
    expect(sealed).to.not.have.property('receipt');

    const anchorer = env.anchorer({ confirmations: 2, finalityDepth: 3 });
    await anchorer.tick();
    expect(await lookup.status(digest)).to.deep.include({ state: 'submitted' });
    expect(await lookup.receipt(digest)).to.equal(undefined);
    await tickUntil(env, anchorer, async () => (await env.store.batches.get(batch.id))!.state === 'confirmed');
    expect((await lookup.receipt(digest))?.anchor.transactionHash).to.equal((await env.store.batches.get(batch.id))!.txHash);
    await tickUntil(env, anchorer, allFinal(env));
    expect(await lookup.status(digest)).to.deep.include({ state: 'final' });
  });

  it('reads each proof from the right stored tree by leaf index (short: log N), for every leaf of several batches', async function () {
    const lookup = new StoredReceiptLookup({ store: env.store, treeCacheBytes: 0 });
    const cached = new StoredReceiptLookup({ store: env.store });
    const first = await env.queue(13);
    await env.sealAll();
    const second = await env.queue(6);
    await env.sealAll();
    await tickUntil(env, env.anchorer(), allFinal(env));

    for (const [digests, size] of [
      [first, 13],
      [second, 6],
    ] as const) {
      for (const digest of digests) {
        const receipt = (await lookup.receipt(digest))!;
        expect(receipt.batch.size).to.equal(size);
        expect(receipt.proof.length).to.be.at.most(maxProofLength(size));
        expect(await checkReceipt(receipt, { digest: digest as Hex })).to.include({ valid: true });
        expect(await cached.receipt(digest)).to.deep.equal(receipt);
        const check = await env.registry.checkCredential(ZeroHash, ZeroHash, digest, receipt.proof, receipt.root);
        expect(check.proofValid && check.rootAnchored).to.equal(true);
      }
    }
  });

  it('finds a digest given in upper case', async function () {
    const [digest] = await env.queue(1);
    const lookup = new StoredReceiptLookup({ store: env.store });
    expect(await lookup.status(`0x${digest.slice(2).toUpperCase()}`)).to.include({ digest, state: 'queued' });
  });

  it('answers from memory for a final batch, and the same as from the store', async function () {
    const digests = await env.queue(5);
    const batch = await env.sealAll();
    await tickUntil(env, env.anchorer(), allFinal(env));
    const lookup = new StoredReceiptLookup({ store: env.store });
    const first = await Promise.all(digests.map((digest) => lookup.receipt(digest)));
    // The batch row changed behind the lookup (it never does once final): the lookup kept what it read.
    await env.sql('UPDATE batches SET block_number = block_number + 1 WHERE id = ?', [batch.id]);
    expect(await Promise.all(digests.map((digest) => lookup.receipt(digest)))).to.deep.equal(first);
    expect((await new StoredReceiptLookup({ store: env.store }).receipt(digests[0]))!.anchor.blockNumber).to.equal(first[0]!.anchor.blockNumber + 1);
  });

  it('refuses a stored tree whose root is not the batch\'s', async function () {
    const [digest] = await env.queue(2);
    const batch = await env.sealAll();
    await tickUntil(env, env.anchorer(), allFinal(env));
    const other = await env.queue(2);
    const otherBatch = await env.sealAll();
    expect(other).to.have.length(2);
    await env.sql('UPDATE batch_trees SET tree = (SELECT tree FROM batch_trees WHERE batch_id = ?) WHERE batch_id = ?', [otherBatch.id, batch.id]);
    const failure = await new StoredReceiptLookup({ store: env.store }).status(digest).catch((error: unknown) => error);
    expect(String(failure)).to.contain(`the stored tree of batch ${batch.id} has root`);
  });

  it('refuses to name a chain for a receipt from a database bound to none', async function () {
    const [digest] = await env.queue(1);
    await env.sealAll();
    await tickUntil(env, env.anchorer(), allFinal(env));
    // The same rows, the chain binding gone.
    await env.sql('DELETE FROM chain_binding');
    let failure: unknown;
    await new StoredReceiptLookup({ store: env.store }).status(digest).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(UnboundStoreError);
  });
});
