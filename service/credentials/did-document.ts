/**
 * DID documents built offline: the verification method a key id names, the controller document that authorises
 * it for assertions (what JSON-LD proof suites load), and a member's did:web document generated from the keys the
 * registry lists (what the member hosts at /.well-known/did.json, so that verifiers not written here accept its
 * credentials). Member key ids and their methods are Multikey; a did:jwk's method is JsonWebKey, as its spec says.
 */
import { DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL, publicKeyToJwk, resolveDidKey, type PublicKeyInfo } from './did-key';
import { memberKeyId, resolveKeyId, type ResolvedKeyId } from './key-id';
import type { JsonObject } from './types';

export const JWS_2020_CONTEXT_URL = 'https://w3id.org/security/suites/jws-2020/v1';

/** The verification method a key id names (with its @context, as a document loader answers it). */
export function verificationMethodDocument(keyId: string): JsonObject {
  const resolved = resolveKeyId(keyId);
  if (resolved.method === 'did:key') return resolveDidKey(resolved.id);
  if (resolved.method === 'did:jwk') return { '@context': JWS_2020_CONTEXT_URL, ...jsonWebKeyMethod(resolved) };
  return { '@context': MULTIKEY_CONTEXT_URL, ...multikeyMethod(resolved.id, resolved.controller, resolved.key) };
}

/**
 * The DID document of `controller` as far as it is known offline: a did:key's or did:jwk's whole document; for
 * a did:web, a document listing the one key id being checked (its binding to the member is the registry's to
 * prove, at the anchor time).
 */
export function controllerDocument(controller: string, keyId: string): JsonObject {
  const resolved = resolveKeyId(keyId);
  if (resolved.controller !== controller) {
    return { '@context': DID_CONTEXT_URL, id: controller, assertionMethod: [] };
  }
  if (resolved.method === 'did:key') return resolveDidKey(controller);
  if (resolved.method === 'did:jwk') {
    return {
      '@context': [DID_CONTEXT_URL, JWS_2020_CONTEXT_URL],
      id: controller,
      verificationMethod: [jsonWebKeyMethod(resolved)],
      assertionMethod: [resolved.id],
      authentication: [resolved.id],
      capabilityInvocation: [resolved.id],
      capabilityDelegation: [resolved.id],
    };
  }
  return {
    '@context': [DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL],
    id: controller,
    verificationMethod: [multikeyMethod(resolved.id, controller, resolved.key)],
    assertionMethod: [resolved.id],
  };
}

/** A key the registry lists for a member, and whether it may sign now (active, not revoked, not expired). */
export interface MemberDocumentKey {
  key: PublicKeyInfo;
  assertion: boolean;
}

/**
 * A member's DID document: every registered key as a Multikey method `<memberDid>#<publicKeyMultibase>` whose
 * controller is the member's DID; the keys that may sign now are also its assertionMethod. A revoked or expired
 * key stays listed as a method, so that the signatures it made before can still be checked against the chain,
 * but leaves assertionMethod.
 */
export function memberDidDocument(memberDid: string, keys: readonly MemberDocumentKey[]): JsonObject {
  const methods = keys.map(({ key }) => multikeyMethod(memberKeyId(memberDid, key), memberDid, key));
  return {
    '@context': [DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL],
    id: memberDid,
    verificationMethod: methods,
    assertionMethod: keys.filter((item) => item.assertion).map(({ key }) => memberKeyId(memberDid, key)),
  };
}

function multikeyMethod(id: string, controller: string, key: PublicKeyInfo): JsonObject {
  return { id, type: 'Multikey', controller, publicKeyMultibase: key.multibase };
}

function jsonWebKeyMethod(resolved: ResolvedKeyId): JsonObject {
  return { id: resolved.id, type: 'JsonWebKey', controller: resolved.controller, publicKeyJwk: publicKeyToJwk(resolved.key) as unknown as JsonObject };
}
