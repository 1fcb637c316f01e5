import { expect } from 'chai';
import { loadFixture, mine } from '@nomicfoundation/hardhat-network-helpers';
import { JsonRpcProvider, Network, Transaction, Wallet, hexlify, randomBytes } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { EthersAnchorGateway, isTransientRpcError } from '../../service/chain/anchor-gateway';
import { RegistryRevertError } from '../../service/chain/registry-errors';
import { freePort } from '../../service/chain/local-node';
import { makeEnv, notaryAccount, oneFounderRegistry, otherNotaryAccount, rpc, type TestEnv } from './helpers';

describe('chain: anchor gateway (ethers, plain JSON-RPC)', function () {
  let env: TestEnv;

  beforeEach(async function () {
    env = await makeEnv(await loadFixture(oneFounderRegistry));
  });

  afterEach(async function () {
    await rpc('evm_setAutomine', [true]);
    await env.close();
  });

  const root = () => hexlify(randomBytes(32));

  it('prepares a signed anchor(root) from the notary account without sending it', async function () {
    const { gateway, provider } = env;
    const r = root();
    const prepared = await gateway.prepareAnchor(r);
    const tx = Transaction.from(prepared.raw);
    expect(tx.from).to.equal(notaryAccount().address);
    expect(tx.to).to.equal(env.registryAddress);
    expect(tx.hash).to.equal(prepared.hash);
    expect(tx.nonce).to.equal(prepared.nonce).and.to.equal(0);
    expect(tx.data).to.equal(ConfederationRegistry__factory.createInterface().encodeFunctionData('anchor', [r]));
    expect(await gateway.isTransactionKnown(prepared.hash)).to.equal(false);
    expect(await provider.getTransactionCount(notaryAccount().address, 'pending')).to.equal(0);
  });

  it('takes the nonce from the pending count, so a second send follows one still in the mempool', async function () {
    const { gateway } = env;
    await rpc('evm_setAutomine', [false]);
    const first = await gateway.prepareAnchor(root());
    await gateway.broadcast(first.raw);
    expect(await gateway.isTransactionKnown(first.hash)).to.equal(true);
    expect(await gateway.transactionReceipt(first.hash)).to.equal(undefined);
    const second = await gateway.prepareAnchor(root());
    expect(second.nonce).to.equal(first.nonce + 1);
    await gateway.broadcast(second.raw);
    await mine(1);
    const receipts = await Promise.all([first.hash, second.hash].map((h) => gateway.transactionReceipt(h)));
    expect(receipts.map((r) => r?.succeeded)).to.deep.equal([true, true]);
    expect(receipts[0]!.blockHash).to.equal(await gateway.blockHash(receipts[0]!.blockNumber));
  });

  it('surfaces a refusal at the gas estimate, decoded, before anything is signed: RootAlreadyAnchored', async function () {
    const { gateway } = env;
    const r = root();
    await (await ConfederationRegistry__factory.connect(env.registryAddress, new Wallet(otherNotaryAccount().privateKey, env.provider)).anchor(r)).wait();
    let failure: unknown;
    await gateway.prepareAnchor(r).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(RegistryRevertError);
    expect((failure as RegistryRevertError).errorName).to.equal('RootAlreadyAnchored');
    expect(isTransientRpcError(failure)).to.equal(false);
  });

  it('finds an anchor and its RootAnchored event: transaction, block, member, sender and nonce', async function () {
    const { gateway } = env;
    const r = root();
    expect(await gateway.findAnchor(r)).to.equal(undefined);
    expect(await gateway.findAnchorEvent(r)).to.equal(undefined);
    const prepared = await gateway.prepareAnchor(r);
    await gateway.broadcast(prepared.raw);
    const receipt = (await gateway.transactionReceipt(prepared.hash))!;
    const block = await env.provider.getBlock(receipt.blockNumber);
    expect(await gateway.findAnchor(r)).to.deep.equal({ anchoredAt: block!.timestamp, memberId: 1 });
    expect(await gateway.findAnchorEvent(r)).to.deep.equal({
      transactionHash: prepared.hash,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      memberId: 1,
      from: notaryAccount().address,
      nonce: prepared.nonce,
    });
  });

  it('answers no block hash beyond the head, and Hardhat’s finalized block (its head)', async function () {
    const { gateway } = env;
    const head = await gateway.head();
    expect(await gateway.blockHash(head)).to.match(/^0x[0-9a-f]{64}$/);
    expect(await gateway.blockHash(head + 1)).to.equal(undefined);
    expect(await gateway.finalizedBlockNumber()).to.equal(head);
  });

  it('calls a refused connection transient, and a node that answers no not', async function () {
    const port = await freePort();
    const provider = new JsonRpcProvider(`http://127.0.0.1:${port}`, Network.from(31337), { staticNetwork: true, cacheTimeout: -1 });
    try {
      const offline = new EthersAnchorGateway({ provider, wallet: new Wallet(notaryAccount().privateKey), registry: env.registryAddress, fromBlock: 0 });
      let failure: unknown;
      await offline.head().catch((error: unknown) => (failure = error));
      expect(failure, 'the call should fail').to.be.instanceOf(Error);
      expect(isTransientRpcError(failure)).to.equal(true);
    } finally {
      provider.destroy();
    }
    let refused: unknown;
    await env.provider.send('eth_noSuchMethod', []).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(Error);
    expect(isTransientRpcError(refused)).to.equal(false);
  });
});
