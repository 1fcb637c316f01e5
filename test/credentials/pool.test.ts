import { expect } from 'chai';
import {
  createVerifierPool,
  NotJsonError,
  SignatureInvalidError,
  verifyCredential,
  type CredentialInput,
  type JsonObject,
  type VerifierPool,
} from '../../service/credentials';
import { NOW, edKey, p256Key, replaceJwsPart, signed } from './fixtures';

describe('credentials: verifier worker pool', function () {
  this.timeout(120_000);
  let pool: VerifierPool;
  let inputs: CredentialInput[];

  before(async function () {
    pool = createVerifierPool({ size: 2, batchSize: 3, includeCredential: true });
    const jwt = (await signed('vc-jwt', edKey)) as string;
    const tampered = replaceJwsPart(jwt, 2, (await signed('vc-jwt', p256Key)).toString().split('.')[2] as string);
    inputs = [
      jwt,
      await signed('data-integrity'),
      'not a credential',
      await signed('ob2-jws', p256Key),
      tampered,
      await signed('ed25519-signature-2020'),
      await signed('vc-jwt', p256Key),
    ];
    await pool.ready();
  });

  after(async function () {
    await pool.close();
  });

  it('verifies a bulk submission in input order, with the same results as one thread', async function () {
    const results = await pool.verifyMany({ credentials: inputs, now: NOW });
    expect(results).to.have.length(inputs.length);
    expect(results.map((result) => result.verified)).to.deep.equal([true, true, false, true, false, true, true]);
    for (const [index, input] of inputs.entries()) {
      const local = await verifyCredential({ credential: input, now: NOW });
      expect(results[index]?.digest).to.equal(local.digest);
      expect(results[index]?.keyHash).to.equal(local.keyHash);
      expect(results[index]?.checks.map((check) => check.status)).to.deep.equal(local.checks.map((check) => check.status));
    }
    expect((results[1]?.credential as JsonObject).id).to.equal((inputs[1] as JsonObject).id);
  });

  it('rebuilds the typed errors on this side of the thread boundary', async function () {
    const results = await pool.verifyMany({ credentials: inputs, now: NOW });
    expect(results[2]?.error).to.be.instanceOf(NotJsonError);
    expect(results[4]?.error).to.be.instanceOf(SignatureInvalidError);
    expect(results[4]?.checks.find((check) => check.name === 'signature')?.error).to.be.instanceOf(SignatureInvalidError);
  });

  it('passes the clock and the allowed key hashes to the workers', async function () {
    const expired = await pool.verify({ credential: inputs[0] as string, now: new Date('2030-01-01T00:00:00Z') });
    expect(expired.error?.code).to.equal('EXPIRED');
    const refused = await pool.verify({ credential: inputs[0] as string, now: NOW, allowedKeyHashes: [p256Key.keyHash] });
    expect(refused.error?.code).to.equal('KEY_MISMATCH');
  });

  it('spreads a large submission over both workers', async function () {
    const many = Array.from({ length: 200 }, (_, i) => inputs[i % 2 === 0 ? 0 : 6] as CredentialInput);
    const results = await pool.verifyMany({ credentials: many, now: NOW });
    expect(results.every((result) => result.verified)).to.equal(true);
  });

  it('tells its observer how many credentials its worker threads verified', async function () {
    const counted: number[] = [];
    const observed = createVerifierPool({ size: 2, batchSize: 3, observer: { verifiedOnWorkers: (credentials) => counted.push(credentials) } });
    try {
      await observed.verifyMany({ credentials: inputs, now: NOW });
      expect(counted.reduce((sum, n) => sum + n, 0), 'the seven credentials, in batches of at most three').to.equal(inputs.length);
      expect(counted.every((n) => n <= 3)).to.equal(true);
      await observed.verify({ credential: inputs[0] as string, now: NOW });
      expect(counted.reduce((sum, n) => sum + n, 0)).to.equal(inputs.length + 1);
    } finally {
      await observed.close();
    }
  });

  it('after close, answers failures instead of hanging', async function () {
    const closing = createVerifierPool({ size: 1 });
    await closing.ready();
    await closing.close();
    const result = await closing.verify({ credential: inputs[0] as string, now: NOW });
    expect(result.verified).to.equal(false);
    expect(result.error?.shortMessage).to.contain('closed');
  });
});
