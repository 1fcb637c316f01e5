// The Issue page's baking route as the service serves it (POST /console/bake, service/web/console-bake.ts): a good
// request answers the PNG with the credential and its receipt baked in; each bad field is a 400 whose JSON body names
// it; a body over the route's limit is a 413. In-process app (the HTTP tests' set-up), requests over a real socket
// (supertest listens on a free port).
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import vectors from '../vectors/baking/expected.json';
import { unbake } from '../../service/baking';
import { deployNetwork, makeEnv, type Env } from '../http/helpers';

/** The baking vectors' VC-JWT and its receipt (test/vectors/baking): a signed credential the route can bake. */
const jwtVector = vectors.vectors.find((vector) => vector.format === 'vc-jwt')!;
const JWT = jwtVector.credential as string;
const RECEIPT = jwtVector.receipt as Record<string, unknown>;
/** The Data Integrity vector: another credential, whose receipt is not the JWT's. */
const otherReceipt = vectors.vectors.find((vector) => vector.format === 'data-integrity')!.receipt as Record<string, unknown>;
/** The route's body limit (service/web/console-bake.ts BAKE_BODY_LIMIT, '512kb' as body-parser counts it). */
const BAKE_BODY_LIMIT_BYTES = 512 * 1024;

interface RefusalBody {
  error: { code: string; message: string; field?: string };
}

describe('web console: POST /console/bake, the Issue page’s badge baking', function () {
  let env: Env;
  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { indexed: false });
  });
  after(async () => env?.close());

  const bake = (body: unknown) => request(env.app).post('/console/bake').set('content-type', 'application/json').send(JSON.stringify(body));

  /** A 400 whose JSON body names `field`, with a message saying why. */
  async function expectRefusal(body: unknown, field: string, reason: RegExp): Promise<void> {
    const response = await bake(body);
    expect(response.status, JSON.stringify(response.body)).to.equal(400);
    expect(response.headers['content-type']).to.match(/^application\/json/);
    const { error } = response.body as RefusalBody;
    expect(error.field, JSON.stringify(error)).to.equal(field);
    expect(error.code).to.equal('bad-request');
    expect(error.message).to.match(reason);
  }

  it('bakes the credential and its receipt into a PNG badge, not to be cached', async function () {
    const response = await bake({ credential: JWT, receipt: RECEIPT, label: 'Gold' }).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('image/png');
    expect(response.headers['cache-control']).to.equal('no-store');
    const baked = unbake(response.body as Buffer);
    expect(baked.kind).to.equal('png');
    expect(baked.credential).to.equal(JWT);
    expect(baked.receipt).to.deep.equal(RECEIPT);
  });

  it('names the body when it is no JSON object', async function () {
    const response = await request(env.app).post('/console/bake').set('content-type', 'text/plain').send('credential=x');
    expect(response.status).to.equal(400);
    expect((response.body as RefusalBody).error).to.include({ field: 'body', code: 'bad-request' });
    const broken = await request(env.app).post('/console/bake').set('content-type', 'application/json').send('{"credential": ');
    expect(broken.status).to.equal(400);
    expect((broken.body as RefusalBody).error.code).to.equal('malformed-json');
  });

  it('names the credential: missing, of the wrong type, not a compact JWS, not a credential', async function () {
    await expectRefusal({ receipt: RECEIPT, label: 'Gold' }, 'credential', /credential must be the signed credential/);
    await expectRefusal({ credential: 42, receipt: RECEIPT, label: 'Gold' }, 'credential', /credential must be the signed credential/);
    await expectRefusal({ credential: null, receipt: RECEIPT, label: 'Gold' }, 'credential', /credential must be the signed credential/);
    await expectRefusal({ credential: 'not a badge', receipt: RECEIPT, label: 'Gold' }, 'credential', /compact JWS/);
    await expectRefusal({ credential: { name: 'no context' }, receipt: RECEIPT, label: 'Gold' }, 'credential', /neither a Verifiable Credential/);
    // A JSON credential without its issuer's proof is not a signed badge.
    const unsigned = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], issuer: 'did:example:x' };
    await expectRefusal({ credential: unsigned, receipt: otherReceipt, label: 'Gold' }, 'credential', /issuer proof/);
  });

  it('names the receipt: missing, not an object, not a receipt, another credential’s, beside an unnotarised assertion', async function () {
    await expectRefusal({ credential: JWT, label: 'Gold' }, 'receipt', /receipt must be the credential’s notarisation receipt/);
    await expectRefusal({ credential: JWT, receipt: 'receipt', label: 'Gold' }, 'receipt', /receipt must be/);
    await expectRefusal({ credential: JWT, receipt: { version: 'nothing' }, label: 'Gold' }, 'receipt', /does not validate/);
    await expectRefusal({ credential: JWT, receipt: otherReceipt, label: 'Gold' }, 'receipt', /not for this credential/);
    // An OB 2.0 hosted assertion is not notarised: the fault is the receipt given with it.
    const hosted = {
      '@context': 'https://w3id.org/openbadges/v2',
      type: 'Assertion',
      id: 'https://school-a.example/assertions/1',
      recipient: { type: 'email', hashed: false, identity: 'someone@example.org' },
      badge: 'https://school-a.example/badges/1',
      verification: { type: 'hosted' },
      issuedOn: '2025-06-12T09:30:00Z',
    };
    await expectRefusal({ credential: hosted, receipt: RECEIPT, label: 'Gold' }, 'receipt', /not notarised, so it takes no receipt/);
  });

  it('names the label: missing, empty, too long, or with other characters than letters, digits, spaces and dashes', async function () {
    for (const label of [undefined, '', 'A'.repeat(25), 'Gold<script>', 'Oro/Argento', 7]) {
      await expectRefusal({ credential: JWT, receipt: RECEIPT, label }, 'label', /label must be 1 to 24 letters, digits, spaces or dashes/);
    }
    const longest = await bake({ credential: JWT, receipt: RECEIPT, label: 'Level 3 - Platinum 91-99' });
    expect(longest.status, 'a 24-character label is taken').to.equal(200);
  });

  it('takes a body up to its limit and answers 413 beyond it, with the limit in the message', async function () {
    // A credential padded so that the whole body is exactly the limit, then one byte more.
    const bodyOf = (bytes: number) => {
      const empty = JSON.stringify({ credential: '', receipt: RECEIPT, label: 'Gold' });
      return JSON.stringify({ credential: 'x'.repeat(bytes - Buffer.byteLength(empty)), receipt: RECEIPT, label: 'Gold' });
    };
    const atLimit = bodyOf(BAKE_BODY_LIMIT_BYTES);
    expect(Buffer.byteLength(atLimit)).to.equal(BAKE_BODY_LIMIT_BYTES);
    const read = await request(env.app).post('/console/bake').set('content-type', 'application/json').send(atLimit);
    expect(read.status, 'read, then refused for what it holds').to.equal(400);
    expect((read.body as RefusalBody).error.field).to.equal('credential');

    const over = await request(env.app).post('/console/bake').set('content-type', 'application/json').send(bodyOf(BAKE_BODY_LIMIT_BYTES + 1));
    expect(over.status).to.equal(413);
    expect((over.body as RefusalBody).error.code).to.equal('payload-too-large');
    expect((over.body as RefusalBody).error.message).to.contain(String(BAKE_BODY_LIMIT_BYTES));
  });
});
