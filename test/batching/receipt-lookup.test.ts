import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash, hexlify, randomBytes } from 'ethers';
import { ReceiptLookup, UnboundStoreError } from '../../service/batching';
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
    const lookup = new ReceiptLookup({ store: env.store });
    expect(await lookup.status(hexlify(randomBytes(32)))).to.equal(undefined);
    const [digest] = env.queue(3);
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
    await tickUntil(env, anchorer, () => env.store.batches.get(batch.id)!.state === 'confirmed');
    expect((await lookup.receipt(digest))?.anchor.transactionHash).to.equal(env.store.batches.get(batch.id)!.txHash);
    await tickUntil(env, anchorer, allFinal(env));
    expect(await lookup.status(digest)).to.deep.include({ state: 'final' });
  });

  it('reads each proof from the right stored tree by leaf index (short: log N), for every leaf of several batches', async function () {
    const lookup = new ReceiptLookup({ store: env.store, treeCacheBytes: 0 });
    const cached = new ReceiptLookup({ store: env.store });
    const first = env.queue(13);
    await env.sealAll();
    const second = env.queue(6);
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
    const [digest] = env.queue(1);
    const lookup = new ReceiptLookup({ store: env.store });
    expect(await lookup.status(`0x${digest.slice(2).toUpperCase()}`)).to.include({ digest, state: 'queued' });
  });

  it('refuses to name a chain for a receipt from a database bound to none', async function () {
    const [digest] = env.queue(1);
    await env.sealAll();
    await tickUntil(env, env.anchorer(), allFinal(env));
    // The same rows, the chain binding gone.
    env.store.db.prepare('DELETE FROM chain_binding').run();
    let failure: unknown;
    await new ReceiptLookup({ store: env.store }).status(digest).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(UnboundStoreError);
  });
});
