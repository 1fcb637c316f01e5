/**
 * did:key, resolved offline (https://w3c-ccg.github.io/did-method-key/): the DID is `did:key:` followed by the
 * multibase (base58btc, prefix `z`) of the multicodec-prefixed public key. Two key types are accepted:
 *   Ed25519 public key:   varint 0xed   = bytes 0xed 0x01, then the 32-byte key          (did:key:z6Mk...)
 *   P-256 public key:     varint 0x1200 = bytes 0x80 0x24, then the 33-byte compressed point (did:key:zDn...)
 * The verification method of a did:key is `did:key:<mb>#<mb>`.
 */
import { createPublicKey, ECDH, type KeyObject } from 'node:crypto';
import { base58btcDecode, base58btcEncode } from './base58';
import { InvalidKeyError, UnsupportedKeyError } from './errors';
import type { JsonObject, Jwk, KeyType } from './types';

export const DID_CONTEXT_URL = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT_URL = 'https://w3id.org/security/multikey/v1';

const PREFIX: Record<KeyType, Uint8Array> = {
  Ed25519: Uint8Array.of(0xed, 0x01),
  'P-256': Uint8Array.of(0x80, 0x24),
};
const KEY_LENGTH: Record<KeyType, number> = { Ed25519: 32, 'P-256': 33 };
// DER SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410), followed by the 32 key bytes.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A public key and every name it has here. */
export interface PublicKeyInfo {
  type: KeyType;
  /** The raw key: 32 bytes (Ed25519) or the 33-byte compressed point (P-256). */
  publicKey: Uint8Array;
  /** The multicodec prefix followed by the raw key: the bytes the key hash is taken over. */
  multicodec: Uint8Array;
  /** `z` + base58btc(multicodec). */
  multibase: string;
  /** `did:key:` + multibase. */
  did: string;
  /** `did:key:<multibase>#<multibase>`. */
  verificationMethod: string;
}

const parsedKeys = new Map<string, PublicKeyInfo>();
const PARSED_KEY_CACHE_SIZE = 10_000;

/** The key behind a multibase value (`z6Mk...`, `zDn...`); cached, since bulk intake sees a few keys many times. */
export function publicKeyFromMultibase(multibase: string): PublicKeyInfo {
  const cached = parsedKeys.get(multibase);
  if (cached) return cached;
  const key = decodeMultibaseKey(multibase);
  if (key.multibase !== multibase) {
    throw new InvalidKeyError({ input: describe(multibase), reason: `not the canonical encoding of the key (${key.multibase})` });
  }
  if (parsedKeys.size >= PARSED_KEY_CACHE_SIZE) parsedKeys.clear();
  parsedKeys.set(multibase, Object.freeze(key));
  return key;
}

function decodeMultibaseKey(multibase: string): PublicKeyInfo {
  if (typeof multibase !== 'string' || !multibase.startsWith('z')) {
    throw new InvalidKeyError({ input: describe(multibase), reason: 'a multibase key must be base58btc (start with "z")' });
  }
  const bytes = base58btcDecode(multibase.slice(1));
  if (!bytes) throw new InvalidKeyError({ input: describe(multibase), reason: 'not base58btc' });
  for (const type of Object.keys(PREFIX) as KeyType[]) {
    const prefix = PREFIX[type];
    if (bytes[0] === prefix[0] && bytes[1] === prefix[1]) {
      return publicKeyFromBytes(type, bytes.subarray(2));
    }
  }
  throw new InvalidKeyError({
    input: describe(multibase),
    reason: `multicodec 0x${Buffer.from(bytes.subarray(0, 2)).toString('hex')} is not Ed25519 (0xed01) or P-256 (0x8024)`,
  });
}

/** The key from its raw bytes (P-256: compressed, or uncompressed 65 bytes, which is compressed here). */
export function publicKeyFromBytes(type: KeyType, raw: Uint8Array): PublicKeyInfo {
  let publicKey: Uint8Array = Uint8Array.from(raw);
  if (type === 'P-256') publicKey = compressP256(publicKey);
  if (publicKey.length !== KEY_LENGTH[type]) {
    throw new InvalidKeyError({
      input: `${type} key`,
      reason: `expected ${KEY_LENGTH[type]} bytes, got ${publicKey.length}`,
    });
  }
  const multicodec = new Uint8Array(2 + publicKey.length);
  multicodec.set(PREFIX[type], 0);
  multicodec.set(publicKey, 2);
  const multibase = `z${base58btcEncode(multicodec)}`;
  const did = `did:key:${multibase}`;
  return { type, publicKey, multicodec, multibase, did, verificationMethod: `${did}#${multibase}` };
}

