/**
 * node:crypto as the browser signer bundle needs it: the verifier's browser version (browser-verifier/node-shims/
 * crypto.ts, for verifying a proof set), plus Ed25519 signing with a WebCrypto key that cannot be exported. The
 * domain's Data Integrity signer calls `sign(null, data, key.privateKey)` inside an async function and returns
 * what it gets, so a Promise of the signature bytes serves it as Node's synchronous Buffer does.
 */
import type { webcrypto } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519';

export * from '../../browser-verifier/node-shims/crypto';

/** A private key as the bundle holds it: the WebCrypto key (non-extractable) and its public key's bytes. */
export class WebCryptoPrivateKey {
  readonly type = 'private';
  readonly asymmetricKeyType = 'ed25519';
  constructor(
    readonly cryptoKey: webcrypto.CryptoKey,
    readonly publicKeyBytes: Uint8Array,
  ) {}
}

/** crypto.sign(null, data, key) for an Ed25519 WebCryptoPrivateKey: a Promise of the 64 signature bytes. */
export function sign(algorithm: null, data: Uint8Array, key: unknown): Promise<Uint8Array> {
  if (algorithm !== null || !(key instanceof WebCryptoPrivateKey)) throw new Error('the browser signer signs with an Ed25519 key read from a key file only');
  return globalThis.crypto.subtle.sign({ name: 'Ed25519' }, key.cryptoKey, data).then((signature) => new Uint8Array(signature));
}

/** Whether `signature` over `data` holds for the key's public key (a key file whose halves do not match fails it). */
export function holdsFor(key: WebCryptoPrivateKey, data: Uint8Array, signature: Uint8Array): boolean {
  return ed25519.verify(signature, data, key.publicKeyBytes, { zip215: false });
}
