import { expect } from 'chai';
import {
  didJwkOf,
  InvalidBadgeInputError,
  InvalidKeyError,
  KeyMismatchError,
  memberKeyId,
  parseCredential,
  resolveKeyId,
  signCredential,
  verifyCredential,
  type CredentialFormat,
  type JsonObject,
} from '../../service/credentials';
import { CREATED, decodeJsonPart, edKey, expectRejection, expectThrow, NOW, otherEdKey, p256Key, unsignedFor } from './fixtures';

const MEMBER = 'did:web:school.example';

/** The key id a signed artifact names: the DI proof's verificationMethod or the JWS kid. */
function keyIdOf(artifact: string | JsonObject): unknown {
  return typeof artifact === 'string' ? decodeJsonPart(artifact, 0).kid : (artifact.proof as JsonObject).verificationMethod;
}

describe('credentials: key ids (member key ids, did:key, did:jwk)', function () {
  describe('memberKeyId', function () {
    it('is the member DID, "#", and the key as Multikey (z6Mk... for Ed25519, zDn... for P-256)', function () {
      expect(memberKeyId(MEMBER, edKey)).to.equal(`${MEMBER}#${edKey.publicKeyMultibase}`);
      expect(memberKeyId(MEMBER, edKey)).to.match(/^did:web:school\.example#z6Mk/);
      expect(memberKeyId(MEMBER, p256Key.publicKey)).to.match(/^did:web:school\.example#zDn/);
    });

    it('refuses a member DID with a fragment or that is not a DID', function () {
      expectThrow(() => memberKeyId(`${MEMBER}#key-1`, edKey), InvalidKeyError);
      expectThrow(() => memberKeyId('school.example', edKey), InvalidKeyError);
    });

    it('resolves offline to the key in its fragment, controlled by the member DID', function () {
      const resolved = resolveKeyId(memberKeyId('did:web:school.example:badges', p256Key));
      expect(resolved).to.deep.include({ controller: 'did:web:school.example:badges', method: 'did:web' });
      expect(resolved.key.multibase).to.equal(p256Key.publicKeyMultibase);
    });
  });

  describe('the key id signatures name', function () {
    const formats: [CredentialFormat, typeof edKey][] = [
      ['data-integrity', edKey],
      ['ed25519-signature-2020', edKey],
      ['vc-jwt', edKey],
      ['vc-jwt', p256Key],
      ['ob2-jws', p256Key],
    ];
    for (const [format, key] of formats) {
      it(`${format} (${key.type}): a did:web issuer signs with the member key id by default, which verifies without warning`, async function () {
        const artifact = await signCredential({ credential: unsignedFor(format), key, format, created: CREATED });
        expect(keyIdOf(artifact)).to.equal(memberKeyId(MEMBER, key));
        const result = await verifyCredential({ credential: artifact, now: NOW, allowedKeyHashes: [key.keyHash] });
        expect(result.verified, result.error?.message).to.equal(true);
        expect(result.verificationMethod).to.equal(memberKeyId(MEMBER, key));
        expect(result.warnings).to.equal(undefined);
      });
    }

    it('a did:key issuer still signs with its did:key URL', async function () {
      const credential = unsignedFor('vc-jwt', { issuer: { did: edKey.did, name: 'Self-issued', email: 'badges@school.example' } });
      const jwt = await signCredential({ credential, key: edKey, format: 'vc-jwt' });
      expect(keyIdOf(jwt)).to.equal(edKey.verificationMethod);
      expect((await verifyCredential({ credential: jwt, now: NOW })).verified).to.equal(true);
    });

    it('an explicit verificationMethod is used when it names the signing key', async function () {
      const verificationMethod = memberKeyId('did:web:school.example', edKey);
      const credential = unsignedFor('data-integrity', { issuer: { did: MEMBER, name: 'Scuola Esempio', email: 'badges@school.example' } });
      const signed = await signCredential({ credential, key: edKey, format: 'data-integrity', verificationMethod });
      expect(keyIdOf(signed)).to.equal(verificationMethod);
    });

    it('an explicit verificationMethod naming another key, or none resolvable, is refused naming the field', async function () {
      const credential = unsignedFor('vc-jwt');
      const other = await expectRejection(
        signCredential({ credential, key: edKey, format: 'vc-jwt', verificationMethod: memberKeyId(MEMBER, otherEdKey) }),
        InvalidBadgeInputError,
      );
      expect(other.params.field).to.equal('verificationMethod');
      expect(other.shortMessage).to.contain('not the signing key');
      const unresolvable = await expectRejection(
        signCredential({ credential, key: edKey, format: 'vc-jwt', verificationMethod: `${MEMBER}#key-1` }),
        InvalidBadgeInputError,
      );
      expect(unresolvable.params.field).to.equal('verificationMethod');
    });
  });

  describe('the binding between the key id and the issuer', function () {
    it('a member key id under another DID than the issuer fails the issuer-key check', async function () {
      const credential = unsignedFor('vc-jwt');
      const jwt = await signCredential({ credential, key: edKey, format: 'vc-jwt', verificationMethod: memberKeyId('did:web:other.example', edKey) });
      const result = await verifyCredential({ credential: jwt, now: NOW });
      expect(result.verified).to.equal(false);
      expect(result.error).to.be.instanceOf(KeyMismatchError);
      expect(result.error?.shortMessage).to.contain('belongs to did:web:other.example, not to the issuer');
    });

    for (const format of ['data-integrity', 'vc-jwt'] as const) {
      it(`${format}: the old binding (did:web issuer, did:key key id) still verifies, with a warning that outside verifiers refuse it`, async function () {
        const artifact = await signCredential({ credential: unsignedFor(format), key: edKey, format, verificationMethod: edKey.verificationMethod });
        const result = await verifyCredential({ credential: artifact, now: NOW, allowedKeyHashes: [edKey.keyHash] });
        expect(result.verified, result.error?.message).to.equal(true);
        expect(result.warnings).to.have.length(1);
        expect(result.warnings?.[0]).to.contain(`controlled by ${edKey.did}, not by the issuer ${MEMBER}`);
        expect(result.warnings?.[0]).to.contain('verifiers not written here (e.g. @digitalbazaar/vc) refuse the credential');
        expect(result.warnings?.[0]).to.contain(memberKeyId(MEMBER, edKey));
      });
    }
  });

  describe('did:jwk', function () {
    it('resolves offline: the DID holds the JWK, its method is #0', function () {
      const did = didJwkOf(p256Key.publicKeyJwk);
      const resolved = resolveKeyId(`${did}#0`);
      expect(resolved).to.deep.include({ id: `${did}#0`, controller: did, method: 'did:jwk' });
      expect(resolved.key.multibase).to.equal(p256Key.publicKeyMultibase);
      expect(resolveKeyId(did).id).to.equal(`${did}#0`);
    });

    it('refuses a did:jwk with a private key or another fragment', function () {
      const withPrivate = `did:jwk:${Buffer.from(JSON.stringify({ ...edKey.publicKeyJwk, d: 'AAAA' })).toString('base64url')}`;
      expectThrow(() => resolveKeyId(withPrivate), InvalidKeyError);
      expectThrow(() => resolveKeyId(`${didJwkOf(edKey.publicKeyJwk)}#1`), InvalidKeyError);
    });

    for (const [format, key] of [
      ['data-integrity', edKey],
      ['vc-jwt', p256Key],
    ] as const) {
      it(`${format}: a did:jwk issuer signing with its own key verifies; another did:jwk's key does not`, async function () {
        const did = didJwkOf(key.publicKeyJwk);
        const credential = unsignedFor(format, { issuer: { did, name: 'Self-issued', email: 'badges@school.example' } });
        const artifact = await signCredential({ credential, key, format, verificationMethod: `${did}#0` });
        const parsed = await parseCredential(artifact);
        expect(parsed.keyHash).to.equal(key.keyHash);
        expect(parsed.verificationMethod).to.equal(`${did}#0`);
        const result = await verifyCredential({ credential: artifact, now: NOW });
        expect(result.verified, result.error?.message).to.equal(true);
        expect(result.checks.find((check) => check.name === 'issuer-key')?.message).to.contain('the issuer did:jwk signed it');

        const stranger = unsignedFor(format, { issuer: { did: didJwkOf(otherEdKey.publicKeyJwk), name: 'Someone else', email: 'badges@school.example' } });
        const mismatched = await signCredential({ credential: stranger, key, format, verificationMethod: `${did}#0` });
        expect((await verifyCredential({ credential: mismatched, now: NOW })).error).to.be.instanceOf(KeyMismatchError);
      });
    }
  });
});
