import { expect } from 'chai';
import { CompactSign } from 'jose';
import {
  KeyMismatchError,
  memberKeyId,
  SignatureInvalidError,
  signCredential,
  verifyCredential,
  type CredentialFormat,
  type JsonObject,
} from '../../service/credentials';
import {
  CREATED,
  decodeJsonPart,
  edKey,
  encodeJson,
  NOW,
  otherEdKey,
  p256Key,
  replaceJwsPart,
  signed,
  unsignedFor,
} from './fixtures';

/** A JSON credential with the achievement's name changed after signing. */
function tamperJson(credential: JsonObject): JsonObject {
  const copy = structuredClone(credential);
  ((copy.credentialSubject as JsonObject).achievement as JsonObject).name = 'Leadership';
  return copy;
}

/** A JWS with one payload field changed after signing (the signature part kept). */
function tamperJws(compact: string, change: (payload: JsonObject) => void): string {
  const payload = decodeJsonPart(compact, 1);
  change(payload);
  return replaceJwsPart(compact, 1, encodeJson(payload));
}

describe('credentials: tampering and other keys', function () {
  describe('a field changed after signing fails the signature check', function () {
    for (const format of ['data-integrity', 'ed25519-signature-2020'] as const) {
      it(`${format}: achievement name`, async function () {
        const credential = (await signed(format)) as JsonObject;
        expect((await verifyCredential({ credential, now: NOW })).verified).to.equal(true);
        const result = await verifyCredential({ credential: tamperJson(credential), now: NOW });
        expect(result.verified).to.equal(false);
        expect(result.error).to.be.instanceOf(SignatureInvalidError);
        expect(result.error?.shortMessage).to.contain(memberKeyId('did:web:school.example', edKey));
        expect(result.checks.find((check) => check.name === 'signature')?.status).to.equal('failed');
        expect(result.checks.find((check) => check.name === 'schema')?.status).to.equal('passed');
      });

      it(`${format}: the proof's created time`, async function () {
        const credential = (await signed(format)) as JsonObject;
        (credential.proof as JsonObject).created = '2024-06-01T09:00:00Z';
        const result = await verifyCredential({ credential, now: NOW });
        expect(result.error).to.be.instanceOf(SignatureInvalidError);
      });

      it(`${format}: a flipped signature character`, async function () {
        const credential = (await signed(format)) as JsonObject;
        const proof = credential.proof as JsonObject;
        const value = proof.proofValue as string;
        proof.proofValue = `${value.slice(0, 10)}${value[10] === 'A' ? 'B' : 'A'}${value.slice(11)}`;
        const result = await verifyCredential({ credential, now: NOW });
        expect(result.error).to.be.instanceOf(SignatureInvalidError);
      });
    }

    const jwsCases: [CredentialFormat, typeof edKey, (payload: JsonObject) => void][] = [
      ['vc-jwt', edKey, (payload) => (((payload.credentialSubject as JsonObject).achievement as JsonObject).name = 'Leadership')],
      ['vc-jwt', p256Key, (payload) => (payload.validUntil = '2099-01-01T00:00:00Z')],
      ['ob2-jws', edKey, (payload) => ((payload.badge as JsonObject).name = 'Leadership - Gold')],
      ['ob2-jws', p256Key, (payload) => (payload.issuedOn = '2024-05-02T00:00:00Z')],
    ];
    for (const [format, key, change] of jwsCases) {
      it(`${format} (${key.type}): a payload field`, async function () {
        const token = (await signed(format, key)) as string;
        const result = await verifyCredential({ credential: tamperJws(token, change), now: NOW });
        expect(result.verified).to.equal(false);
        expect(result.error).to.be.instanceOf(SignatureInvalidError);
        expect(result.error?.params.verificationMethod).to.equal(key.verificationMethod);
      });
    }

    it('vc-jwt: a header field (the signature covers the header too)', async function () {
      const token = (await signed('vc-jwt')) as string;
      const header = { ...decodeJsonPart(token, 0), typ: 'JWT' };
      const result = await verifyCredential({ credential: replaceJwsPart(token, 0, encodeJson(header)), now: NOW });
      expect(result.error).to.be.instanceOf(SignatureInvalidError);
    });

    it('a tampered credential has another digest than the original', async function () {
      const credential = (await signed('data-integrity')) as JsonObject;
      const original = await verifyCredential({ credential, now: NOW });
      const tampered = await verifyCredential({ credential: tamperJson(credential), now: NOW });
      expect(tampered.digest).to.match(/^0x[0-9a-f]{64}$/);
      expect(tampered.digest).to.not.equal(original.digest);
    });
  });

  describe('a signature by another key', function () {
    it('data-integrity: signed by another key but naming the issuer key fails the signature check', async function () {
      const credential = (await signCredential({
        credential: unsignedFor('data-integrity'),
        key: otherEdKey,
        format: 'data-integrity',
        created: CREATED,
      })) as JsonObject;
      (credential.proof as JsonObject).verificationMethod = edKey.verificationMethod;
      const result = await verifyCredential({ credential, now: NOW });
      expect(result.error).to.be.instanceOf(SignatureInvalidError);
      expect(result.keyHash).to.equal(edKey.keyHash);
    });

    it('vc-jwt: signed by another key with the issuer key as kid fails the signature check', async function () {
      const token = await new CompactSign(Buffer.from(JSON.stringify(unsignedFor('vc-jwt'))))
        .setProtectedHeader({ alg: 'EdDSA', kid: edKey.verificationMethod, typ: 'vc+jwt' })
        .sign(otherEdKey.privateKey);
      const result = await verifyCredential({ credential: token, now: NOW });
      expect(result.error).to.be.instanceOf(SignatureInvalidError);
    });

    it('ob2-jws: the signature of another assertion (by a P-256 key) does not pass for this one (Ed25519 kid)', async function () {
      const token = (await signed('ob2-jws', p256Key)) as string;
      const otherToken = (await signed('ob2-jws', edKey)) as string;
      // the header and payload of one assertion with the signature of another
      const mixed = replaceJwsPart(otherToken, 2, token.split('.')[2] as string);
      const result = await verifyCredential({ credential: mixed, now: NOW });
      expect(result.verified).to.equal(false);
      expect(result.error).to.be.instanceOf(SignatureInvalidError);
    });

    for (const format of ['data-integrity', 'vc-jwt'] as const) {
      it(`${format}: a did:key issuer whose credential another key signed (validly) fails the issuer-key check`, async function () {
        const artifact = await signed(format, otherEdKey, {
          issuer: { did: edKey.did, name: 'Scuola Esempio', email: 'badges@school.example' },
        });
        const result = await verifyCredential({ credential: artifact, now: NOW });
        expect(result.verified).to.equal(false);
        expect(result.checks.find((check) => check.name === 'signature')?.status).to.equal('passed');
        expect(result.error).to.be.instanceOf(KeyMismatchError);
        expect(result.error?.shortMessage).to.contain(edKey.did);
        expect(result.error?.shortMessage).to.contain(otherEdKey.did);
      });
    }

    it('a key outside allowedKeyHashes (the keys the registry lists for the member) fails', async function () {
      const artifact = await signed('vc-jwt', otherEdKey);
      const refused = await verifyCredential({ credential: artifact, now: NOW, allowedKeyHashes: [edKey.keyHash, p256Key.keyHash] });
      expect(refused.error).to.be.instanceOf(KeyMismatchError);
      expect(refused.error?.params.actual).to.equal(otherEdKey.keyHash);
      const accepted = await verifyCredential({ credential: artifact, now: NOW, allowedKeyHashes: [otherEdKey.keyHash.toUpperCase().replace('0X', '0x')] });
      expect(accepted.verified, accepted.error?.message).to.equal(true);
      expect(accepted.checks.find((check) => check.name === 'issuer-key')?.status).to.equal('passed');
    });

    it('ob2-jws: a header kid and verification.creator naming different keys', async function () {
      const assertion = { ...unsignedFor('ob2-jws'), verification: { type: 'signed', creator: edKey.verificationMethod } };
      const token = await new CompactSign(Buffer.from(JSON.stringify(assertion)))
        .setProtectedHeader({ alg: 'EdDSA', kid: otherEdKey.verificationMethod })
        .sign(otherEdKey.privateKey);
      const result = await verifyCredential({ credential: token, now: NOW });
      expect(result.error).to.be.instanceOf(KeyMismatchError);
      expect(result.error?.shortMessage).to.contain('verification.creator');
    });
  });
});
