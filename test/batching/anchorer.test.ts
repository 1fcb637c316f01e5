import { expect } from 'chai';
import { loadFixture, mine } from '@nomicfoundation/hardhat-network-helpers';
import { Wallet, ZeroHash, keccak256, toUtf8Bytes } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import type { AnchorGateway, AnchorSigning } from '../../service/chain/anchor-gateway';
import { NotaryStats, StoredReceiptLookup, type Anchorer } from '../../service/batching';
import { checkReceipt, type Hex } from '../../service/merkle';
import {
  allFinal,
  controllerAccount,
  makeEnv,
  notaryAccount,
  oneFounderRegistry,
  otherNotaryAccount,
  recordingObserver,
  rpc,
  tickUntil,
  twoFounderRegistry,
  type TestEnv,
} from './helpers';

/** A gateway that passes every call to the real one, except as told: the one kind of stand-in used here. */
class ScriptedGateway implements AnchorGateway {
  /** Calls (of any method) still to fail with a connection error. */
  failNextCalls = 0;
  /** Broadcasts still to fail, as if the process died right before sending. */
  failNextBroadcasts = 0;
  calls = 0;

  constructor(private readonly real: AnchorGateway) {}

  get account() {
    return this.real.account;
  }

  private async pass<T>(call: () => Promise<T>): Promise<T> {
    this.calls++;
    if (this.failNextCalls > 0) {
      this.failNextCalls--;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8545'), { code: 'ECONNREFUSED' });
    }
    return call();
  }

  head = () => this.pass(() => this.real.head());
  blockHash = (n: number) => this.pass(() => this.real.blockHash(n));
  finalizedBlockNumber = () => this.pass(() => this.real.finalizedBlockNumber());
  findAnchor = (root: string) => this.pass(() => this.real.findAnchor(root));
  findAnchorEvent = (root: string) => this.pass(() => this.real.findAnchorEvent(root));
  feeMarket = () => this.pass(() => this.real.feeMarket());
  prepareAnchor = (root: string, signing?: AnchorSigning) => this.pass(() => this.real.prepareAnchor(root, signing));
  transactionReceipt = (hash: string) => this.pass(() => this.real.transactionReceipt(hash));
  isTransactionKnown = (hash: string) => this.pass(() => this.real.isTransactionKnown(hash));
  broadcast = (raw: string) =>
    this.pass(async () => {
      if (this.failNextBroadcasts > 0) {
        this.failNextBroadcasts--;
        throw new Error('simulated crash between markSubmitted and broadcast');
      }
      return this.real.broadcast(raw);
    });
}

