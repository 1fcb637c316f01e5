import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { attachReceiptToCredential, attachReceiptToJwt, type Receipt } from '../../service/merkle';
import { parseCredential } from '../../service/credentials/parse';
import type { JsonObject } from '../../service/credentials/types';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { verifyBadge } from '../../service/verify';
import { wellKnownAccount } from '../support/well-known-accounts';
import { bearer, deployNetwork, issue, issueJwt, makeEnv, NGO, SCHOOL, type Env } from './helpers';

describe('HTTP API: a credential from intake to a receipt, revocation and verification', function () {
  let env: Env;
  afterEach(async () => env?.close());

  async function submitAndAnchor(credential: string | JsonObject) {
    const submitted = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(202);
    await env.anchorAll();
    return submitted.body.digest as string;
  }

  it('answers 202 while queued, sealed and submitted, then 200 with a receipt that verifyBadge accepts', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
    const submitted = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: jwt });
    expect(submitted.status).to.equal(202);
    const { digest } = submitted.body;
    expect(digest).to.equal((await parseCredential(jwt)).digest);
    expect(submitted.headers.location).to.equal(`/v1/credentials/${digest}`);

    const queued = await request(env.app).get(`/v1/credentials/${digest}`);
    expect(queued.status).to.equal(202);
    expect(queued.body).to.include({ digest, state: 'queued', batch: null });
    expect(queued.body).not.to.have.property('receipt');
    const noReceiptYet = await request(env.app).get(`/v1/credentials/${digest}/receipt`);
    expect(noReceiptYet.status).to.equal(202);
    expect(noReceiptYet.body.state).to.equal('queued');

    const batchId = await env.seal();
    const sealed = await request(env.app).get(`/v1/credentials/${digest}`);
    expect(sealed.status).to.equal(202);
    expect(sealed.body.state).to.equal('sealed');
    expect(sealed.body.batch).to.include({ id: batchId, size: 1, leafIndex: 0, state: 'sealed', transactionHash: null });

    await env.anchorStep();
    const submitted2 = await request(env.app).get(`/v1/credentials/${digest}`);
    expect(submitted2.status).to.equal(202);
    expect(submitted2.body.state).to.equal('submitted');
    expect(submitted2.body.batch.transactionHash).to.match(/^0x[0-9a-f]{64}$/);

    await env.anchorStep();
    const confirmed = await request(env.app).get(`/v1/credentials/${digest}`);
    expect(confirmed.status).to.equal(200);
    expect(confirmed.body.state).to.equal('confirmed');
    expect(confirmed.body.receipt.digest).to.equal(digest);

    await env.anchorStep();
    const anchored = await request(env.app).get(`/v1/credentials/${digest}`);
    expect(anchored.status).to.equal(200);
    expect(anchored.body.state).to.equal('final');
    expect(anchored.body.batch).to.include({ size: 1, leafIndex: 0, state: 'final' });
    const receipt = anchored.body.receipt as Receipt;
    expect(receipt.digest).to.equal(digest);
    expect(receipt.anchor.transactionHash).to.equal(anchored.body.batch.transactionHash);

    const bare = await request(env.app).get(`/v1/credentials/${digest}/receipt`);
    expect(bare.status).to.equal(200);
    expect(bare.body).to.deep.equal(receipt);
    expect(bare.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(Number(bare.headers['content-length'])).to.equal(Buffer.byteLength(JSON.stringify(receipt)));
    const head = await request(env.app).head(`/v1/credentials/${digest}/receipt`);
    expect(head.status).to.equal(200);
    expect(head.headers['content-length'], 'HEAD: the length of the body it leaves out').to.equal(bare.headers['content-length']);
    expect(head.text ?? '').to.equal('');

    const reader = new JsonRpcRegistryReader(env.chain.provider, env.chain.registryAddress, env.chain.deploymentBlock);
    const report = await verifyBadge({ credential: jwt, receipt, reader, now: new Date(env.now()) });
    expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
  });

  it('verifies with the receipt looked up in the store, given apart, or carried inside', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
    const digest = await submitAndAnchor(jwt);
    const { body: receipt } = await request(env.app).get(`/v1/credentials/${digest}/receipt`);

    const looked = await request(env.app).post('/v1/verify').send({ credential: jwt });
    expect(looked.status).to.equal(200);
    expect(looked.body.verified, JSON.stringify(looked.body.steps, null, 2)).to.equal(true);
    expect(looked.body.receiptSource).to.equal('store');
    expect(looked.body.steps.map((s: { name: string }) => s.name)).to.deep.equal([
      'format',
      'signature',
      'issuer-key',
      'issuer-member',
      'anchor',
      'revocation',
      'validity',
    ]);

    const apart = await request(env.app).post('/v1/verify').send({ credential: jwt, receipt });
    expect(apart.body).to.include({ verified: true, receiptSource: 'request' });

    const enveloped = await request(env.app).post('/v1/verify').send({ credential: attachReceiptToJwt(jwt, receipt) });
    expect(enveloped.body).to.include({ verified: true, receiptSource: 'credential' });

    const asText = await request(env.app).post('/v1/verify').set('Content-Type', 'application/jwt').send(jwt);
    expect(asText.body).to.include({ verified: true, receiptSource: 'store' });
  });

  it('verifies a Data Integrity credential carrying its receipt, and through the VC-API call', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const credential = (await issue(env.chain.schoolKey, SCHOOL, 'data-integrity')) as JsonObject;
    const digest = await submitAndAnchor(credential);
    const { body: receipt } = await request(env.app).get(`/v1/credentials/${digest}/receipt`);

    const carried = await request(env.app).post('/v1/verify').send({ credential: attachReceiptToCredential(credential, receipt) });
    expect(carried.body).to.include({ verified: true, receiptSource: 'credential' });

    const vcApi = await request(env.app).post('/credentials/verify').send({ verifiableCredential: credential, options: {} });
    expect(vcApi.status, JSON.stringify(vcApi.body)).to.equal(200);
    expect(vcApi.body).to.deep.equal({
      verified: true,
      checks: ['format', 'signature', 'issuer-key', 'issuer-member', 'anchor', 'revocation', 'validity'],
      warnings: [],
      errors: [],
    });
  });

  it('the VC-API call takes an EnvelopedVerifiableCredential, and answers 400 with the errors when not verified', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
    const envelope = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jwt}` };

    const notAnchored = await request(env.app).post('/credentials/verify').send({ verifiableCredential: envelope, options: { challenge: 'x' } });
    expect(notAnchored.status).to.equal(400);
    expect(notAnchored.body.verified).to.equal(false);
    expect(notAnchored.body.error.code).to.equal('not-verified');
    expect(notAnchored.body.errors).to.have.length(1);
    expect(notAnchored.body.errors[0]).to.match(/^anchor: no receipt came with the credential/);
    expect(notAnchored.body.warnings[0]).to.equal('option "challenge" is not supported and was ignored');

    await submitAndAnchor(jwt);
    const verified = await request(env.app).post('/credentials/verify').send({ verifiableCredential: envelope });
    expect(verified.status).to.equal(200);
    expect(verified.body.verified).to.equal(true);
  });

  describe('revocation', function () {
    it('sends the issuer’s revocation through the queue, follows it to its block, and shows it in status and verify', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
      const digest = await submitAndAnchor(jwt);

      const before = await request(env.app).get(`/v1/credentials/${digest}/revocation`);
      expect(before.status).to.equal(200);
      expect(before.body).to.deep.include({ digest, issuerId: 1, revoked: false, revocations: [], requests: [] });

      const sent = await request(env.app).post('/v1/revocations').set(bearer(env.keys.schoolEditor)).send({ digests: [digest], reason: 4 });
      expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
      const revocation = sent.body.revocation;
      expect(revocation).to.include({ memberId: 1, reason: 4, reasonText: 'misconduct or fraud in the assessment', state: 'submitted' });
      expect(revocation.digests).to.deep.equal([digest]);
      expect(revocation.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(sent.headers.location).to.equal(`/v1/revocations/${revocation.id}`);

      await env.followRevocations();
      const followed = await request(env.app).get(`/v1/revocations/${revocation.id}`).set(bearer(env.keys.schoolEditor));
      expect(followed.status).to.equal(200);
      expect(followed.body.revocation.state).to.equal('mined');
      expect(followed.body.revocation.blockNumber).to.be.a('number');

      // Straight from the chain (the mirror has not seen it yet), then from the mirror.
      const fromChain = await request(env.app).get(`/v1/credentials/${digest}/revocation`);
      expect(fromChain.body.revoked).to.equal(true);
      expect(fromChain.body.revocations).to.have.length(1);
      expect(fromChain.body.revocations[0]).to.include({ memberId: 1, reason: 4, source: 'chain' });
      expect(fromChain.body.requests).to.deep.equal([
        { id: revocation.id, state: 'mined', transactionHash: revocation.transactionHash, requestedAt: revocation.requestedAt },
      ]);
      await env.index();
      const fromMirror = await request(env.app).get(`/v1/credentials/${digest}/revocation`);
      expect(fromMirror.body.revocations[0]).to.include({ memberId: 1, reason: 4, source: 'mirror', transactionHash: revocation.transactionHash });

      const verified = await request(env.app).post('/v1/verify').send({ credential: jwt });
      expect(verified.body.verified).to.equal(false);
      const failed = verified.body.steps.filter((s: { status: string }) => s.status === 'failed');
      expect(failed).to.have.length(1);
      expect(failed[0].name).to.equal('revocation');
      expect(verified.body.revocation).to.include({ reason: 4 });

      const listed = await request(env.app).get('/v1/revocations').set(bearer(env.keys.schoolAdmin));
      expect(listed.status).to.equal(200);
      expect(listed.body.revocations.map((r: { id: number }) => r.id)).to.deep.equal([revocation.id]);
      expect(listed.body.next).to.equal(null);
    });

    it('never moves a request on a read: GET /v1/revocations/{id} answers submitted until the follower steps', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const digest = await submitAndAnchor(await issueJwt(env.chain.schoolKey, SCHOOL));
      const sent = await request(env.app).post('/v1/revocations').set(bearer(env.keys.schoolEditor)).send({ digest, reason: 1 });
      expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
      const id = sent.body.revocation.id as number;
      // The transaction is mined (the node mines each one at once), but nothing followed it yet.
      for (let read = 0; read < 2; read++) {
        const answer = await request(env.app).get(`/v1/revocations/${id}`).set(bearer(env.keys.schoolEditor));
        expect(answer.body.revocation).to.include({ state: 'submitted', blockNumber: null });
        expect((await env.store.revocations.get(id))!.state).to.equal('submitted');
      }
      expect(await env.followRevocations()).to.deep.equal({ mined: 1, failed: 0 });
      expect((await env.store.revocations.get(id))!.state).to.equal('mined');
      const answer = await request(env.app).get(`/v1/revocations/${id}`).set(bearer(env.keys.schoolEditor));
      expect(answer.body.revocation.state).to.equal('mined');
      expect(await env.followRevocations()).to.deep.equal({ mined: 0, failed: 0 });
    });

    it('refuses a digest known as another member’s credential (403), and another member’s request (403)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const digest = await submitAndAnchor(await issueJwt(env.chain.schoolKey, SCHOOL));
      const foreign = await request(env.app).post('/v1/revocations').set(bearer(env.keys.ngoAdmin)).send({ digest });
      expect(foreign.status).to.equal(403);
      expect(foreign.body.error).to.include({ code: 'forbidden', field: 'digests' });
      expect(foreign.body.error.digests).to.deep.equal([digest]);

      const own = await request(env.app).post('/v1/revocations').set(bearer(env.keys.schoolAdmin)).send({ digest });
      expect(own.status).to.equal(202);
      const peek = await request(env.app).get(`/v1/revocations/${own.body.revocation.id}`).set(bearer(env.keys.ngoAdmin));
      expect(peek.status).to.equal(403);
      const missing = await request(env.app).get('/v1/revocations/999').set(bearer(env.keys.schoolAdmin));
      expect(missing.status).to.equal(404);
    });

    it('answers 409 with the registry’s words when the chain refuses, recording the request as failed', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      // The notary account notarises for member 1 only: the NGO's revocation is refused by the registry.
      const digest = (await parseCredential(await issueJwt(env.chain.ngoKey, NGO))).digest;
      const refused = await request(env.app).post('/v1/revocations').set(bearer(env.keys.ngoAdmin)).send({ digests: [digest] });
      expect(refused.status).to.equal(409);
      expect(refused.body.error.code).to.equal('registry-refused');
      expect(refused.body.error.message).to.match(/is neither the controller.* of member 2/);
      expect(refused.body.error.revocation).to.include({ state: 'failed', transactionHash: null });
      const recorded = await request(env.app).get(`/v1/revocations/${refused.body.error.revocation.id}`).set(bearer(env.keys.ngoAdmin));
      expect(recorded.body.revocation.state).to.equal('failed');

      // Once the NGO lets the service's account revoke for it, the same request goes through.
      await (await env.chain.as(2).authoriseRevoker(2, wellKnownAccount(10).address)).wait();
      const allowed = await request(env.app).post('/v1/revocations').set(bearer(env.keys.ngoAdmin)).send({ digests: [digest] });
      expect(allowed.status).to.equal(202);
      await env.followRevocations();
      const mined = await request(env.app).get(`/v1/revocations/${allowed.body.revocation.id}`).set(bearer(env.keys.ngoAdmin));
      expect(mined.body.revocation).to.include({ memberId: 2, state: 'mined' });
      await env.index();
      const member = await request(env.app).get('/v1/members/2');
      expect(member.body.member.revokers).to.deep.equal([wellKnownAccount(10).address]);
    });

    it('answers 503 when the service has no account to send revocations with', async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { revocations: false });
      const digest = `0x${'ab'.repeat(32)}`;
      const response = await request(env.app).post('/v1/revocations').set(bearer(env.keys.schoolEditor)).send({ digest });
      expect(response.status).to.equal(503);
      expect(response.body.error.code).to.equal('revocations-unavailable');
    });

    it('validates the revocation request, naming the field', async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { limits: { maxRevocationDigests: 2 } });
      const post = (body: unknown) => request(env.app).post('/v1/revocations').set(bearer(env.keys.schoolEditor)).send(body as object);
      const d = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
      const cases: [unknown, number, string][] = [
        [{}, 400, 'digests'],
        [{ digests: [] }, 400, 'digests'],
        [{ digests: ['0x12'] }, 400, 'digests[0]'],
        [{ digest: d(1), digests: [d(2)] }, 400, 'digests'],
        [{ digest: d(1), reason: 256 }, 400, 'reason'],
        [{ digest: d(1), reason: 'fraud' }, 400, 'reason'],
        [{ digest: d(1), colour: 'red' }, 400, 'body'],
        [{ digests: [d(1), d(2), d(3)] }, 413, 'digests'],
      ];
      for (const [body, status, field] of cases) {
        const response = await post(body);
        expect(response.status, JSON.stringify(body)).to.equal(status);
        expect(response.body.error.field, JSON.stringify(response.body)).to.equal(field);
      }
    });
  });
});
