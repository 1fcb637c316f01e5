import { expect } from 'chai';
import { StatusIndexTakenError, type NewCredential } from '../../service/store';
import { rejects } from '../support/rejects';
import { describeOnEveryStore } from '../support/store-kinds';

// The acknowledged credentials and their queue on both stores (issue #13): intake's idempotent write with its
// status list indexes, where a credential stands, and the queue the batcher reads.

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const credential = (n: number, receivedAt = 1_000 + n): NewCredential => ({
  digest: hash(n),
  memberId: 1,
  issuerDid: 'did:web:school.example',
  keyHash: hash(999),
  format: 'vc-jwt',
  artifact: `artifact-${n}`,
  submittedBy: 'client-1',
  receivedAt,
});

describeOnEveryStore('store: credentials', function (current) {
  it('stores a credential once: the same digest again is not new and changes nothing', async function () {
    expect(await current().credentials.insertMany([credential(1), credential(2)])).to.deep.equal([true, true]);
    expect(await current().credentials.insertMany([{ ...credential(1), artifact: 'another', receivedAt: 5 }, credential(3)])).to.deep.equal([false, true]);
    const { statusEntries: _none, ...stored } = credential(1);
    expect(await current().credentials.get(hash(1))).to.deep.equal({ ...stored, batchId: null, leafIndex: null });
    expect(await current().credentials.get(hash(9))).to.equal(undefined);
    expect(await current().credentials.placement(hash(2))).to.deep.equal({ digest: hash(2), receivedAt: 1_002, batchId: null, leafIndex: null });
    expect(await current().credentials.placement(hash(9))).to.equal(undefined);
  });

  it('answers many placements asked at once, each its own (PostgreSQL sends them as one statement)', async function () {
    await current().credentials.insertMany([credential(1), credential(2)]);
    const asked = [hash(2), hash(9), hash(1), hash(2)];
    const answers = await Promise.all(asked.map((digest) => current().credentials.placement(digest)));
    expect(answers.map((answer) => answer?.digest)).to.deep.equal([hash(2), undefined, hash(1), hash(2)]);
    expect(answers[0]).to.deep.equal(await current().credentials.placement(hash(2)));
  });

  it('stores a digest named twice in one write once, from its first occurrence', async function () {
    expect(await current().credentials.insertMany([credential(2), { ...credential(1), artifact: 'first' }, { ...credential(1), artifact: 'second' }])).to.deep.equal([
      true,
      true,
      false,
    ]);
    expect(await current().credentials.get(hash(1))).to.include({ artifact: 'first' });
    expect(await current().credentials.insertMany([])).to.deep.equal([]);
  });

  it('reads the queue oldest first: its depth, its oldest, its next digests', async function () {
    expect(await current().credentials.queueDepth()).to.equal(0);
    expect(await current().credentials.oldestQueuedAt()).to.equal(undefined);
    await current().credentials.insertMany([credential(3, 30), credential(1, 10), credential(2, 10)]);
    expect(await current().credentials.queueDepth()).to.equal(3);
    expect(await current().credentials.oldestQueuedAt()).to.equal(10);
    expect(await current().credentials.nextQueued(2)).to.deep.equal([hash(1), hash(2)]);
    await current().batches.seal({ root: hash(500), tree: Buffer.from('tree'), digests: [hash(1)], sealedAt: 40 });
    expect(await current().credentials.queueDepth()).to.equal(2);
    expect(await current().credentials.nextQueued(10)).to.deep.equal([hash(2), hash(3)]);
    expect(await current().credentials.placement(hash(1))).to.include({ leafIndex: 0 });
  });

  it('binds status list indexes with their credential, and stores nothing when an index belongs to another', async function () {
    const entry = { list: 'revocation-1', index: 7 };
    expect(await current().credentials.insertMany([{ ...credential(1), statusEntries: [entry] }])).to.deep.equal([true]);
    await rejects(current().credentials.insertMany([credential(2), { ...credential(3), statusEntries: [entry] }]), StatusIndexTakenError, 'already belongs to credential');
    expect(await current().credentials.get(hash(2)), 'the whole write was rolled back').to.equal(undefined);
    expect(await current().credentials.queueDepth()).to.equal(1);
    expect(await current().rows('status_list_entries')).to.deep.equal([{ member_id: 1, list: 'revocation-1', list_index: 7, digest: hash(1) }]);
  });

  it('binds several indexes of one credential, and none of a credential already stored', async function () {
    const entries = [
      { list: 'revocation-1', index: 3 },
      { list: 'revocation-1', index: 1 },
      { list: 'suspension', index: 1 },
    ];
    await current().credentials.insertMany([{ ...credential(1), digest: hash(1).toUpperCase().replace('0X', '0x'), statusEntries: entries }]);
    const bound = (await current().rows('status_list_entries')).map(({ list, list_index, digest }) => `${String(list)}:${String(list_index)}:${String(digest)}`);
    expect(bound.sort(), 'digests bound lower-cased').to.deep.equal([`revocation-1:1:${hash(1)}`, `revocation-1:3:${hash(1)}`, `suspension:1:${hash(1)}`]);
    expect(await current().credentials.insertMany([{ ...credential(2), statusEntries: [{ list: 'revocation-1', index: 9 }] }, { ...credential(2), statusEntries: [{ list: 'revocation-1', index: 3 }] }])).to.deep.equal([true, false]);
    expect(await current().rows('status_list_entries')).to.have.length(4);
  });

  it('refuses two credentials of one write that claim one index', async function () {
    const entry = { list: 'revocation-1', index: 4 };
    await rejects(current().credentials.insertMany([{ ...credential(1), statusEntries: [entry] }, { ...credential(2), statusEntries: [entry] }]), StatusIndexTakenError, 'already belongs to credential');
    expect(await current().rows('credentials')).to.deep.equal([]);
    expect(await current().rows('status_list_entries')).to.deep.equal([]);
  });

  it('lets exactly one of several concurrent writes of one digest create it', async function () {
    const writes = await Promise.all(Array.from({ length: 6 }, (_, i) => current().credentials.insertMany([{ ...credential(1), submittedBy: `client-${i}` }])));
    expect(writes.filter(([created]) => created)).to.have.length(1);
    expect(await current().rows('credentials')).to.have.length(1);
  });

  it('lets exactly one of two concurrent writes bind one index: the other is refused and stores nothing', async function () {
    const entry = { list: 'revocation-1', index: 5 };
    const outcomes = await Promise.allSettled([
      current().credentials.insertMany([{ ...credential(1), statusEntries: [entry] }]),
      current().credentials.insertMany([{ ...credential(2), statusEntries: [entry] }]),
    ]);
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refused).to.have.length(1);
    expect(refused[0].reason).to.be.instanceOf(StatusIndexTakenError);
    expect(await current().rows('credentials')).to.have.length(1);
    expect(await current().rows('status_list_entries')).to.have.length(1);
  });

  it('stores overlapping writes made at once in opposite orders, without a deadlock', async function () {
    const ascending = Array.from({ length: 50 }, (_, i) => credential(i + 1));
    const writes = await Promise.all([
      current().credentials.insertMany(ascending),
      current().credentials.insertMany([...ascending].reverse()),
      current().credentials.insertMany(ascending.filter((_, i) => i % 2 === 0)),
    ]);
    const created = writes.flat().filter(Boolean);
    expect(created, 'each digest new once').to.have.length(50);
    expect(await current().credentials.queueDepth()).to.equal(50);
  });
});
