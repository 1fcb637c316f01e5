import { expect } from 'chai';
import { CompactSign } from 'jose';
import {
  CREDENTIAL_FORMATS,
  memberKeyId,
  parseCredential,
  signCredential,
  UnsupportedAlgorithmError,
  verifyCredential,
  type CredentialFormat,
  type IssuerKey,
  type JsonObject,
} from '../../service/credentials';
import { CREATED, decodeJsonPart, edKey, expectRejection, NOW, p256Key, signed, unsignedFor } from './fixtures';

const cases: { format: CredentialFormat; key: IssuerKey }[] = [
  { format: 'data-integrity', key: edKey },
  { format: 'ed25519-signature-2020', key: edKey },
  { format: 'vc-jwt', key: edKey },
  { format: 'vc-jwt', key: p256Key },
  { format: 'ob2-jws', key: edKey },
  { format: 'ob2-jws', key: p256Key },
];

describe('credentials: sign and verify round trips', function () {
  for (const { format, key } of cases) {
    describe(`${format} with ${key.type}`, function () {
      it('verifies, with every check passed or (issuer key, for a did:web issuer) skipped', async function () {
        const artifact = await signed(format, key);
        const result = await verifyCredential({ credential: artifact, now: NOW });
        expect(result.error, result.error?.message).to.equal(undefined);
        expect(result.verified).to.equal(true);
        expect(result.format).to.equal(format);
        expect(result.issuerDid).to.equal('did:web:school.example');
        expect(result.keyHash).to.equal(key.keyHash);
        expect(result.verificationMethod).to.equal(memberKeyId('did:web:school.example', key));
        expect(result.digest).to.match(/^0x[0-9a-f]{64}$/);
        expect(result.checks.map((check) => [check.name, check.status])).to.deep.equal([
          ['format', 'passed'],
          ['signature', 'passed'],
          ['issuer-key', 'skipped'],
          ['schema', 'passed'],
          ['validity', 'passed'],
        ]);
      });

      it('parses to the same facts as it verifies to', async function () {
        const artifact = await signed(format, key);
        const parsed = await parseCredential(artifact);
        const result = await verifyCredential({ credential: artifact, now: NOW });
        expect(parsed.format).to.equal(format);
        expect(parsed.digest).to.equal(result.digest);
        expect(parsed.keyHash).to.equal(key.keyHash);
        expect(parsed.publicKey.did).to.equal(key.did);
        expect(parsed.validFrom).to.equal('2024-05-01T00:00:00Z');
        expect(parsed.validUntil).to.equal('2029-05-01T00:00:00Z');
        if (typeof artifact === 'string') expect(parsed.artifact).to.equal(artifact);
      });

      it('accepts the artifact as an object, as text and as bytes, with one digest', async function () {
        const artifact = await signed(format, key);
        const text = typeof artifact === 'string' ? artifact : JSON.stringify(artifact, null, 2);
        const digests = new Set<string>();
        const inputs = [artifact, text, Buffer.from(text), `\n${text}\n`, `\uFEFF${text}`];
        if (typeof artifact === 'string') inputs.push(JSON.stringify(artifact));
        for (const input of inputs) {
          const result = await verifyCredential({ credential: input, now: NOW });
          expect(result.verified, result.error?.message).to.equal(true);
          digests.add(result.digest as string);
        }
        expect(digests.size).to.equal(1);
      });
    });
  }

  it('covers every format the module declares', function () {
    expect(new Set(cases.map((item) => item.format))).to.deep.equal(new Set(CREDENTIAL_FORMATS));
  });

  describe('VC-JWT payload conventions', function () {
    it('issues a VC 2.0 credential as vc-jose-cose: the payload is the credential, typ vc+jwt', async function () {
      const credential = unsignedFor('vc-jwt');
      const jwt = (await signCredential({ credential, key: edKey, format: 'vc-jwt' })) as string;
      expect(decodeJsonPart(jwt, 0)).to.deep.equal({ alg: 'EdDSA', kid: memberKeyId('did:web:school.example', edKey), typ: 'vc+jwt', cty: 'vc' });
      expect(decodeJsonPart(jwt, 1)).to.deep.equal(credential);
      expect((await parseCredential(jwt)).jwtStyle).to.equal('vc-jose-cose');
    });

    it('issues ES256 for a P-256 key', async function () {
      const jwt = (await signCredential({ credential: unsignedFor('vc-jwt'), key: p256Key, format: 'vc-jwt' })) as string;
      expect(decodeJsonPart(jwt, 0).alg).to.equal('ES256');
    });

    it('issues and reads the VC 1.1 convention: vc claim with iss, nbf, exp, jti', async function () {
      const credential = unsignedFor('ed25519-signature-2020');
      const jwt = (await signCredential({ credential, key: edKey, format: 'vc-jwt' })) as string;
      const payload = decodeJsonPart(jwt, 1);
      expect(payload.iss).to.equal('did:web:school.example');
      expect(payload.nbf).to.equal(Date.parse('2024-05-01T00:00:00Z') / 1000);
      expect(payload.exp).to.equal(Date.parse('2029-05-01T00:00:00Z') / 1000);
      expect(payload.jti).to.equal(credential.id);
      expect(payload.vc).to.deep.equal(credential);
      const result = await verifyCredential({ credential: jwt, now: NOW });
      expect(result.verified, result.error?.message).to.equal(true);
      expect((await parseCredential(jwt)).jwtStyle).to.equal('vc-1.1');
    });

    it('completes a VC 1.1 vc claim from the JWT claims (issuer, dates, id)', async function () {
      const credential = unsignedFor('ed25519-signature-2020');
      const jwt = (await signCredential({ credential, key: edKey, format: 'vc-jwt' })) as string;
      const payload = decodeJsonPart(jwt, 1);
      const vc = { ...(payload.vc as JsonObject) };
      delete vc.issuanceDate;
      delete vc.expirationDate;
      delete vc.id;
      // re-sign the slimmer payload the way other VC 1.1 issuers write it
      const slim = await new CompactSign(Buffer.from(JSON.stringify({ ...payload, vc })))
        .setProtectedHeader({ alg: 'EdDSA', kid: edKey.verificationMethod, typ: 'JWT' })
        .sign(edKey.privateKey);
      const parsed = await parseCredential(slim);
      expect(parsed.credential.issuanceDate).to.equal('2024-05-01T00:00:00Z');
      expect(parsed.credential.expirationDate).to.equal('2029-05-01T00:00:00Z');
      expect(parsed.credential.id).to.equal(credential.id);
      expect((await verifyCredential({ credential: slim, now: NOW })).verified).to.equal(true);
    });

    it('signs a VC 2.0 credential in the VC 1.1 convention when asked', async function () {
      const jwt = (await signCredential({ credential: unsignedFor('vc-jwt'), key: edKey, format: 'vc-jwt', jwtStyle: 'vc-1.1' })) as string;
      expect(decodeJsonPart(jwt, 1).vc).to.be.an('object');
      expect((await verifyCredential({ credential: jwt, now: NOW })).verified).to.equal(true);
    });
  });

  describe('a did:key issuer (issuer DID and key are the same)', function () {
    for (const format of ['data-integrity', 'vc-jwt'] as const) {
      it(`verifies ${format} and passes the issuer-key check`, async function () {
        const artifact = await signed(format, edKey, {
          issuer: { did: edKey.did, name: 'Scuola Esempio', email: 'badges@school.example' },
        });
        const result = await verifyCredential({ credential: artifact, now: NOW });
        expect(result.verified, result.error?.message).to.equal(true);
        expect(result.issuerDid).to.equal(edKey.did);
        expect(result.checks.find((check) => check.name === 'issuer-key')?.status).to.equal('passed');
      });
    }
  });

  describe('key types that a format cannot use', function () {
    for (const format of ['data-integrity', 'ed25519-signature-2020'] as const) {
      it(`refuses to sign ${format} with a P-256 key`, async function () {
        const error = await expectRejection(
          signCredential({ credential: unsignedFor(format), key: p256Key, format, created: CREATED }),
          UnsupportedAlgorithmError,
        );
        expect(error.shortMessage).to.contain('P-256');
      });
    }
  });

  it('signs the data-integrity proof with the given created time, proofPurpose and cryptosuite', async function () {
    const credential = (await signed('data-integrity')) as JsonObject;
    expect(credential.proof).to.deep.include({
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-rdfc-2022',
      created: '2024-05-01T09:00:00Z',
      proofPurpose: 'assertionMethod',
      verificationMethod: memberKeyId('did:web:school.example', edKey),
    });
  });

  it('leaves the unsigned credential it was given unchanged', async function () {
    const credential = unsignedFor('data-integrity');
    const copy = structuredClone(credential);
    await signCredential({ credential, key: edKey, format: 'data-integrity', created: CREATED });
    await signCredential({ credential, key: edKey, format: 'vc-jwt' });
    expect(credential).to.deep.equal(copy);
  });
});
