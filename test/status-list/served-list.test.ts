import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { STATUS_LIST_LENGTH, bitAt, decodeBitstring, signStatusListCredential, type RegistryBlock } from '../../service/status-list';
import { generateIssuerKey } from '../../service/credentials/keys';
import { bearer, deployNetwork, makeEnv, SCHOOL, type Env } from '../http/helpers';
import { outsideStatus } from './outside-verifier';

// GET /v1/status-lists/{member}/{list}: the list is rebuilt from the indexes bound at intake and the registry
// mirror's revocations; Digital Bazaar's verifier reads it as the W3C spec says.
describe('status lists: served from the mirror of the chain, read by a verifier not written here', function () {
  let env: Env;
  afterEach(async () => env?.close());

  const HOST = 'notary.test';
  const listUrl = (member: number, list = 'main') => `http://${HOST}/v1/status-lists/${member}/${list}`;
  const getList = (url: string) => {
    const { host, pathname } = new URL(url);
    return request(env.app).get(pathname).set('Host', host);
  };
  const fetchList = async (url: string) => {
    const answer = await getList(url);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return answer.body as JsonObject;
  };
  const issueWithStatus = async (index: number, list = listUrl(1)) =>
    (await signCredential({
      credential: buildAchievementCredential({ ...demoBadgeInput({ issuerDid: SCHOOL }), status: { statusListCredential: list, index } }),
      key: env.chain.schoolKey,
      format: 'data-integrity',
    })) as JsonObject;
  const submit = (credential: unknown, key = env.keys.schoolEditor) => request(env.app).post('/v1/credentials').set(bearer(key)).send({ credential });

  it('a credential issued with a status entry and revoked on-chain is revoked in the served list after one indexer poll; the library reads both bits', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const revoked = await issueWithStatus(4242);
    const kept = await issueWithStatus(STATUS_LIST_LENGTH - 1);
    const digests: string[] = [];
    for (const credential of [revoked, kept]) {
      const answer = await submit(credential);
      expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
      digests.push(answer.body.digest as string);
    }
    await env.anchorAll();
    await env.index();

    expect(await outsideStatus(revoked, fetchList)).to.deep.equal({ verified: true, revoked: false, error: undefined });
    const mined = await (await env.chain.as(1).revokeCredentials(1, [digests[0]!], 1)).wait();
    // The list mirrors the chain as the indexer last saw it: not yet...
    expect((await outsideStatus(revoked, fetchList)).revoked).to.equal(false);
    await env.index();
    // ...and after one poll, yes.
    expect(await outsideStatus(revoked, fetchList)).to.deep.equal({ verified: true, revoked: true, error: undefined });
    expect(await outsideStatus(kept, fetchList)).to.deep.equal({ verified: true, revoked: false, error: undefined });

    const list = await fetchList(listUrl(1));
    expect(list.id).to.equal(listUrl(1));
    expect(list.issuer).to.match(/^did:key:z6Mk/);
    const block = list.registryBlock as { number: number; registry: string; hash: string };
    expect(block.number).to.be.at.least(mined!.blockNumber);
    expect(block.registry.toLowerCase()).to.equal(`eip155:${env.chain.chainId}:${env.chain.registryAddress}`.toLowerCase());
    const bits = decodeBitstring((list.credentialSubject as JsonObject).encodedList);
    expect(bits.length * 8).to.equal(STATUS_LIST_LENGTH);
    expect([4242, 4241, 4243, STATUS_LIST_LENGTH - 1].map((index) => bitAt(bits, index))).to.deep.equal([true, false, false, false]);
  });

  it('the library refuses a list changed after signing, and one past its validUntil', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const credential = await issueWithStatus(7);
    expect((await submit(credential)).status).to.equal(202);
    const tampered = async (url: string) => {
      const list = await fetchList(url);
      (list.registryBlock as JsonObject).number = 10 ** 9;
      return list;
    };
    const result = await outsideStatus(credential, tampered);
    expect(result.verified).to.equal(false);
    expect(result.error).to.match(/not verified/);

    // A list past its validUntil (an old copy served again) is refused too.
    const list = await fetchList(listUrl(1));
    const expired = await signStatusListCredential(
      { url: listUrl(1), memberId: 1, revoked: [], builtFrom: list.registryBlock as unknown as RegistryBlock, validUntil: '2020-01-01T00:00:00Z' },
      generateIssuerKey({ type: 'Ed25519' }),
      new Date('2019-12-31T00:00:00Z'),
    );
    const replayed = await outsideStatus(credential, async () => expired);
    expect(replayed.verified).to.equal(false);
    expect(replayed.error).to.match(/is after "validUntil" \(2020-01-01T00:00:00Z\)/);
  });

  it('intake: an index already bound to another credential is a 422 naming the field; a list of another member is refused', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    expect((await submit(await issueWithStatus(99))).status).to.equal(202);
    const clash = await submit(await issueWithStatus(99));
    expect(clash.status).to.equal(422);
    expect(clash.body.error).to.include({ field: 'credential.credentialStatus.statusListIndex' });
    expect(clash.body.error.items[0]).to.include({ code: 'status-index-taken' });
    // The same index in another list is free; the same credential again is answered as it stands.
    const other = await issueWithStatus(99, listUrl(1, 'second'));
    expect((await submit(other)).status).to.equal(202);
    expect((await submit(other)).body).to.include({ created: false });

    // Two credentials of one bulk request on one index: both named, nothing stored.
    const bulk = await request(env.app)
      .post('/v1/credentials')
      .set(bearer(env.keys.schoolEditor))
      .send({ credentials: [await issueWithStatus(500), await issueWithStatus(500)] });
    expect(bulk.status).to.equal(422);
    expect(bulk.body.error.items.map((item: { field: string }) => item.field)).to.deep.equal(['credentials[1].credentialStatus.statusListIndex']);

    // Two requests racing for one index both pass the check before either is written: the write refuses the loser alike.
    const check = env.store.statusLists.digestsAt.bind(env.store.statusLists);
    env.store.statusLists.digestsAt = async () => new Map();
    const [first, second] = await Promise.all([submit(await issueWithStatus(800)), submit(await issueWithStatus(800))]);
    env.store.statusLists.digestsAt = check;
    expect([first.status, second.status].sort()).to.deep.equal([202, 422]);
    const loser = first.status === 422 ? first : second;
    expect(loser.body.error).to.include({ code: 'invalid-credentials', field: 'credential.credentialStatus.statusListIndex' });
    expect(loser.body.error.items[0]).to.include({ code: 'status-index-taken' });

    const foreign = await submit(await issueWithStatus(3, listUrl(2)));
    expect(foreign.status).to.equal(422);
    expect(foreign.body.error).to.include({ field: 'credential.credentialStatus.statusListCredential' });
    expect(foreign.body.error.items[0]).to.include({ code: 'foreign-status-list' });
  });

  it('answers 404 for an unknown member, 400 for a malformed member or list, 503 before the mirror indexed a block', async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { indexed: false });
    const notReady = await getList(listUrl(1));
    expect(notReady.status).to.equal(503);
    expect(notReady.body.error).to.include({ code: 'mirror-not-ready' });
    await env.index();
    expect((await getList(listUrl(2))).status).to.equal(200);
    const unknown = await getList(listUrl(99));
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error).to.include({ field: 'member' });
    for (const [path, field] of [
      ['/v1/status-lists/x/main', 'member'],
      ['/v1/status-lists/1/bad%20name', 'list'],
    ] as const) {
      const answer = await request(env.app).get(path);
      expect(answer.status, path).to.equal(400);
      expect(answer.body.error).to.include({ field });
    }
  });
});
