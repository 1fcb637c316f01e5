import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey } from '../../service/credentials/keys';
import { parseCredential } from '../../service/credentials/parse';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { createApiClient } from '../../service/http';
import { attachReceiptToCredential } from '../../service/merkle';
import { bearer, CHAMBER, deployNetwork, issue, issueJwt, makeEnv, NGO, SCHOOL, type Env } from './helpers';

const DAY = 86_400_000;

describe('HTTP API: intake (POST /v1/credentials)', function () {
  let env: Env;
  afterEach(async () => env?.close());

  const post = () => request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor));
  const digestOf = async (credential: string | JsonObject) => (await parseCredential(credential)).digest;
  /** The signature's last characters changed: the JWS no longer verifies. */
  const tamper = (jwt: string) => `${jwt.slice(0, -6)}${jwt.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;

  describe('one credential', function () {
    it('takes a VC-JWT as {"credential": ...}, stores it durably before the 202, with its digest', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
      const response = await post().send({ credential: jwt });
      expect(response.status).to.equal(202);
      expect(response.body).to.deep.equal({ digest: await digestOf(jwt), format: 'vc-jwt', created: true, state: 'queued' });
      const stored = (await env.store.credentials.get(response.body.digest))!;
      expect(stored).to.include({ memberId: 1, issuerDid: SCHOOL, keyHash: env.chain.schoolKey.keyHash, format: 'vc-jwt', artifact: jwt, batchId: null });
      expect(await env.store.credentials.queueDepth()).to.equal(1);
    });

    it('takes a compact JWS as application/jwt, as text/plain, and as a JSON string', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const jwts = await Promise.all([1, 2, 3].map(() => issueJwt(env.chain.schoolKey, SCHOOL)));
      const asJwt = await post().set('Content-Type', 'application/jwt').send(jwts[0]);
      const asText = await post().set('Content-Type', 'text/plain').send(`${jwts[1]}\n`);
      const asJsonString = await post().send(JSON.stringify(jwts[2])).set('Content-Type', 'application/json');
      for (const [i, response] of [asJwt, asText, asJsonString].entries()) {
        expect(response.status, JSON.stringify(response.body)).to.equal(202);
        expect(response.body.digest).to.equal(await digestOf(jwts[i]));
      }
      expect(await env.store.credentials.queueDepth()).to.equal(3);
    });

    it('takes a bare Data Integrity credential, stored in its canonical form (keccak of the artifact is the digest)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const credential = (await issue(env.chain.schoolKey, SCHOOL, 'data-integrity')) as JsonObject;
      const response = await post().send(credential);
      expect(response.status).to.equal(202);
      expect(response.body).to.include({ format: 'data-integrity', digest: await digestOf(credential) });
      const { artifact } = (await env.store.credentials.get(response.body.digest))!;
      expect(await digestOf(JSON.parse(artifact))).to.equal(response.body.digest);
    });

    it('resubmitting gives the same digest and creates nothing new', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
      const first = await post().send({ credential: jwt });
      const again = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolAdmin)).send({ credential: jwt });
      expect(again.status).to.equal(202);
      expect(again.body).to.deep.equal({ ...first.body, created: false });
      expect(await env.store.credentials.queueDepth()).to.equal(1);
      expect((await env.store.credentials.get(first.body.digest))!.submittedBy).to.not.equal(undefined);

      await env.anchorAll();
      const afterAnchor = await post().send({ credential: jwt });
      expect(afterAnchor.body).to.include({ created: false, state: 'final' });
      expect(await env.store.credentials.queueDepth()).to.equal(0);

      // What was taken stays taken: a key revoked since does not make the same credential invalid here.
      await (await env.chain.as(1).revokeKey(1, env.chain.schoolKey.keyHash, 0)).wait();
      await env.index();
      const afterRevocation = await post().send([jwt]);
      expect(afterRevocation.status).to.equal(202);
      expect(afterRevocation.body.credentials).to.deep.equal([{ index: 0, digest: first.body.digest, format: 'vc-jwt', created: false, state: 'final' }]);
    });

    it('a JSON credential resubmitted with its receipt in its proof set is the same credential', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const credential = (await issue(env.chain.schoolKey, SCHOOL, 'data-integrity')) as JsonObject;
      const first = await post().send(credential);
      await env.anchorAll();
      const { body: receipt } = await request(env.app).get(`/v1/credentials/${first.body.digest}/receipt`);
      const again = await post().send({ credential: attachReceiptToCredential(credential, receipt) });
      expect(again.status).to.equal(202);
      expect(again.body).to.deep.equal({ digest: first.body.digest, format: 'data-integrity', created: false, state: 'final' });
    });

    it('accepts a credential not valid yet (it may be notarised before), refuses an expired one (422)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const sign = (input: { issuedOn?: Date; validUntil?: Date }) =>
        signCredential({ credential: buildAchievementCredential(demoBadgeInput({ issuerDid: SCHOOL, ...input })), key: env.chain.schoolKey, format: 'vc-jwt' });
      const future = await post().send({ credential: await sign({ issuedOn: new Date(env.now() + 30 * DAY) }) });
      expect(future.status).to.equal(202);
      const expired = await post().send({ credential: await sign({ issuedOn: new Date(env.now() - 30 * DAY), validUntil: new Date(env.now() - DAY) }) });
      expect(expired.status).to.equal(422);
      expect(expired.body.error).to.include({ code: 'invalid-credentials', field: 'credential' });
      expect(expired.body.error.items).to.have.length(1);
      expect(expired.body.error.items[0]).to.include({ index: 0, field: 'credential', code: 'expired' });
    });

    it('refuses a credential of another issuer than the authenticated member (403), storing nothing', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const response = await post().send({ credential: await issueJwt(env.chain.ngoKey, NGO) });
      expect(response.status).to.equal(403);
      expect(response.body.error.code).to.equal('foreign-issuer');
      expect(response.body.error.items).to.deep.equal([
        { index: 0, field: 'credential', code: 'foreign-issuer', message: `the credential's issuer is ${NGO}, not the authenticated member ${SCHOOL}` },
      ]);
      expect(await env.store.credentials.queueDepth()).to.equal(0);
    });

    it('checks the signing key against the registry: unregistered, another member’s, revoked (422 each)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const stranger = await post().send({ credential: await issueJwt(generateIssuerKey({ type: 'Ed25519' }), SCHOOL) });
      expect(stranger.status).to.equal(422);
      expect(stranger.body.error.items[0].code).to.equal('key-not-registered');
      expect(stranger.body.error.items[0].message).to.contain('the key is not registered in the registry');

      const ngosKey = await post().send({ credential: await issueJwt(env.chain.ngoKey, SCHOOL) });
      expect(ngosKey.status).to.equal(422);
      expect(ngosKey.body.error.items[0]).to.include({ code: 'key-not-registered' });
      expect(ngosKey.body.error.items[0].message).to.contain('registered to member 2, not to member 1');

      await (await env.chain.as(1).revokeKey(1, env.chain.schoolKey.keyHash, 0)).wait();
      await env.index();
      const revoked = await post().send({ credential: await issueJwt(env.chain.schoolKey, SCHOOL) });
      expect(revoked.status).to.equal(422);
      expect(revoked.body.error.items[0].code).to.equal('key-revoked');
      expect(await env.store.credentials.queueDepth()).to.equal(0);
    });

    it('refuses a key whose validity starts later (422), tolerating a chain clock a few minutes ahead', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const chainNow = (await env.chain.provider.getBlock('latest'))!.timestamp;
      const later = generateIssuerKey({ type: 'Ed25519' });
      const soon = generateIssuerKey({ type: 'Ed25519' });
      await (await env.chain.as(1).registerKey(1, later.keyHash, chainNow + 86_400, 0)).wait();
      await (await env.chain.as(1).registerKey(1, soon.keyHash, chainNow + 120, 0)).wait();
      await env.index();
      const refused = await post().send({ credential: await issueJwt(later, SCHOOL) });
      expect(refused.status).to.equal(422);
      expect(refused.body.error.items[0].code).to.equal('key-not-valid');
      expect(refused.body.error.items[0].message).to.contain('the key is valid only from');
      const taken = await post().send({ credential: await issueJwt(soon, SCHOOL) });
      expect(taken.status, JSON.stringify(taken.body)).to.equal(202);
    });

    it('asks the chain about a key the mirror does not know yet', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const fresh = generateIssuerKey({ type: 'Ed25519' });
      await (await env.chain.as(1).registerKey(1, fresh.keyHash, 0, 0)).wait();
      expect(env.store.registry.key(fresh.keyHash)).to.equal(undefined);
      const response = await post().send({ credential: await issueJwt(fresh, SCHOOL) });
      expect(response.status, JSON.stringify(response.body)).to.equal(202);
    });

    it('refuses intake for a member that is not an active issuing point (403)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const { apiKey } = await createApiClient(env.store, { memberId: 3, role: 'editor', label: 'chamber editor' });
      const chamberKey = generateIssuerKey({ type: 'Ed25519' });
      const response = await request(env.app).post('/v1/credentials').set(bearer(apiKey)).send({ credential: await issueJwt(chamberKey, CHAMBER) });
      expect(response.status).to.equal(403);
      expect(response.body.error.code).to.equal('member-cannot-issue');
    });
  });

  describe('bulk', function () {
    it('takes {"credentials": [...]} and a bare array, in one transaction, answering per index', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const jwts = await Promise.all(Array.from({ length: 5 }, () => issueJwt(env.chain.schoolKey, SCHOOL)));
      const credential = (await issue(env.chain.schoolKey, SCHOOL, 'data-integrity')) as JsonObject;
      const response = await post().send({ credentials: [...jwts.slice(0, 3), credential, jwts[0]] });
      expect(response.status).to.equal(202);
      expect(response.body.count).to.equal(5);
      expect(response.body.created).to.equal(4);
      expect(response.body.credentials.map((c: { index: number }) => c.index)).to.deep.equal([0, 1, 2, 3, 4]);
      expect(response.body.credentials[4]).to.deep.equal({ ...response.body.credentials[0], index: 4, created: false });
      expect(response.body.credentials[3]).to.include({ format: 'data-integrity', digest: await digestOf(credential) });

      const array = await post().send([jwts[3], jwts[4], jwts[1]]);
      expect(array.status).to.equal(202);
      expect(array.body.credentials.map((c: { created: boolean }) => c.created)).to.deep.equal([true, true, false]);
      expect(await env.store.credentials.queueDepth()).to.equal(6);
    });

    it('refuses the whole request when any credential is bad (422), listing every bad index with its reason', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const good = await issueJwt(env.chain.schoolKey, SCHOOL);
      const expired = await signCredential({
        credential: buildAchievementCredential(
          demoBadgeInput({ issuerDid: SCHOOL, issuedOn: new Date(env.now() - 9 * DAY), validUntil: new Date(env.now() - DAY) })
        ),
        key: env.chain.schoolKey,
        format: 'vc-jwt',
      });
      const response = await post().send({
        credentials: [
          good,
          tamper(await issueJwt(env.chain.schoolKey, SCHOOL)),
          42,
          'not a credential at all',
          await issueJwt(generateIssuerKey({ type: 'P-256' }), SCHOOL),
          expired,
          { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] },
          await issueJwt(env.chain.schoolKey, SCHOOL),
        ],
      });
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('invalid-credentials');
      expect(response.body.error.message).to.equal('6 of 8 credentials are invalid; nothing was stored');
      const items = response.body.error.items as { index: number; field: string; code: string; message: string }[];
      expect(items.map((i) => [i.index, i.field, i.code])).to.deep.equal([
        [1, 'credentials[1]', 'signature-invalid'],
        [2, 'credentials[2]', 'invalid-item'],
        [3, 'credentials[3]', 'not-json'],
        [4, 'credentials[4]', 'key-not-registered'],
        [5, 'credentials[5]', 'expired'],
        [6, 'credentials[6]', 'missing-proof'],
      ]);
      for (const item of items) expect(item.message).to.be.a('string').and.not.equal('');
      expect(await env.store.credentials.queueDepth()).to.equal(0);
    });

    it('a credential of another issuer in a bulk makes it 403, listing it with the other bad ones', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const response = await post().send({ credentials: [await issueJwt(env.chain.schoolKey, SCHOOL), 'garbage', await issueJwt(env.chain.ngoKey, NGO)] });
      expect(response.status).to.equal(403);
      expect(response.body.error.code).to.equal('foreign-issuer');
      expect(response.body.error.items.map((i: { index: number; code: string }) => [i.index, i.code])).to.deep.equal([
        [1, 'not-json'],
        [2, 'foreign-issuer'],
      ]);
      expect(await env.store.credentials.queueDepth()).to.equal(0);
    });

    it('answers 413 beyond the bulk maximum, and beyond the body limit', async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { maxBulk: 3, maxBodyBytes: 64 * 1024 });
      const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
      const tooMany = await post().send({ credentials: [jwt, jwt, jwt, jwt] });
      expect(tooMany.status).to.equal(413);
      expect(tooMany.body.error).to.include({ code: 'too-many-credentials', field: 'credentials', maximum: 3 });
      const atMost = await post().send({ credentials: [jwt, jwt, jwt] });
      expect(atMost.status).to.equal(202);

      const tooBig = await post().send({ credentials: [jwt, 'x'.repeat(70 * 1024)] });
      expect(tooBig.status).to.equal(413);
      expect(tooBig.body.error).to.include({ code: 'payload-too-large', field: 'body' });
      expect(tooBig.body.error.message).to.contain(`${64 * 1024} bytes`);
    });
  });

  describe('bad requests', function () {
    it('answers 400 for malformed JSON and for shapes that hold no credential, naming the field', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const malformed = await post().set('Content-Type', 'application/json').send('{"credential": "eyJ...",');
      expect(malformed.status).to.equal(400);
      expect(malformed.body.error).to.include({ code: 'malformed-json', field: 'body' });

      const cases: [unknown, string, string][] = [
        [{}, 'missing-body', 'body'],
        [[], 'empty-bulk', 'body'],
        [{ credentials: [] }, 'empty-bulk', 'credentials'],
        [{ credentials: 'eyJ' }, 'invalid-request', 'credentials'],
        [{ credential: 'eyJ', note: 'hi' }, 'invalid-request', 'note'],
        [{ something: 'else' }, 'invalid-request', 'body'],
        [7, 'invalid-request', 'body'],
      ];
      for (const [body, code, field] of cases) {
        const response = await post().set('Content-Type', 'application/json').send(JSON.stringify(body));
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error, JSON.stringify(body)).to.include({ code, field });
      }
      const noBody = await post();
      expect(noBody.status).to.equal(400);
      expect(noBody.body.error.code).to.equal('missing-body');
    });

    it('answers 415 for a body of another media type', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      for (const type of ['application/x-www-form-urlencoded', 'text/csv', 'application/xml']) {
        const response = await post().set('Content-Type', type).send('credential=eyJ');
        expect(response.status, type).to.equal(415);
        expect(response.body.error).to.include({ code: 'unsupported-media-type', field: 'Content-Type' });
      }
    });

    it('a wrong type where a credential should be is that credential’s 422', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const response = await post().send({ credential: 12 });
      expect(response.status).to.equal(422);
      expect(response.body.error.items).to.deep.equal([
        { index: 0, field: 'credential', code: 'invalid-item', message: 'a credential is a compact JWS string or a JSON object, not a number' },
      ]);
    });
  });
});
