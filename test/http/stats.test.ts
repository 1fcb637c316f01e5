// GET /v1/stats, the network dashboard's figures (service/stats, docs/dashboard.md), on a seeded network: three
// members, one suspended and reinstated; badges of two members notarised in two months (the chain's clock moved
// 35 days between them); one revocation with a reason. Every figure is checked exactly, against what the chain says.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import hre from 'hardhat';
import request from 'supertest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badgeClassId, parseBadgeClass } from '../../service/catalogue';
import { bearer, deployNetwork, issueJwt, makeEnv, NGO, SCHOOL, type Env } from './helpers';

const HASH_NOT_ADOPTED = `0x${'ab'.repeat(32)}`;
const month = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 7);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The months from `first` to `last` (YYYY-MM), both included: written here apart from service/stats. */
function months(first: string, last: string): string[] {
  const list = [first];
  while (list[list.length - 1] !== last) {
    const [year, monthNumber] = list[list.length - 1]!.split('-').map(Number) as [number, number];
    list.push(monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`);
  }
  return list;
}

describe('HTTP API: GET /v1/stats, the network dashboard’s figures', function () {
  this.timeout(120_000);
  let env: Env;
  afterEach(async () => env?.close());

  async function submit(key: string, jwts: string[]): Promise<string[]> {
    const response = await request(env.app).post('/v1/credentials').set(bearer(key)).send({ credentials: jwts });
    expect(response.status, JSON.stringify(response.body)).to.equal(202);
    return (response.body.credentials as { digest: string }[]).map((item) => item.digest);
  }

  /** What the chain says an anchor transaction paid: gas used times its effective gas price. */
  async function feePaid(txHash: string): Promise<bigint> {
    const receipt = (await env.chain.provider.getTransactionReceipt(txHash))!;
    return receipt.gasUsed * receipt.gasPrice;
  }

  /**
   * The seeded network: the chamber (member 3) suspended by the NGO and reinstated by the school; the school's two
   * badges and the NGO's one notarised in one batch; 35 days later one more of the school's in a second batch; one
   * of the school's first two revoked for misconduct (reason 4).
   */
  async function seed() {
    await (await env.chain.as(2).voteSuspension(3)).wait();
    await (await env.chain.as(1).voteReinstatement(3)).wait();
    const school = await submit(env.keys.schoolEditor, [await issueJwt(env.chain.schoolKey, SCHOOL), await issueJwt(env.chain.schoolKey, SCHOOL)]);
    await submit(env.keys.ngoAdmin, [await issueJwt(env.chain.ngoKey, NGO)]);
    await env.anchorAll();
    await hre.network.provider.send('evm_increaseTime', [35 * 86_400]);
    await hre.network.provider.send('evm_mine', []);
    await submit(env.keys.schoolEditor, [await issueJwt(env.chain.schoolKey, SCHOOL)]);
    await env.anchorAll();
    const revoked = await request(env.app).post('/v1/revocations').set(bearer(env.keys.schoolEditor)).send({ digest: school[0], reason: 4 });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(202);
    await env.followRevocations();
    await env.index();
  }

  it('answers the members, the badges notarised per member per month, the anchors, the batches, the revocations and the fees', async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { limits: { statsCacheMs: 0 } });
    await seed();
    const [second, first] = await env.store.batches.list({ limit: 10 });
    const firstMonth = month(first!.anchoredAt!);
    const secondMonth = month(second!.anchoredAt!);
    expect(firstMonth, 'the two batches are anchored in two months').to.not.equal(secondMonth);
    const window = months(firstMonth, secondMonth);
    const inFirst = (n: number) => window.map((m) => (m === firstMonth ? n : 0));
    const inBoth = (a: number, b: number) => window.map((m) => (m === firstMonth ? a : m === secondMonth ? b : 0));

    const response = await request(env.app).get(`/v1/stats?from=${firstMonth}&to=${secondMonth}&days=3`);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    const stats = response.body;
    const head = await env.chain.provider.getBlockNumber();
    expect(stats.head).to.equal(head);
    expect(stats.asOfBlock).to.equal(head);
    expect(stats.window.months).to.deep.equal(window);
    expect(stats.window.days).to.deep.equal([env.now() - 2 * 86_400_000, env.now() - 86_400_000, env.now()].map(day));

    // Members: their roles, and the chamber's status history (active, suspended, active again).
    expect(stats.members.map((m: { id: number; did: string; role: string; status: string }) => [m.id, m.role, m.status])).to.deep.equal([
      [1, 'issuing-point', 'active'],
      [2, 'issuing-point', 'active'],
      [3, 'validation-point', 'active'],
    ]);
    expect(stats.members[2].statusHistory.map((change: { status: string }) => change.status)).to.deep.equal(['active', 'suspended', 'active']);
    expect(stats.members[0].statusHistory.map((change: { status: string }) => change.status)).to.deep.equal(['active']);

    // Badges notarised: the school 2 then 1, the NGO 1, by the month of their anchor.
    expect(stats.notarised).to.deep.equal({
      byMember: [
        { memberId: 1, counts: inBoth(2, 1), total: 3 },
        { memberId: 2, counts: inFirst(1), total: 1 },
      ],
      counts: inBoth(3, 1),
      total: 4,
    });
    // Roots in the registry: both batches, anchored by member 1's notary.
    expect(stats.anchors).to.deep.equal({ byMember: [{ memberId: 1, counts: inBoth(1, 1), total: 2 }], counts: inBoth(1, 1), total: 2 });

    // Batches, newest first, with their confirmations from the head.
    type ShownBatch = { id: number; size: number; state: string; confirmations: number };
    expect(stats.batches.map((b: ShownBatch) => [b.id, b.size, b.state, b.confirmations])).to.deep.equal([
      [second!.id, 1, 'final', head - second!.blockNumber! + 1],
      [first!.id, 3, 'final', head - first!.blockNumber! + 1],
    ]);
    expect(stats.batches[0].transactionHash).to.equal(second!.txHash);

    expect(stats.revocations).to.deep.equal({
      byReason: [{ reason: 4, reasonText: 'misconduct or fraud in the assessment', count: 1 }],
      byMember: [{ memberId: 1, reason: 4, reasonText: 'misconduct or fraud in the assessment', count: 1 }],
      total: 1,
    });

    // Fees: what the chain says the two anchors paid, by when the service saw them mined (its clock, today).
    const paid = (await feePaid(first!.txHash!)) + (await feePaid(second!.txHash!));
    expect(paid > 0n).to.equal(true);
    const today = month(env.now() / 1000);
    expect(stats.fees.perMonth).to.deep.equal({
      feeWei: window.map((m) => (m === today ? paid.toString() : '0')),
      transactions: window.map((m) => (m === today ? 2 : 0)),
      totalWei: window.includes(today) ? paid.toString() : '0',
    });
    expect(stats.fees.perDay).to.deep.equal({ feeWei: ['0', '0', paid.toString()], transactions: [0, 0, 2], totalWei: paid.toString() });
    expect(stats.adoptedBadgeClasses, 'the catalogue has no class yet').to.deep.equal([]);
  });

  it('counts nothing outside the months asked nor a batch not yet anchored, and lists at most `batches` batches', async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { limits: { statsCacheMs: 0 } });
    await seed();
    const [second, first] = await env.store.batches.list({ limit: 10 });
    const secondMonth = month(second!.anchoredAt!);
    // One more of the school's badges, sealed in a batch that is not anchored: not notarised yet.
    await submit(env.keys.schoolEditor, [await issueJwt(env.chain.schoolKey, SCHOOL)]);
    const sealed = await env.seal();
    const response = await request(env.app).get(`/v1/stats?from=${secondMonth}&to=${secondMonth}&batches=2`);
    expect(response.status).to.equal(200);
    expect(month(first!.anchoredAt!)).to.not.equal(secondMonth);
    expect(response.body.notarised).to.deep.equal({ byMember: [{ memberId: 1, counts: [1], total: 1 }], counts: [1], total: 1 });
    expect(response.body.batches.map((b: { id: number; state: string; confirmations: number | null }) => [b.id, b.state, b.confirmations])).to.deep.equal([
      [sealed, 'sealed', null],
      [second!.id, 'final', (await env.chain.provider.getBlockNumber()) - second!.blockNumber! + 1],
    ]);
    // Revocations are counted over the registry's whole history, not per month.
    expect(response.body.revocations.total).to.equal(1);
  });

  it('defaults to the twelve months that end with this one, 30 days of fees and 20 batches', async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { limits: { statsCacheMs: 0 } });
    const response = await request(env.app).get('/v1/stats');
    expect(response.status).to.equal(200);
    const thisMonth = month(env.now() / 1000);
    expect(response.body.window.months).to.have.length(12);
    expect(response.body.window.months[11]).to.equal(thisMonth);
    expect(response.body.window.days).to.have.length(30);
    expect(response.body.window.days[29]).to.equal(day(env.now()));
    expect(response.body.notarised).to.deep.equal({ byMember: [], counts: Array(12).fill(0), total: 0 });
    expect(response.body.revocations).to.deep.equal({ byReason: [], byMember: [], total: 0 });
    expect(response.body.members).to.have.length(3);
  });

  it('lists the adopted badge classes: name, publisher with its DID, adopters counted, most adopted first; null without a catalogue', async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { limits: { statsCacheMs: 0 } });
    const vector = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'classes', `${name}.json`), 'utf8'));
    const [pilot, certification] = [vector('pilot-soft-skills'), vector('certification-technical')];
    const [pilotId, certificationId] = [pilot, certification].map((document) => badgeClassId(parseBadgeClass(document)));
    await request(env.app).put(`/v1/badge-classes/${pilotId}/document`).set(bearer(env.keys.schoolAdmin)).send(pilot).expect(201);
    const catalogue = (member: 1 | 2 | 3) => env.chain.catalogueAs(member);
    await (await catalogue(1).publish(pilotId, 'https://school-a.example/classes/pilot.json')).wait();
    await (await catalogue(2).publish(certificationId, 'https://ngo-b.example/classes/certification.json')).wait();
    await (await catalogue(2).publish(HASH_NOT_ADOPTED, 'ipfs://never-adopted')).wait();
    await (await catalogue(1).adopt(certificationId)).wait();
    await (await catalogue(2).adopt(pilotId)).wait();
    await (await catalogue(3).adopt(pilotId)).wait();
    await env.index();

    const stats = (await request(env.app).get('/v1/stats').expect(200)).body;

    expect(stats.adoptedBadgeClasses).to.deep.equal([
      { classId: pilotId, name: pilot.name, publisher: { memberId: 1, did: SCHOOL }, adopters: 2, current: true },
      { classId: certificationId, name: null, publisher: { memberId: 2, did: NGO }, adopters: 1, current: true },
    ]);

    const withoutCatalogue = await makeEnv(env.chain, { limits: { statsCacheMs: 0 }, catalogue: false });
    try {
      expect((await request(withoutCatalogue.app).get('/v1/stats').expect(200)).body.adoptedBadgeClasses).to.equal(null);
    } finally {
      await withoutCatalogue.close();
    }
  });

  it('refuses a bad query parameter with 400 naming it', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const cases: [string, string, RegExp][] = [
      ['from=2026-13', 'from', /from must be a month as YYYY-MM/],
      ['to=last-month', 'to', /to must be a month as YYYY-MM/],
      ['from=2026-05&to=2026-04', 'from', /from \(2026-05\) must not be after to \(2026-04\)/],
      ['from=2000-01&to=2026-01', 'from', /span 313 months; at most 120/],
      ['days=0', 'days', /days must be a whole number from 1 to 366/],
      ['days=367', 'days', /days must be a whole number from 1 to 366/],
      ['days=ten', 'days', /a whole number/],
      ['batches=501', 'batches', /batches must be a whole number from 1 to 500/],
      ['batches=1&batches=2', 'batches', /batches/],
    ];
    for (const [query, field, message] of cases) {
      const response = await request(env.app).get(`/v1/stats?${query}`);
      expect(response.status, query).to.equal(400);
      expect(response.body.error.field, query).to.equal(field);
      expect(response.body.error.message, query).to.match(message);
    }
  });

  it('answers the same query from its cache within statsCacheMs, and another query afresh', async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { limits: { statsCacheMs: 600_000 } });
    const before = await request(env.app).get('/v1/stats');
    expect(before.body.notarised.total).to.equal(0);
    await submit(env.keys.schoolEditor, [await issueJwt(env.chain.schoolKey, SCHOOL)]);
    await env.anchorAll();
    const cached = await request(env.app).get('/v1/stats');
    expect(cached.body).to.deep.equal(before.body);
    const fresh = await request(env.app).get('/v1/stats?batches=5');
    expect(fresh.body.notarised.total).to.equal(1);
  });
});
