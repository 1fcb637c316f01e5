import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { bearer, deployNetwork, makeEnv, type Env } from './helpers';

/** Every error answer is JSON with a code and a message: never an HTML page. */
function expectJsonError(response: request.Response, status: number, code: string, field?: string) {
  expect(response.status, JSON.stringify(response.body)).to.equal(status);
  expect(response.headers['content-type']).to.match(/^application\/json/);
  expect(response.text).not.to.match(/<html|<!DOCTYPE/i);
  expect(response.body.error.code).to.equal(code);
  expect(response.body.error.message).to.be.a('string').and.not.equal('');
  if (field !== undefined) expect(response.body.error.field).to.equal(field);
}

describe('HTTP API: errors are JSON, bad input is a 4xx', function () {
  let env: Env;
  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { limits: { maxJsonBodyBytes: 2048, maxVerifyBodyBytes: 2048 } });
  });
  after(async () => env?.close());

  it('an unknown route is 404, a known path with another method 405 with Allow, OPTIONS 204', async function () {
    expectJsonError(await request(env.app).get('/nowhere'), 404, 'not-found');
    expectJsonError(await request(env.app).post('/v2/credentials').send({}), 404, 'not-found');
    const wrongMethod = await request(env.app).delete('/v1/batches');
    expectJsonError(wrongMethod, 405, 'method-not-allowed');
    expect(wrongMethod.headers.allow).to.equal('GET, HEAD');
    const put = await request(env.app).put('/v1/credentials').send({});
    expectJsonError(put, 405, 'method-not-allowed');
    expect(put.headers.allow).to.equal('POST');
    const options = await request(env.app).options('/v1/revocations');
    expect(options.status).to.equal(204);
    expect(options.headers.allow).to.equal('POST, GET, HEAD');
  });

  it('malformed JSON is 400, another media type 415, an oversize body 413', async function () {
    expectJsonError(await request(env.app).post('/v1/verify').set('Content-Type', 'application/json').send('{"credential": '), 400, 'malformed-json', 'body');
    expectJsonError(await request(env.app).post('/credentials/verify').set('Content-Type', 'application/json').send('[1, 2'), 400, 'malformed-json', 'body');
    expectJsonError(await request(env.app).post('/credentials/verify').set('Content-Type', 'text/plain').send('eyJ.eyJ.sig'), 415, 'unsupported-media-type', 'Content-Type');
    expectJsonError(await request(env.app).post('/v1/verify').set('Content-Type', 'application/xml').send('<a/>'), 415, 'unsupported-media-type');
    expectJsonError(await request(env.app).post('/v1/verify').send({ credential: 'x'.repeat(4096) }), 413, 'payload-too-large', 'body');
    expectJsonError(
      await request(env.app).post('/v1/clients').set(bearer(env.keys.schoolAdmin)).set('Content-Type', 'application/json').send('{"role":'),
      400,
      'malformed-json',
    );
  });

  it('the other JSON routes answer 415 and 413 too', async function () {
    const admin = bearer(env.keys.schoolAdmin);
    expectJsonError(await request(env.app).post('/v1/clients').set(admin).set('Content-Type', 'text/plain').send('role=editor'), 415, 'unsupported-media-type');
    expectJsonError(await request(env.app).post('/v1/clients').set(admin).send({ role: 'editor', label: 'x'.repeat(4096) }), 413, 'payload-too-large');
    expectJsonError(await request(env.app).post('/v1/revocations').set(admin).set('Content-Type', 'application/jwt').send('eyJ.eyJ.sig'), 415, 'unsupported-media-type');
    expectJsonError(await request(env.app).post('/credentials/verify').send({ verifiableCredential: 'x'.repeat(4096) }), 413, 'payload-too-large');
    expectJsonError(await request(env.app).get('/v1/revocations?limit=many').set(admin), 400, 'invalid-request', 'limit');
  });

  it('wrong types and missing fields are 400 naming the field', async function () {
    const verify = (body: unknown) => request(env.app).post('/v1/verify').send(body as object);
    expectJsonError(await verify({}), 400, 'invalid-request', 'credential');
    expectJsonError(await verify({ credential: 5 }), 400, 'invalid-request', 'credential');
    expectJsonError(await verify({ credential: 'eyJ', receipt: 'r' }), 400, 'invalid-request', 'receipt');
    expectJsonError(await verify({ credential: 'eyJ', extra: 1 }), 400, 'invalid-request', 'extra');
    expectJsonError(await verify([1]), 400, 'invalid-request', 'body');
    expectJsonError(await request(env.app).post('/v1/verify'), 400, 'missing-body', 'body');

    const vcApi = (body: unknown) => request(env.app).post('/credentials/verify').send(body as object);
    expectJsonError(await vcApi({}), 400, 'invalid-request', 'verifiableCredential');
    expectJsonError(await vcApi({ verifiableCredential: 3 }), 400, 'invalid-request', 'verifiableCredential');
    expectJsonError(await vcApi({ verifiableCredential: { type: 'EnvelopedVerifiableCredential', id: 'data:text/plain,hello' } }), 400, 'invalid-request', 'verifiableCredential.id');
    expectJsonError(await vcApi({ verifiableCredential: {}, options: [] }), 400, 'invalid-request', 'options');
    expectJsonError(await vcApi({ verifiableCredential: {}, options: { receipt: 'x' } }), 400, 'invalid-request', 'options.receipt');
    expectJsonError(await vcApi({ verifiableCredential: {}, presentation: {} }), 400, 'invalid-request', 'presentation');
  });

  it('a credential that cannot be read is a failed step of a 200 report, not an error', async function () {
    const response = await request(env.app).post('/v1/verify').send({ credential: 'certainly not a badge' });
    expect(response.status).to.equal(200);
    expect(response.body.verified).to.equal(false);
    expect(response.body.steps[0]).to.include({ name: 'format', status: 'failed' });
    const vcApi = await request(env.app).post('/credentials/verify').send({ verifiableCredential: { '@context': 'nonsense' } });
    expect(vcApi.status).to.equal(400);
    expect(vcApi.body.error.code).to.equal('not-verified');
    expect(vcApi.body.errors[0]).to.match(/^format: /);
  });

  it('bad path and query parameters are 400; unknown digests and ids 404', async function () {
    const digest = `0x${'ab'.repeat(32)}`;
    expectJsonError(await request(env.app).get('/v1/credentials/0x1234'), 400, 'invalid-digest', 'digest');
    expectJsonError(await request(env.app).get('/v1/credentials/nope/receipt'), 400, 'invalid-digest', 'digest');
    expectJsonError(await request(env.app).get('/v1/credentials/xyz/revocation'), 400, 'invalid-digest', 'digest');
    expectJsonError(await request(env.app).get(`/v1/credentials/${digest}`), 404, 'not-found');
    expectJsonError(await request(env.app).get(`/v1/credentials/${digest}/receipt`), 404, 'not-found');
    expectJsonError(await request(env.app).get('/v1/batches/abc'), 400, 'invalid-request', 'id');
    expectJsonError(await request(env.app).get('/v1/batches/0'), 400, 'invalid-request', 'id');
    expectJsonError(await request(env.app).get('/v1/batches/77'), 404, 'not-found');
    expectJsonError(await request(env.app).get('/v1/batches?limit=0'), 400, 'invalid-request', 'limit');
    expectJsonError(await request(env.app).get('/v1/batches?limit=5&limit=6'), 400, 'invalid-request', 'limit');
    expectJsonError(await request(env.app).get('/v1/batches?before=-3'), 400, 'invalid-request', 'before');
    expectJsonError(await request(env.app).get('/v1/members/1.5'), 400, 'invalid-request', 'id');
    expectJsonError(await request(env.app).get('/v1/members?status=asleep'), 400, 'invalid-request', 'status');
    expectJsonError(await request(env.app).get('/v1/members?role=king'), 400, 'invalid-request', 'role');
    expectJsonError(await request(env.app).get('/v1/revocations/x').set(bearer(env.keys.schoolEditor)), 400, 'invalid-request', 'id');
    expectJsonError(await request(env.app).get('/v1/credentials/%E0%A4%A'), 400, 'bad-request');
  });

  it('gives every answer a request id (the client’s when sane) and security headers', async function () {
    const given = await request(env.app).get('/health').set('X-Request-Id', 'trace-42.a:b');
    expect(given.headers['x-request-id']).to.equal('trace-42.a:b');
    const insane = await request(env.app).get('/health').set('X-Request-Id', 'bad id with spaces');
    expect(insane.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    const error = await request(env.app).get('/nowhere');
    expect(error.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(error.headers['x-content-type-options']).to.equal('nosniff');
    expect(error.headers['content-security-policy']).to.be.a('string');
    expect(error.headers).not.to.have.property('x-powered-by');
  });
});
