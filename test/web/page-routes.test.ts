// The page as the service serves it (GET /, /verify, /web/<file>: types, the strict Content-Security-Policy, nothing
// inline, nothing from outside), and the API extension it uses: POST /v1/verify with a baked PNG or SVG badge.
// In-process (supertest) over Hardhat's in-process chain, with the HTTP tests' set-up.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { bakePng, bakeSvg, demoBadgePng, demoBadgeSvg } from '../../service/baking';
import { replaceBakedChunks } from '../../service/baking/png';
import type { JsonObject } from '../../service/credentials/types';
import type { Receipt } from '../../service/merkle';
import { PAGE_CSP_DIRECTIVES, PAGE_DIRECTORY, VERIFIER_PAGE_ROUTES } from '../../service/web';
import { bearer, deployNetwork, issue, makeEnv, SCHOOL, type Env } from '../http/helpers';

const STEPS = ['format', 'signature', 'issuer-key', 'issuer-member', 'anchor', 'revocation', 'validity'];

describe('web page: served by the service', function () {
  let env: Env;
  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { indexed: false });
  });
  after(async () => env?.close());

  for (const path of ['/', '/verify']) {
    it(`GET ${path} answers the page with a strict Content-Security-Policy`, async function () {
      const response = await request(env.app).get(path);
      expect(response.status).to.equal(200);
      expect(response.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(response.headers['cache-control']).to.equal('no-cache');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).to.contain("default-src 'none'").and.contain("script-src 'self'").and.contain("style-src 'self'").and.contain("connect-src 'self'");
      expect(csp).to.contain("require-trusted-types-for 'script'").and.contain("frame-ancestors 'none'");
      expect(csp, 'no inline code, no eval, no other site').to.not.match(/unsafe-|https:|\*/);
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.text).to.contain('<script type="module" src="web/app.mjs"></script>');
    });
  }

  it('has no inline script, inline style or event-handler attribute, and loads only its own files', function () {
    const html = readFileSync(join(PAGE_DIRECTORY, 'index.html'), 'utf8');
    expect(html).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).to.not.match(/<style\b/i);
    expect(html).to.not.match(/\sstyle\s*=/i);
    expect(html).to.not.match(/\son[a-z]+\s*=/i);
    const references = [...html.matchAll(/\s(?:src|href)="([^"#]+)"/g)].map((match) => match[1]);
    expect(references.length).to.be.greaterThan(2);
    for (const reference of references) expect(reference, reference).to.match(/^(web\/[a-z-]+\.(mjs|css|svg)|openapi\.json)$/);
    for (const name of readdirSync(PAGE_DIRECTORY).filter((file) => file.endsWith('.mjs'))) {
      const code = readFileSync(join(PAGE_DIRECTORY, name), 'utf8');
      expect(code, `${name}: no HTML written from strings`).to.not.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
      expect(code, `${name}: imports only the page's own modules`).to.not.match(/from\s+['"](?!\.\/)/);
      expect(code, `${name}: no address of another site is fetched`).to.not.match(/fetch\(\s*['"`]https?:/);
    }
  });

  it('serves every file of the page under /web/ with its media type, and nothing else', async function () {
    const types: Record<string, RegExp> = { mjs: /^text\/javascript; charset=utf-8$/, css: /^text\/css; charset=utf-8$/, svg: /^image\/svg\+xml/ };
    const names = readdirSync(PAGE_DIRECTORY).filter((name) => name !== 'index.html');
    expect(names).to.include.members(['app.mjs', 'i18n.mjs', 'render.mjs', 'style.css', 'favicon.svg']);
    for (const name of names) {
      const response = await request(env.app).get(`/web/${name}`);
      expect(response.status, name).to.equal(200);
      expect(response.headers['content-type'], name).to.match(types[name.split('.').pop()!]);
      expect(response.headers['content-security-policy'], name).to.contain("default-src 'none'");
    }
    for (const path of ['/web/index.html', '/web/nothing.mjs', '/web/..%2Findex.ts', '/web/%2e%2e%2fapp.ts', '/web/', '/web/page/app.mjs']) {
      const response = await request(env.app).get(path);
      expect(response.status, path).to.equal(404);
      expect(response.body.error.code, path).to.equal('not-found');
    }
  });

  it('lists its routes for the OpenAPI test: exactly the page and its files', function () {
    expect([...VERIFIER_PAGE_ROUTES]).to.deep.equal(['GET /', 'GET /verify', 'GET /web/:file']);
    expect(Object.keys(PAGE_CSP_DIRECTIVES)).to.include('requireTrustedTypesFor');
  });
});

describe('POST /v1/verify with a baked badge image', function () {
  let env: Env;
  let jwt: string;
  let jwtReceipt: Receipt;
  let json: JsonObject;
  let jsonReceipt: Receipt;

  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    jwt = (await issue(env.chain.schoolJwtKey, SCHOOL, 'vc-jwt')) as string;
    json = (await issue(env.chain.schoolKey, SCHOOL, 'data-integrity')) as JsonObject;
    const taken = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credentials: [jwt, json] });
    expect(taken.status, JSON.stringify(taken.body)).to.equal(202);
    await env.anchorAll();
    const [jwtDigest, jsonDigest] = (taken.body.credentials as { digest: string }[]).map((item) => item.digest);
    jwtReceipt = (await request(env.app).get(`/v1/credentials/${jwtDigest}/receipt`)).body as Receipt;
    jsonReceipt = (await request(env.app).get(`/v1/credentials/${jsonDigest}/receipt`)).body as Receipt;
  });
  after(async () => env?.close());

  const post = (body: Buffer | string, type: string) => request(env.app).post('/v1/verify').set('Content-Type', type).send(body);

  it('verifies a PNG baked with a VC-JWT and its receipt, and says what the image holds', async function () {
    const png = bakePng({ image: demoBadgePng({ label: 'Gold' }), credential: jwt, receipt: jwtReceipt });
    const response = await post(png, 'image/png');
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    expect(response.body.verified, JSON.stringify(response.body.steps)).to.equal(true);
    expect(response.body.receiptSource).to.equal('request');
    expect(response.body.baked).to.deep.equal({ kind: 'png', version: 'ob3', credential: jwt, receipt: jwtReceipt });
  });

  it('verifies an SVG baked with a JSON credential carrying its receipt', async function () {
    const svg = bakeSvg({ image: demoBadgeSvg({ label: 'Silver' }), credential: json, receipt: jsonReceipt });
    const response = await post(svg, 'image/svg+xml');
    expect(response.status).to.equal(200);
    expect(response.body.verified, JSON.stringify(response.body.steps)).to.equal(true);
    expect(response.body.receiptSource).to.equal('request');
    expect(response.body.baked).to.deep.include({ kind: 'svg', version: 'ob3', credential: json });
    expect(response.body.baked.receipt).to.deep.equal(jsonReceipt);
  });

  it('verifies a baked badge without a receipt by finding the receipt in this service', async function () {
    const response = await post(bakePng({ image: demoBadgePng({ label: 'Gold' }), credential: jwt }), 'image/png');
    expect(response.body.verified).to.equal(true);
    expect(response.body.receiptSource).to.equal('store');
    expect(response.body.baked).to.not.have.property('receipt');
  });

  it('answers a tampered baked badge with the failed steps, not an error', async function () {
    // The JWT's payload edited inside the image, its receipt left beside it: unbake alone would refuse the pair.
    const [header, payload, signature] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { vc?: { name?: string }; name?: string };
    if (claims.vc) claims.vc.name = 'Forged badge';
    else claims.name = 'Forged badge';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const png = replaceBakedChunks(demoBadgePng({ label: 'Gold' }), [
      { keyword: 'openbadgecredential', text: forged },
      { keyword: 'badgenotaryreceipt', text: JSON.stringify(jwtReceipt) },
    ]);
    const response = await post(png, 'image/png');
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    expect(response.body.verified).to.equal(false);
    const statuses = Object.fromEntries((response.body.steps as { name: string; status: string }[]).map((step) => [step.name, step.status]));
    expect(Object.keys(statuses)).to.deep.equal(STEPS);
    expect(statuses).to.include({ format: 'passed', signature: 'failed', anchor: 'failed' });
    expect(response.body.steps.find((step: { name: string }) => step.name === 'anchor').message).to.contain('the receipt does not hold');
    expect(response.body.baked).to.deep.equal({ kind: 'png', version: 'ob3', credential: forged, receipt: jwtReceipt });
  });

  it('is 400 with the baking error’s code when the image holds no badge', async function () {
    const plain = await post(demoBadgePng({ label: 'Gold' }), 'image/png');
    expect(plain.status).to.equal(400);
    expect(plain.body.error).to.include({ code: 'no-baked-credential', field: 'body' });
    const notAnImage = await post(Buffer.from('{"credential": "x"}'), 'image/png');
    expect(notAnImage.status).to.equal(400);
    expect(notAnImage.body.error.code).to.equal('not-an-image');
    const broken = await post('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', 'image/svg+xml');
    expect(broken.status).to.equal(400);
    expect(broken.body.error.code).to.equal('malformed-svg');
  });

  it('is 413 for an image over the limit, and 415 for another media type as before', async function () {
    const big = await post(Buffer.alloc(4 * 1024 * 1024 + 1), 'image/png');
    expect(big.status).to.equal(413);
    expect(big.body.error.code).to.equal('payload-too-large');
    const gif = await post(Buffer.from('GIF89a'), 'image/gif');
    expect(gif.status).to.equal(415);
  });

  it('still takes JSON and JWT bodies', async function () {
    const response = await request(env.app).post('/v1/verify').send({ credential: jwt, receipt: jwtReceipt });
    expect(response.body.verified).to.equal(true);
    expect(response.body).to.not.have.property('baked');
  });
});
