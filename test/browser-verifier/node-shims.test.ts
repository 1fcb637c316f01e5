// The browser versions of the node modules the verifier bundle uses (service/browser-verifier/node-shims), checked in
// Node against the real ones: the same answers for what verifying asks of them.
import { expect } from 'chai';
import { ECDH as NodeEcdh, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { keccak256 } from 'ethers';
import { createPublicKey, ECDH, verify } from '../../service/browser-verifier/node-shims/crypto';
import { Buffer as BrowserBuffer } from '../../service/browser-verifier/node-shims/buffer';
import { createKeccak } from '../../service/browser-verifier/node-shims/hash-wasm';

describe('browser verifier: the node modules’ browser versions agree with node', function () {
  it('Buffer: base64url in and out, as node’s', function () {
    for (const text of ['', 'a', 'ab', 'abc', '{"alg":"EdDSA","kid":"did:web:x#z6Mk"}', '\u00ff\u00fe\u00fd?>']) {
      const encoded = Buffer.from(text).toString('base64url');
      expect(BrowserBuffer.from(text).toString('base64url'), text).to.equal(encoded);
      expect(BrowserBuffer.from(encoded, 'base64url').toString('utf8'), text).to.equal(text);
    }
    expect(BrowserBuffer.from('00ff', 'hex').toString('hex')).to.equal('00ff');
  });

  it('crypto.verify: an Ed25519 signature made by node verifies; another message or signature does not', function () {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(key).to.deep.equal({ kty: 'OKP', crv: 'Ed25519', x: publicKey.export({ format: 'jwk' }).x });
    const data = Buffer.from('the canonical N-Quads and proof options');
    const signature = nodeSign(null, data, privateKey);
    expect(verify(null, data, key, signature)).to.equal(true);
    expect(verify(null, Buffer.from('another message'), key, signature)).to.equal(false);
    const changed = Buffer.from(signature);
    changed[5] ^= 1;
    expect(verify(null, data, key, changed)).to.equal(false);
  });

  it('ECDH.convertKey: P-256 points compressed and decompressed as node does; a point off the curve throws', function () {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const jwk = publicKey.export({ format: 'jwk' });
    const uncompressed = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    const compressed = NodeEcdh.convertKey(uncompressed, 'prime256v1', undefined, undefined, 'compressed') as Buffer;
    expect(Buffer.from(ECDH.convertKey(uncompressed, 'prime256v1', undefined, undefined, 'compressed')).toString('hex')).to.equal(compressed.toString('hex'));
    expect(Buffer.from(ECDH.convertKey(compressed, 'prime256v1', undefined, undefined, 'uncompressed')).toString('hex')).to.equal(uncompressed.toString('hex'));
    const offCurve = Buffer.from(uncompressed);
    offCurve[64] ^= 1;
    expect(() => ECDH.convertKey(offCurve, 'prime256v1', undefined, undefined, 'compressed')).to.throw();
  });

  it('hash-wasm’s createKeccak: keccak-256 as ethers computes it, in binary and hex, reused after init', async function () {
    const hasher = await createKeccak(256);
    for (const input of [new Uint8Array(0), new Uint8Array(32).fill(7), new Uint8Array(64).fill(255)]) {
      hasher.init();
      hasher.update(input);
      expect(`0x${Buffer.from(hasher.digest('binary')).toString('hex')}`).to.equal(keccak256(input));
      hasher.init();
      hasher.update(input);
      expect(`0x${hasher.digest('hex')}`).to.equal(keccak256(input));
    }
  });
});
