/**
 * signCredential: one entry point that signs an unsigned credential in any accepted format.
 *   data-integrity            Ed25519 key, DataIntegrityProof eddsa-rdfc-2022 (VC 2.0 or 1.1 credential)
 *   ed25519-signature-2020    Ed25519 key, Ed25519Signature2020 (VC 1.1 credential)
 *   vc-jwt                    EdDSA (Ed25519) or ES256 (P-256), compact JWS
 *   ob2-jws                   EdDSA or ES256 over an OB 2.0 Assertion
 * The proof's verificationMethod (the JWT `kid`) is the key id: for a did:web issuer (a member) the member key id
 * `<memberDid>#<publicKeyMultibase>`, which standard verifiers accept because its controller is the issuer;
 * otherwise the did:key URL. Another key id of the same key can be given (e.g. a did:jwk).
 */
import { withoutReceiptEntries } from '../merkle/embed';
import { EDDSA_RDFC_2022, linkedDataProofsOf, signLinkedData, type LinkedDataProofInfo } from './data-integrity';
import { InvalidBadgeInputError, messageOf } from './errors';
import { signVcJwt, type JwtClaimsStyle } from './jwt';
import { memberKeyId, resolveKeyId } from './key-id';
import type { IssuerKey } from './keys';
import { signOb2Assertion } from './ob2';
import { idOf } from './schema';
import { isJsonObject, type CredentialFormat, type JsonObject } from './types';

export interface SignCredentialParameters<F extends CredentialFormat = CredentialFormat> {
  /** The unsigned credential (an OB 2.0 Assertion for ob2-jws). It is not changed. */
  credential: JsonObject;
  key: IssuerKey;
  format: F;
  /** The proof's `created` time for the JSON formats; default the current time. */
  created?: Date | undefined;
  /** vc-jwt only: the payload convention; default vc-jose-cose for VC 2.0 credentials, vc-1.1 for VC 1.1 ones. */
  jwtStyle?: JwtClaimsStyle | undefined;
  /**
   * The key id to sign with (DI proof verificationMethod, JWT kid, OB 2.0 creator); it must name `key`. Default:
   * memberKeyId(issuer, key) when the issuer is a did:web, else the key's did:key URL.
   */
  verificationMethod?: string | undefined;
}

/** The signed artifact: a compact JWS for the JWS formats, the credential with its proof for the JSON ones. */
export type SignedArtifact<F extends CredentialFormat> = F extends 'vc-jwt' | 'ob2-jws' ? string : JsonObject;

/**
 * Signs a credential.
 *
 * @example
 * const key = generateIssuerKey({ type: 'Ed25519' })
 * const jwt = await signCredential({ credential, key, format: 'vc-jwt' })
 */
export async function signCredential<F extends CredentialFormat>(parameters: SignCredentialParameters<F>): Promise<SignedArtifact<F>> {
  const { credential, key, format } = parameters;
  if (!isJsonObject(credential)) throw new InvalidBadgeInputError({ field: 'credential', reason: 'must be a JSON object' });
  if (!key || typeof key.verificationMethod !== 'string' || !key.privateKey) {
    throw new InvalidBadgeInputError({ field: 'key', reason: 'must be an IssuerKey (generateIssuerKey / importIssuerKey)' });
  }
  const keyId = signingKeyId(credential, key, format, parameters.verificationMethod);
  switch (format) {
    case 'data-integrity':
    case 'ed25519-signature-2020':
      return (await signLinkedData({ credential, key, keyId, format, created: parameters.created ?? new Date() })) as SignedArtifact<F>;
    case 'vc-jwt':
      return (await signVcJwt({ credential, key, keyId, style: parameters.jwtStyle })) as SignedArtifact<F>;
    case 'ob2-jws':
      return (await signOb2Assertion({ assertion: credential, key, keyId })) as SignedArtifact<F>;
    default:
      throw new InvalidBadgeInputError({
        field: 'format',
        reason: `must be data-integrity, ed25519-signature-2020, vc-jwt or ob2-jws, got ${JSON.stringify(format)}`,
      });
  }
}

/** The key id a signature names: the one given (checked to name `key`), the member key id, or the did:key URL. */
function signingKeyId(credential: JsonObject, key: IssuerKey, format: CredentialFormat, given: string | undefined): string {
  if (given !== undefined) {
    let named: string;
    try {
      named = resolveKeyId(given, 'verificationMethod').key.multibase;
    } catch (cause) {
      throw new InvalidBadgeInputError({ field: 'verificationMethod', reason: `cannot be resolved: ${messageOf(cause)}` }, { cause });
    }
    if (named !== key.publicKeyMultibase) {
      throw new InvalidBadgeInputError({ field: 'verificationMethod', reason: `names the key ${named}, not the signing key ${key.publicKeyMultibase}` });
    }
    return given;
  }
  const issuer = format === 'ob2-jws' && isJsonObject(credential.badge) ? idOf(credential.badge.issuer) : idOf(credential.issuer);
  return issuer?.startsWith('did:web:') ? memberKeyId(issuer, key) : key.verificationMethod;
}

export interface AddCoSignatureParameters {
  /** A data-integrity credential already signed by its issuer (one proof or a proof set). It is not changed. */
  credential: JsonObject;
  /** The co-signer's Ed25519 key. */
  key: IssuerKey;
  /** The co-signer's key id, naming `key`: its member key id `did:web:<member>#z...` (memberKeyId). */
  verificationMethod: string;
  /** The proof's `created` time; default the current time. */
  created?: Date | undefined;
}

