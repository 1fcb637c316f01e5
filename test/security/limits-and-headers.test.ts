// Request size limits, the bulk limits, the per-member rate limit, and the security headers, on the API
// built by createApp over Hardhat's in-process chain and a SQLite file (small limits set through createApp's
// `limits`). The slow-client timeouts are in slow-clients.test.ts, against the listening server.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { openApiDocument } from '../../service/http';
import { apiJwt, bearer, deployNetwork, issueJwt, makeEnv, SCHOOL, type Env } from '../http/helpers';
import { expectJsonClientError, snapshotStore } from './support';

const JSON_LIMIT = 8 * 1024;
const INTAKE_LIMIT = 64 * 1024;
const BULK = 5;

interface BodyOperation {
  method: 'post';
  path: string;
  operationId: string;
  secured: boolean;
}

/** Every operation of the OpenAPI document that takes a JSON body. */
function jsonBodyOperations(): BodyOperation[] {
  const operations: BodyOperation[] = [];
  for (const [path, item] of Object.entries(
    openApiDocument.paths as Record<string, Record<string, { operationId: string; security?: unknown[]; requestBody?: { content: Record<string, unknown> } }>>
  )) {
    for (const [method, operation] of Object.entries(item)) {
      if (method !== 'post' || !operation.requestBody?.content['application/json']) continue;
      operations.push({ method, path, operationId: operation.operationId, secured: (operation.security?.length ?? 0) > 0 });
    }
  }
  return operations;
}

