import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCapturing } from '../support/in-process-cli';
import { exportIssuerKey, generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { memberKeyId } from '../../service/credentials/key-id';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { verifyCredential } from '../../service/credentials/verify';
import { certificationClass, classCredential, withForgedLevel } from '../support/class-badges';

// `badge-notary badge co-sign` in-process: what a co-signer's command checks before it signs, and that it writes
// every file or none. Against a chain and a service, with intake and the verifier: test/e2e/catalogue-co-issuance.
describe('badge-notary badge co-sign: a second member’s Data Integrity proof, added only to what checks out', function () {
  this.timeout(120_000);
  const SCHOOL = 'did:web:school-a.example';
  const CHAMBER = 'did:web:chamber-c.example';
  const badgeClass = certificationClass({ coIssued: true });
  let directory: string;
  let schoolKey: IssuerKey;
  let chamberKey: IssuerKey;
  const path = (name: string) => join(directory, name);
  const write = (name: string, content: string | object) => {
    writeFileSync(path(name), typeof content === 'string' ? content : JSON.stringify(content));
    return path(name);
  };

  const cli = (...argv: string[]) => runCliCapturing(argv);
  const coSign = (...files: string[]) => cli('badge', 'co-sign', ...files, '--issuer-key', path('chamber.json'), '--member-did', CHAMBER, '--out-dir', path('out'));
  const signedBySchool = async (score: number) => signCredential({ credential: classCredential(badgeClass, SCHOOL, score), key: schoolKey, format: 'data-integrity' }) as Promise<JsonObject>;

  before(function () {
    schoolKey = generateIssuerKey({ type: 'Ed25519' });
    chamberKey = generateIssuerKey({ type: 'Ed25519' });
  });
  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-co-sign-'));
    write('chamber.json', exportIssuerKey(chamberKey));
    write('class.json', badgeClass);
  });
  afterEach(function () {
    rmSync(directory, { recursive: true, force: true });
  });

  it('adds the co-signer’s proof under its member key id: a proof set both of whose proofs verify', async function () {
    const files = [write('0001.json', await signedBySchool(85)), write('0002.json', await signedBySchool(95))];
    const result = await cli('badge', 'co-sign', ...files, '--issuer-key', path('chamber.json'), '--member-did', CHAMBER, '--class', path('class.json'), '--out-dir', path('out'));
    expect(result.code, result.err).to.equal(0);
    expect(result.out).to.contain(`2 credential(s) co-signed by ${memberKeyId(CHAMBER, chamberKey)}`);
    expect(readdirSync(path('out')).sort()).to.deep.equal(['0001.json', '0002.json']);
    const coSigned = JSON.parse(readFileSync(path('out/0001.json'), 'utf8')) as JsonObject;
    const verified = await verifyCredential({ credential: coSigned, now: new Date() });
    expect(verified.verified, verified.error?.message).to.equal(true);
    expect(verified.signers?.map((signer) => signer.verificationMethod)).to.deep.equal([memberKeyId(SCHOOL, schoolKey), memberKeyId(CHAMBER, chamberKey)]);
  });

  it('refuses, writing nothing, a batch in which one credential’s signature does not verify', async function () {
    const tampered = await signedBySchool(85);
    (tampered.credentialSubject as JsonObject).id = 'did:example:someone-else';
    const result = await coSign(write('0001.json', await signedBySchool(95)), write('0002.json', tampered));
    expect(result.code).to.equal(2);
    expect(result.err).to.match(/0002\.json: not co-signed, its credential does not verify: /);
    expect(readdirSync(directory)).to.not.include('out');
  });

  it('with --class, refuses a level the score does not earn, naming the result field', async function () {
    const forged = await signCredential({ credential: withForgedLevel(classCredential(badgeClass, SCHOOL, 85), 'Platinum'), key: schoolKey, format: 'data-integrity' });
    const result = await cli('badge', 'co-sign', write('forged.json', forged), '--issuer-key', path('chamber.json'), '--member-did', CHAMBER, '--class', path('class.json'), '--out-dir', path('out'));
    expect(result.code).to.equal(2);
    expect(result.err).to.match(/forged\.json: not co-signed, credentialSubject\.result\[\d\]\.achievedLevel .*Gold/);
  });

  it('with --class, refuses a credential that cites another class', async function () {
    const other = await signCredential({ credential: classCredential(certificationClass(), SCHOOL, 85), key: schoolKey, format: 'data-integrity' });
    const result = await cli('badge', 'co-sign', write('other.json', other), '--issuer-key', path('chamber.json'), '--member-did', CHAMBER, '--class', path('class.json'), '--out-dir', path('out'));
    expect(result.code).to.equal(2);
    expect(result.err).to.contain('other.json: not co-signed, it does not cite badge class');
  });

  it('refuses a VC-JWT (one signature only), a P-256 key, a key that signed already, and an existing output folder', async function () {
    const jwt = await signCredential({ credential: classCredential(badgeClass, SCHOOL, 85), key: schoolKey, format: 'vc-jwt' });
    const asJwt = await coSign(write('0001.jwt', jwt as string));
    expect(asJwt.code).to.equal(2);
    expect(asJwt.err).to.contain('a VC-JWT carries one signature, so co-issued badges are issued with --format data-integrity');

    write('p256.json', exportIssuerKey(generateIssuerKey({ type: 'P-256' })));
    const p256 = await cli('badge', 'co-sign', write('0001.json', await signedBySchool(85)), '--issuer-key', path('p256.json'), '--member-did', CHAMBER, '--out-dir', path('out'));
    expect(p256.code).to.equal(2);
    expect(p256.err).to.contain('a co-signature is an eddsa-rdfc-2022 proof, made with an Ed25519 key');

    write('school.json', exportIssuerKey(schoolKey));
    const twice = await cli('badge', 'co-sign', path('0001.json'), '--issuer-key', path('school.json'), '--member-did', SCHOOL, '--out-dir', path('out'));
    expect(twice.code).to.equal(2);
    expect(twice.err).to.contain('has already signed this credential');

    expect((await coSign(path('0001.json'))).code).to.equal(0);
    const again = await coSign(path('0001.json'));
    expect(again.code).to.equal(2);
    expect(again.err).to.contain('already exists: give --force to replace it');
  });

  it('refuses a member DID that is not a DID', async function () {
    const result = await cli('badge', 'co-sign', write('0001.json', await signedBySchool(85)), '--issuer-key', path('chamber.json'), '--member-did', 'chamber', '--out-dir', path('out'));
    expect(result.code).to.equal(2);
    expect(result.err).to.contain('--member-did chamber:');
  });
});
