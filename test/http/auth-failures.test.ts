// Issue #17, point 5: the failed-authentication budget ran before authentication, so 600 bad keys from one
// address made every valid key from that address 429 too (behind a proxy without trustProxy, every client).
// Against the app served on a free port: the guesses are held back, valid API keys are not.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../service/notary-process';
import { apiJwt, deployNetwork, makeEnv, SCHOOL, type Env } from './helpers';

describe('HTTP API: failed authentications never lock out a valid API key (issue #17, point 5)', function () {
  const BUDGET = 3;
  let env: Env;
  let server: Server;
  let url: string;

  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { limits: { rateLimitAuthFailuresPerAddress: BUDGET } });
    server = createHttpServer(env.app);
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async function () {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
    await env?.close();
  });

  const whoami = async (token: string) => {
    const response = await fetch(`${url}/v1/whoami`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
  };

  it('past the budget, bad keys and forged JWTs are 429, and valid API keys of the same address still pass', async function () {
    const wrongKey = `bnk_${'0'.repeat(16)}_${'A'.repeat(43)}`;
    const [editorId] = env.keys.schoolEditor.split('_').slice(1);
    const wrongSecret = `bnk_${editorId}_${'B'.repeat(43)}`;
    const forged = await apiJwt(env.chain.schoolKey, 'did:web:nobody.example', env.now());
    for (let i = 0; i < BUDGET; i++) expect((await whoami(wrongKey)).status).to.equal(401);

    for (const token of [wrongKey, wrongSecret, forged, 'not-a-token']) {
      const refused = await whoami(token);
      expect(refused.status, token).to.equal(429);
      expect(refused.body.error?.code).to.equal('rate-limited');
    }
    for (const token of [env.keys.schoolEditor, env.keys.schoolAdmin, env.keys.ngoAdmin]) {
      expect((await whoami(token)).status, 'a valid API key is never refused for others’ failures').to.equal(200);
    }
    // Passing did not reset the count: the guesses are still held back.
    expect((await whoami(wrongSecret)).status).to.equal(429);
    expect((await whoami(env.keys.schoolEditor)).status).to.equal(200);
  });
  it('past the budget, a valid member-signed JWT still passes, checked on the mirror alone; a replayed or foreign one is 429', async function () {
    const wrongKey = `bnk_${'1'.repeat(16)}_${'C'.repeat(43)}`;
    for (let i = 0; i < BUDGET + 1; i++) await whoami(wrongKey);
    expect((await whoami(wrongKey)).status).to.equal(429);

    const valid = await apiJwt(env.chain.schoolKey, SCHOOL, env.now());
    const answer = await whoami(valid);
    expect(answer.status, 'a valid JWT is never refused for others’ failures').to.equal(200);
    const replayed = await whoami(valid);
    expect(replayed.status, 'a failure past the budget is the 429, not the 401').to.equal(429);
    expect(replayed.body.error?.code).to.equal('rate-limited');
    const notOurs = await apiJwt(env.chain.schoolKey, 'did:web:ngo-b.example', env.now());
    expect((await whoami(notOurs)).status).to.equal(429);
  });
});
