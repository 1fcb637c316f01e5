import { expect } from 'chai';
import { StoreError } from '../../service/store';
import { rejects } from '../support/rejects';
import { describeOnEveryStore } from '../support/store-kinds';

// The revocation requests on both stores (issue #13): what is recorded, the moves and their refusals, and the
// lookups by digest and by member.

const digest = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describeOnEveryStore('store: revocation requests', function (current) {
  const create = (memberId = 1, digests = [digest(1)], requestedAt = 1_000) =>
    current().revocations.create({ memberId, digests, reason: 2, requestedBy: 'client-1', requestedAt });

  it('records a request as pending, digests lower-cased, in the order given', async function () {
    const request = await create(1, [digest(0xab).toUpperCase().replace('0X', '0x'), digest(1)]);
    expect(request).to.deep.equal({
      id: request.id,
      memberId: 1,
      digests: [digest(0xab), digest(1)],
      reason: 2,
      requestedBy: 'client-1',
      requestedAt: 1_000,
      state: 'pending',
      txHash: null,
      blockNumber: null,
      error: null,
    });
    expect(await current().revocations.get(request.id)).to.deep.equal(request);
    expect(await current().revocations.get(request.id + 1)).to.equal(undefined);
  });

  it('refuses a request without digests', async function () {
    await rejects(create(1, []), StoreError, 'at least one digest');
  });

  it('moves pending -> submitted -> mined, keeping the transaction and the block', async function () {
    const { id } = await create();
    const hash = `0x${'CD'.repeat(32)}`;
    expect(await current().revocations.markSubmitted(id, hash)).to.include({ state: 'submitted', txHash: hash.toLowerCase() });
    expect((await current().revocations.inState('submitted')).map((r) => r.id)).to.deep.equal([id]);
    expect(await current().revocations.markMined(id, 42)).to.include({ state: 'mined', txHash: hash.toLowerCase(), blockNumber: 42 });
    expect(await current().revocations.inState('submitted')).to.deep.equal([]);
  });

  it('fails a pending or a submitted request with the reason, and nothing moves out of a final state', async function () {
    const refused = await create();
    expect(await current().revocations.markFailed(refused.id, 'the registry refused')).to.include({ state: 'failed', error: 'the registry refused', blockNumber: null });
    const reverted = await create();
    await current().revocations.markSubmitted(reverted.id, `0x${'01'.repeat(32)}`);
    expect(await current().revocations.markFailed(reverted.id, 'reverted', 7)).to.include({ state: 'failed', blockNumber: 7, txHash: `0x${'01'.repeat(32)}` });

    await rejects(current().revocations.markSubmitted(refused.id, `0x${'02'.repeat(32)}`), StoreError, 'is failed, not pending');
    await rejects(current().revocations.markMined(refused.id, 1), StoreError, 'is failed, not submitted');
    await rejects(current().revocations.markFailed(refused.id, 'again'), StoreError, 'is failed, not pending or submitted');
    const pending = await create();
    await rejects(current().revocations.markMined(pending.id, 1), StoreError, 'is pending, not submitted');
    await rejects(current().revocations.markMined(999, 1), StoreError, 'there is no revocation request 999');
  });

  it('finds the requests that name a digest, and lists a member’s newest first, page by page', async function () {
    const a = await create(1, [digest(1), digest(2)]);
    const b = await create(2, [digest(2)]);
    const c = await create(1, [digest(3)]);
    expect((await current().revocations.forDigest(digest(2))).map((r) => r.id)).to.deep.equal([a.id, b.id]);
    expect((await current().revocations.forDigest(digest(2).toUpperCase().replace('0X', '0x'))).map((r) => r.id)).to.deep.equal([a.id, b.id]);
    expect(await current().revocations.forDigest(digest(9))).to.deep.equal([]);
    expect((await current().revocations.listForMember(1, { limit: 10 })).map((r) => r.id)).to.deep.equal([c.id, a.id]);
    expect((await current().revocations.listForMember(1, { limit: 1 })).map((r) => r.id)).to.deep.equal([c.id]);
    expect((await current().revocations.listForMember(1, { limit: 10, beforeId: c.id })).map((r) => r.id)).to.deep.equal([a.id]);
    expect(await current().revocations.listForMember(3, { limit: 10 })).to.deep.equal([]);
  });

  it('lets one of several concurrent moves of a request win, and refuses the others', async function () {
    const { id } = await create();
    const moves = await Promise.allSettled(['0a', '0b', '0c'].map((byte) => current().revocations.markSubmitted(id, `0x${byte.repeat(32)}`)));
    expect(moves.filter((move) => move.status === 'fulfilled')).to.have.length(1);
    for (const move of moves) if (move.status === 'rejected') expect(move.reason).to.be.instanceOf(StoreError);
    const won = moves.find((move) => move.status === 'fulfilled')!;
    expect(await current().revocations.get(id)).to.deep.equal(won.value);
  });
});