describe('security: request limits, the per-member rate limit and security headers', function () {
  this.timeout(120_000);

  describe('body and bulk limits', function () {
    let env: Env;
    let initial: string;
    before(async function () {
      env = await makeEnv(await loadFixture(deployNetwork), {
        maxBulk: BULK, maxBodyBytes: INTAKE_LIMIT,
        limits: { maxJsonBodyBytes: JSON_LIMIT, maxVerifyBodyBytes: JSON_LIMIT, maxRevocationDigests: 3 }
      });
      initial = await snapshotStore(env.store);
    });
    after(async () => env?.close());

    const operations = jsonBodyOperations();
    it('the document has the JSON body routes this test walks', function () {
      expect(operations.map((o) => o.operationId)).to.include.members(['submitCredentials', 'revokeCredentials', 'createClient', 'verify', 'verifyCredential']);
    });

    for (const operation of operations) {
      const limit = operation.operationId === 'submitCredentials' ? INTAKE_LIMIT : JSON_LIMIT;
      it(`POST ${operation.path}: a body over ${limit} bytes is 413 payload-too-large (JSON), with or without Content-Length`, async function () {
        const auth = operation.secured ? bearer(env.keys.schoolAdmin) : {};
        const oversize = `{"credential": "${'x'.repeat(limit)}"}`;
        const sized = await request(env.app).post(operation.path).set(auth).set('Content-Type', 'application/json').send(oversize);
        expect(expectJsonClientError(sized, `${operation.path} sized`)).to.equal('payload-too-large');
        expect(sized.status).to.equal(413);
        // Chunked, no Content-Length: the parser counts as it reads.
        const chunked = await new Promise<request.Response>((resolve, reject) => {
          const test = request(env.app).post(operation.path).set(auth).set('Content-Type', 'application/json').set('Transfer-Encoding', 'chunked');
          test.write(oversize.slice(0, limit / 2));
          test.write(oversize.slice(limit / 2));
          test.end((error, response) => (error ? reject(error) : resolve(response)));
        });
        expect(chunked.status).to.equal(413);
        expect(chunked.body.error.code).to.equal('payload-too-large');
        // Just under the limit is read (and then judged on its content).
        const under = await request(env.app).post(operation.path).set(auth).set('Content-Type', 'application/json').send(`{"credential": "${'x'.repeat(limit - 100)}"}`);
        expect(under.status, under.text.slice(0, 200)).not.to.equal(413);
        expect((await snapshotStore(env.store))).to.equal(initial);
      });
    }

    it(`intake takes a bulk of exactly ${BULK}, and refuses ${BULK + 1} with 413 too-many-credentials (nothing stored)`, async function () {
      const credentials = await Promise.all(Array.from({ length: BULK + 1 }, () => issueJwt(env.chain.schoolKey, SCHOOL)));
      const over = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credentials });
      expect(expectJsonClientError(over, 'bulk over')).to.equal('too-many-credentials');
      expect(over.status).to.equal(413);
      expect(over.body.error).to.include({ maximum: BULK, field: 'credentials' });
      const bare = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send(credentials);
      expect(bare.status).to.equal(413);
      expect((await snapshotStore(env.store))).to.equal(initial);
      const exactly = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credentials: credentials.slice(0, BULK) });
      expect(exactly.status, exactly.text).to.equal(202);
      expect(exactly.body.count).to.equal(BULK);
      initial = await snapshotStore(env.store);
    });

    it('a revocation of more digests than one transaction takes is 413 too-many-digests, before anything is recorded or sent', async function () {
      const block = await env.chain.provider.getBlockNumber();
      const digests = Array.from({ length: 4 }, (_, i) => `0x${String(i + 1).padStart(64, '0')}`);
      const response = await request(env.app).post('/v1/revocations').set(bearer(env.keys.schoolEditor)).send({ digests });
      expect(expectJsonClientError(response, 'too many digests')).to.equal('too-many-digests');
      expect(response.status).to.equal(413);
      expect(response.body.error.maximum).to.equal(3);
      expect((await snapshotStore(env.store))).to.equal(initial);
      expect(await env.chain.provider.getBlockNumber()).to.equal(block);
    });
  });

  describe('the per-member rate limit', function () {
    const LIMIT = 4;
    let env: Env;
    before(async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { limits: { rateLimitPerMember: LIMIT, rateLimitPerAddress: 1_000, rateLimitWindowMs: 60_000 } });
    });
    after(async () => env?.close());

    it(`shares ${LIMIT} requests a window among all of a member's keys and JWTs; the next is 429 with Retry-After, JSON`, async function () {
      const jwt = await apiJwt(env.chain.schoolKey, SCHOOL, env.now());
      const callers = [env.keys.schoolEditor, env.keys.schoolAdmin, jwt, env.keys.schoolEditor];
      for (const [index, token] of callers.entries()) {
        const response = await request(env.app).get('/v1/whoami').set(bearer(token));
        expect(response.status, `request ${index + 1}`).to.equal(200);
        expect(response.headers.ratelimit, 'the draft-7 RateLimit header').to.match(new RegExp(`limit=${LIMIT}, remaining=${LIMIT - index - 1}, reset=\\d+`));
      }
      // A member-signed JWT is single use: the second JWT call is a new token of the same key.
      for (const token of [env.keys.schoolAdmin, await apiJwt(env.chain.schoolKey, SCHOOL, env.now())]) {
        const limited = await request(env.app).get('/v1/whoami').set(bearer(token));
        expect(expectJsonClientError(limited, 'over the member budget')).to.equal('rate-limited');
        expect(limited.status).to.equal(429);
        const retryAfter = Number(limited.headers['retry-after']);
        expect(retryAfter, 'Retry-After in seconds').to.be.within(1, 60);
        expect(limited.headers['ratelimit-policy']).to.equal(`${LIMIT};w=60`);
      }
      // A write is refused too, before its body is read; nothing is stored.
      const before = await snapshotStore(env.store);
      const write = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: await issueJwt(env.chain.schoolKey, SCHOOL) });
      expect(write.status).to.equal(429);
      expect((await snapshotStore(env.store))).to.equal(before);
    });

    it('counts failed authentications per address: past the budget, forged tokens are 429 before any signature check', async function () {
      const guarded = await makeEnv(await loadFixture(deployNetwork), { limits: { rateLimitAuthFailuresPerAddress: 3 } });
      try {
        const forged = await apiJwt(env.chain.schoolKey, 'did:web:nobody.example', guarded.now());
        const tokens = [`bnk_${'0'.repeat(16)}_${'A'.repeat(43)}`, forged, 'not-a-token'];
        for (const token of tokens) expect((await request(guarded.app).get('/v1/whoami').set(bearer(token))).status, token).to.equal(401);
        // Requests without credentials, and successful ones, are not counted.
        expect((await request(guarded.app).get('/v1/whoami')).status).to.equal(401);
        const limited = await request(guarded.app).get('/v1/whoami').set(bearer(forged));
        expect(expectJsonClientError(limited, 'past the failure budget')).to.equal('rate-limited');
        expect(limited.status).to.equal(429);
        expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
        // The address's failing credentials are held back until the window ends; a valid API key is not (issue #17).
        expect((await request(guarded.app).get('/v1/whoami').set(bearer(`bnk_${'0'.repeat(16)}_${'A'.repeat(43)}`))).status).to.equal(429);
        expect((await request(guarded.app).get('/v1/whoami').set(bearer(guarded.keys.schoolEditor))).status).to.equal(200);
        expect((await request(guarded.app).get('/v1/members')).status, 'public reads without credentials').to.equal(200);
      } finally {
        await guarded.close();
      }
    });

    it('another member keeps its own budget, and public reads are counted apart', async function () {
      const ngo = await request(env.app).get('/v1/whoami').set(bearer(env.keys.ngoAdmin));
      expect(ngo.status).to.equal(200);
      const publicRead = await request(env.app).get('/v1/members');
      expect(publicRead.status).to.equal(200);
      expect(publicRead.headers['ratelimit-policy']).to.equal('1000;w=60');
    });
  });

  describe('security headers', function () {
    let env: Env;
    before(async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { limits: { maxJsonBodyBytes: 1024, maxVerifyBodyBytes: 1024, rateLimitPerMember: 1 } });
    });
    after(async () => env?.close());

    /** The headers every answer of the API carries, whatever its status. */
    function expectApiHeaders(response: request.Response, what: string) {
      const headers = response.headers;
      expect(headers, what).not.to.have.property('x-powered-by');
      expect(headers['x-content-type-options'], what).to.equal('nosniff');
      const csp = String(headers['content-security-policy']);
      expect(csp, `${what}: CSP`).to.match(/default-src '(self|none)'/);
      expect(csp, `${what}: CSP frame-ancestors`).to.match(/frame-ancestors '(self|none)'/);
      expect(csp, `${what}: CSP object-src`).to.match(/object-src 'none'/);
      expect(csp, `${what}: no eval`).not.to.match(/unsafe-eval/);
      expect(headers['x-frame-options'], what).to.be.oneOf(['DENY', 'SAMEORIGIN']);
      expect(headers['referrer-policy'], what).to.be.oneOf(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']);
      expect(headers['strict-transport-security'], what).to.match(/max-age=\d+/);
      expect(headers['cross-origin-opener-policy'], what).to.equal('same-origin');
    }

    it('on every kind of API answer: success, JSON error, 404, 405, OPTIONS, 413, 415, 429, metrics text, the OpenAPI document', async function () {
      const answers: [string, request.Response][] = [
        ['GET /health', await request(env.app).get('/health')],
        ['GET /openapi.json', await request(env.app).get('/openapi.json')],
        ['GET /metrics', await request(env.app).get('/metrics')],
        ['GET /v1/members', await request(env.app).get('/v1/members')],
        ['401', await request(env.app).get('/v1/whoami')],
        ['404', await request(env.app).get('/nowhere')],
        ['405', await request(env.app).put('/v1/batches')],
        ['OPTIONS', await request(env.app).options('/v1/credentials')],
        ['400 malformed JSON', await request(env.app).post('/v1/verify').set('Content-Type', 'application/json').send('{')],
        ['413', await request(env.app).post('/v1/verify').send({ credential: 'x'.repeat(2048) })],
        ['415', await request(env.app).post('/credentials/verify').set('Content-Type', 'text/html').send('<b>')],
        ['whoami 200', await request(env.app).get('/v1/whoami').set(bearer(env.keys.ngoAdmin))],
        ['429', await request(env.app).get('/v1/whoami').set(bearer(env.keys.ngoAdmin))],
      ];
      expect(answers.map(([, r]) => r.status)).to.deep.equal([200, 200, 200, 200, 401, 404, 405, 204, 400, 413, 415, 200, 429]);
      for (const [what, response] of answers) expectApiHeaders(response, what);
    });

    it('on the verifier web page at /, when it is mounted', async function () {
      const page = await request(env.app).get('/');
      if (page.status === 404) {
        console.log('      the web page is not mounted at / in this build: only the API answers were checked');
        this.skip();
      }
      expect(page.status).to.equal(200);
      expect(page.headers['content-type']).to.match(/^text\/html/);
      expectApiHeaders(page, 'GET /');
      const csp = String(page.headers['content-security-policy']);
      expect(csp, 'no inline script on the page').to.match(/script-src 'self'(;|$)/);
      expect(csp).to.match(/frame-ancestors 'none'/);
      const script = /<script[^>]+src="([^"]+)"/.exec(page.text)?.[1];
      if (script) {
        const asset = await request(env.app).get(new URL(script, 'http://service/').pathname);
        expect(asset.status, script).to.equal(200);
        expect(asset.headers['x-content-type-options']).to.equal('nosniff');
        expect(asset.headers).not.to.have.property('x-powered-by');
      }
    });
  });
});
