// The console's Data Integrity signer as the browser gets it: the esbuild bundle (dist/service/web/console/
// ld-signer.js, built by scripts/build.js) loaded in Node, whose WebCrypto signs Ed25519 as Chromium's does. What it
// signs must be what the project signs: the same credential, byte for byte, as signCredential then addCoSignature,
// verified by the project's verifier; a key file that cannot sign is refused with the reason.
import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { addCoSignature, exportIssuerKey, generateIssuerKey, signCredential, verifyCredential, type JsonObject } from '../../service/credentials';
import { memberKeyId } from '../../service/credentials/key-id';
import { certificationClass, classCredential, withForgedLevel } from '../support/class-badges';

/* eslint-disable @typescript-eslint/no-explicit-any -- the bundle is plain JavaScript */
const BUNDLE = join(__dirname, '..', '..', 'dist', 'service', 'web', 'console', 'ld-signer.js');
const ISSUING_POINT = 'did:web:school-a.example';
const VALIDATION_POINT = 'did:web:chamber-c.example';
const CREATED = new Date('2026-03-01T09:00:00Z');

describe('browser signer: the console’s Data Integrity bundle signs as the project does', function () {
  this.timeout(120_000);
  const issuingKey = generateIssuerKey({ type: 'Ed25519' });
  const validationKey = generateIssuerKey({ type: 'Ed25519' });
  const badgeClass = certificationClass({ coIssued: true });
  let signer: any;
  let directory: string;

  before(async function () {
    const build = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build.js'), '--if-stale'], { stdio: 'inherit' });
    expect(build.status, 'scripts/build.js').to.equal(0);
    expect(existsSync(BUNDLE), BUNDLE).to.equal(true);
    // The bundle is an ES module for browsers (it names `self`); a .mjs copy loads it in Node.
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-ld-signer-'));
    cpSync(BUNDLE, join(directory, 'ld-signer.mjs'));
    (globalThis as any).self ??= globalThis;
    signer = await import(join(directory, 'ld-signer.mjs'));
  });

  after(() => rmSync(directory, { recursive: true, force: true }));

  it('reads an Ed25519 key file into the same key (did, key hash); refuses P-256, a public-only file and mismatched halves', async function () {
    const key = await signer.readSigningKeyFile(JSON.stringify(exportIssuerKey(issuingKey)));
    expect({ did: key.did, keyHash: key.keyHash, type: key.type }).to.deep.equal({ did: issuingKey.did, keyHash: issuingKey.keyHash, type: 'Ed25519' });
    const refusal = async (text: string) => {
      try {
        await signer.readSigningKeyFile(text);
      } catch (error) {
        expect((error as Error).name).to.equal('SigningKeyProblem');
        return (error as Error).message;
      }
      throw new Error('the key file was accepted');
    };
    expect(await refusal('{')).to.equal('it is not JSON');
    expect(await refusal(JSON.stringify(exportIssuerKey(generateIssuerKey({ type: 'P-256' }))))).to.match(/P-256 key: .*Ed25519 keys only/);
    expect(await refusal(JSON.stringify(exportIssuerKey(issuingKey, { includePrivateKey: false })))).to.match(/no private key/);
    const other = exportIssuerKey(validationKey);
    const mismatched = { ...exportIssuerKey(issuingKey), privateKeyJwk: { ...exportIssuerKey(issuingKey).privateKeyJwk, d: other.privateKeyJwk!.d } };
    // Node's WebCrypto refuses the pair at import; a WebCrypto that takes it fails the signature probe instead.
    expect(await refusal(JSON.stringify(mismatched))).to.match(/^its private key (does not match its public key|cannot be used: )/);
  });

  it('validation point first, issuer last: the credential signCredential then addCoSignature make, verified with both signers', async function () {
    const unsigned = classCredential(badgeClass, ISSUING_POINT, 85);
    const validation = await signer.readSigningKeyFile(JSON.stringify(exportIssuerKey(validationKey)));
    const issuing = await signer.readSigningKeyFile(JSON.stringify(exportIssuerKey(issuingKey)));
    const byValidationPoint = await signer.signAsValidationPoint(unsigned, validation, VALIDATION_POINT, CREATED);
    expect(await signer.checkProofs(byValidationPoint)).to.deep.equal({ verified: true, signers: [memberKeyId(VALIDATION_POINT, validationKey)] });
    const coIssued = (await signer.signAsIssuer(byValidationPoint, issuing, CREATED)) as JsonObject;

    const inNode = await addCoSignature({
      credential: await signCredential({ credential: unsigned, key: issuingKey, format: 'data-integrity', created: CREATED }),
      key: validationKey,
      verificationMethod: memberKeyId(VALIDATION_POINT, validationKey),
      created: CREATED,
    });
    expect(coIssued).to.deep.equal(inNode);
    const result = await verifyCredential({ credential: coIssued, now: new Date() });
    expect(result.verified, result.error?.shortMessage).to.equal(true);
    const signers = [memberKeyId(ISSUING_POINT, issuingKey), memberKeyId(VALIDATION_POINT, validationKey)];
    expect(result.signers?.map((one) => one.verificationMethod)).to.deep.equal(signers);
    expect(signer.claimedLevel(coIssued, badgeClass)).to.deep.equal({ level: 'Gold', score: 85 });
  });

  it('a level changed after the validation point signed: its proof no longer holds, and a forged level is named by the class check', async function () {
    const validation = await signer.readSigningKeyFile(JSON.stringify(exportIssuerKey(validationKey)));
    const byValidationPoint = await signer.signAsValidationPoint(classCredential(badgeClass, ISSUING_POINT, 85), validation, VALIDATION_POINT, CREATED);
    const tampered = withForgedLevel(byValidationPoint, 'Platinum');
    const check = await signer.checkProofs(tampered);
    expect(check.verified).to.equal(false);
    expect(check.reason).to.match(/signature/i);
    const claimed = signer.claimedLevel(tampered, badgeClass);
    expect(claimed.field).to.match(/result\[0\]\.achievedLevel$/);
    expect(claimed.reason).to.contain('does not match score 85');
    expect(await signer.checkProofs('not a credential')).to.deep.equal({ verified: false, reason: 'the credential is not a JSON object' });
  });
});
