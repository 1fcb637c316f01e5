/* global crypto, TextEncoder, btoa */
/**
 * Signing in the browser with the member's key file, as `badge-notary key generate` writes it (service/credentials/
 * keys.ts exportIssuerKey: type, did, verificationMethod, keyHash, publicKeyJwk, privateKeyJwk). The private JWK
 * becomes a WebCrypto key that cannot be exported; the file's text is never sent anywhere. A credential is secured as
 * a VC-JWT the way the project signs one (jwt.ts signVcJwt, vc-jose-cose): header { alg, kid, typ: "vc+jwt",
 * cty: "vc" }, the credential as the payload; EdDSA for Ed25519, ES256 (r || s) for P-256.
 */

/** The key file cannot be used: `reason` says why, in English, for the page to put after its own words. */
export class KeyFileProblem extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'KeyFileProblem';
  }
}

const ALGORITHMS = {
  Ed25519: { import: { name: 'Ed25519' }, sign: { name: 'Ed25519' }, alg: 'EdDSA' },
  'P-256': { import: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' }, alg: 'ES256' },
};

/**
 * The signing key of a key file's text: { type, did, publicKeyMultibase, alg, sign(bytes) }. Throws KeyFileProblem
 * for a file that is no key file, has no private key, or whose private key does not match the public key it names.
 */
export async function readKeyFile(text) {
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    throw new KeyFileProblem('it is not JSON');
  }
  const algorithm = ALGORITHMS[file?.type];
  if (!algorithm) throw new KeyFileProblem('its type must be Ed25519 or P-256');
  if (typeof file.did !== 'string' || !file.did.startsWith('did:key:z')) throw new KeyFileProblem('it names no did:key');
  const jwk = file.privateKeyJwk;
  if (!jwk || typeof jwk.d !== 'string') throw new KeyFileProblem('it holds no private key (privateKeyJwk with "d")');
  const publicJwk = file.publicKeyJwk ?? {};
  if (jwk.x !== publicJwk.x || (jwk.y ?? '') !== (publicJwk.y ?? '')) throw new KeyFileProblem('its private key does not match its public key');
  let privateKey;
  try {
    privateKey = await crypto.subtle.importKey('jwk', { ...jwk, key_ops: ['sign'] }, algorithm.import, false, ['sign']);
  } catch (error) {
    throw new KeyFileProblem(`its private key cannot be used: ${error.message}`);
  }
  return {
    type: file.type,
    did: file.did,
    publicKeyMultibase: file.did.slice('did:key:'.length),
    alg: algorithm.alg,
    sign: async (bytes) => new Uint8Array(await crypto.subtle.sign(algorithm.sign, privateKey, bytes)),
  };
}

/** The key id a member's credential names: `<member DID>#<public key multibase>` (key-id.ts memberKeyId). */
export const memberKeyId = (memberDid, key) => `${memberDid}#${key.publicKeyMultibase}`;

/** The credential as a compact JWS (VC-JWT, vc-jose-cose), signed under the member's key id. */
export async function signVcJwt(credential, key, keyId) {
  const header = { alg: key.alg, kid: keyId, typ: 'vc+jwt', cty: 'vc' };
  const input = `${base64url(encode(JSON.stringify(header)))}.${base64url(encode(JSON.stringify(credential)))}`;
  return `${input}.${base64url(await key.sign(encode(input)))}`;
}

const encode = (text) => new TextEncoder().encode(text);

export function base64url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
