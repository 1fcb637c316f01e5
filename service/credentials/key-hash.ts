/**
 * The key hash: the value the registry stores for a signing key (IConfederationRegistry.registerKey).
 *
 *   keyHash = keccak256(multicodec prefix || public key)
 *
 * i.e. keccak256 over exactly the bytes of the did:key / Multikey multibase value after base58btc decoding:
 * 0xed01 || 32-byte Ed25519 key (34 bytes), or 0x8024 || 33-byte compressed P-256 point (35 bytes).
 */
import { getBytes, hexlify, keccak256 } from 'ethers';
import { base58btcEncode } from './base58';
import { isDidKey, parseDidKey, publicKeyFromJwk, publicKeyFromMultibase, type PublicKeyInfo } from './did-key';
import { InvalidKeyError } from './errors';
import type { Hex, Jwk } from './types';

/** What names a key: a did:key, a did:key verification method URL, a multibase value, a JWK (object or JSON text). */
export type KeyReference = string | Jwk;

/**
 * The registry's key hash of a key.
 *
 * @example
 * keyHashOf('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK')
 * // '0x...' (32 bytes)
 */
export function keyHashOf(key: KeyReference | PublicKeyInfo): Hex {
  const info = publicKeyOf(key);
  let hash = hashes.get(info.multibase);
  if (!hash) {
    hash = keccak256(info.multicodec) as Hex;
    if (hashes.size >= HASH_CACHE_SIZE) hashes.clear();
    hashes.set(info.multibase, hash);
  }
  return hash;
}

const hashes = new Map<string, Hex>();
const HASH_CACHE_SIZE = 10_000;

/** The public key that a reference names. */
export function publicKeyOf(key: KeyReference | PublicKeyInfo): PublicKeyInfo {
  if (typeof key === 'string') {
    const text = key.trim();
    if (isDidKey(text)) return parseDidKey(text);
    if (text.startsWith('{')) {
      let jwk: Jwk;
      try {
        jwk = JSON.parse(text) as Jwk;
      } catch (cause) {
        throw new InvalidKeyError({ input: 'JWK text', reason: 'not JSON' }, { cause });
      }
      return publicKeyFromJwk(jwk);
    }
    if (text.startsWith('z')) return publicKeyFromMultibase(text);
    throw new InvalidKeyError({
      input: `"${text.length > 80 ? `${text.slice(0, 77)}...` : text}"`,
      reason: 'expected a did:key, a did:key verification method URL, a multibase value (z...) or a JWK',
    });
  }
  if (key && typeof key === 'object' && 'multicodec' in key && key.multicodec instanceof Uint8Array) {
    return key as PublicKeyInfo;
  }
  return publicKeyFromJwk(key as Jwk);
}

/** The key's multicodec bytes as 0x hex: what registerPublicKey takes and SigningKeyPublished carries. */
export function multicodecHexOf(key: KeyReference | PublicKeyInfo): Hex {
  return hexlify(publicKeyOf(key).multicodec) as Hex;
}

/** The key behind multicodec bytes (0x hex), as SigningKeyPublished carries it; throws InvalidKeyError if malformed. */
export function publicKeyFromMulticodecHex(multicodec: string): PublicKeyInfo {
  let bytes: Uint8Array;
  try {
    bytes = getBytes(multicodec);
  } catch (cause) {
    throw new InvalidKeyError({ input: 'multicodec key', reason: 'not 0x hex' }, { cause });
  }
  return publicKeyFromMultibase(`z${base58btcEncode(bytes)}`);
}
