import { expect } from 'chai';
import { CompactSign } from 'jose';
import {
  ExpiredError,
  NotYetValidError,
  SchemaError,
  signCredential,
  verifyCredential,
  type CredentialFormat,
  type JsonObject,
} from '../../service/credentials';
import { CREATED, edKey, NOW, p256Key, signed, unsignedFor } from './fixtures';

const subject = (credential: JsonObject) => credential.credentialSubject as JsonObject;
const achievement = (credential: JsonObject) => subject(credential).achievement as JsonObject;

/** OB 3.0 credentials missing or spoiling one required field, with the path the error must name. */
const ob3Cases: [string, string, (credential: JsonObject) => void][] = [
  ['no achievement criteria', 'credentialSubject.achievement.criteria', (c) => delete achievement(c).criteria],
  ['criteria without id or narrative', 'credentialSubject.achievement.criteria', (c) => (achievement(c).criteria = { type: 'Criteria' })],
  ['no achievement name', 'credentialSubject.achievement.name', (c) => delete achievement(c).name],
  ['no achievement description', 'credentialSubject.achievement.description', (c) => delete achievement(c).description],
  ['no achievement id', 'credentialSubject.achievement.id', (c) => delete achievement(c).id],
  ['an achievement of another type', 'credentialSubject.achievement.type', (c) => (achievement(c).type = ['Thing'])],
  ['no achievement', 'credentialSubject.achievement', (c) => delete subject(c).achievement],
  ['no AchievementSubject type', 'credentialSubject.type', (c) => delete subject(c).type],
  ['no earner id or identifier', 'credentialSubject', (c) => delete subject(c).identifier],
  ['an issuer without type Profile', 'issuer.type', (c) => delete (c.issuer as JsonObject).type],
  ['an issuer given as a bare string', 'issuer', (c) => (c.issuer = 'did:web:school.example')],
  ['no OpenBadgeCredential type', 'type', (c) => (c.type = ['VerifiableCredential'])],
  ['no validFrom', 'validFrom', (c) => delete c.validFrom],
  ['a validFrom without time zone', 'validFrom', (c) => (c.validFrom = '2024-05-01T00:00:00')],
  ['validUntil before validFrom', 'validUntil', (c) => (c.validUntil = '2023-01-01T00:00:00Z')],
  ['no name', 'name', (c) => delete c.name],
  ['no id', 'id', (c) => delete c.id],
  ['no OB 3.0 context', '@context', (c) => (c['@context'] = ['https://www.w3.org/ns/credentials/v2'])],
];

/** Signs `credential` as a VC-JWT: the signature holds, so only the schema can fail. */
async function jwtOf(credential: JsonObject): Promise<string> {
  return signCredential({ credential, key: edKey, format: 'vc-jwt' });
}

