/**
 * Key ids: the DID URLs that a proof's `verificationMethod` or a JWT `kid` may name, all resolved offline because
 * each one holds its key.
 *   did:key:<mb>#<mb>            the did:key itself (did-key.ts); its controller is the did:key
 *   did:jwk:<b64url JWK>#0       the JWK is the DID (https://github.com/quartzjer/did-jwk); controller the did:jwk
 *   did:web:<host>#<mb>          a member key: the member's DID, the fragment the key's Multikey value (z6Mk... or
 *                                zDn...). The signature checks with the key in the fragment; the registry proves that
 *                                the key belongs to the member whose DID is the issuer (the chain is the source of
 *                                truth, never the member's web site).
 * memberKeyId builds the third form; the member's DID document (did-document.ts) lists the same ids.
 */
import { isDidKey, parseDidKey, publicKeyFromJwk, publicKeyFromMultibase, type PublicKeyInfo } from './did-key';
import { InvalidKeyError, UnsupportedKeyError } from './errors';
import type { IssuerKey } from './keys';
import { isJsonObject, type Jwk } from './types';

/** How a key id binds its key to a DID. */
export type KeyIdMethod = 'did:key' | 'did:jwk' | 'did:web';

/** A key id resolved offline. */
export interface ResolvedKeyId {
  /** The key id as the proof names it (for did:key: normalised to `did:key:<mb>#<mb>`). */
  id: string;
  /** The DID the key id belongs to: its verification method's controller. */
  controller: string;
  method: KeyIdMethod;
  key: PublicKeyInfo;
}

export const SUPPORTED_KEY_IDS = 'did:key, did:jwk, or a member key id did:web:<host>#<publicKeyMultibase>';

const DID_JWK_PREFIX = 'did:jwk:';
const DID_WEB_PREFIX = 'did:web:';

/**
 * The key id of a member key: `<memberDid>#<publicKeyMultibase>`, e.g. `did:web:school.example#z6Mk...`.
 *
 * @example
 * memberKeyId('did:web:school.example', key) // 'did:web:school.example#z6Mk...'
 */
export function memberKeyId(memberDid: string, key: PublicKeyInfo | IssuerKey): string {
  if (typeof memberDid !== 'string' || !/^did:[a-z0-9]+:[^#?\s]+$/.test(memberDid)) {
    throw new InvalidKeyError({ input: JSON.stringify(memberDid), reason: 'the member DID must be a DID without fragment or query' });
  }
  const multibase = 'publicKeyMultibase' in key ? key.publicKeyMultibase : key.multibase;
  return `${memberDid}#${multibase}`;
}

/** The DID method of a DID URL (`did:web`), or undefined when it is not a DID. */
export function didMethodOf(url: string): string | undefined {
  return /^(did:[a-z0-9]+):/.exec(url)?.[1];
}

/**
 * Resolves a key id offline. `field` says where the id came from, for the error raised when it cannot be
 * resolved (UnsupportedKeyError naming the DID method met and the ones supported).
 */
export function resolveKeyId(url: string, field = 'key'): ResolvedKeyId {
  if (isDidKey(url)) {
    const key = parseDidKey(url, field);
    return { id: key.verificationMethod, controller: key.did, method: 'did:key', key };
  }
  if (typeof url === 'string' && url.startsWith(DID_JWK_PREFIX)) return resolveDidJwk(url);
  if (typeof url === 'string' && url.startsWith(DID_WEB_PREFIX)) return resolveMemberKeyId(url, field);
  const method = typeof url === 'string' ? didMethodOf(url) : undefined;
  throw new UnsupportedKeyError({
    key: String(url),
    field,
    reason: `${method ? `the DID method ${method} is` : 'a key URL that is not a DID is'} not resolved here; supported: ${SUPPORTED_KEY_IDS}`,
  });
}

function resolveMemberKeyId(url: string, field: string): ResolvedKeyId {
  const hash = url.indexOf('#');
  const fragment = hash === -1 ? '' : url.slice(hash + 1);
  if (!fragment.startsWith('z')) {
    throw new UnsupportedKeyError({
      key: url,
      field,
      reason: `a did:web key id is resolved offline only when its fragment is the key's publicKeyMultibase (did:web:<host>#z...); supported: ${SUPPORTED_KEY_IDS}`,
    });
  }
  const controller = url.slice(0, hash);
  if (/[?]/.test(controller)) throw new InvalidKeyError({ input: url, reason: 'a member key id has no query' });
  return { id: url, controller, method: 'did:web', key: publicKeyFromMultibase(fragment) };
}

/** A did:jwk: the method-specific id is the base64url of the JWK's JSON; its one verification method is `#0`. */
function resolveDidJwk(url: string): ResolvedKeyId {
  const hash = url.indexOf('#');
  const controller = hash === -1 ? url : url.slice(0, hash);
  if (hash !== -1 && url.slice(hash + 1) !== '0') {
    throw new InvalidKeyError({ input: url, reason: 'the verification method of a did:jwk is #0' });
  }
  const encoded = controller.slice(DID_JWK_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new InvalidKeyError({ input: url, reason: 'a did:jwk is did:jwk: followed by base64url' });
  let jwk: unknown;
  try {
    jwk = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidKeyError({ input: url, reason: 'the did:jwk does not decode to JSON' }, { cause });
  }
  if (!isJsonObject(jwk)) throw new InvalidKeyError({ input: url, reason: 'the did:jwk does not decode to a JWK object' });
  if (typeof jwk.d === 'string') throw new InvalidKeyError({ input: url, reason: 'the did:jwk holds a private key' });
  return { id: `${controller}#0`, controller, method: 'did:jwk', key: publicKeyFromJwk(jwk as Jwk) };
}

/** The did:jwk of a public key (its JWK, base64url), e.g. for tests and issuers that use did:jwk. */
export function didJwkOf(jwk: Jwk): string {
  const { kty, crv, x, y } = jwk;
  const publicJwk = y === undefined ? { crv, kty, x } : { crv, kty, x, y };
  return `${DID_JWK_PREFIX}${Buffer.from(JSON.stringify(publicJwk)).toString('base64url')}`;
}
