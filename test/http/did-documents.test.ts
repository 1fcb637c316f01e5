import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { verifyCredential as digitalBazaarVerify } from '@digitalbazaar/vc';
import {
  buildAchievementCredential,
  documentLoader,
  memberKeyId,
  multicodecHexOf,
  signCredential,
  type JsonObject,
} from '../../service/credentials';
import { generateIssuerKey } from '../../service/credentials/keys';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { KEY_CLOCK_SKEW_SECONDS } from '../../service/notary';
import { bearer, deployNetwork, issueJwt, makeEnv, NGO, SCHOOL, type Env } from './helpers';

describe('HTTP API: a member’s DID document (GET /v1/members/{id}/did.json)', function () {
  let env: Env;
  afterEach(async () => env?.close());

  const didJson = (path: string, keys: string[]) =>
    request(env.app).get(`${path}?${keys.map((key) => `key=${encodeURIComponent(key)}`).join('&')}`);

  it('lists the named registered keys under the member’s DID as Multikey methods and assertionMethod, as application/did+json', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const { schoolKey, schoolJwtKey } = env.chain;
    const response = await didJson('/v1/members/1/did.json', [schoolKey.did, JSON.stringify(schoolJwtKey.publicKeyJwk)]);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    expect(response.headers['content-type']).to.match(/^application\/did\+json/);
    const document = JSON.parse(response.text) as JsonObject;
    expect(document).to.deep.equal({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: SCHOOL,
      verificationMethod: [schoolKey, schoolJwtKey].map((key) => ({
        id: memberKeyId(SCHOOL, key),
        type: 'Multikey',
        controller: SCHOOL,
        publicKeyMultibase: key.publicKeyMultibase,
      })),
      assertionMethod: [memberKeyId(SCHOOL, schoolKey), memberKeyId(SCHOOL, schoolJwtKey)],
    });
    const byDid = await didJson(`/v1/members/by-did/${encodeURIComponent(SCHOOL)}/did.json`, [schoolKey.did, JSON.stringify(schoolJwtKey.publicKeyJwk)]);
    expect(byDid.status).to.equal(200);
    expect(JSON.parse(byDid.text)).to.deep.equal(document);
  });

  it('a revoked key stays a verification method but leaves assertionMethod', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const { schoolKey, schoolJwtKey } = env.chain;
    await (await env.chain.as(1).revokeKey(1, schoolJwtKey.keyHash, 0)).wait();
    await env.index();
    const document = JSON.parse((await didJson('/v1/members/1/did.json', [schoolKey.did, schoolJwtKey.did])).text) as JsonObject;
    expect((document.verificationMethod as JsonObject[]).map((method) => method.id)).to.deep.equal([
      memberKeyId(SCHOOL, schoolKey),
      memberKeyId(SCHOOL, schoolJwtKey),
    ]);
    expect(document.assertionMethod).to.deep.equal([memberKeyId(SCHOOL, schoolKey)]);
  });

  it('a key whose validity starts within the clock allowance intake gives is an assertionMethod, as intake takes its badges; one starting later is a method only', async function () {
    // A chain that mines blocks back to back runs ahead of the wall clock: a key registered "now" on it may start
    // seconds after this service's now. Intake allows KEY_CLOCK_SKEW_SECONDS for that; the document must agree.
    env = await makeEnv(await loadFixture(deployNetwork));
    const serviceNow = Math.floor(env.now() / 1000);
    const soon = generateIssuerKey({ type: 'Ed25519' });
    const later = generateIssuerKey({ type: 'Ed25519' });
    await (await env.chain.as(1).registerPublicKey(1, multicodecHexOf(soon.publicKeyMultibase), serviceNow + 60, 0)).wait();
    await (await env.chain.as(1).registerPublicKey(1, multicodecHexOf(later.publicKeyMultibase), serviceNow + KEY_CLOCK_SKEW_SECONDS + 600, 0)).wait();
    await env.index();

    const document = JSON.parse((await request(env.app).get('/v1/members/1/did.json')).text) as JsonObject;
    const methods = (document.verificationMethod as JsonObject[]).map((method) => method.id);
    expect(methods).to.include.members([memberKeyId(SCHOOL, soon), memberKeyId(SCHOOL, later)]);
    expect(document.assertionMethod).to.include(memberKeyId(SCHOOL, soon)).and.not.to.include(memberKeyId(SCHOOL, later));

    const post = (credential: string) => request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential });
    const taken = await post(await issueJwt(soon, SCHOOL));
    expect(taken.status, JSON.stringify(taken.body)).to.equal(202);
    const refused = await post(await issueJwt(later, SCHOOL));
    expect(refused.status, JSON.stringify(refused.body)).to.equal(422);
    expect(refused.body.error.items[0].code).to.equal('key-not-valid');
  });

  it('refuses, naming the field: a key that is not one, another member’s key; 404 for an unknown member', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const empty = await request(env.app).get('/v1/members/1/did.json?key=');
    expect(empty.status).to.equal(400);
    expect(empty.body.error.field).to.equal('key');
    const garbage = await didJson('/v1/members/1/did.json', ['not-a-key']);
    expect(garbage.status).to.equal(400);
    expect(garbage.body.error.field).to.equal('key');
    const ngos = await didJson('/v1/members/1/did.json', [env.chain.ngoKey.did]);
    expect(ngos.status).to.equal(400);
    expect(ngos.body.error.message).to.contain('is not registered to member 1');
    expect((await didJson('/v1/members/99/did.json', [env.chain.schoolKey.did])).status).to.equal(404);
    expect((await didJson(`/v1/members/by-did/${encodeURIComponent('did:web:nobody.example')}/did.json`, [env.chain.schoolKey.did])).status).to.equal(404);
  });

  it('with no key parameter, lists the keys the member published with registerPublicKey; a revoked one only as a method', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const none = await request(env.app).get('/v1/members/2/did.json');
    expect(none.status, JSON.stringify(none.body)).to.equal(200);
    expect(JSON.parse(none.text)).to.include({ id: NGO }).and.to.deep.include({ verificationMethod: [], assertionMethod: [] });

    const kept = generateIssuerKey({ type: 'Ed25519' });
    const revoked = generateIssuerKey({ type: 'P-256' });
    await (await env.chain.as(2).registerPublicKey(2, multicodecHexOf(kept.publicKeyMultibase), 0, 0)).wait();
    await (await env.chain.as(2).registerPublicKey(2, multicodecHexOf(revoked.publicKeyMultibase), 0, 0)).wait();
    await (await env.chain.as(2).revokeKey(2, revoked.keyHash, 0)).wait();
    await env.index();

    const response = await request(env.app).get('/v1/members/2/did.json');
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    const document = JSON.parse(response.text) as JsonObject;
    expect(document.verificationMethod).to.deep.equal(
      [kept, revoked].map((key) => ({ id: memberKeyId(NGO, key), type: 'Multikey', controller: NGO, publicKeyMultibase: key.publicKeyMultibase })),
    );
    expect(document.assertionMethod).to.deep.equal([memberKeyId(NGO, kept)]);
    const byDid = await request(env.app).get(`/v1/members/by-did/${encodeURIComponent(NGO)}/did.json`);
    expect(JSON.parse(byDid.text)).to.deep.equal(document);
    // A key registered by hash only is still named with key=, after the published ones; a published key named again is not doubled.
    const withHashOnly = JSON.parse((await didJson('/v1/members/2/did.json', [env.chain.ngoKey.did, kept.did])).text) as JsonObject;
    expect((withHashOnly.verificationMethod as JsonObject[]).map((method) => method.id)).to.deep.equal(
      [kept, revoked, env.chain.ngoKey].map((key) => memberKeyId(NGO, key)),
    );

    const credential = await signCredential({ credential: buildAchievementCredential(demoBadgeInput({ issuerDid: NGO })), key: kept, format: 'data-integrity' });
    const result = await digitalBazaarVerify({
      credential,
      suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
      documentLoader: servedDocumentLoader(NGO, document),
    });
    expect(result.verified, JSON.stringify(result.error)).to.equal(true);
  });

  it('the served document is what @digitalbazaar/vc needs to accept the member’s Data Integrity credential', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const { schoolKey } = env.chain;
    const document = JSON.parse((await didJson('/v1/members/1/did.json', [schoolKey.did])).text) as JsonObject;
    const credential = await signCredential({ credential: buildAchievementCredential(demoBadgeInput({ issuerDid: SCHOOL })), key: schoolKey, format: 'data-integrity' });
    const result = await digitalBazaarVerify({
      credential,
      suite: new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 }),
      documentLoader: servedDocumentLoader(SCHOOL, document),
    });
    expect(result.verified, JSON.stringify(result.error)).to.equal(true);
  });
});

/** A document loader that answers the member's DID and its key ids from the served DID document, as did:web resolution would. */
function servedDocumentLoader(memberDid: string, document: JsonObject) {
  return async (url: string) => {
    const [did, fragment] = url.split('#');
    if (did !== memberDid) return documentLoader(url);
    const method = (document.verificationMethod as JsonObject[]).find((item) => item.id === url);
    return { contextUrl: null, documentUrl: url, document: fragment === undefined ? document : { '@context': document['@context'], ...method } };
  };
}
