import { expect } from 'chai';
import { ZeroHash, hexlify, randomBytes } from 'ethers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Batcher, NotaryStats } from '../../service/batching';
import { BatchTree, STORED_TREE_HEADER_BYTES, nodeCount } from '../../service/merkle';
import type { NewCredential, NotaryStore } from '../../service/store';
import { openServiceStore, type OpenedServiceStore } from '../support/service-store';
import { ManualClock, recordingObserver } from './helpers';

describe('batching: batcher', function () {
  let directory: string;
  let opened: OpenedServiceStore;
  let store: NotaryStore;
  let clock: ManualClock;

  beforeEach(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-batcher-'));
    opened = await openServiceStore(directory);
    store = opened.store;
    clock = new ManualClock();
  });

  afterEach(async function () {
    await opened.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Queues credentials received at the given times (ms); returns their digests in that order. */
  async function queue(...receivedAt: number[]): Promise<string[]> {
    const credentials: NewCredential[] = receivedAt.map((at) => ({
      digest: hexlify(randomBytes(32)),
      memberId: 1,
      issuerDid: 'did:web:school.example',
      keyHash: ZeroHash,
      format: 'vc-jwt',
      artifact: 'a.b.c',
      submittedBy: 'client',
      receivedAt: at,
    }));
    await store.credentials.insertMany(credentials);
    return credentials.map((c) => c.digest);
  }

  const batcher = (maxSize: number, maxAgeMs: number, observer = recordingObserver().observer) =>
    new Batcher({ store, maxSize, maxAgeMs, clock: clock.read, observer });

  describe('sealing at size', function () {
    it('waits below the size, then seals exactly maxSize digests, oldest first, in leaf order', async function () {
      const t = clock.now;
      const [d1, d2, d3] = await queue(t + 3, t + 1, t + 2);
      const { events, observer } = recordingObserver();
      const b = batcher(4, 60_000, observer);
      expect(await b.tick()).to.deep.equal([]);
      const [d4, d5] = await queue(t + 4, t + 5);

      const sealed = await b.tick();
      expect(sealed).to.have.length(1);
      const batch = sealed[0];
      expect(batch).to.include({ state: 'sealed', size: 4, sealedAt: clock.now });
      // Oldest first: d2 (t+1), d3, d1, d4; d5 stays queued.
      const order = [d2, d3, d1, d4];
      for (const [index, digest] of order.entries()) expect(await store.credentials.get(digest)).to.include({ batchId: batch.id, leafIndex: index });
      expect((await store.credentials.get(d5))?.batchId).to.equal(null);
      expect(await store.credentials.queueDepth()).to.equal(1);
      expect(events.sealed).to.deep.equal([{ batchId: batch.id, root: batch.root, size: 4, reason: 'size', at: clock.now }]);

      const tree = await BatchTree.build(order);
      expect(batch.root).to.equal(tree.root);
    });

    it('seals a long queue into several full batches in one tick, leaving the young rest queued', async function () {
      await queue(...Array.from({ length: 10 }, (_, i) => clock.now + i));
      const sealed = await batcher(4, 60_000).tick();
      expect(sealed.map((b) => b.size)).to.deep.equal([4, 4]);
      expect(await store.credentials.queueDepth()).to.equal(2);
    });
  });

  describe('sealing at age', function () {
    it('seals a small batch once its oldest credential is maxAgeMs old, and not a millisecond before', async function () {
      const start = clock.now;
      await queue(start, start + 500);
      const { events, observer } = recordingObserver();
      const b = batcher(100, 1_000, observer);
      clock.advance(999);
      expect(await b.tick()).to.deep.equal([]);
      expect(await b.due()).to.equal(undefined);
      clock.advance(1);
      expect(await b.due()).to.equal('age');
      const [batch] = await b.tick();
      expect(batch).to.include({ size: 2, sealedAt: start + 1_000 });
      expect(events.sealed).to.have.length(1);
      expect(events.sealed[0]).to.include({ reason: 'age' });
      expect(await b.tick()).to.deep.equal([]);
    });

    it('seals nothing for an empty queue, however much time passes', async function () {
      const b = batcher(1, 0);
      clock.advance(86_400_000);
      expect(await b.due()).to.equal(undefined);
      expect(await b.tick()).to.deep.equal([]);
      expect((await store.batches.countByState()).sealed).to.equal(0);
    });
  });

  describe('what is stored', function () {
    it('stores the tree once, O(N), from which every proof is read; no per-leaf proofs', async function () {
      const digests = await queue(...Array.from({ length: 37 }, (_, i) => clock.now + i));
      const [batch] = await batcher(37, 60_000).tick();
      const stored = (await store.batches.tree(batch.id))!;
      expect(stored.length).to.equal(STORED_TREE_HEADER_BYTES + 32 * nodeCount(37));
      expect(nodeCount(37)).to.be.below(2 * 37 + Math.log2(37) + 1);
      const tree = BatchTree.load(stored);
      expect(tree.root).to.equal(batch.root);
      const reference = await BatchTree.build(digests);
      for (let i = 0; i < 37; i++) expect(tree.proof(i)).to.deep.equal(reference.proof(i));
      const columns = await opened.columns('credentials');
      expect(columns).to.include('digest');
      expect(columns.filter((name) => name.includes('proof'))).to.deep.equal([]);
    });
  });

  describe('one transaction per seal', function () {
    it('a failure in the middle of a seal leaves nothing: no batch, no leaf assigned, the queue intact', async function () {
      const digests = await queue(...Array.from({ length: 5 }, (_, i) => clock.now + i));
      // The store refuses the fourth credential's leaf assignment, after the batch row and three leaves were written.
      if (store.kind === 'sqlite') {
        await opened.sql(`CREATE TRIGGER fail_mid_seal BEFORE UPDATE OF batch_id ON credentials WHEN NEW.digest = '${digests[3]}'
                          BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
      } else {
        await opened.sql(`CREATE FUNCTION fail_mid_seal() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RAISE EXCEPTION ''disk on fire''; END'`);
        await opened.sql(`CREATE TRIGGER fail_mid_seal BEFORE UPDATE OF batch_id ON credentials FOR EACH ROW
                          WHEN (NEW.digest = '${digests[3]}') EXECUTE FUNCTION fail_mid_seal()`);
      }
      const b = batcher(5, 60_000);
      let failure: unknown;
      await b.tick().catch((error: unknown) => (failure = error));
      expect((failure as Error | undefined)?.message).to.contain('disk on fire');
      expect(await store.batches.list({ limit: 10 })).to.deep.equal([]);
      expect(await store.credentials.queueDepth()).to.equal(5);
      for (const digest of digests) expect(await store.credentials.get(digest)).to.include({ batchId: null, leafIndex: null });

      await opened.sql(store.kind === 'sqlite' ? 'DROP TRIGGER fail_mid_seal' : 'DROP TRIGGER fail_mid_seal ON credentials');
      const [batch] = await b.tick();
      expect(batch.size).to.equal(5);
      expect(await store.credentials.queueDepth()).to.equal(0);
    });
  });

  it('counts seals for the metrics', async function () {
    const stats = new NotaryStats();
    await queue(clock.now, clock.now);
    await new Batcher({ store, maxSize: 1, maxAgeMs: 60_000, clock: clock.read, observer: stats }).tick();
    expect(stats.snapshot().batchesSealed).to.equal(2);
  });
});
