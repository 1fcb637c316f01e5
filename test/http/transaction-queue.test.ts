import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { NonceManager, Wallet } from 'ethers';
import { TransactionQueue } from '../../service/chain/transaction-queue';
import { decodeRegistryRevert } from '../../service/chain/registry-errors';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { wellKnownAccount } from '../support/well-known-accounts';
import { deployNetwork } from './helpers';

describe('chain: the transaction queue (one serialised sender per account)', function () {
  const transfer = (to: string) => async () => ({ to, value: 1n });

  it('gives concurrent sends of one account, through any number of queues, consecutive nonces, all mined', async function () {
    const chain = await loadFixture(deployNetwork);
    const wallet = new Wallet(wellKnownAccount(12).privateKey, chain.provider);
    const [first, second] = await Promise.all([TransactionQueue.for(wallet), TransactionQueue.for(new NonceManager(wallet))]);
    const start = await chain.provider.getTransactionCount(wallet.address, 'pending');
    const target = wellKnownAccount(13).address;
    const sends = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? first : second).send(transfer(target)));
    expect(first.pending + second.pending).to.be.greaterThan(0);
    const sent = await Promise.all(sends);
    expect(sent.map((s) => s.nonce)).to.deep.equal(Array.from({ length: 8 }, (_, i) => start + i));
    expect(new Set(sent.map((s) => s.hash)).size).to.equal(8);
    for (const { hash } of sent) expect((await chain.provider.getTransactionReceipt(hash))?.status).to.equal(1);
    expect(await chain.provider.getTransactionCount(wallet.address, 'latest')).to.equal(start + 8);
    expect(first.address).to.equal(wallet.address);
  });

  it('calls beforeBroadcast with the signed transaction first; when it throws, nothing is sent and the lock is free', async function () {
    const chain = await loadFixture(deployNetwork);
    const wallet = new Wallet(wellKnownAccount(12).privateKey, chain.provider);
    const queue = await TransactionQueue.for(wallet);
    const start = await chain.provider.getTransactionCount(wallet.address, 'pending');
    const seen: { hash: string; nonce: number; known: boolean }[] = [];
    const sent = await queue.send(transfer(wellKnownAccount(13).address), {
      beforeBroadcast: async ({ hash, nonce }) => {
        seen.push({ hash, nonce, known: (await chain.provider.getTransaction(hash)) !== null });
      },
    });
    expect(seen).to.deep.equal([{ hash: sent.hash, nonce: start, known: false }]);

    let failure: unknown;
    await queue
      .send(transfer(wellKnownAccount(13).address), {
        beforeBroadcast: () => {
          throw new Error('the store is full');
        },
      })
      .catch((error: unknown) => (failure = error));
    expect((failure as Error).message).to.equal('the store is full');
    expect(await chain.provider.getTransactionCount(wallet.address, 'pending')).to.equal(start + 1);
    expect((await queue.send(transfer(wellKnownAccount(13).address))).nonce).to.equal(start + 1);
  });

  it('a reverting call fails at estimation, before signing, and frees the lock', async function () {
    const chain = await loadFixture(deployNetwork);
    const stranger = new Wallet(wellKnownAccount(12).privateKey, chain.provider);
    const queue = await TransactionQueue.for(stranger);
    const registry = ConfederationRegistry__factory.connect(chain.registryAddress, chain.provider);
    let failure: unknown;
    await queue.send(() => registry.anchor.populateTransaction(`0x${'11'.repeat(32)}`)).catch((error: unknown) => (failure = error));
    expect(decodeRegistryRevert(failure)?.name).to.equal('NotANotary');
    expect((await queue.send(transfer(wellKnownAccount(13).address))).hash).to.match(/^0x[0-9a-f]{64}$/);
  });

  it('runs exclusive tasks one at a time, in the order asked', async function () {
    const chain = await loadFixture(deployNetwork);
    const queue = await TransactionQueue.for(new Wallet(wellKnownAccount(12).privateKey, chain.provider));
    const trace: string[] = [];
    const task = (name: string, fail = false) => async () => {
      trace.push(`${name} in`);
      await new Promise((resolve) => setImmediate(resolve));
      trace.push(`${name} out`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.exclusive(task('a')), queue.exclusive(task('b', true)), queue.exclusive(task('c'))]);
    expect(trace).to.deep.equal(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect(queue.pending).to.equal(0);
  });
});
