// Issue #17, point 3: the depth check looked at JSON bodies and at JSON text, but not inside a compact JWS's
// payload nor at the credential a baked image holds; a deep one reached the recursive readers (or res.json)
// and the answer was a 500. Against the app served on a free port, as a client meets it.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoBadgePng, PNG_OB3_KEYWORD } from '../../service/baking';
import { replaceBakedChunks } from '../../service/baking/png';
import type { JsonObject } from '../../service/credentials/types';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../service/cli/main';
import { MAX_JSON_DEPTH, nestsTooDeep } from '../../service/credentials/json-depth';
import { createHttpServer } from '../../service/notary-process';
import { bearer, deployNetwork, issue, issueJwt, makeEnv, SCHOOL, type Env } from '../http/helpers';
import { snapshotStore } from './support';

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** The payload of `jwt` with its `name` an array nested `depth` levels deep, in a compact JWS (signature kept: it no longer fits). */
function deepJws(jwt: string, depth: number): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JsonObject;
  const text = JSON.stringify({ ...claims, name: '__DEEP__' }).replace('"__DEEP__"', deep(depth));
  return `${header}.${Buffer.from(text).toString('base64url')}.${signature}`;
}

describe('security: a deep JWS payload or baked credential is a 4xx (issue #17, point 3)', function () {
  let env: Env;
  let server: Server;
  let url: string;
  let jwt: string;
  let credential: JsonObject;

  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { maxBodyBytes: 4 * 1024 * 1024 });
    jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
    credential = (await issue(env.chain.schoolKey, SCHOOL, 'data-integrity')) as JsonObject;
    server = createHttpServer(env.app);
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async function () {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
    await env?.close();
  });

  const post = (path: string, body: string | Buffer, headers: Record<string, string>) =>
    fetch(`${url}${path}`, { method: 'POST', headers, body }).then(async (response) => ({ status: response.status, text: await response.text() }));
  const json = { 'Content-Type': 'application/json' };

  it('nestsTooDeep looks inside a compact JWS payload, and lets a real one pass', function () {
    expect(nestsTooDeep(deepJws(jwt, MAX_JSON_DEPTH + 1))).to.equal(true);
    expect(nestsTooDeep(jwt)).to.equal(false);
  });

  for (const depth of [MAX_JSON_DEPTH + 1, 5_000, 50_000]) {
    it(`a JWS whose payload nests ${depth} levels is 400 too-deeply-nested on /v1/verify, /credentials/verify and intake`, async function () {
      const jws = deepJws(jwt, depth);
      const before = await snapshotStore(env.store);
      const answers = [
        await post('/v1/verify', JSON.stringify({ credential: jws }), json),
        await post('/v1/verify', jws, { 'Content-Type': 'text/plain' }),
        await post('/credentials/verify', JSON.stringify({ verifiableCredential: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['EnvelopedVerifiableCredential'], id: `data:application/vc+jwt,${jws}` } }), json),
        await post('/v1/credentials', JSON.stringify({ credentials: [jws] }), { ...json, ...bearer(env.keys.schoolEditor) }),
      ];
      for (const [index, answer] of answers.entries()) {
        expect(answer.status, `answer ${index}: ${answer.text.slice(0, 300)}`).to.be.within(400, 499);
        expect(answer.text, `answer ${index}`).to.include('too-deeply-nested').and.include(`more than ${MAX_JSON_DEPTH} levels deep`);
      }
      expect((await snapshotStore(env.store))).to.equal(before);
    });

    it(`a baked PNG whose credential nests ${depth} levels (as a JWS or as JSON) is 400 with the reason`, async function () {
      const image = demoBadgePng({ label: 'Gold' });
      const deepJson = JSON.stringify({ ...credential, name: '__DEEP__' }).replace('"__DEEP__"', deep(depth));
      for (const text of [deepJws(jwt, depth), deepJson]) {
        const baked = replaceBakedChunks(image, [{ keyword: PNG_OB3_KEYWORD, text }]);
        const answer = await post('/v1/verify', baked, { 'Content-Type': 'image/png' });
        expect(answer.status, answer.text.slice(0, 300)).to.equal(400);
        expect(answer.text).to.include(`more than ${MAX_JSON_DEPTH} levels deep`);
      }
    });
  }

  it('a real JWS and a real baked badge still verify', async function () {
    const plain = await post('/v1/verify', JSON.stringify({ credential: jwt }), json);
    expect(plain.status, plain.text).to.equal(200);
    const baked = replaceBakedChunks(demoBadgePng({ label: 'Gold' }), [{ keyword: PNG_OB3_KEYWORD, text: jwt }]);
    const image = await post('/v1/verify', baked, { 'Content-Type': 'image/png' });
    expect(image.status, image.text).to.equal(200);
    expect(JSON.parse(image.text).steps[0]).to.include({ name: 'format', status: 'passed' });
  });
  it('the CLI says a JWS file whose payload nests too deep is unusable (exit 2, the reason), before reading the chain', async function () {
    const directory = mkdtempSync(join(tmpdir(), 'badge-notary-deep-'));
    try {
      const file = join(directory, 'deep.jwt');
      writeFileSync(file, deepJws(jwt, MAX_JSON_DEPTH + 1));
      const err: string[] = [];
      const code = await runCli(['verify', file], {
        env: { BADGE_NOTARY_RPC_URL: 'http://127.0.0.1:9', BADGE_NOTARY_REGISTRY: env.chain.registryAddress },
        io: { out: (text) => err.push(text), err: (text) => err.push(text) },
      });
      expect(code).to.equal(2);
      expect(err.join('\n')).to.include(`more than ${MAX_JSON_DEPTH} levels deep`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
