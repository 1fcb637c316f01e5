import { expect } from 'chai';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { decodeBase58, getBytes, keccak256, toBeHex } from 'ethers';
import {
  exportIssuerKey,
  generateIssuerKey,
  importIssuerKey,
  InvalidKeyError,
  keyHashOf,
  parseDidKey,
  publicKeyOf,
  resolveDidKey,
  signCredential,
  UnsupportedKeyError,
  verifyCredential,
  type IssuerKey,
} from '../../service/credentials';
import { ED25519_SEED, edKey, expectThrow, NOW, p256Key, unsignedFor } from './fixtures';

/** The multibase value's bytes, decoded by ethers (an implementation independent of ours). */
function multibaseBytes(multibase: string, length: number): Uint8Array {
  expect(multibase[0]).to.equal('z');
  return getBytes(toBeHex(decodeBase58(multibase.slice(1)), length));
}

describe('credentials: did:key and key hash', function () {
  describe('key hash = keccak256(multicodec prefix || public key)', function () {
    it('Ed25519: keccak256 over the 34 bytes 0xed01 || key, the did:key multibase decoded', function () {
      const bytes = multibaseBytes(edKey.publicKeyMultibase, 34);
      expect(Buffer.from(bytes.subarray(0, 2)).toString('hex')).to.equal('ed01');
      expect(Buffer.from(bytes.subarray(2)).toString('base64url')).to.equal(edKey.publicKeyJwk.x);
      expect(keyHashOf(edKey.did)).to.equal(keccak256(bytes));
      expect(edKey.keyHash).to.equal(keccak256(bytes));
    });

    it('P-256: keccak256 over the 35 bytes 0x8024 || compressed point', function () {
      const bytes = multibaseBytes(p256Key.publicKeyMultibase, 35);
      expect(Buffer.from(bytes.subarray(0, 2)).toString('hex')).to.equal('8024');
      const y = Buffer.from(p256Key.publicKeyJwk.y as string, 'base64url');
      expect(bytes[2]).to.equal((y[31] as number) % 2 === 0 ? 0x02 : 0x03);
      expect(Buffer.from(bytes.subarray(3)).toString('base64url')).to.equal(p256Key.publicKeyJwk.x);
      expect(keyHashOf(p256Key.did)).to.equal(keccak256(bytes));
    });

    for (const key of [edKey, p256Key]) {
      it(`${key.type}: the same hash from a did:key, its verification method, the multibase, a JWK and JWK text`, function () {
        const forms = [key.did, key.verificationMethod, key.publicKeyMultibase, key.publicKeyJwk, JSON.stringify(key.publicKeyJwk), ` ${key.did}\n`];
        for (const form of forms) expect(keyHashOf(form), JSON.stringify(form)).to.equal(key.keyHash);
        expect(keyHashOf(exportIssuerKey(key).privateKeyJwk as never)).to.equal(key.keyHash);
      });
    }

    it('agrees with @digitalbazaar/ed25519-multikey on the did:key of a seed', async function () {
      const reference = await Ed25519Multikey.generate({ seed: ED25519_SEED });
      expect(reference.publicKeyMultibase).to.equal(edKey.publicKeyMultibase);
    });

    it('agrees with @digitalbazaar/ecdsa-multikey on the multibase of a P-256 JWK', async function () {
      for (let i = 0; i < 8; i++) {
        const key = generateIssuerKey({ type: 'P-256' });
        const reference = await EcdsaMultikey.fromJwk({ jwk: key.publicKeyJwk });
        expect(reference.publicKeyMultibase).to.equal(key.publicKeyMultibase);
      }
    });

    it('differs between keys', function () {
      const hashes = new Set([edKey, p256Key, ...Array.from({ length: 6 }, () => generateIssuerKey({ type: 'Ed25519' }))].map((key) => key.keyHash));
      expect(hashes.size).to.equal(8);
    });
  });

  describe('keys that are refused', function () {
    const invalid: [string, string][] = [
      ['not base58', 'did:key:z6Mk0OIl'],
      ['another multicodec (secp256k1)', 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme'],
      ['a truncated Ed25519 key', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2'],
      ['a fragment that is another key', `${edKey.did}#${p256Key.publicKeyMultibase}`],
      ['a path', `${edKey.did}/path`],
      ['text that names no key', 'hello'],
      ['a multibase that is not base58btc', 'mAe0B'],
    ];
    for (const [name, input] of invalid) {
      it(`${name}: InvalidKeyError`, function () {
        expectThrow(() => keyHashOf(input), InvalidKeyError);
      });
    }

    it('a P-256 point that is not on the curve', function () {
      const jwk = { ...p256Key.publicKeyJwk, y: Buffer.alloc(32, 1).toString('base64url') };
      expectThrow(() => keyHashOf(jwk), InvalidKeyError);
    });

    it('an RSA JWK', function () {
      expectThrow(() => keyHashOf({ kty: 'RSA', crv: '', x: '', n: 'abc', e: 'AQAB' }), InvalidKeyError);
    });

    it('another DID method: UnsupportedKeyError naming the method met', function () {
      const error = expectThrow(() => parseDidKey('did:web:school.example#key-1'), UnsupportedKeyError);
      expect(error.shortMessage).to.contain('the DID method did:web is not a did:key');
    });
  });

  describe('did:key documents, resolved offline', function () {
    it('the DID document lists the Multikey method for assertion', function () {
      const document = resolveDidKey(edKey.did);
      expect(document.id).to.equal(edKey.did);
      expect(document.assertionMethod).to.deep.equal([edKey.verificationMethod]);
      expect(document.verificationMethod).to.deep.equal([
        { id: edKey.verificationMethod, type: 'Multikey', controller: edKey.did, publicKeyMultibase: edKey.publicKeyMultibase },
      ]);
    });

    it('the verification method URL resolves to the Multikey itself', function () {
      expect(resolveDidKey(p256Key.verificationMethod)).to.deep.equal({
        '@context': 'https://w3id.org/security/multikey/v1',
        id: p256Key.verificationMethod,
        type: 'Multikey',
        controller: p256Key.did,
        publicKeyMultibase: p256Key.publicKeyMultibase,
      });
    });

    it('publicKeyOf gives the raw key and the multicodec bytes', function () {
      const info = publicKeyOf(p256Key.did);
      expect(info.publicKey).to.have.length(33);
      expect(info.multicodec).to.have.length(35);
      expect(publicKeyOf(edKey.verificationMethod).publicKey).to.have.length(32);
    });
  });

  describe('issuer keys: generate, export, import', function () {
    for (const type of ['Ed25519', 'P-256'] as const) {
      it(`${type}: a key saved as JSON and read back signs credentials that verify`, async function () {
        const key = generateIssuerKey({ type });
        const text = JSON.stringify(exportIssuerKey(key));
        const loaded = importIssuerKey(text);
        expect(loaded.did).to.equal(key.did);
        expect(loaded.keyHash).to.equal(key.keyHash);
        const jwt = await signCredential({ credential: unsignedFor('vc-jwt'), key: loaded, format: 'vc-jwt' });
        const result = await verifyCredential({ credential: jwt, now: NOW, allowedKeyHashes: [key.keyHash] });
        expect(result.verified, result.error?.message).to.equal(true);
      });
    }

    it('the same seed gives the same key; random keys differ', function () {
      expect(generateIssuerKey({ type: 'Ed25519', seed: ED25519_SEED }).did).to.equal(edKey.did);
      expect(generateIssuerKey({ type: 'P-256' }).did).to.not.equal(generateIssuerKey({ type: 'P-256' }).did);
    });

    it('a public export has no private key, and cannot be imported to sign', function () {
      const exported = exportIssuerKey(edKey, { includePrivateKey: false });
      expect(exported).to.not.have.property('privateKeyJwk');
      expectThrow(() => importIssuerKey(exported), InvalidKeyError);
    });

    it('an export whose did was edited does not import', function () {
      const exported = { ...exportIssuerKey(edKey), did: p256Key.did };
      const error = expectThrow(() => importIssuerKey(exported), InvalidKeyError);
      expect(error.shortMessage).to.contain('did');
    });

    it('a seed of the wrong length is refused', function () {
      expectThrow(() => generateIssuerKey({ type: 'Ed25519', seed: new Uint8Array(16) }), InvalidKeyError);
    });

    it('exports the did, verification method and key hash beside the JWKs', function () {
      const exported = exportIssuerKey(p256Key as IssuerKey);
      expect(exported).to.include({ type: 'P-256', did: p256Key.did, verificationMethod: p256Key.verificationMethod, keyHash: p256Key.keyHash });
      expect(exported.privateKeyJwk).to.include({ kty: 'EC', crv: 'P-256' });
    });
  });
});
