// The defects the hostile-input tests found, each pinned by an example (the fuzzers find such inputs only by
// chance): documents nested thousands of levels deep overflowed the stack of the JSON-LD reader behind
// /v1/verify (a 500), and the CLI said "failed" (exit 1) for a credential of another issuer it was given.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runCli } from '../../service/cli/main';
import type { JsonObject } from '../../service/credentials/types';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../service/credentials/json-depth';
import { createHttpServer } from '../../service/notary-process';
import { bearer, deployNetwork, issue, issueJwt, makeEnv, NGO, SCHOOL, type Env } from '../http/helpers';
import { snapshotStore } from './support';

/** A credential whose `name` is an array nested `depth` levels deep, as JSON text. */
const deepCredential = (credential: JsonObject, depth: number) =>
  JSON.stringify({ ...credential, name: '__DEEP__' }).replace('"__DEEP__"', `${'['.repeat(depth)}${']'.repeat(depth)}`);

describe('security: defects found by the hostile-input tests', function () {
  let env: Env;
  let credential: JsonObject;
  let initial: string;

  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { maxBodyBytes: 1024 * 1024 });
    credential = (await issue(env.chain.schoolKey, SCHOOL, 'data-integrity')) as JsonObject;
    initial = await snapshotStore(env.store);
  });
  after(async () => env?.close());

  it('measures nesting without recursion, at any depth', function () {
    expect(nestedDeeperThan({ a: [1, { b: [] }] }, 4)).to.equal(false);
    expect(nestedDeeperThan({ a: [1, { b: [] }] }, 3)).to.equal(true);
    expect(nestedDeeperThan(JSON.parse(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`), MAX_JSON_DEPTH)).to.equal(true);
    expect(nestedDeeperThan('[[[[', 1)).to.equal(false);
  });

  for (const depth of [MAX_JSON_DEPTH + 1, 3_000, 5_000, 10_000, 50_000]) {
    it(`a credential nested ${depth} levels deep is a 4xx on every route that reads one, never a 500`, async function () {
      const document = deepCredential(credential, depth);
      const json = (path: string) => request(env.app).post(path).set('Content-Type', 'application/json');
      const answers = [
        // As JSON in the body: the body's own depth check.
        await json('/v1/verify').send(`{"credential": ${document}}`),
        await json('/credentials/verify').send(`{"verifiableCredential": ${document}}`),
        await json('/v1/credentials').set(bearer(env.keys.schoolEditor)).send(`{"credential": ${document}}`),
        // As JSON text inside a string, which the body's check does not see (the 500 was here, at 5,000 levels).
        await request(env.app).post('/v1/verify').send({ credential: document }),
        await request(env.app).post('/v1/verify').set('Content-Type', 'text/plain').send(document),
        await json('/v1/verify').send(`{"credential": ${JSON.stringify(JSON.stringify(credential))}, "receipt": {"a": ${'['.repeat(depth)}${']'.repeat(depth)}}}`),
        await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credentials: [document] }),
      ];
      for (const [index, answer] of answers.entries()) {
        expect(answer.status, `answer ${index}: ${answer.text.slice(0, 200)}`).to.be.within(400, 499);
        const codes = [answer.body.error.code, ...((answer.body.error.items as { code: string }[] | undefined) ?? []).map((item) => item.code)];
        expect(codes, `answer ${index}`).to.include('too-deeply-nested');
      }
      expect((await snapshotStore(env.store))).to.equal(initial);
    });
  }

  it('a credential nested as deep as a real one still verifies and is taken', async function () {
    const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
    const verified = await request(env.app).post('/v1/verify').send({ credential });
    expect(verified.status).to.equal(200);
    expect(verified.body.steps[0]).to.include({ name: 'format', status: 'passed' });
    const taken = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credentials: [jwt, credential] });
    expect(taken.status, taken.text).to.equal(202);
    initial = await snapshotStore(env.store);
  });

  describe('the command line', function () {
    let directory: string;
    let server: Server;
    before(async function () {
      directory = mkdtempSync(join(tmpdir(), 'badge-notary-defects-'));
      server = createHttpServer(env.app);
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    });
    after(async function () {
      server?.closeAllConnections();
      await new Promise((done) => server?.close(done));
      rmSync(directory, { recursive: true, force: true });
    });

    const cli = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { env, io: { out: (t) => out.push(t), err: (t) => err.push(t) } });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    it('notarise of another issuer’s credential exits 2 (unusable input), not 1', async function () {
      const file = join(directory, 'ngo.jwt');
      writeFileSync(file, await issueJwt(env.chain.ngoKey, NGO));
      const result = await cli(['notarise', '--url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, file], { BADGE_NOTARY_API_KEY: env.keys.schoolEditor });
      expect(result.code, result.err).to.equal(2);
      expect(result.err).to.match(/^refused by the service: 403 foreign-issuer/);
      expect((await snapshotStore(env.store))).to.equal(initial);
    });

    it('verify of a file nested thousands of levels deep exits 2 (unusable), before any reader sees it', async function () {
      const credentialFile = join(directory, 'deep.json');
      writeFileSync(credentialFile, deepCredential(credential, 5_000));
      const receiptFile = join(directory, 'deep-receipt.json');
      writeFileSync(receiptFile, `{"version": "badge-notary-receipt/1", "proof": ${'['.repeat(5_000)}${']'.repeat(5_000)}}`);
      // No chain is needed: the files are refused before the registry is asked anything.
      const env = { BADGE_NOTARY_RPC_URL: 'http://127.0.0.1:9', BADGE_NOTARY_REGISTRY: '0x000000000000000000000000000000000000dEaD' };
      for (const argv of [['verify', credentialFile], ['verify', receiptFile]]) {
        const result = await cli(argv, env);
        expect(result.code, `${result.out} ${result.err}`).to.equal(2);
        expect(result.out).to.match(/UNUSABLE[\s\S]*more than 100 levels deep/);
      }
      const apart = await cli(['verify', join(directory, 'deep.json'), '--receipt', receiptFile], env);
      expect(apart.code).to.equal(2);
      expect(apart.err).to.match(/more than 100 levels deep/);
    });
  });
});
