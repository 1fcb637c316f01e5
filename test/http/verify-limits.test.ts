// The public verification routes' bounds (issue #17, point 2): a JSON credential holding more JSON values than
// the limit is refused before any canonicalisation; the offline check goes to the app's verifier (the pool);
// and public verification has a bounded share of it, past which a request is 503 with Retry-After at once.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { signCredential } from '../../service/credentials/signer';
import { verifyCredential } from '../../service/credentials/verify';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { HttpError } from '../../service/http/errors';
import { VerificationGate } from '../../service/http/verification-gate';
import { holdsMoreValuesThan } from '../../service/http/verification';
import type { CredentialVerifier } from '../../service/notary';
import { deployNetwork, makeEnv, SCHOOL, type Chain, type Env } from './helpers';

/** A Data Integrity badge with `alignments` alignments: 110 JSON values, and 7 more per alignment. */
async function badge(chain: Chain, alignments: number) {
  const input = demoBadgeInput({ issuerDid: SCHOOL });
  input.alignments = Array.from({ length: alignments }, (_, i) => ({ framework: 'LifeComp', code: `S3.${i}`, name: `descriptor ${i}`, url: `https://example.org/${i}` }));
  return signCredential({ credential: buildAchievementCredential(input), key: chain.schoolKey, format: 'data-integrity' });
}

/** A verifier whose checks wait until `open()`: what is on "the pool" can be held there. */
function heldVerifier() {
  const calls: { includeCredential?: boolean | undefined }[] = [];
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const verifier: CredentialVerifier = {
    async verifyMany({ credentials, includeCredential, ...rest }) {
      calls.push({ includeCredential });
      await gate;
      return Promise.all(credentials.map((credential) => verifyCredential({ credential, ...rest })));
    },
  };
  return { verifier, calls, open: () => open() };
}

describe('public verification: the JSON-LD size limit, the verifier pool and its share of it', function () {
  this.timeout(120_000);

  describe('the size of a JSON credential', function () {
    const MAX = 200;
    let env: Env;
    before(async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { limits: { maxCredentialValues: MAX } });
    });
    after(async () => env?.close());

    it('counts JSON values (objects, arrays, members, items), itself included, and stops past the limit', function () {
      expect(holdsMoreValuesThan({ a: [1, 2, { b: null }] }, 6)).to.equal(false); // {}, [], 1, 2, {}, null
      expect(holdsMoreValuesThan({ a: [1, 2, { b: null }] }, 5)).to.equal(true);
      expect(holdsMoreValuesThan('a compact JWS', 1)).to.equal(false);
      expect(holdsMoreValuesThan(Array.from({ length: 300_000 }, () => 0), 1_000)).to.equal(true);
    });

    for (const [path, wrap] of [
      ['/v1/verify', (credential: unknown) => ({ credential })],
      ['/credentials/verify', (credential: unknown) => ({ verifiableCredential: credential })],
    ] as const) {
      it(`POST ${path}: a credential over ${MAX} JSON values is 413 credential-too-large naming the limit; one within it is verified`, async function () {
        const over = await badge(env.chain, 14); // 110 + 98
        const overAnswer = await request(env.app).post(path).send(wrap(over));
        expect(overAnswer.status, overAnswer.text).to.equal(413);
        expect(overAnswer.body.error).to.include({ code: 'credential-too-large', field: 'credential', maximum: MAX });
        expect(overAnswer.body.error.message).to.contain(`more than ${MAX} JSON values`);
        // As JSON text, too.
        const asText = await request(env.app).post(path).send(wrap(JSON.stringify(over)));
        expect(asText.status, asText.text).to.equal(413);
        const within = await badge(env.chain, 12); // 110 + 84
        const withinAnswer = await request(env.app).post(path).send(wrap(within));
        // verified offline (the signature passes), not anchored: /v1/verify answers the report, the VC-API 400 not-verified
        expect(withinAnswer.status, withinAnswer.text).to.equal(path === '/v1/verify' ? 200 : 400);
        if (path === '/v1/verify') expect(withinAnswer.body.steps[1]).to.include({ name: 'signature', status: 'passed' });
        else {
          expect(withinAnswer.body.error.code).to.equal('not-verified');
          expect(withinAnswer.body.checks).to.include('signature');
        }
      });
    }
  });

  describe('the verifier pool and public verification’s share of it', function () {
    let env: Env;
    let held: ReturnType<typeof heldVerifier>;
    before(async function () {
      held = heldVerifier();
      env = await makeEnv(await loadFixture(deployNetwork), { verifier: held.verifier, limits: { publicVerificationSlots: 1, publicVerificationQueue: 1 } });
    });
    after(async () => env?.close());

    it('sends the offline check to the app’s verifier; past slots + queue, a verification is 503 verification-busy with Retry-After; then it takes requests again', async function () {
      const credential = await badge(env.chain, 0);
      const first = request(env.app).post('/v1/verify').send({ credential }).then((r) => r);
      const second = request(env.app).post('/credentials/verify').send({ verifiableCredential: credential }).then((r) => r);
      // both admitted: the first holds the one slot on the verifier, the second waits for it
      for (let i = 0; i < 200 && held.calls.length < 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(held.calls, 'the offline check went to the verifier, asking for the credential back').to.deep.equal([{ includeCredential: true }]);
      const refused = await request(env.app).post('/v1/verify').send({ credential });
      expect(refused.status, refused.text).to.equal(503);
      expect(refused.headers['retry-after']).to.equal('1');
      expect(refused.body.error).to.include({ code: 'verification-busy', maximum: 2 });
      held.open();
      const [firstAnswer, secondAnswer] = await Promise.all([first, second]);
      expect(firstAnswer.status, firstAnswer.text).to.equal(200);
      expect(firstAnswer.body.credential.document).to.deep.equal(credential);
      expect(secondAnswer.status, secondAnswer.text).to.equal(400); // verified offline, not anchored
      expect(held.calls).to.have.length(2);
      const again = await request(env.app).post('/v1/verify').send({ credential });
      expect(again.status, again.text).to.equal(200);
    });
  });

  describe('VerificationGate', function () {
    it('runs at most `slots` checks at once, admits `slots + maxWaiting` verifications, refuses the next with 503 and Retry-After', async function () {
      const gate = new VerificationGate({ slots: 2, maxWaiting: 1, retryAfterSeconds: 3 });
      const tickets = [gate.admit(), gate.admit(), gate.admit()];
      let refusal: unknown;
      try {
        gate.admit();
      } catch (error) {
        refusal = error;
      }
      expect(refusal).to.be.instanceOf(HttpError);
      expect((refusal as HttpError).status).to.equal(503);
      expect((refusal as HttpError).body().error).to.include({ code: 'verification-busy', maximum: 3 });
      expect((refusal as HttpError).details.headers).to.deep.equal({ 'Retry-After': '3' });

      let running = 0;
      let most = 0;
      const releases: (() => void)[] = [];
      const work = () =>
        new Promise<void>((resolve) => {
          running++;
          most = Math.max(most, running);
          releases.push(() => {
            running--;
            resolve();
          });
        });
      const checks = tickets.map((ticket) => ticket.check(work));
      await new Promise((resolve) => setImmediate(resolve));
      expect(running, 'two in their slots, the third waits').to.equal(2);
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
      expect(running, 'the freed slot went to the third').to.equal(2);
      while (releases.length > 0) {
        releases.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(checks);
      expect(most).to.equal(2);
      tickets[0].release();
      tickets[0].release(); // twice counts once
      expect(() => gate.admit()).not.to.throw();
      expect(() => gate.admit()).to.throw(HttpError);
    });
  });
});
