/**
 * Issuer key pairs as did:key (Ed25519 or P-256): generate, export to JSON (a JWK pair, so a demo key can be
 * saved to a file), import back. The private key stays a node:crypto KeyObject inside the process.
 */
import { createECDH, createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { publicKeyFromJwk, publicKeyToJwk, type PublicKeyInfo } from './did-key';
import { InvalidKeyError } from './errors';
import { keyHashOf } from './key-hash';
import type { Hex, Jwk, KeyType } from './types';

/** A did:key issuer key pair. */
export interface IssuerKey {
  readonly type: KeyType;
  /** `did:key:z...` */
  readonly did: string;
  /** `did:key:z...#z...`: what proofs and JWT `kid`s name. */
  readonly verificationMethod: string;
  readonly publicKeyMultibase: string;
  /** The registry's key hash (see key-hash.ts). */
  readonly keyHash: Hex;
  readonly publicKeyJwk: Jwk;
  readonly publicKey: PublicKeyInfo;
  readonly privateKey: KeyObject;
}

/** The JSON form of an issuer key; `privateKeyJwk` is absent in a public-only export. */
export interface ExportedIssuerKey {
  type: KeyType;
  did: string;
  verificationMethod: string;
  keyHash: Hex;
  publicKeyJwk: Jwk;
  privateKeyJwk?: Jwk;
}

export interface GenerateIssuerKeyParameters {
  type: KeyType;
  /**
   * 32 bytes that fix the key (Ed25519: the RFC 8032 seed; P-256: the private scalar). For test vectors and demos
   * only; without it the key is random.
   */
  seed?: Uint8Array;
}

// PKCS#8 header of an Ed25519 private key (RFC 8410), followed by the 32-byte seed.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * A new did:key issuer key.
 *
 * @example
 * const key = generateIssuerKey({ type: 'Ed25519' })
 * fs.writeFileSync('issuer-key.json', JSON.stringify(exportIssuerKey(key)))
 */
export function generateIssuerKey({ type, seed }: GenerateIssuerKeyParameters): IssuerKey {
  if (seed !== undefined && seed.length !== 32) {
    throw new InvalidKeyError({ input: 'seed', reason: `must be 32 bytes, got ${seed.length}` });
  }
  if (type === 'Ed25519') {
    const privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed ?? randomBytes(32)]),
      format: 'der',
      type: 'pkcs8',
    });
    return issuerKeyFromPrivateKey(privateKey);
  }
  if (type === 'P-256') {
    if (!seed) return issuerKeyFromPrivateKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const ecdh = createECDH('prime256v1');
    try {
      ecdh.setPrivateKey(Buffer.from(seed));
    } catch (cause) {
      throw new InvalidKeyError({ input: 'seed', reason: 'not a valid P-256 private scalar' }, { cause });
    }
    const point = ecdh.getPublicKey();
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
      d: Buffer.from(seed).toString('base64url'),
    };
    return issuerKeyFromPrivateKey(createPrivateKey({ key: jwk, format: 'jwk' }));
  }
  throw new InvalidKeyError({ input: `type ${JSON.stringify(type)}`, reason: 'the key type must be Ed25519 or P-256' });
}

/** The JSON form of a key: with the private JWK unless `includePrivateKey` is false. */
export function exportIssuerKey(key: IssuerKey, { includePrivateKey = true } = {}): ExportedIssuerKey {
  const exported: ExportedIssuerKey = {
    type: key.type,
    did: key.did,
    verificationMethod: key.verificationMethod,
    keyHash: key.keyHash,
    publicKeyJwk: key.publicKeyJwk,
  };
  if (includePrivateKey) exported.privateKeyJwk = key.privateKey.export({ format: 'jwk' }) as Jwk;
  return exported;
}

/**
 * The key from its JSON form (object or text). The private JWK is the source of truth; the other fields, when
 * present, must agree with it, so a file edited by hand cannot name one key and hold another.
 */
export function importIssuerKey(input: ExportedIssuerKey | string): IssuerKey {
  let exported: ExportedIssuerKey;
  try {
    exported = typeof input === 'string' ? (JSON.parse(input) as ExportedIssuerKey) : input;
  } catch (cause) {
    throw new InvalidKeyError({ input: 'issuer key file', reason: 'not JSON' }, { cause });
  }
  const jwk = exported?.privateKeyJwk;
  if (!jwk || typeof jwk.d !== 'string') {
    throw new InvalidKeyError({ input: 'issuer key', reason: 'privateKeyJwk with "d" is required to sign' });
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  } catch (cause) {
    throw new InvalidKeyError({ input: 'issuer key', reason: 'privateKeyJwk is not a usable private key' }, { cause });
  }
  const key = issuerKeyFromPrivateKey(privateKey);
  for (const field of ['type', 'did', 'verificationMethod', 'keyHash'] as const) {
    if (exported[field] !== undefined && exported[field] !== key[field]) {
      throw new InvalidKeyError({
        input: 'issuer key',
        reason: `${field} ${exported[field]} does not match the private key (${key[field]})`,
      });
    }
  }
  return key;
}

function issuerKeyFromPrivateKey(privateKey: KeyObject): IssuerKey {
  const privateJwk = privateKey.export({ format: 'jwk' }) as Jwk;
  const publicKey = publicKeyFromJwk(privateJwk);
  return {
    type: publicKey.type,
    did: publicKey.did,
    verificationMethod: publicKey.verificationMethod,
    publicKeyMultibase: publicKey.multibase,
    keyHash: keyHashOf(publicKey),
    publicKeyJwk: publicKeyToJwk(publicKey),
    publicKey,
    privateKey,
  };
}
