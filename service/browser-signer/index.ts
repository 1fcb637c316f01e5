/**
 * Data Integrity in the console's browser (docs/console.md "Co-issuance"): the project's own signer and proof
 * checks, so that a credential signed on the page is the one `badge-notary` would sign. A validation point signs
 * each credential of a co-issued batch (signCredential, format data-integrity, under its member key id); the
 * issuing point checks those proofs and the class claims (the verifier's verifyLinkedDataProofs, classClaimsOf and
 * checkClassClaims), then adds its own proof first (addIssuerProof). esbuild bundles this module for the browser
 * (scripts/build-browser-verifier.js buildBrowserSigner) into the console's `ld-signer.js`, with the verifier
 * bundle's node shims and node-shims/crypto.ts, which signs with a WebCrypto key. The key file is read here and
 * its private key becomes a key that cannot be exported: nothing of it is sent anywhere.
 */
import { checkClassClaims, classClaimsOf } from '../catalogue/credential-claims';
import type { BadgeClassDocument } from '../catalogue/badge-class';
import { verifyLinkedDataProofs } from '../credentials/data-integrity';
import { publicKeyFromJwk, publicKeyToJwk } from '../credentials/did-key';
import { CredentialError, messageOf } from '../credentials/errors';
import { keyHashOf } from '../credentials/key-hash';
import { memberKeyId } from '../credentials/key-id';
import type { IssuerKey } from '../credentials/keys';
import { addIssuerProof, signCredential } from '../credentials/signer';
import type { JsonObject, Jwk } from '../credentials/types';
import { NotaryError } from '../errors';
import { holdsFor, WebCryptoPrivateKey } from './node-shims/crypto';

export { checkClassClaims, classClaimsOf, memberKeyId };

/** The key file cannot sign Data Integrity proofs: `reason` says why (English). */
export class SigningKeyProblem extends NotaryError {
  override name = 'SigningKeyProblem';
  constructor(message: string) {
    super('signing-key-unusable', message);
  }
}

/**
 * The Ed25519 key of a key file's text, as `badge-notary key generate` writes it (keys.ts exportIssuerKey). Throws
 * SigningKeyProblem for a file that is no key file, holds no private key, holds a P-256 key (eddsa-rdfc-2022 signs
 * with Ed25519 only), or whose private key does not sign for the public key it names.
 */
export async function readSigningKeyFile(text: string): Promise<IssuerKey> {
  let file: { type?: unknown; did?: unknown; privateKeyJwk?: Jwk } | undefined;
  try {
    file = JSON.parse(text) as typeof file;
  } catch {
    throw new SigningKeyProblem('it is not JSON');
  }
  if (file?.type === 'P-256') throw new SigningKeyProblem('it holds a P-256 key: co-issued badges are signed with eddsa-rdfc-2022, which takes Ed25519 keys only');
  if (file?.type !== 'Ed25519') throw new SigningKeyProblem('its type must be Ed25519');
  const jwk = file.privateKeyJwk;
  if (!jwk || typeof jwk.d !== 'string') throw new SigningKeyProblem('it holds no private key (privateKeyJwk with "d")');
  let publicKey;
  try {
    publicKey = publicKeyFromJwk(jwk);
  } catch (cause) {
    throw new SigningKeyProblem(`its public key cannot be read: ${messageOf(cause)}`);
  }
  if (file.did !== publicKey.did) throw new SigningKeyProblem('its did is not the did:key of its public key');
  let privateKey: WebCryptoPrivateKey;
  try {
    const cryptoKey = await globalThis.crypto.subtle.importKey('jwk', { ...jwk, key_ops: ['sign'] }, { name: 'Ed25519' }, false, ['sign']);
    privateKey = new WebCryptoPrivateKey(cryptoKey, publicKey.publicKey);
  } catch (cause) {
    throw new SigningKeyProblem(`its private key cannot be used: ${messageOf(cause)}`);
  }
  const probe = new TextEncoder().encode('badge-notary key file check');
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign({ name: 'Ed25519' }, privateKey.cryptoKey, probe));
  if (!holdsFor(privateKey, probe, signature)) throw new SigningKeyProblem('its private key does not match its public key');
  return {
    type: 'Ed25519',
    did: publicKey.did,
    verificationMethod: publicKey.verificationMethod,
    publicKeyMultibase: publicKey.multibase,
    keyHash: keyHashOf(publicKey),
    publicKeyJwk: publicKeyToJwk(publicKey),
    publicKey,
    privateKey: privateKey as unknown as IssuerKey['privateKey'],
  };
}

/** The validation point's proof: the unsigned credential signed with eddsa-rdfc-2022 under `<memberDid>#z...`. */
export async function signAsValidationPoint(credential: JsonObject, key: IssuerKey, memberDid: string, created: Date): Promise<JsonObject> {
  return signCredential({ credential, key, format: 'data-integrity', verificationMethod: memberKeyId(memberDid, key), created });
}

/** The issuing point's proof, put first beside the validation point's (addIssuerProof), under `<issuer.id>#z...`. */
export async function signAsIssuer(credential: JsonObject, key: IssuerKey, created: Date): Promise<JsonObject> {
  return addIssuerProof({ credential, key, created });
}

/** What checkProofs finds: every proof holds (their key ids, in order), or the reason one does not. */
export type ProofCheck = { verified: true; signers: string[] } | { verified: false; reason: string };

/** Verifies every Data Integrity proof of `credential` (signature and proof purpose, offline): never throws. */
export async function checkProofs(credential: unknown): Promise<ProofCheck> {
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential)) return { verified: false, reason: 'the credential is not a JSON object' };
  try {
    const proofs = await verifyLinkedDataProofs(credential as JsonObject);
    return { verified: true, signers: proofs.map((proof) => proof.verificationMethod) };
  } catch (error) {
    return { verified: false, reason: error instanceof CredentialError ? error.shortMessage : messageOf(error) };
  }
}

/** What claimedLevel answers. */
export type ClaimedLevel = { level: string; score: number | undefined } | { field: string; reason: string };

/** The class's level a credential claims, checked against the class: `{ level, score }` or `{ field, reason }`. */
export function claimedLevel(credential: unknown, badgeClass: BadgeClassDocument): ClaimedLevel {
  const claims = classClaimsOf(credential);
  if (!claims) return { field: 'credentialSubject.achievement.id', reason: 'the credential cites no badge class' };
  const checked = checkClassClaims(badgeClass, claims);
  if ('problem' in checked) return checked.problem;
  return { level: checked.level, score: claims.score?.value };
}