/**
 * Adds a co-signer's eddsa-rdfc-2022 proof beside the proofs already there (a Data Integrity proof set: the new
 * proof signs the credential without the others, so neither proof depends on the other). The credential digest
 * covers every proof, so a credential is co-signed before it is notarised. VC-JWT has no co-signature form here:
 * a compact JWS carries one signature, and the JWS JSON serialisation with several signatures is not a VC-JWT
 * that wallets and verifiers accept.
 *
 * @example
 * const signed = await signCredential({ credential, key: issuingPoint, format: 'data-integrity' })
 * const coIssued = await addCoSignature({ credential: signed, key: validationPoint, verificationMethod: memberKeyId(did, validationPoint) })
 */
export async function addCoSignature(parameters: AddCoSignatureParameters): Promise<JsonObject> {
  const { credential, key } = parameters;
  const existing = proofsToSignBeside(credential, key);
  const keyId = signingKeyId(credential, key, 'data-integrity', parameters.verificationMethod);
  const { proof: _proof, ...unsigned } = credential;
  const signed = await signLinkedData({ credential: unsigned, key, keyId, format: 'data-integrity', created: parameters.created ?? new Date() });
  return { ...unsigned, proof: [...existing.map((info) => info.proof), signed.proof as JsonObject] };
}

export interface AddIssuerProofParameters {
  /** A data-integrity credential its co-signers signed first (no proof by its issuer yet, not notarised). It is not changed. */
  credential: JsonObject;
  /** The issuer's Ed25519 key. */
  key: IssuerKey;
  /** The issuer's key id, naming `key`; default its member key id `<issuer.id>#z...` for a did:web issuer. */
  verificationMethod?: string | undefined;
  /** The proof's `created` time; default the current time. */
  created?: Date | undefined;
}

/**
 * Adds the issuer's eddsa-rdfc-2022 proof to a credential that its co-signers signed first: the order of the web
 * console's co-issuance, where a validation point signs and exports the batch and the issuing point signs last
 * (docs/console.md). A proof set's proofs are independent, so the order of signing does not matter to the
 * signatures; but the project reads the issuer's proof as the first of the set (parse.ts, and class conformance
 * takes the others as co-signers), so the issuer's proof is put first. The result is the credential that
 * signCredential then addCoSignature would make.
 *
 * @example
 * const vpKeyId = memberKeyId(vpDid, validationPoint)
 * const byValidationPoint = await signCredential({ credential, key: validationPoint, format: 'data-integrity', verificationMethod: vpKeyId })
 * const coIssued = await addIssuerProof({ credential: byValidationPoint, key: issuingPoint })
 */
export async function addIssuerProof(parameters: AddIssuerProofParameters): Promise<JsonObject> {
  const { credential, key } = parameters;
  const existing = proofsToSignBeside(credential, key);
  const issuer = idOf(credential.issuer);
  const byIssuer = existing.find((info) => issuer !== undefined && resolveKeyId(info.verificationMethod).controller === issuer);
  if (byIssuer) {
    throw new InvalidBadgeInputError({
      field: 'credential.proof',
      reason: `already holds a proof by its issuer ${issuer} (${byIssuer.verificationMethod}): add a co-signature instead`,
    });
  }
  const keyId = signingKeyId(credential, key, 'data-integrity', parameters.verificationMethod);
  const { proof: _proof, ...unsigned } = credential;
  const signed = await signLinkedData({ credential: unsigned, key, keyId, format: 'data-integrity', created: parameters.created ?? new Date() });
  return { ...unsigned, proof: [signed.proof as JsonObject, ...existing.map((info) => info.proof)] };
}

/** The proofs a new signature by `key` joins: data-integrity ones, no receipt yet, none by `key` itself. */
function proofsToSignBeside(credential: JsonObject, key: IssuerKey): LinkedDataProofInfo[] {
  if (!isJsonObject(credential)) throw new InvalidBadgeInputError({ field: 'credential', reason: 'must be a JSON object' });
  let existing: LinkedDataProofInfo[];
  try {
    existing = linkedDataProofsOf(withoutReceiptEntries(credential));
  } catch (cause) {
    throw new InvalidBadgeInputError({ field: 'credential.proof', reason: `must hold the issuer's data-integrity proof: ${messageOf(cause)}` }, { cause });
  }
  if (existing.some((info) => info.format !== 'data-integrity')) {
    throw new InvalidBadgeInputError({ field: 'credential.proof', reason: `a co-signature is added to a DataIntegrityProof ${EDDSA_RDFC_2022} credential only` });
  }
  if (Array.isArray(credential.proof) && credential.proof.length !== existing.length) {
    throw new InvalidBadgeInputError({ field: 'credential.proof', reason: 'carries a notarisation receipt: co-sign before notarising (the digest covers every proof)' });
  }
  if (!key || typeof key.verificationMethod !== 'string' || !key.privateKey) {
    throw new InvalidBadgeInputError({ field: 'key', reason: 'must be an IssuerKey (generateIssuerKey / importIssuerKey)' });
  }
  if (existing.some((info) => info.key.multibase === key.publicKeyMultibase)) {
    throw new InvalidBadgeInputError({ field: 'key', reason: `${key.publicKeyMultibase} has already signed this credential; a co-signer signs with another key` });
  }
  return existing;
}
