// Issue #17, point 8: a badge anchored while its issuer was active stays valid after the issuer is removed (the
// trust registry's policy, docs/security.md), and the verifier says so: the member's status and since when, in
// the report and as a VC-API warning. The former member's controller can still revoke it.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { bearer, deployNetwork, issueJwt, makeEnv, SCHOOL, type Env } from './helpers';

describe('HTTP API: verifying a badge of a removed member', function () {
  let env: Env;
  afterEach(async () => env?.close());

  async function anchoredBadge(): Promise<{ jwt: string; digest: string }> {
    const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
    const submitted = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: jwt });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(202);
    await env.anchorAll();
    return { jwt, digest: submitted.body.digest as string };
  }

  async function removeSchool(): Promise<string> {
    const receipt = (await (await env.chain.as(2).voteRemoval(1)).wait())!;
    const block = (await env.chain.provider.getBlock(receipt.blockNumber))!;
    return new Date(block.timestamp * 1000).toISOString().replace('.000Z', 'Z');
  }

  it('stays verified, and reports the issuer removed and since when, in the report and as a VC-API warning', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const { jwt } = await anchoredBadge();
    const before = await request(env.app).post('/credentials/verify').send({ verifiableCredential: jwt });
    expect(before.body.warnings, 'no warning while the issuer is active').to.deep.equal([]);

    const removedAt = await removeSchool();
    const report = await request(env.app).post('/v1/verify').send({ credential: jwt });
    expect(report.status).to.equal(200);
    expect(report.body.verified, JSON.stringify(report.body.steps)).to.equal(true);
    expect(report.body.issuer).to.deep.include({ memberId: 1, statusNow: 'removed', statusSince: removedAt });
    const warning = `the issuer, member 1, is removed since ${removedAt}: what it issued while active stays valid unless revoked, and it can issue nothing new`;
    expect(report.body.warnings).to.deep.equal([warning]);

    const vcApi = await request(env.app).post('/credentials/verify').send({ verifiableCredential: jwt });
    expect(vcApi.status, JSON.stringify(vcApi.body)).to.equal(200);
    expect(vcApi.body).to.deep.include({ verified: true, warnings: [warning], errors: [] });
  });

  it('lets the removed member\'s controller revoke it, and then it no longer verifies', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const { jwt, digest } = await anchoredBadge();
    await removeSchool();
    await (await env.chain.as(1).revokeCredentials(1, [digest], 1)).wait();

    const report = await request(env.app).post('/v1/verify').send({ credential: jwt });
    expect(report.body.verified).to.equal(false);
    expect(report.body.steps.find((step: { name: string }) => step.name === 'revocation').status).to.equal('failed');
  });
});
