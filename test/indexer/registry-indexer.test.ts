import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { RegistryIndexer, type ChainReader, type IndexerObserver, type RegistryIndexerOptions, type ReorgReport } from '../../service/indexer';
import { Store, StoreError } from '../../service/store';
import { EndorsementKind, label, memberSubject } from '../contracts/helpers';
import { FlakyReader } from './flaky-reader';
import { expectEventsMatchLogs, expectMirrorMatchesChain } from './mirror-assertions';
import { emptyProbes, historyPartOne, historyPartTwo, mirrorFixture, type MirrorFixture } from './registry-history';

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  return expect.fail('expected the promise to reject');
}

const mine = (blocks: number) => ethers.provider.send('hardhat_mine', [ethers.toQuantity(blocks)]);
const headNumber = () => ethers.provider.getBlockNumber();

describe('registry indexer', function () {
  let directory: string;
  let databasePath: string;
  let stores: Store[];

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-indexer-'));
    databasePath = join(directory, 'notary.sqlite');
    stores = [];
  });

  afterEach(function () {
    for (const store of stores) store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function openStore(): Store {
    const store = Store.open({ path: databasePath });
    stores.push(store);
    return store;
  }

  function indexerFor(
    store: Store,
    f: MirrorFixture,
    options: Partial<RegistryIndexerOptions> & { reader?: ChainReader } = {},
  ): RegistryIndexer {
    return new RegistryIndexer({
      reader: ethers.provider,
      mirror: store.registry,
      deployment: { registry: f.address, deploymentBlock: f.deploymentBlock },
      pollIntervalMs: 10,
      ...options,
    });
  }

  describe('mirroring', function () {
    it('mirrors a scripted history: every view of the contract equals the mirror, field by field', async function () {
      const f = await loadFixture(mirrorFixture);
      const probes = emptyProbes();
      await historyPartOne(f, probes);
      await historyPartTwo(f, probes);
      const store = openStore();

      const result = await indexerFor(store, f).step();

      expect(result.reorgs).to.deep.equal([]);
      expect(result.events).to.equal(store.registry.eventCount());
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
      // What the script set out to exercise did happen.
      const [n1, n2, n3] = f.notaries;
      expect(store.registry.notariesOf(1), 'swap-and-pop moved the last notary to the front').to.deep.equal([n3.address, n2.address]);
      expect(store.registry.notary(n1.address)).to.include({ authorised: false, position: null, memberId: 1 });
      expect(store.registry.revocation(1, label('digest 2'))?.reason, 'the duplicate revocation kept the first reason').to.equal(3);
      expect(store.registry.endorsement(1, EndorsementKind.Member, memberSubject(2))?.claimURI).to.equal('ipfs://claim-b');
      expect(store.registry.endorsement(3, EndorsementKind.Member, memberSubject(1)), 'withdrawn').to.equal(undefined);
      expect(store.registry.endorsementsReceived(1).map((e) => e.endorser)).to.deep.equal([2]);
      expect(store.registry.memberByDid('did:web:applicant-two.example')?.status, 'the rejected applicant is removed').to.equal(4);
      expect(store.registry.statusHistory(3).map((c) => c.status), 'founder 3 suspended and reinstated').to.deep.equal([2, 3, 2]);
      expect(store.registry.member(4)?.controller).to.equal(f.applicants[2].address);
      const [pending, active] = store.registry.statusHistory(6);
      expect(pending.since, 'member 6 applied and was admitted in one block').to.equal(active.since);
      expect(store.registry.statusAt(6, active.since), 'the later of two changes at one time holds').to.equal(2);
      expect(store.registry.key(label('key 4'))?.revoked).to.equal(true);
      expect(store.registry.quorum()).to.equal(3);
    });
  });

  describe('restart', function () {
    it('a new indexer over the same database resumes from the cursor without duplicating anything', async function () {
      const f = await loadFixture(mirrorFixture);
      const probes = emptyProbes();
      await historyPartOne(f, probes);
      const first = openStore();
      await indexerFor(first, f).step();
      const cursor = first.registry.cursor()!;
      const eventsBefore = first.registry.eventCount();
      first.close();

      await historyPartTwo(f, probes);
      const reader = new FlakyReader(ethers.provider);
      const second = openStore();
      const indexer = indexerFor(second, f, { reader });
      const result = await indexer.step();

      expect(reader.logFilters[0].fromBlock, 'the first logs read start after the cursor').to.equal(cursor.lastBlock + 1);
      expect(result.events + eventsBefore).to.equal(second.registry.eventCount());
      await expectMirrorMatchesChain(f.registry, second.registry, ethers.provider, probes);

      const again = await indexer.step();
      expect(again.events, 'nothing new, nothing applied').to.equal(0);
      expect(reader.logFilters, 'and no logs read').to.have.length(1);
    });

    it('refuses a database that mirrors another registry', async function () {
      const f = await loadFixture(mirrorFixture);
      const store = openStore();
      await indexerFor(store, f).step();
      const other = indexerFor(store, f, { deployment: { registry: f.stranger.address, deploymentBlock: f.deploymentBlock } });
      const error = await rejectionOf(other.step());
      expect(error).to.be.instanceOf(StoreError);
      expect(error.message).to.contain(`mirrors the registry ${f.address}`);
    });
  });

  describe('reorgs', function () {
    /** Member 1 with notary n1 and member 2 with notary n2; one anchor; indexed. Then a snapshot. */
    async function beforeTheFork(options: Partial<RegistryIndexerOptions> = {}) {
      const f = await loadFixture(mirrorFixture);
      const [f1, f2] = f.founders;
      const [n1, n2] = f.notaries;
      await f.registry.connect(f1).authoriseNotary(1, n1.address);
      await f.registry.connect(f2).authoriseNotary(2, n2.address);
      await f.registry.connect(n1).anchor(label('kept root'));
      const store = openStore();
      const reorgs: ReorgReport[] = [];
      const indexer = indexerFor(store, f, { observer: { reorged: (reorg) => reorgs.push(reorg) }, ...options });
      await indexer.step();
      const ancestor = await headNumber();
      const snapshot: string = await ethers.provider.send('evm_snapshot', []);

      // The branch that will be orphaned: four blocks, each with an event.
      const orphanedTxs = [
        await f.registry.connect(n1).anchor(label('orphaned root 1')),
        await f.registry.connect(n1).anchor(label('orphaned root 2')),
        await f.registry.connect(f1).revokeCredentials(1, [label('contested digest')], 2),
        await f.registry.connect(f1).registerKey(1, label('orphaned key'), 0, 0),
      ].map((tx) => tx.hash.toLowerCase());
      await indexer.step();
      expect(store.registry.anchor(label('orphaned root 1')), 'the branch was indexed').to.not.equal(undefined);
      expect(store.registry.indexedHead()).to.equal(ancestor + 4);

      await ethers.provider.send('evm_revert', [snapshot]);
      const probes = emptyProbes();
      ['kept root', 'orphaned root 1', 'orphaned root 2', 'new root'].forEach((root) => probes.roots.add(label(root)));
      probes.keyHashes.add(label('orphaned key'));
      probes.revocations.push({ memberId: 1, digest: label('contested digest') });
      probes.endorsements.push({ endorser: 2, kind: EndorsementKind.Member, subject: memberSubject(1) });
      probes.notaries.add(n1.address).add(n2.address);
      return { f, store, indexer, reorgs, ancestor, orphanedTxs, probes };
    }

    async function expectOrphansGone(store: Store, orphanedTxs: string[]) {
      const txs = store.registry.events({ limit: 100_000 }).map((event) => event.txHash);
      for (const tx of orphanedTxs) expect(txs, `orphaned transaction ${tx}`).not.to.include(tx);
      for (const block of store.registry.recentBlocks()) {
        expect(block.hash, `kept hash of block ${block.number}`).to.equal((await ethers.provider.getBlock(block.number))!.hash);
      }
    }

    it('rolls back to the common ancestor and follows the new chain, with other events at the same heights', async function () {
      const { f, store, indexer, reorgs, ancestor, orphanedTxs, probes } = await beforeTheFork();
      const [f1, f2] = f.founders;
      await f.registry.connect(f.notaries[1]).anchor(label('new root'));
      await f.registry.connect(f2).endorse(2, EndorsementKind.Member, memberSubject(1), 'ipfs://new-claim');
      await f.registry.connect(f1).revokeCredentials(1, [label('contested digest')], 7);
      await mine(2);

      const result = await indexer.step();

      const expected = { orphanedHead: ancestor + 4, commonAncestor: ancestor, removedEvents: 4, beyondKeptBlocks: false };
      expect(result.reorgs).to.deep.equal([expected]);
      expect(reorgs).to.deep.equal([expected]);
      expect(store.registry.anchor(label('orphaned root 1'))).to.equal(undefined);
      expect(store.registry.key(label('orphaned key'))).to.equal(undefined);
      expect(store.registry.revocation(1, label('contested digest'))?.reason, 'the new chain’s reason').to.equal(7);
      await expectOrphansGone(store, orphanedTxs);
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
    });

    it('follows a new chain shorter than the mirror', async function () {
      const { f, store, indexer, ancestor, orphanedTxs, probes } = await beforeTheFork();
      await f.registry.connect(f.notaries[1]).anchor(label('new root'));
      expect(await headNumber()).to.be.lessThan(ancestor + 4);

      const result = await indexer.step();

      expect(result.reorgs.map((r) => r.commonAncestor)).to.deep.equal([ancestor]);
      await expectOrphansGone(store, orphanedTxs);
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
    });

    it('starts over from the deployment block when the reorg is deeper than the kept block hashes', async function () {
      const { f, store, indexer, orphanedTxs, probes } = await beforeTheFork({ keepBlocks: 2 });
      const eventsBefore = store.registry.eventCount();
      await f.registry.connect(f.notaries[1]).anchor(label('new root'));
      await mine(4);

      const result = await indexer.step();

      expect(result.reorgs).to.have.length(1);
      expect(result.reorgs[0]).to.include({ commonAncestor: f.deploymentBlock - 1, removedEvents: eventsBefore, beyondKeptBlocks: true });
      await expectOrphansGone(store, orphanedTxs);
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
    });
  });

  describe('chunking', function () {
    it('indexes across thousands of empty blocks in chunks, and keeps the hashes of the newest blocks', async function () {
      const f = await loadFixture(mirrorFixture);
      const probes = emptyProbes();
      await historyPartOne(f, probes);
      await mine(5_000);
      await historyPartTwo(f, probes);
      await mine(3);
      const head = await headNumber();
      const reader = new FlakyReader(ethers.provider);
      const chunks: number[][] = [];
      const store = openStore();
      const indexer = indexerFor(store, f, {
        reader,
        chunkSize: 1_000,
        keepBlocks: 16,
        observer: { chunkIndexed: (chunk) => chunks.push([chunk.fromBlock, chunk.toBlock]) },
      });

      await indexer.step();

      const ranges: number[][] = [];
      for (let from = f.deploymentBlock; from <= head; from += 1_000) ranges.push([from, Math.min(head, from + 999)]);
      expect(ranges.length).to.be.greaterThan(5);
      expect(reader.logFilters.map((filter) => [filter.fromBlock, filter.toBlock])).to.deep.equal(ranges);
      expect(chunks, 'one transaction per chunk').to.deep.equal(ranges);
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
      const kept = store.registry.recentBlocks();
      expect(kept.map((block) => block.number)).to.deep.equal(Array.from({ length: 16 }, (_, i) => head - i));
      for (const block of kept) expect(block.hash).to.equal((await ethers.provider.getBlock(block.number))!.hash);
    });
  });

  describe('transient RPC errors', function () {
    it('a failure after the logs were read applies nothing of the chunk; the next step applies it', async function () {
      const f = await loadFixture(mirrorFixture);
      const probes = emptyProbes();
      await historyPartOne(f, probes);
      await mine(10);
      const reader = new FlakyReader(ethers.provider);
      const store = openStore();
      // keepBlocks 4: the blocks of the events are read after the logs, to learn their times.
      const indexer = indexerFor(store, f, { reader, keepBlocks: 4 });
      reader.failNext(1, (call) => call.method === 'getBlock' && reader.logFilters.length === 1);

      const error = await rejectionOf(indexer.step());

      expect(error.message).to.contain('ECONNRESET');
      expect(reader.logFilters, 'the logs were read').to.have.length(1);
      expect(store.registry.eventCount()).to.equal(0);
      expect(store.registry.indexedHead()).to.equal(undefined);
      expect(store.registry.recentBlocks()).to.deep.equal([]);

      await indexer.step();
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
    });

    it('a failure in a later chunk keeps the chunks before it, and the next step goes on from there', async function () {
      const f = await loadFixture(mirrorFixture);
      const probes = emptyProbes();
      await historyPartOne(f, probes);
      await mine(100);
      await historyPartTwo(f, probes);
      const reader = new FlakyReader(ethers.provider);
      const store = openStore();
      const indexer = indexerFor(store, f, { reader, chunkSize: 50 });
      const secondChunk = f.deploymentBlock + 50;
      reader.failNext(1, (call) => call.method === 'getLogs' && call.filter!.fromBlock === secondChunk);

      await rejectionOf(indexer.step());

      expect(store.registry.cursor()!.lastBlock).to.equal(secondChunk - 1);
      const firstChunkLogs = await ethers.provider.getLogs({ address: f.address, fromBlock: f.deploymentBlock, toBlock: secondChunk - 1 });
      expect(store.registry.eventCount()).to.equal(firstChunkLogs.length);
      await expectEventsMatchLogs(f.registry, store.registry, ethers.provider);

      await indexer.step();
      expect(reader.failures).to.equal(1);
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
    });

    it('the running loop retries failed steps with growing delays, reports each, and catches up', async function () {
      const f = await loadFixture(mirrorFixture);
      const probes = emptyProbes();
      await historyPartOne(f, probes);
      const head = await headNumber();
      const reader = new FlakyReader(ethers.provider);
      reader.failNext(3);
      const failures: { consecutiveFailures: number; retryInMs: number }[] = [];
      const observer: IndexerObserver = {
        stepFailed: ({ consecutiveFailures, retryInMs }) => failures.push({ consecutiveFailures, retryInMs }),
      };
      const store = openStore();
      const indexer = indexerFor(store, f, { reader, observer, pollIntervalMs: 5, maxBackoffMs: 40 });

      indexer.start();
      await indexer.waitForBlock(head);
      await indexer.stop();

      expect(failures).to.deep.equal([
        { consecutiveFailures: 1, retryInMs: 10 },
        { consecutiveFailures: 2, retryInMs: 20 },
        { consecutiveFailures: 3, retryInMs: 40 },
      ]);
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
    });

    it('stop waits for the step in flight, and rejects waiters it leaves behind', async function () {
      const f = await loadFixture(mirrorFixture);
      const probes = emptyProbes();
      await historyPartOne(f, probes);
      const head = await headNumber();
      const reader = new FlakyReader(ethers.provider);
      let open!: () => void;
      const reached = reader.holdLogsUntil(new Promise<void>((resolve) => (open = resolve)));
      const store = openStore();
      const indexer = indexerFor(store, f, { reader });

      indexer.start();
      await reached;
      let stopped = false;
      const stopping = indexer.stop().then(() => (stopped = true));
      const beyond = indexer.waitForBlock(head + 1_000).then(
        () => 'resolved',
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopped, 'stop waits while the step is reading logs').to.equal(false);
      open();
      await stopping;

      expect(store.registry.indexedHead(), 'the step in flight finished').to.equal(head);
      expect(await beyond).to.contain(`stopped before block ${head + 1_000}`);
      await expectMirrorMatchesChain(f.registry, store.registry, ethers.provider, probes);
    });
  });
});