describe('batching: anchorer', function () {
  let env: TestEnv;

  afterEach(async function () {
    await rpc('evm_setAutomine', [true]);
    await env?.close();
  });

  const setUp = async (fixture = oneFounderRegistry) => {
    env = await makeEnv(await loadFixture(fixture));
    return env;
  };

  const batchOf = async (id: number) => (await env.store.batches.get(id))!;

  describe('the whole path', function () {
    it('takes a batch sealed -> submitted -> confirmed (k blocks) -> final (finalized tag), with receipts that verify on and off chain', async function () {
      await setUp();
      const digests = await env.queue(5);
      const lookup = new StoredReceiptLookup({ store: env.store });
      expect(await lookup.status(digests[0])).to.include({ state: 'queued' });

      const batch = await env.sealAll();
      const stats = new NotaryStats();
      const { events, observer } = recordingObserver();
      const anchorer = env.anchorer({
        confirmations: 3,
        observer: { ...observer, anchorLatency: (e) => (stats.anchorLatency(e), observer.anchorLatency!(e)) }
      });
      expect(await lookup.status(digests[0])).to.include({ state: 'sealed' });

      env.clock.advance(5_000);
      await anchorer.tick();
      const submitted = await batchOf(batch.id);
      expect(submitted).to.include({ state: 'submitted', attempts: 1 });
      expect(await env.store.batches.transactions(batch.id)).to.have.length(1);
      expect(await lookup.status(digests[0])).to.include({ state: 'submitted' });

      // Mined in the block of the send (Hardhat mines at once): 1 confirmation; 3 are needed.
      await anchorer.tick();
      expect((await batchOf(batch.id)).state).to.equal('submitted');
      await mine(1);
      await anchorer.tick();
      expect((await batchOf(batch.id)).state).to.equal('submitted');
      await mine(1);
      env.clock.advance(2_000);
      await anchorer.tick();
      const confirmed = await batchOf(batch.id);
      expect(confirmed).to.include({ state: 'confirmed', txHash: submitted.txHash, anchoredBy: 1, lastError: null });
      expect(events.latencies).to.deep.equal([7_000]);
      expect(stats.snapshot().anchorLatency).to.include({ count: 1, lastMs: 7_000 });

      // Hardhat's `finalized` block is its head: the next tick makes it final.
      await anchorer.tick();
      expect((await batchOf(batch.id)).state).to.equal('final');
      expect(events.transitions.map((t) => `${t.from}->${t.to}:${t.reason}`)).to.deep.equal([
        'sealed->submitted:sent',
        'submitted->confirmed:confirmed',
        'confirmed->final:final',
      ]);

      const receipt = await env.provider.getTransactionReceipt(confirmed.txHash!);
      const block = await env.provider.getBlock(receipt!.blockNumber);
      expect(confirmed).to.include({ blockNumber: receipt!.blockNumber, blockHash: receipt!.blockHash, anchoredAt: block!.timestamp });
      expect(await env.anchorEvents(batch.root)).to.equal(1);

      for (const digest of digests) {
        const status = await lookup.status(digest);
        if (status?.state !== 'final') throw new Error(`expected final, got ${status?.state}`);
        const r = status.receipt;
        expect(r.anchor).to.include({ transactionHash: confirmed.txHash, blockNumber: receipt!.blockNumber, blockTimestamp: block!.timestamp, memberId: 1 });
        expect(r.anchor.chain).to.equal('eip155:31337');
        expect(r.anchor.registry).to.equal(`eip155:31337:${env.registryAddress}`);
        expect(r.root).to.equal(batch.root);
        expect(await checkReceipt(r, { digest: digest as Hex })).to.include({ valid: true });
        const check = await env.registry.checkCredential(keccak256(toUtf8Bytes('did:web:founder1.example.org')), ZeroHash, digest, r.proof, r.root);
        expect(check.proofValid).to.equal(true);
        expect(check.rootAnchored).to.equal(true);
        expect(check.anchoredAt).to.equal(BigInt(r.anchor.blockTimestamp));
        expect(check.anchoredBy).to.equal(1n);
      }
    });

    it('makes a batch final by depth when finalityDepth is configured', async function () {
      await setUp();
      await env.queue(2);
      const batch = await env.sealAll();
      const anchorer = env.anchorer({ confirmations: 1, finalityDepth: 4 });
      await anchorer.tick(); // sent, mined at block b
      await anchorer.tick(); // confirmed: 1 deep
      expect((await batchOf(batch.id)).state).to.equal('confirmed');
      await mine(2); // 3 deep
      await anchorer.tick();
      expect((await batchOf(batch.id)).state).to.equal('confirmed');
      await mine(1); // 4 deep
      await anchorer.tick();
      expect((await batchOf(batch.id)).state).to.equal('final');
    });
  });

  describe('restart', function () {
    it('a new anchorer over the same database resumes every batch where it stood, sending nothing twice', async function () {
      await setUp();
      const options = { confirmations: 2, finalityDepth: 3 };
      const first = env.anchorer(options);
      await env.queue(3);
      const a = await env.sealAll();
      await first.tick(); // A sent
      await mine(1);
      await first.tick(); // A confirmed
      await mine(1);
      await first.tick(); // A final
      await env.queue(2);
      const b = await env.sealAll();
      await first.tick(); // B sent
      await mine(1);
      await first.tick(); // B confirmed
      await env.queue(4);
      const c = await env.sealAll();
      await first.tick(); // C sent; B not yet final
      await env.queue(1);
      const d = await env.sealAll();
      expect(await Promise.all([a, b, c, d].map(async (x) => (await batchOf(x.id)).state))).to.deep.equal(['final', 'confirmed', 'submitted', 'sealed']);
      const before = await Promise.all([a, b, c].map(async (x) => (await batchOf(x.id)).txHash));
      const sentBefore = await env.provider.getTransactionCount(notaryAccount().address);

      // The process ends; a new one opens the same database with a new gateway.
      await env.reopenStore();
      env.gateway = env.newGateway();
      const second = env.anchorer(options);
      await tickUntil(env, second, allFinal(env));

      expect(await Promise.all([a, b, c].map(async (x) => (await batchOf(x.id)).txHash))).to.deep.equal(before);
      for (const x of [a, b, c, d]) {
        expect(await env.anchorEvents(x.root), `root of batch ${x.id}`).to.equal(1);
        expect((await batchOf(x.id)).attempts).to.equal(1);
        expect((await env.store.batches.transactions(x.id)).map((tx) => tx.outcome)).to.deep.equal(['mined']);
      }
      // Only D was sent after the restart.
      expect(await env.provider.getTransactionCount(notaryAccount().address)).to.equal(sentBefore + 1);
    });

    it('a crash after markSubmitted and before broadcast ends with the root anchored exactly once', async function () {
      await setUp();
      await env.queue(3);
      const batch = await env.sealAll();
      const crashing = new ScriptedGateway(env.gateway);
      crashing.failNextBroadcasts = 1;
      const first = env.anchorer({ gateway: crashing, dropAfterMs: 30_000 });
      const report = await first.tick();
      expect(report.failures.map((f) => f.operation)).to.deep.equal(['broadcast']);
      const recorded = await batchOf(batch.id);
      expect(recorded).to.include({ state: 'submitted', attempts: 1 });
      expect(recorded.lastError).to.contain('simulated crash');
      expect(await env.gateway.isTransactionKnown(recorded.txHash!)).to.equal(false);

      await env.reopenStore();
      env.gateway = env.newGateway();
      const second = env.anchorer({ dropAfterMs: 30_000 });
      // Not seen by the node, but a transaction just sent gets some grace before it counts as dropped.
      await second.tick();
      expect((await batchOf(batch.id)).state).to.equal('submitted');
      env.clock.advance(30_000);
      await second.tick();
      expect(await batchOf(batch.id)).to.include({ state: 'sealed' });
      expect((await batchOf(batch.id)).lastError).to.contain('dropped');
      await tickUntil(env, second, allFinal(env));

      expect(await env.anchorEvents(batch.root)).to.equal(1);
      const [event] = await env.registry.queryFilter(env.registry.filters.RootAnchored(batch.root), 0, 'latest');
      expect(await batchOf(batch.id)).to.include({ txHash: event.transactionHash, attempts: 1 });
      // No block came between the two signings, so the same nonce and fees gave the very same transaction:
      // its record was reopened, not written twice.
      expect((await env.store.batches.transactions(batch.id)).map((tx) => [tx.txHash, tx.outcome])).to.deep.equal([[recorded.txHash, 'mined']]);
    });
  });

  describe('never anchoring a root twice', function () {
    it('adopts a root already anchored (from its RootAnchored event) instead of sending it again', async function () {
      await setUp();
      await env.queue(3);
      const batch = await env.sealAll();
      const other = new Wallet(otherNotaryAccount().privateKey, env.provider);
      const external = await (await ConfederationRegistry__factory.connect(env.registryAddress, other).anchor(batch.root)).wait();
      const { events, observer } = recordingObserver();
      const anchorer = env.anchorer({ observer });

      await anchorer.tick();
      expect(await batchOf(batch.id)).to.include({ state: 'submitted', txHash: external!.hash, attempts: 0 });
      await tickUntil(env, anchorer, allFinal(env));

      expect(await batchOf(batch.id)).to.include({ txHash: external!.hash, blockNumber: external!.blockNumber, anchoredBy: 1 });
      expect(events.transitions[0]).to.include({ reason: 'adopted' });
      expect(await env.anchorEvents(batch.root)).to.equal(1);
      expect(await env.provider.getTransactionCount(notaryAccount().address)).to.equal(0);
    });

    it('treats RootAlreadyAnchored from a root anchored in the mempool as "adopt": waits, then adopts', async function () {
      await setUp();
      await env.queue(2);
      const batch = await env.sealAll();
      await rpc('evm_setAutomine', [false]);
      const other = new Wallet(otherNotaryAccount().privateKey, env.provider);
      const pending = await ConfederationRegistry__factory.connect(env.registryAddress, other).anchor(batch.root, { gasLimit: 100_000 });
      const anchorer = env.anchorer();

      // getAnchor (latest state) says no; the gas estimate (pending state) says RootAlreadyAnchored.
      const report = await anchorer.tick();
      expect(report.failures).to.deep.equal([]);
      expect((await batchOf(batch.id)).state).to.equal('sealed');
      expect(await env.provider.getTransactionCount(notaryAccount().address, 'pending')).to.equal(0);

      await mine(1);
      await rpc('evm_setAutomine', [true]);
      await tickUntil(env, anchorer, allFinal(env));
      expect((await batchOf(batch.id)).txHash).to.equal(pending.hash);
      expect(await env.anchorEvents(batch.root)).to.equal(1);
      expect(await env.provider.getTransactionCount(notaryAccount().address)).to.equal(0);
    });
  });

  describe('dropped transactions and reorgs', function () {
    it('sends again a transaction the node dropped from its mempool', async function () {
      await setUp();
      await env.queue(2);
      const batch = await env.sealAll();
      await rpc('evm_setAutomine', [false]);
      const anchorer = env.anchorer({ dropAfterMs: 10_000 });
      await anchorer.tick();
      const sent = await batchOf(batch.id);
      expect(sent.state).to.equal('submitted');
      env.clock.advance(60_000);
      await anchorer.tick(); // pending in the mempool: known, so it waits however long
      expect((await batchOf(batch.id)).state).to.equal('submitted');

      expect(await rpc('hardhat_dropTransaction', [sent.txHash])).to.equal(true);
      await anchorer.tick();
      expect((await batchOf(batch.id)).state).to.equal('sealed');
      expect((await env.store.batches.transactions(batch.id)).map((tx) => tx.outcome)).to.deep.equal(['dropped']);

      await rpc('evm_setAutomine', [true]);
      await tickUntil(env, anchorer, allFinal(env));
      expect(await env.anchorEvents(batch.root)).to.equal(1);
      expect((await env.store.batches.transactions(batch.id)).at(-1)!.outcome).to.equal('mined');
    });

    it('sends a batch back when a reorg takes its anchor away; it is anchored again and its receipt names the new transaction', async function () {
      await setUp();
      const digests = await env.queue(4);
      const batch = await env.sealAll();
      const lookup = new StoredReceiptLookup({ store: env.store });
      const { events, observer } = recordingObserver();
      const anchorer = env.anchorer({ confirmations: 1, finalityDepth: 6, observer });

      const snapshot = await rpc('evm_snapshot');
      await anchorer.tick();
      await anchorer.tick();
      const before = await batchOf(batch.id);
      expect(before.state).to.equal('confirmed');
      expect((await lookup.receipt(digests[0]))!.anchor.transactionHash).to.equal(before.txHash);

      // The block with the anchor leaves the chain; a longer branch without it takes its place.
      expect(await rpc('evm_revert', [snapshot])).to.equal(true);
      await mine(2);
      expect(await env.gateway.findAnchor(batch.root)).to.equal(undefined);

      await anchorer.tick();
      expect((await batchOf(batch.id)).state).to.equal('sealed');
      expect((await batchOf(batch.id)).lastError).to.contain('left the canonical chain');
      expect(await lookup.receipt(digests[0])).to.equal(undefined);

      await tickUntil(env, anchorer, allFinal(env));
      const after = await batchOf(batch.id);
      expect(after.txHash).to.not.equal(before.txHash);
      expect((await env.store.batches.transactions(batch.id)).map((tx) => [tx.txHash, tx.outcome])).to.deep.equal([
        [before.txHash, 'reorged'],
        [after.txHash, 'mined'],
      ]);
      expect(events.transitions.map((t) => t.reason)).to.deep.equal(['sent', 'confirmed', 'reorged', 'sent', 'confirmed', 'final']);
      expect(await env.anchorEvents(batch.root)).to.equal(1);

      const receipt = (await lookup.receipt(digests[2]))!;
      expect(receipt.anchor.transactionHash).to.equal(after.txHash);
      expect(receipt.anchor.blockNumber).to.equal(after.blockNumber);
      const check = await env.registry.checkCredential(ZeroHash, ZeroHash, digests[2], receipt.proof, receipt.root);
      expect(check.proofValid && check.rootAnchored).to.equal(true);
    });
  });

  describe('failures', function () {
    it('retries transient RPC errors with exponential backoff, recording each, and gets there', async function () {
      await setUp();
      await env.queue(2);
      const batch = await env.sealAll();
      const flaky = new ScriptedGateway(env.gateway);
      const stats = new NotaryStats();
      const anchorer: Anchorer = env.anchorer({ gateway: flaky, backoff: { initialMs: 1_000, maxMs: 60_000 }, observer: stats });
      flaky.failNextCalls = 3;

      let report = await anchorer.tick();
      expect(report.failures.map((f) => [f.kind, f.retryInMs])).to.deep.equal([['rpc', 1_000]]);
      expect((await batchOf(batch.id)).lastError).to.equal('findAnchor: connect ECONNREFUSED 127.0.0.1:8545');

      const calls = flaky.calls;
      report = await anchorer.tick(); // backing off: no call at all
      expect(report.backingOff).to.equal(true);
      expect(flaky.calls).to.equal(calls);

      env.clock.advance(1_000);
      report = await anchorer.tick();
      expect(report.failures.map((f) => [f.kind, f.retryInMs])).to.deep.equal([['rpc', 2_000]]);
      env.clock.advance(1_000);
      expect((await anchorer.tick()).backingOff).to.equal(true);
      env.clock.advance(1_000);
      report = await anchorer.tick();
      expect(report.failures.map((f) => [f.kind, f.retryInMs])).to.deep.equal([['rpc', 4_000]]);

      env.clock.advance(4_000);
      report = await anchorer.tick();
      expect(report.failures).to.deep.equal([]);
      expect((await batchOf(batch.id)).state).to.equal('submitted');
      await tickUntil(env, anchorer, allFinal(env));
      expect(stats.snapshot().failures).to.deep.equal({ rpc: 3, refused: 0, other: 0 });
      expect((await batchOf(batch.id)).lastError).to.equal(null);
      expect(await env.anchorEvents(batch.root)).to.equal(1);
    });

    it('during an outage, every batch waiting says why, not only the one whose call failed; each is cleared once it moves on', async function () {
      await setUp();
      const batches = [];
      for (let i = 0; i < 3; i++) {
        await env.queue(2);
        batches.push(await env.sealAll());
      }
      const flaky = new ScriptedGateway(env.gateway);
      const anchorer: Anchorer = env.anchorer({ gateway: flaky, backoff: { initialMs: 1_000, maxMs: 60_000 } });
      flaky.failNextCalls = 1;

      const report = await anchorer.tick();
      expect(report.failures, 'one failure event: the outage is counted once').to.have.length(1);
      for (const batch of batches) {
        expect((await batchOf(batch.id)).state).to.equal('sealed');
        expect((await batchOf(batch.id)).lastError, `batch ${batch.id}`).to.equal('findAnchor: connect ECONNREFUSED 127.0.0.1:8545');
      }

      env.clock.advance(1_000);
      await tickUntil(env, anchorer, allFinal(env));
      for (const batch of batches) expect((await batchOf(batch.id)).lastError, `batch ${batch.id}`).to.equal(null);
    });

    it('records MemberNotActive as the batch’s error when its member is suspended, and anchors once reinstated', async function () {
      await setUp(twoFounderRegistry);
      await env.queue(2);
      const batch = await env.sealAll();
      const second = ConfederationRegistry__factory.connect(env.registryAddress, new Wallet(controllerAccount(2).privateKey, env.provider));
      await (await second.voteSuspension(1)).wait();
      const { events, observer } = recordingObserver();
      const anchorer = env.anchorer({ backoff: { initialMs: 1_000, maxMs: 60_000 }, observer });

      const report = await anchorer.tick();
      expect(report.failures.map((f) => [f.kind, f.operation])).to.deep.equal([['refused', 'prepareAnchor']]);
      const failed = await batchOf(batch.id);
      expect(failed.state).to.equal('sealed');
      expect(failed.lastError).to.contain('only active members can do this: member 1 is suspended');
      expect(await env.store.batches.transactions(batch.id)).to.deep.equal([]);
      expect(events.failures[0].message).to.equal(failed.lastError);

      await (await second.voteReinstatement(1)).wait();
      env.clock.advance(1_000);
      await tickUntil(env, anchorer, allFinal(env));
      expect(await env.anchorEvents(batch.root)).to.equal(1);
    });
  });
});
