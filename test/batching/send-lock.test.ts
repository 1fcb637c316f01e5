import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { Wallet, hexlify, randomBytes } from 'ethers';
import type { AnchorGateway } from '../../service/chain/anchor-gateway';
import { TransactionQueue } from '../../service/chain/transaction-queue';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { makeEnv, notaryAccount, oneFounderRegistry, type TestEnv } from './helpers';

/** Holds every broadcast at a gate until it is opened: the moment between nonce and broadcast, stretched. */
function gatedBroadcasts(real: AnchorGateway) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let reachedGate!: () => void;
  const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
  const gateway = Object.create(real) as AnchorGateway;
  gateway.broadcast = async (raw: string) => {
    reachedGate();
    await gate;
    return real.broadcast(raw);
  };
  return { gateway, open, atGate };
}

describe('anchorer and revocations share the notary account’s send lock', function () {
  let env: TestEnv;

  afterEach(async function () {
    await env?.close();
  });

  it('a revocation started while an anchor is between its nonce and its broadcast waits, and takes the next nonce', async function () {
    env = await makeEnv(await loadFixture(oneFounderRegistry));
    const notary = new Wallet(notaryAccount().privateKey, env.provider);
    const queue = await TransactionQueue.for(notary);
    const { gateway, open, atGate } = gatedBroadcasts(env.gateway);
    const anchorer = env.anchorer({ gateway, sendLock: (task) => queue.exclusive(task) });
    await env.queue(3);
    const batch = await env.sealAll();

    const tick = anchorer.tick();
    await atGate; // the anchor holds its nonce and is recorded, not yet broadcast
    const registry = ConfederationRegistry__factory.connect(env.registryAddress, notary);
    let revocationSent = false;
    const revocation = queue
      .send(() => registry.revokeCredentials.populateTransaction(1, [hexlify(randomBytes(32))], 0))
      .then((sent) => ((revocationSent = true), sent));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(revocationSent, 'the revocation must wait for the anchor’s send to end').to.equal(false);

    open();
    await tick;
    const sent = await revocation;
    const anchored = (await env.store.batches.get(batch.id))!;
    expect(anchored.state).to.equal('submitted');
    expect(sent.nonce).to.equal(anchored.txNonce! + 1);
    const [anchorReceipt, revocationReceipt] = await Promise.all([
      env.provider.waitForTransaction(anchored.txHash!),
      env.provider.waitForTransaction(sent.hash),
    ]);
    expect(anchorReceipt!.status).to.equal(1);
    expect(revocationReceipt!.status).to.equal(1);
  });
});
