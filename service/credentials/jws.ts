/**
 * Compact JWS, shared by VC-JWT and OB 2.0 signed assertions: decoding without verifying, the algorithms that
 * fit each key type, verification and signing with jose. Keys are did:key (Ed25519: EdDSA; P-256: ES256).
 */
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, errors as joseErrors } from 'jose';
import { publicKeyObject, type PublicKeyInfo } from './did-key';
import {
  MalformedProofError,
  NotJsonError,
  SignatureInvalidError,
  UnexpectedError,
  UnknownFormatError,
  UnsupportedAlgorithmError,
} from './errors';
import { isJsonObject, type JsonObject, type KeyType } from './types';

/** Algorithms accepted per key type, the first being the one used to sign. */
export const JWS_ALGORITHMS: Record<KeyType, readonly string[]> = {
  Ed25519: ['EdDSA', 'Ed25519'],
  'P-256': ['ES256'],
};
const ALL_ALGORITHMS = [...JWS_ALGORITHMS.Ed25519, ...JWS_ALGORITHMS['P-256']];

// the signature part may be empty, so that an unsecured JWT (alg "none") is recognised and refused by its alg
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True when `text` has the shape of a compact JWS (three base64url parts, the last possibly empty). */
export function looksLikeCompactJws(text: string): boolean {
  return COMPACT_JWS.test(text);
}

/** A compact JWS decoded but not verified. */
export interface DecodedJws {
  /** The compact string, exactly as signed (surrounding whitespace trimmed). */
  compact: string;
  header: JsonObject;
  payload: JsonObject;
}

/** Decodes a compact JWS whose payload is a JSON object. Throws when it is not one. */
export function decodeCompactJws(text: string): DecodedJws {
  const compact = text.trim();
  if (!looksLikeCompactJws(compact)) {
    throw new NotJsonError({ reason: 'a compact JWS is three base64url parts separated by dots' });
  }
  const [headerPart, payloadPart] = compact.split('.') as [string, string, string];
  const header = decodeJsonPart(headerPart, 'JWS header');
  const payload = decodeJsonPart(payloadPart, 'JWS payload');
  return { compact, header, payload };
}

function decodeJsonPart(part: string, what: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new NotJsonError({ reason: `the ${what} is not base64url-encoded JSON` }, { cause });
  }
  if (!isJsonObject(value)) throw new UnknownFormatError({ reason: `the ${what} is not a JSON object` });
  return value;
}

/**
 * Throws UnsupportedAlgorithmError unless the header's `alg` is one this key type signs with.
 * `alg: none`, HMAC and RSA are refused here before any key is touched.
 */
export function assertAlgorithmFitsKey(header: JsonObject, key: PublicKeyInfo): string {
  const { alg } = header;
  if (typeof alg !== 'string') throw new MalformedProofError({ field: 'JWS header alg', reason: 'is missing' });
  if (!ALL_ALGORITHMS.includes(alg)) {
    throw new UnsupportedAlgorithmError({ algorithm: alg, supported: ALL_ALGORITHMS });
  }
  if (!JWS_ALGORITHMS[key.type].includes(alg)) {
    throw new UnsupportedAlgorithmError({
      algorithm: alg,
      supported: JWS_ALGORITHMS[key.type],
      reason: `the key ${key.verificationMethod} is ${key.type}, which signs with ${JWS_ALGORITHMS[key.type].join(' or ')}`,
    });
  }
  return alg;
}

export interface VerifyCompactJwsParameters {
  compact: string;
  header: JsonObject;
  key: PublicKeyInfo;
  format: string;
}

/** Verifies the signature of a compact JWS with the did:key `key`; throws a typed error when it fails. */
export async function verifyCompactJws({ compact, header, key, format }: VerifyCompactJwsParameters): Promise<void> {
  const alg = assertAlgorithmFitsKey(header, key);
  try {
    await compactVerify(compact, publicKeyObject(key), { algorithms: [alg] });
  } catch (cause) {
    if (cause instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new SignatureInvalidError({ format, verificationMethod: key.verificationMethod }, { cause });
    }
    if (cause instanceof joseErrors.JOSEAlgNotAllowed || cause instanceof joseErrors.JOSENotSupported) {
      throw new UnsupportedAlgorithmError({ algorithm: alg, supported: JWS_ALGORITHMS[key.type] }, { cause });
    }
    if (cause instanceof joseErrors.JWSInvalid) {
      throw new MalformedProofError({ field: 'JWS', reason: `is invalid: ${cause.message}` }, { cause });
    }
    throw new UnexpectedError({ during: `${format} signature verification`, message: String(cause) }, { cause });
  }
}

export interface SignCompactJwsParameters {
  header: JsonObject;
  payload: JsonObject;
  keyType: KeyType;
  privateKey: KeyObject;
}

/** Signs `payload` (as its JSON.stringify text) with the key's first algorithm; returns the compact JWS. */
export async function signCompactJws({ header, payload, keyType, privateKey }: SignCompactJwsParameters): Promise<string> {
  const alg = JWS_ALGORITHMS[keyType][0] as string;
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader({ alg, ...header }).sign(privateKey);
}