/** The key of a public (or private: `d` is ignored) JWK: OKP/Ed25519 or EC/P-256. */
export function publicKeyFromJwk(jwk: Jwk): PublicKeyInfo {
  if (jwk?.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') {
    return publicKeyFromBytes('Ed25519', Buffer.from(jwk.x, 'base64url'));
  }
  if (jwk?.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string') {
    const x = Buffer.from(jwk.x, 'base64url');
    const y = Buffer.from(jwk.y, 'base64url');
    if (x.length !== 32 || y.length !== 32) {
      throw new InvalidKeyError({ input: 'P-256 JWK', reason: 'x and y must be 32 bytes each' });
    }
    return publicKeyFromBytes('P-256', Buffer.concat([Uint8Array.of(0x04), x, y]));
  }
  throw new InvalidKeyError({
    input: `JWK ${describe(jwk?.kty)}/${describe(jwk?.crv)}`,
    reason: 'only OKP/Ed25519 and EC/P-256 keys are accepted',
  });
}

/** The public JWK of a key. */
export function publicKeyToJwk(key: PublicKeyInfo): Jwk {
  if (key.type === 'Ed25519') {
    return { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey).toString('base64url') };
  }
  const point = ECDH.convertKey(key.publicKey, 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
  return {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
  };
}

/** True for `did:key:...` strings (with or without a fragment). */
export function isDidKey(value: unknown): value is `did:key:${string}` {
  return typeof value === 'string' && value.startsWith('did:key:');
}

/**
 * The key named by `did:key:<mb>` or `did:key:<mb>#<mb>`. `field` names where the reference came from, for the
 * error raised when it is not a did:key.
 */
export function parseDidKey(url: string, field = 'key'): PublicKeyInfo {
  if (!isDidKey(url)) {
    throw new UnsupportedKeyError({ key: String(url), field, reason: `${didMethodIn(url)} is not a did:key (resolveKeyId in key-id.ts reads did:jwk and member key ids too)` });
  }
  const hash = url.indexOf('#');
  const multibase = url.slice('did:key:'.length, hash === -1 ? undefined : hash);
  if (/[/?;:]/.test(multibase)) {
    throw new InvalidKeyError({ input: url, reason: 'a did:key has no path, query or parameters' });
  }
  const key = publicKeyFromMultibase(multibase);
  if (hash !== -1 && url.slice(hash + 1) !== multibase) {
    throw new InvalidKeyError({ input: url, reason: 'the fragment of a did:key verification method must repeat the key' });
  }
  return key;
}

/** The DID document of a did:key (Multikey form), or its verification method when the URL has the fragment. */
export function resolveDidKey(url: string): JsonObject {
  const key = parseDidKey(url);
  const method = {
    id: key.verificationMethod,
    type: 'Multikey',
    controller: key.did,
    publicKeyMultibase: key.multibase,
  };
  if (url.includes('#')) return { '@context': MULTIKEY_CONTEXT_URL, ...method };
  return {
    '@context': [DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL],
    id: key.did,
    verificationMethod: [method],
    authentication: [key.verificationMethod],
    assertionMethod: [key.verificationMethod],
    capabilityInvocation: [key.verificationMethod],
    capabilityDelegation: [key.verificationMethod],
  };
}

const keyObjects = new Map<string, KeyObject>();
const KEY_OBJECT_CACHE_SIZE = 10_000;

/** A node:crypto public KeyObject for the key, cached by multibase (bulk intake sees the same keys again). */
export function publicKeyObject(key: PublicKeyInfo): KeyObject {
  let keyObject = keyObjects.get(key.multibase);
  if (!keyObject) {
    keyObject =
      key.type === 'Ed25519'
        ? createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, key.publicKey]), format: 'der', type: 'spki' })
        : createPublicKey({ key: publicKeyToJwk(key), format: 'jwk' });
    if (keyObjects.size >= KEY_OBJECT_CACHE_SIZE) keyObjects.clear();
    keyObjects.set(key.multibase, keyObject);
  }
  return keyObject;
}

function compressP256(point: Uint8Array): Uint8Array {
  if (point.length === 33 && (point[0] === 0x02 || point[0] === 0x03)) {
    // checks that the point is on the curve (convertKey throws otherwise)
    convertP256(point, 'uncompressed');
    return point;
  }
  if (point.length === 65 && point[0] === 0x04) return convertP256(point, 'compressed');
  throw new InvalidKeyError({
    input: 'P-256 key',
    reason: `expected a 33-byte compressed or 65-byte uncompressed point, got ${point.length} bytes`,
  });
}

function convertP256(point: Uint8Array, format: 'compressed' | 'uncompressed'): Uint8Array {
  try {
    return Uint8Array.from(ECDH.convertKey(point, 'prime256v1', undefined, undefined, format) as Buffer);
  } catch (cause) {
    throw new InvalidKeyError({ input: 'P-256 key', reason: 'the point is not on the curve' }, { cause });
  }
}

function didMethodIn(url: unknown): string {
  const method = typeof url === 'string' ? /^(did:[a-z0-9]+):/.exec(url)?.[1] : undefined;
  return method ? `the DID method ${method}` : 'a key URL that is not a DID';
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 120 ? `"${value.slice(0, 117)}..."` : `"${value}"`;
  return value === undefined ? 'undefined' : typeof value;
}
