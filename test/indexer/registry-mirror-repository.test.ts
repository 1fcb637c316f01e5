import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, StoreError, type IndexedBlock, type RegistryEventRecord } from '../../service/store';

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const word = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const block = (number: number): IndexedBlock => ({ number, hash: word(1_000 + number), parentHash: word(999 + number), time: 1_700_000_000 + number });

function event(blockNumber: number, logIndex: number, name: string, args: RegistryEventRecord['args']): RegistryEventRecord {
  return {
    blockNumber, logIndex, blockHash: block(blockNumber).hash, txHash: word(5_000 + blockNumber * 10 + logIndex),
    blockTime: block(blockNumber).time, name, args
  };
}

const applied = (memberId: number, blockNumber: number) =>
  event(blockNumber, 0, 'MemberApplied', {
    memberId,
    did: `did:web:member${memberId}.example`,
    controller: REGISTRY,
    role: 1,
    metadataURI: '',
    metadataHash: word(0),
  });

describe('registry mirror repository', function () {
  let directory: string;
  let store: Store;

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-mirror-'));
    store = Store.open({ path: join(directory, 'notary.sqlite') });
    store.registry.initCursor({ registry: REGISTRY, startBlock: 10 }, 1);
  });

  afterEach(function () {
    store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('starts with nothing indexed, just before the deployment block', function () {
    expect(store.registry.cursor()).to.include({ registry: REGISTRY, startBlock: 10, lastBlock: 9, lastBlockHash: null });
    expect(store.registry.indexedHead()).to.equal(undefined);
  });

  it('applies a chunk in one transaction: a failing event leaves no trace of the chunk', function () {
    const badWithdrawal = event(11, 1, 'NotaryDeauthorised', { memberId: 1, notary: REGISTRY });
    expect(() =>
      store.registry.applyChunk({ fromBlock: 10, toBlock: 12, events: [applied(1, 11), badWithdrawal], blocks: [block(12)], keepBlocks: 8 }, 2),
    ).to.throw(StoreError, 'does not have as its notary');
    expect(store.registry.eventCount()).to.equal(0);
    expect(store.registry.members()).to.deep.equal([]);
    expect(store.registry.recentBlocks()).to.deep.equal([]);
    expect(store.registry.cursor()?.lastBlock).to.equal(9);
  });

  it('refuses a chunk that does not follow the cursor, so nothing is applied twice', function () {
    const chunk = { fromBlock: 10, toBlock: 12, events: [applied(1, 11)], blocks: [block(12)], keepBlocks: 8 };
    store.registry.applyChunk(chunk, 2);
    expect(() => store.registry.applyChunk(chunk, 3)).to.throw(StoreError, 'expected 13');
    expect(store.registry.eventCount()).to.equal(1);
  });

  it('rolls back to a kept block and rebuilds the projections from the events left', function () {
    store.registry.applyChunk({ fromBlock: 10, toBlock: 12, events: [applied(1, 11)], blocks: [block(11), block(12)], keepBlocks: 8 }, 2);
    store.registry.applyChunk({ fromBlock: 13, toBlock: 14, events: [applied(2, 14)], blocks: [block(13), block(14)], keepBlocks: 8 }, 3);
    expect(() => store.registry.rollbackTo(10, 4), 'block 10 has no kept hash').to.throw(StoreError, 'its hash is not kept');

    expect(store.registry.rollbackTo(13, 4)).to.equal(1);

    expect(store.registry.members().map((m) => m.id)).to.deep.equal([1]);
    expect(store.registry.cursor()).to.include({ lastBlock: 13, lastBlockHash: block(13).hash });
    expect(store.registry.recentBlocks().map((b) => b.number)).to.deep.equal([13, 12, 11]);
    expect(store.registry.rollbackTo(9, 5), 'back to before the deployment').to.equal(1);
    expect(store.registry.members()).to.deep.equal([]);
    expect(store.registry.indexedHead()).to.equal(undefined);
  });

  it('keeps the hashes of the newest keepBlocks blocks only', function () {
    store.registry.applyChunk({ fromBlock: 10, toBlock: 15, events: [], blocks: [12, 13, 14, 15].map(block), keepBlocks: 3 }, 2);
    expect(store.registry.recentBlocks().map((b) => b.number)).to.deep.equal([15, 14, 13]);
  });

  it('keeps a uint64 time beyond 2^53 exactly in the event and capped in the projection', function () {
    const far = (2n ** 64n - 1n).toString();
    const key = event(11, 1, 'SigningKeyRegistered', { memberId: 1, keyHash: word(7), validFrom: '1700000011', validUntil: far });
    store.registry.applyChunk({ fromBlock: 10, toBlock: 11, events: [applied(1, 11), key], blocks: [block(11)], keepBlocks: 8 }, 2);
    expect(store.registry.events()[1].args.validUntil).to.equal(far);
    expect(store.registry.key(word(7))).to.include({ validFrom: 1_700_000_011, validUntil: Number.MAX_SAFE_INTEGER });
    expect(store.registry.isKeyValidAt(1, word(7), 2 ** 40)).to.equal(true);
  });

  it('adds a published public key (SigningKeyPublished) to its key, in lower case; a key registered by hash has none', function () {
    const publicKey = `0xED01${'AB'.repeat(32)}`;
    const registered = (logIndex: number, keyHash: string) =>
      event(11, logIndex, 'SigningKeyRegistered', { memberId: 1, keyHash, validFrom: 1_700_000_011, validUntil: 0 });
    const published = event(11, 3, 'SigningKeyPublished', { memberId: 1, keyHash: word(7), publicKey });
    store.registry.applyChunk(
      { fromBlock: 10, toBlock: 11, events: [applied(1, 11), registered(1, word(8)), registered(2, word(7)), published], blocks: [block(11)], keepBlocks: 8 },
      2,
    );
    expect(store.registry.key(word(7))).to.include({ publicKey: publicKey.toLowerCase(), memberId: 1 });
    expect(store.registry.key(word(8))).to.not.have.property('publicKey');
    expect(store.registry.keysOf(1).map((key) => key.publicKey)).to.deep.equal([publicKey.toLowerCase(), undefined]);
  });

  it("gives a member's revoked digests with the block they are true of, read together (status lists)", function () {
    expect(store.registry.revocationsAtHead(1), 'nothing indexed: no block').to.deep.equal({ digests: [] });
    const revoked = (blockNumber: number, logIndex: number, memberId: number, digest: string) =>
      event(blockNumber, logIndex, 'CredentialRevoked', { memberId, digest, reason: 1 });
    store.registry.applyChunk({ fromBlock: 10, toBlock: 11, events: [applied(2, 10), applied(1, 11)], blocks: [block(11)], keepBlocks: 8 }, 2);
    expect(store.registry.revocationsAtHead(1)).to.deep.equal({ digests: [], block: { number: 11, hash: block(11).hash, time: block(11).time } });
    store.registry.applyChunk(
      {
        fromBlock: 12,
        toBlock: 13,
        events: [revoked(12, 0, 1, word(9).toUpperCase().replace('0X', '0x')), revoked(12, 1, 2, word(8)), revoked(13, 0, 1, word(5))],
        blocks: [block(12), block(13)],
        keepBlocks: 8,
      },
      3,
    );
    const head = { number: 13, hash: block(13).hash, time: block(13).time };
    expect(store.registry.revocationsAtHead(1), 'lower-cased, in digest order').to.deep.equal({ digests: [word(5), word(9)], block: head });
    expect(store.registry.revocationsAtHead(2).digests).to.deep.equal([word(8)]);
    store.registry.rollbackTo(12, 4);
    expect(store.registry.revocationsAtHead(1), 'a reorg takes back the revocation of its blocks').to.deep.equal({
      digests: [word(9)],
      block: { number: 12, hash: block(12).hash, time: block(12).time },
    });
  });

  it("counts every notary's anchors per member and UTC month, and the revocations per member and reason (the dashboard's)", function () {
    const at = (blockNumber: number, logIndex: number, name: string, args: RegistryEventRecord['args'], iso: string) => ({
      ...event(blockNumber, logIndex, name, args),
      blockTime: Date.parse(iso) / 1000,
    });
    const anchoredBy = (logIndex: number, memberId: number, iso: string) => at(12, logIndex, 'RootAnchored', { root: word(300 + logIndex), memberId }, iso);
    const revoked = (logIndex: number, memberId: number, reason: number) =>
      at(13, logIndex, 'CredentialRevoked', { memberId, digest: word(400 + logIndex), reason }, '2026-03-01T00:00:00Z');
    store.registry.applyChunk(
      {
        fromBlock: 10,
        toBlock: 13,
        events: [
          applied(2, 10),
          applied(1, 11),
          anchoredBy(0, 1, '2026-01-31T23:59:59Z'),
          anchoredBy(1, 2, '2026-01-01T00:00:00Z'),
          anchoredBy(2, 1, '2026-02-01T00:00:00Z'),
          anchoredBy(3, 1, '2026-01-10T00:00:00Z'),
          revoked(0, 2, 1),
          revoked(1, 1, 3),
          revoked(2, 1, 1),
          revoked(3, 1, 3),
        ],
        blocks: [block(12), block(13)],
        keepBlocks: 8,
      },
      2,
    );
    const seconds = (iso: string) => Date.parse(iso) / 1000;
    expect(store.registry.anchorsPerMemberMonth(seconds('2026-01-01T00:00:00Z'), seconds('2026-03-01T00:00:00Z'))).to.deep.equal([
      { memberId: 1, period: '2026-01', count: 2 },
      { memberId: 2, period: '2026-01', count: 1 },
      { memberId: 1, period: '2026-02', count: 1 },
    ]);
    expect(store.registry.anchorsPerMemberMonth(seconds('2026-01-01T00:00:01Z'), seconds('2026-02-01T00:00:00Z')), 'from included, to excluded').to.deep.equal([
      { memberId: 1, period: '2026-01', count: 2 },
    ]);
    expect(store.registry.revocationsPerMemberReason()).to.deep.equal([
      { memberId: 1, reason: 1, count: 1 },
      { memberId: 1, reason: 3, count: 2 },
      { memberId: 2, reason: 1, count: 1 },
    ]);
  });

  it('refuses to mirror another registry in the same database', function () {
    expect(() => store.registry.initCursor({ registry: REGISTRY, startBlock: 11 }, 2)).to.throw(StoreError, 'from block 10');
    expect(() => store.registry.initCursor({ registry: word(1).slice(0, 42), startBlock: 10 }, 2)).to.throw(StoreError, 'use another database');
  });
});
