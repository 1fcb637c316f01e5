import { expect } from 'chai';
import type { NewCredential } from '../../service/store';
import { describeOnEveryStore } from '../support/store-kinds';

// The dashboard's aggregates over this service's own records on both stores (issue #13): credentials notarised
// per member and month of their anchor, and the fees paid per month and per day (UTC). The network's figures
// (every notary's anchors, the revocations) are the mirror's: test/indexer/registry-mirror-repository.test.ts.

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const credential = (n: number, memberId: number): NewCredential => ({
  digest: hash(n),
  memberId,
  issuerDid: `did:web:member${memberId}.example`,
  keyHash: hash(999),
  format: 'vc-jwt',
  artifact: `artifact-${n}`,
  submittedBy: 'client-1',
  receivedAt: 1_000 + n,
});
const ms = (iso: string) => Date.parse(iso);
const seconds = (iso: string) => ms(iso) / 1000;
const BIG_FEE = 2n ** 70n;

describeOnEveryStore('store: the dashboard aggregates of this service', function (current) {
  /** A batch of `members`' credentials (one each, numbered from `first`), anchored at `anchoredAt` and mined at `minedAt` for `fee`. */
  async function anchored(first: number, members: number[], anchoredAt: string, minedAt: string, fee: bigint | undefined, state: 'submitted' | 'confirmed' | 'final' = 'confirmed') {
    const credentials = members.map((memberId, i) => credential(first + i, memberId));
    await current().credentials.insertMany(credentials);
    const batch = await current().batches.seal({ root: hash(500 + first), tree: Buffer.from('tree'), digests: credentials.map((c) => c.digest), sealedAt: 5 });
    await current().batches.markSubmitted(batch.id, { hash: hash(700 + first), nonce: first, sentAt: 6 });
    if (state === 'submitted') return;
    const landing = { blockNumber: first, blockHash: hash(900 + first), anchoredAt: seconds(anchoredAt), anchoredBy: 1 };
    await current().batches.markConfirmed(batch.id, landing, ms(minedAt), fee === undefined ? undefined : { gasUsed: 50_000n, feePaid: fee });
    if (state === 'final') await current().batches.markFinal(batch.id, ms(minedAt) + 1);
  }

  beforeEach(async function () {
    await anchored(1, [1, 1, 2], '2026-01-15T12:00:00Z', '2026-01-15T12:00:03Z', 1_000n, 'final');
    // Anchored in the first second of February; its fee seen mined in the last millisecond of January.
    await anchored(10, [1], '2026-02-01T00:00:00Z', '2026-01-31T23:59:59.999Z', BIG_FEE);
    await anchored(20, [2, 2], '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 5n);
    await anchored(30, [1], '2026-01-20T00:00:00Z', '2026-01-20T00:00:00Z', undefined, 'submitted');
    await current().credentials.insertMany([credential(40, 1)]);
  });

  it('counts the credentials of anchored batches per member and month of the anchor, from the first second to before the last', async function () {
    expect(await current().stats.notarisedPerMemberMonth(seconds('2026-01-01T00:00:00Z'), seconds('2026-03-01T00:00:00Z'))).to.deep.equal([
      { memberId: 1, period: '2026-01', count: 2 },
      { memberId: 2, period: '2026-01', count: 1 },
      { memberId: 1, period: '2026-02', count: 1 },
    ]);
    expect(await current().stats.notarisedPerMemberMonth(seconds('2026-02-01T00:00:00Z'), seconds('2026-04-01T00:00:00Z'))).to.deep.equal([
      { memberId: 1, period: '2026-02', count: 1 },
      { memberId: 2, period: '2026-03', count: 2 },
    ]);
    expect(await current().stats.notarisedPerMemberMonth(seconds('2025-01-01T00:00:00Z'), seconds('2026-01-01T00:00:00Z'))).to.deep.equal([]);
  });

  it('sums the fees of mined anchor transactions per UTC month and day, in wei beyond 2^64', async function () {
    const from = ms('2026-01-01T00:00:00Z');
    const to = ms('2026-04-01T00:00:00Z');
    expect(await current().stats.feesPerPeriod('month', from, to)).to.deep.equal([
      { period: '2026-01', feeWei: 1_000n + BIG_FEE, transactions: 2 },
      { period: '2026-03', feeWei: 5n, transactions: 1 },
    ]);
    expect(await current().stats.feesPerPeriod('day', from, to)).to.deep.equal([
      { period: '2026-01-15', feeWei: 1_000n, transactions: 1 },
      { period: '2026-01-31', feeWei: BIG_FEE, transactions: 1 },
      { period: '2026-03-01', feeWei: 5n, transactions: 1 },
    ]);
    expect(await current().stats.feesPerPeriod('day', from, ms('2026-01-31T23:59:59.999Z')), 'to is excluded').to.deep.equal([{ period: '2026-01-15', feeWei: 1_000n, transactions: 1 }]);
  });
});
