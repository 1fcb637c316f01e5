import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, StoreError } from '../../service/store';
import { rejects } from '../support/rejects';

const digest = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

describe('store: revocation requests', function () {
  let directory: string;
  let store: Store;

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-revocations-'));
    store = Store.open({ path: join(directory, 'notary.sqlite') });
  });

  afterEach(function () {
    store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const create = (memberId = 1, digests = [digest(1)], requestedAt = 1_000) =>
    store.revocations.create({ memberId, digests, reason: 2, requestedBy: 'client-1', requestedAt });

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
    expect(await store.revocations.get(request.id)).to.deep.equal(request);
    expect(await store.revocations.get(request.id + 1)).to.equal(undefined);
  });

  it('refuses a request without digests', async function () {
    await rejects(create(1, []), StoreError, 'at least one digest');
  });

  it('moves pending -> submitted -> mined, keeping the transaction and the block', async function () {
    const { id } = await create();
    const hash = `0x${'CD'.repeat(32)}`;
    expect(await store.revocations.markSubmitted(id, hash)).to.include({ state: 'submitted', txHash: hash.toLowerCase() });
    expect((await store.revocations.inState('submitted')).map((r) => r.id)).to.deep.equal([id]);
    expect(await store.revocations.markMined(id, 42)).to.include({ state: 'mined', txHash: hash.toLowerCase(), blockNumber: 42 });
    expect(await store.revocations.inState('submitted')).to.deep.equal([]);
  });

  it('fails a pending or a submitted request with the reason, and nothing moves out of a final state', async function () {
    const refused = await create();
    expect(await store.revocations.markFailed(refused.id, 'the registry refused')).to.include({ state: 'failed', error: 'the registry refused', blockNumber: null });
    const reverted = await create();
    await store.revocations.markSubmitted(reverted.id, `0x${'01'.repeat(32)}`);
    expect(await store.revocations.markFailed(reverted.id, 'reverted', 7)).to.include({ state: 'failed', blockNumber: 7 });

    await rejects(store.revocations.markSubmitted(refused.id, `0x${'02'.repeat(32)}`), StoreError, 'is failed, not pending');
    await rejects(store.revocations.markMined(refused.id, 1), StoreError, 'is failed, not submitted');
    await rejects(store.revocations.markFailed(refused.id, 'again'), StoreError, 'is failed, not pending or submitted');
    const pending = await create();
    await rejects(store.revocations.markMined(pending.id, 1), StoreError, 'is pending, not submitted');
    await rejects(store.revocations.markMined(999, 1), StoreError, 'there is no revocation request 999');
  });

  it('finds the requests that name a digest, and lists a member’s newest first, page by page', async function () {
    const a = await create(1, [digest(1), digest(2)]);
    const b = await create(2, [digest(2)]);
    const c = await create(1, [digest(3)]);
    expect((await store.revocations.forDigest(digest(2))).map((r) => r.id)).to.deep.equal([a.id, b.id]);
    expect((await store.revocations.forDigest(digest(2).toUpperCase().replace('0X', '0x'))).map((r) => r.id)).to.deep.equal([a.id, b.id]);
    expect(await store.revocations.forDigest(digest(9))).to.deep.equal([]);
    expect((await store.revocations.listForMember(1, { limit: 10 })).map((r) => r.id)).to.deep.equal([c.id, a.id]);
    expect((await store.revocations.listForMember(1, { limit: 1 })).map((r) => r.id)).to.deep.equal([c.id]);
    expect((await store.revocations.listForMember(1, { limit: 10, beforeId: c.id })).map((r) => r.id)).to.deep.equal([a.id]);
    expect(await store.revocations.listForMember(3, { limit: 10 })).to.deep.equal([]);
  });
});