describe('credentials: schema and validity dates', function () {
  describe('OB 3.0 required fields (VC-JWT, so the signature holds)', function () {
    for (const [name, path, spoil] of ob3Cases) {
      it(`${name}: SchemaError naming ${path}`, async function () {
        const credential = unsignedFor('vc-jwt');
        spoil(credential);
        const result = await verifyCredential({ credential: await jwtOf(credential), now: NOW });
        expect(result.verified).to.equal(false);
        expect(result.checks.find((check) => check.name === 'signature')?.status).to.equal('passed');
        const error = result.error as SchemaError;
        expect(error).to.be.instanceOf(SchemaError);
        expect(error.code).to.equal('SCHEMA_INVALID');
        expect(error.issues.map((issue) => issue.path)).to.include(path);
        expect(error.shortMessage).to.contain(path);
      });
    }

    it('accepts AchievementCredential as the OB 3.0 type', async function () {
      const credential = unsignedFor('vc-jwt');
      credential.type = ['VerifiableCredential', 'AchievementCredential'];
      const result = await verifyCredential({ credential: await jwtOf(credential), now: NOW });
      expect(result.verified, result.error?.message).to.equal(true);
    });

    it('names every problem, the first in the message and all in the details', async function () {
      const credential = unsignedFor('vc-jwt');
      delete achievement(credential).criteria;
      delete achievement(credential).description;
      delete credential.name;
      const result = await verifyCredential({ credential: await jwtOf(credential), now: NOW });
      const error = result.error as SchemaError;
      expect(error.issues).to.have.length(3);
      expect(error.shortMessage).to.contain('(and 2 more)');
      for (const path of ['name', 'credentialSubject.achievement.description', 'credentialSubject.achievement.criteria']) {
        expect(error.details).to.contain(path);
      }
    });

    it('checks a Data Integrity credential the same way', async function () {
      const credential = unsignedFor('data-integrity');
      delete achievement(credential).criteria;
      const signedCredential = await signCredential({ credential, key: edKey, format: 'data-integrity', created: CREATED });
      const result = await verifyCredential({ credential: signedCredential, now: NOW });
      expect(result.checks.find((check) => check.name === 'signature')?.status).to.equal('passed');
      expect((result.error as SchemaError).path).to.equal('credentialSubject.achievement.criteria');
    });

    it('requires issuanceDate on a VC 1.1 credential', async function () {
      const credential = unsignedFor('ed25519-signature-2020');
      delete credential.issuanceDate;
      const jwt = await signCredential({ credential, key: edKey, format: 'vc-jwt', jwtStyle: 'vc-jose-cose' }).catch(() => undefined);
      expect(jwt, 'vc-jose-cose needs a VC 2.0 credential').to.equal(undefined);
      const payload = { vc: credential };
      const token = await new CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'EdDSA', kid: edKey.verificationMethod })
        .sign(edKey.privateKey);
      const result = await verifyCredential({ credential: token, now: NOW });
      expect((result.error as SchemaError).path).to.equal('issuanceDate');
    });

    it('a VC-JWT whose iss contradicts issuer.id is a SchemaError naming issuer.id', async function () {
      const token = (await signCredential({ credential: unsignedFor('vc-jwt'), key: edKey, format: 'vc-jwt', jwtStyle: 'vc-1.1' })) as string;
      const payload = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()) as JsonObject;
      payload.iss = 'did:web:other.example';
      const forged = await new CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'EdDSA', kid: edKey.verificationMethod })
        .sign(edKey.privateKey);
      const result = await verifyCredential({ credential: forged, now: NOW });
      expect(result.error).to.be.instanceOf(SchemaError);
      expect((result.error as SchemaError).path).to.equal('issuer.id');
    });
  });

  describe('OB 2.0 signed assertion fields', function () {
    const cases: [string, string, (assertion: JsonObject) => void][] = [
      ['no criteria', 'badge.criteria', (a) => delete (a.badge as JsonObject).criteria],
      ['no badge image', 'badge.image', (a) => delete (a.badge as JsonObject).image],
      ['no issuedOn', 'issuedOn', (a) => delete a.issuedOn],
      ['no recipient', 'recipient', (a) => delete a.recipient],
      ['a badge given by URL (would need a fetch)', 'badge', (a) => (a.badge = 'https://school.example/badges/lc-p1-1')],
    ];
    for (const [name, path, spoil] of cases) {
      it(`${name}: SchemaError naming ${path}`, async function () {
        const assertion = unsignedFor('ob2-jws');
        spoil(assertion);
        const token = await signCredential({ credential: assertion, key: p256Key, format: 'ob2-jws' });
        const result = await verifyCredential({ credential: token, now: NOW });
        expect(result.error).to.be.instanceOf(SchemaError);
        expect((result.error as SchemaError).issues.map((issue) => issue.path)).to.include(path);
        expect(result.error?.shortMessage).to.contain(path);
      });
    }
  });

  it('OB 2.0 dates may be Unix seconds', async function () {
    const assertion = unsignedFor('ob2-jws');
    assertion.issuedOn = Date.parse('2024-05-01T00:00:00Z') / 1000;
    assertion.expires = Date.parse('2029-05-01T00:00:00Z') / 1000;
    const token = await signCredential({ credential: assertion, key: edKey, format: 'ob2-jws' });
    const result = await verifyCredential({ credential: token, now: NOW });
    expect(result.verified, result.error?.message).to.equal(true);
    const late = await verifyCredential({ credential: token, now: new Date('2030-01-01T00:00:00Z') });
    expect(late.error).to.be.instanceOf(ExpiredError);
    expect(late.error?.shortMessage).to.contain('expires is 2029-05-01T00:00:00Z');
  });

  describe('validity dates against the clock passed in', function () {
    const windows: [CredentialFormat, string, string][] = [
      ['data-integrity', 'validFrom', 'validUntil'],
      ['ed25519-signature-2020', 'issuanceDate', 'expirationDate'],
      ['vc-jwt', 'validFrom', 'validUntil'],
      ['ob2-jws', 'issuedOn', 'expires'],
    ];
    const from = Date.parse('2024-05-01T00:00:00Z');
    const until = Date.parse('2029-05-01T00:00:00Z');

    for (const [format, fromField, untilField] of windows) {
      describe(format, function () {
        let artifact: string | JsonObject;
        before(async function () {
          artifact = await signed(format);
        });
        const at = (ms: number, maxClockSkew?: number) => verifyCredential({ credential: artifact, now: new Date(ms), maxClockSkew });

        it(`is not valid before ${fromField} (NotYetValidError naming it)`, async function () {
          const result = await at(from - 3_600_000);
          expect(result.error).to.be.instanceOf(NotYetValidError);
          expect(result.error?.shortMessage).to.contain(fromField);
          expect(result.checks.find((check) => check.name === 'signature')?.status).to.equal('passed');
        });

        it(`has expired after ${untilField} (ExpiredError naming it)`, async function () {
          const result = await at(until + 3_600_000);
          expect(result.error).to.be.instanceOf(ExpiredError);
          expect(result.error?.shortMessage).to.contain(untilField);
        });

        it('is valid at both ends of the window, and not a millisecond outside them without clock skew', async function () {
          expect((await at(from, 0)).verified).to.equal(true);
          expect((await at(until, 0)).verified).to.equal(true);
          expect((await at(from - 1, 0)).error).to.be.instanceOf(NotYetValidError);
          expect((await at(until + 1, 0)).error).to.be.instanceOf(ExpiredError);
        });

        it('tolerates 300 s of clock skew by default', async function () {
          expect((await at(from - 299_000)).verified).to.equal(true);
          expect((await at(until + 299_000)).verified).to.equal(true);
          expect((await at(from - 301_000)).error).to.be.instanceOf(NotYetValidError);
          expect((await at(until + 301_000)).error).to.be.instanceOf(ExpiredError);
        });
      });
    }

    it('a credential without an end date never expires', async function () {
      const artifact = await signed('vc-jwt', edKey, { validUntil: undefined });
      const result = await verifyCredential({ credential: artifact, now: new Date('2199-01-01T00:00:00Z') });
      expect(result.verified, result.error?.message).to.equal(true);
    });

    it('an invalid clock fails the validity check instead of throwing', async function () {
      const result = await verifyCredential({ credential: await signed('vc-jwt'), now: new Date(Number.NaN) });
      expect(result.verified).to.equal(false);
      expect(result.checks.find((check) => check.name === 'validity')?.status).to.equal('failed');
    });
  });
});
