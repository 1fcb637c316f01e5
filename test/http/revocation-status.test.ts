import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { wellKnownAccount } from '../support/well-known-accounts';
import { bearer, deployNetwork, issueJwt, makeEnv, NGO, SCHOOL, type Env } from './helpers';

// GET /v1/credentials/{digest}/revocation: only the issuing member (or an account it authorised) revokes its
// credentials, but the registry records any member's revocation of any digest under that member's id.
describe('HTTP API: a digest’s revocation counts its issuer’s alone', function () {
  let env: Env;
  afterEach(async () => env?.close());

  const status = (digest: string, issuer?: string) =>
    request(env.app).get(`/v1/credentials/${digest}/revocation${issuer === undefined ? '' : `?issuer=${encodeURIComponent(issuer)}`}`);

  it('a credential held here: another member’s revocation on the chain is neither counted nor listed', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const submitted = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: await issueJwt(env.chain.schoolKey, SCHOOL) });
    expect(submitted.status).to.equal(202);
    const digest = submitted.body.digest as string;
    await env.anchorAll();
    await (await env.chain.as(2).revokeCredentials(2, [digest], 1)).wait();
    await env.index();

    const answer = await status(digest);
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.include({ digest, issuerId: 1, revoked: false, revocations: [], requests: [] });
    // Naming another issuer changes nothing: the service knows whose credential it is.
    expect((await status(digest, '2')).body).to.deep.include({ issuerId: 1, revoked: false, revocations: [] });
  });

  it('a digest not held here: nothing counts unless the issuer is named; ?issuer= (id or DID) counts that member alone', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const digest = `0x${'5a'.repeat(32)}`;
    await (await env.chain.as(2).revokeCredentials(2, [digest], 1)).wait();
    await env.index();

    expect((await status(digest)).body).to.deep.include({ digest, issuerId: null, revoked: false, revocations: [], requests: [] });
    for (const school of ['1', SCHOOL]) expect((await status(digest, school)).body).to.deep.include({ issuerId: 1, revoked: false, revocations: [] });
    for (const ngo of ['2', NGO]) {
      const answer = await status(digest, ngo);
      expect(answer.body).to.include({ issuerId: 2, revoked: true });
      expect(answer.body.revocations).to.have.length(1);
      expect(answer.body.revocations[0]).to.include({ memberId: 2, reason: 1, source: 'mirror' });
    }

    const unknown = await status(digest, '99');
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error).to.include({ code: 'unknown-issuer', field: 'issuer' });
    const malformed = await status(digest, 'someone');
    expect(malformed.status).to.equal(400);
    expect(malformed.body.error).to.include({ field: 'issuer' });
  });

  it('lists only the issuer’s requests that reached the chain: not a failed one, not another member’s', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const digest = `0x${'6b'.repeat(32)}`;
    // The service's account may not revoke for the NGO yet: the request is recorded as failed.
    const refused = await request(env.app).post('/v1/revocations').set(bearer(env.keys.ngoAdmin)).send({ digest });
    expect(refused.status).to.equal(409);
    expect((await status(digest, '2')).body).to.deep.include({ issuerId: 2, revoked: false, requests: [] });

    await (await env.chain.as(2).authoriseRevoker(2, wellKnownAccount(10).address)).wait();
    const sent = await request(env.app).post('/v1/revocations').set(bearer(env.keys.ngoAdmin)).send({ digest });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
    await env.followRevocations();

    const ngo = await status(digest, NGO);
    expect(ngo.body).to.include({ issuerId: 2, revoked: true });
    expect(ngo.body.requests).to.deep.equal([
      { id: sent.body.revocation.id, state: 'mined', transactionHash: sent.body.revocation.transactionHash, requestedAt: sent.body.revocation.requestedAt },
    ]);
    expect((await status(digest, SCHOOL)).body).to.deep.include({ issuerId: 1, revoked: false, revocations: [], requests: [] });
  });
});
