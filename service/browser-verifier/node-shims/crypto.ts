/**
 * node:crypto as the browser bundle needs it: only what verifying uses, on @noble/curves and @noble/hashes
 * (synchronous, as the domain's callers expect). A public "key object" is the key's public JWK: the domain's
 * Ed25519 Data Integrity verifier hands it back to `verify`, and jose's browser build takes a JWK as it is (and
 * verifies the JWS with WebCrypto). Signing and key generation are not in the browser: they throw.
 */
import { ed25519 } from '@noble/curves/ed25519';
import { p256 } from '@noble/curves/nist';
import { sha256 } from '@noble/hashes/sha2';
import { Buffer } from './buffer';

interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
}
export type KeyObject = PublicJwk;

// DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410), followed by the 32 key bytes.
const ED25519_SPKI_PREFIX = '302a300506032b6570032100';

/** An Ed25519 key as DER SPKI, or a public JWK (OKP/Ed25519, EC/P-256), as did-key.ts passes them. */
export function createPublicKey(input: { key: Uint8Array | PublicJwk; format: 'der' | 'jwk'; type?: 'spki' }): KeyObject {
  if (input.format === 'jwk') {
    const { kty, crv, x, y } = input.key as PublicJwk;
    return y === undefined ? { kty, crv, x } : { kty, crv, x, y };
  }
  const der = Buffer.from(input.key as Uint8Array);
  if (der.length !== 44 || der.subarray(0, 12).toString('hex') !== ED25519_SPKI_PREFIX) throw new Error('only Ed25519 SPKI keys are read in the browser');
  return { kty: 'OKP', crv: 'Ed25519', x: der.subarray(12).toString('base64url') };
}

/** crypto.verify(null, data, key, signature) for Ed25519 (RFC 8032, strict: not ZIP 215). */
export function verify(algorithm: null, data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  if (algorithm !== null || key.kty !== 'OKP' || key.crv !== 'Ed25519') throw new Error('the browser verifier checks Ed25519 signatures only here');
  try {
    return ed25519.verify(signature, data, Buffer.from(key.x, 'base64url'), { zip215: false });
  } catch {
    return false;
  }
}

/** ECDH.convertKey for P-256 points (compress or decompress); throws for a point not on the curve. */
export const ECDH = {
  convertKey(key: Uint8Array, curve: string, _inputEncoding?: undefined, _outputEncoding?: undefined, format?: 'compressed' | 'uncompressed'): Buffer {
    if (curve !== 'prime256v1') throw new Error(`curve ${curve} is not read in the browser`);
    const point = p256.ProjectivePoint.fromHex(Buffer.from(key).toString('hex'));
    return Buffer.from(point.toRawBytes(format === 'compressed'));
  },
};

export function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}

export function randomBytes(length: number): Buffer {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(length)));
}

export function randomInt(min: number, max?: number): number {
  const [low, high] = max === undefined ? [0, min] : [min, max];
  return low + (globalThis.crypto.getRandomValues(new Uint32Array(1))[0]! % (high - low));
}

export function createHash(algorithm: string) {
  if (algorithm !== 'sha256') throw new Error(`hash ${algorithm} is not in the browser verifier`);
  const hash = sha256.create();
  const digest = {
    update(data: string | Uint8Array) {
      hash.update(typeof data === 'string' ? new TextEncoder().encode(data) : data);
      return digest;
    },
    digest(encoding?: 'hex' | 'base64' | 'base64url') {
      const bytes = Buffer.from(hash.digest());
      return encoding ? bytes.toString(encoding) : bytes;
    },
  };
  return digest;
}

const signingRefused = (what: string) => () => {
  throw new Error(`${what} is not in the browser verifier: it verifies, it never signs`);
};
export const sign = signingRefused('signing');
export const createPrivateKey = signingRefused('a private key');
export const generateKeyPairSync = signingRefused('key generation');
export const createECDH = signingRefused('ECDH');
