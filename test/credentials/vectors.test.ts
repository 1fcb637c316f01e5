import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { decodeBase58, keccak256, toBeHex, toUtf8Bytes } from 'ethers';
import {
  generateIssuerKey,
  keyHashOf,
  parseCredential,
  signCredential,
  verifyCredential,
  type IssuerKey,
  type JsonObject,
} from '../../service/credentials';
import { withoutReceiptEntries } from '../../service/merkle';
import type { VectorFile } from '../vectors/credentials/generate';

const file = JSON.parse(readFileSync(path.join(__dirname, '..', 'vectors', 'credentials', 'vectors.json'), 'utf8')) as VectorFile;
const now = new Date(file.now);

describe('credentials: test vectors (test/vectors/credentials/vectors.json)', function () {
  const keys = new Map<string, IssuerKey>();
  before(function () {
    for (const vector of file.keys) keys.set(vector.name, generateIssuerKey({ type: vector.type, seed: Buffer.from(vector.seed, 'hex') }));
  });

  it('has vectors for every format and both key types', function () {
    const formats = new Set(file.credentials.map((vector) => `${vector.format}/${file.keys.find((key) => key.name === vector.key)?.type}`));
    for (const expected of [
      'data-integrity/Ed25519',
      'ed25519-signature-2020/Ed25519',
      'vc-jwt/Ed25519',
      'vc-jwt/P-256',
      'ob2-jws/Ed25519',
      'ob2-jws/P-256',
    ]) {
      expect(formats).to.include(expected);
    }
  });

  for (const vector of file.keys) {
    it(`key ${vector.name}: the seed gives the did:key, and the key hash is keccak256 of the multicodec bytes`, function () {
      const key = keys.get(vector.name) as IssuerKey;
      expect(key.did).to.equal(vector.did);
      expect(key.verificationMethod).to.equal(vector.verificationMethod);
      const decoded = toBeHex(decodeBase58(vector.did.slice('did:key:z'.length)), vector.multicodec.length / 2);
      expect(decoded).to.equal(`0x${vector.multicodec}`);
      expect(keccak256(`0x${vector.multicodec}`)).to.equal(vector.keyHash);
      expect(keyHashOf(vector.did)).to.equal(vector.keyHash);
    });
  }

  for (const vector of file.credentials) {
    describe(vector.name, function () {
      it('parses to the stored format, issuer, key hash and digest', async function () {
        const parsed = await parseCredential(vector.artifact);
        expect(parsed.format).to.equal(vector.format);
        expect(parsed.issuerDid).to.equal(vector.issuerDid);
        expect(parsed.keyHash).to.equal(vector.keyHash);
        expect(parsed.keyHash).to.equal(file.keys.find((key) => key.name === vector.key)?.keyHash);
        expect(parsed.digest).to.equal(vector.digest);
      });

      it('has a digest that is keccak256 of the UTF-8 bytes of its digest input, recomputed independently', function () {
        const input =
          typeof vector.artifact === 'string'
            ? vector.artifact
            : (canonicalize(withoutReceiptEntries(vector.artifact as JsonObject)) as string);
        expect(input).to.equal(vector.digestInput);
        expect(keccak256(toUtf8Bytes(input))).to.equal(vector.digest);
      });

      it('verifies at the stored time', async function () {
        const result = await verifyCredential({ credential: vector.artifact, now, allowedKeyHashes: [vector.keyHash] });
        expect(result.verified, result.error?.message).to.equal(true);
      });

      it(vector.deterministic ? 'is reproduced exactly by signing again' : 'verifies when signed again (ECDSA is randomised)', async function () {
        let artifact = await signCredential({
          credential: vector.unsigned,
          key: keys.get(vector.key) as IssuerKey,
          format: vector.format,
          created: vector.created ? new Date(vector.created) : undefined,
          jwtStyle: vector.jwtStyle,
          verificationMethod: (keys.get(vector.key) as IssuerKey).verificationMethod,
        });
        if (vector.receipt && typeof artifact !== 'string') artifact = { ...artifact, proof: [artifact.proof as JsonObject, vector.receipt] };
        if (vector.deterministic) {
          expect(artifact).to.deep.equal(vector.artifact);
        } else {
          expect(artifact).to.not.equal(vector.artifact);
          expect((await verifyCredential({ credential: artifact, now })).verified).to.equal(true);
        }
      });
    });
  }

  it('a receipt riding along leaves the digest of the credential unchanged', function () {
    const plain = file.credentials.find((vector) => vector.name === 'ob3-data-integrity-eddsa-rdfc-2022');
    const withReceipt = file.credentials.find((vector) => vector.name === 'ob3-data-integrity-with-receipt');
    expect(withReceipt?.digest).to.equal(plain?.digest);
    expect(withReceipt?.artifact).to.not.deep.equal(plain?.artifact);
  });
});
