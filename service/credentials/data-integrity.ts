// ts-node, which runs the benchmark and the vector generator, does not read tsconfig "include"; hence the reference.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../types/digitalbazaar.d.ts" />
/**
 * Linked Data proofs on JSON credentials: a DataIntegrityProof with cryptosuite eddsa-rdfc-2022 (VC 2.0) and the
 * older Ed25519Signature2020 (VC 1.1), both by an Ed25519 key named by a key id (key-id.ts). Signing goes through @digitalbazaar/vc `issue`;
 * verification calls the suite's `verifyProof` directly, so that only the signature is judged here (schema and
 * dates are checked by schema.ts and dates.ts against the clock the caller passes). JSON-LD canonicalisation runs
 * in safe mode (the suites' default) with the offline loader, through the shape cache (rdf-fast-path/) unless the
 * reference canonicaliser is chosen: both give the same N-Quads; the cache skips jsonld.js's expansion for shapes
 * it has seen.
 */
import { sign as cryptoSign, verify as cryptoVerify } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { issue } from '@digitalbazaar/vc';
import { publicKeyFromMultibase, publicKeyObject, type PublicKeyInfo } from './did-key';
import { controllerDocument } from './did-document';
import {
  CredentialError,
  findCredentialError,
  InvalidBadgeInputError,
  MalformedProofError,
  MissingProofError,
  SchemaError,
  SignatureInvalidError,
  UnexpectedError,
  UnsupportedAlgorithmError,
  messageOf,
  type SchemaIssue,
} from './errors';
import { resolveKeyId } from './key-id';
import type { IssuerKey } from './keys';
import { DATA_INTEGRITY_V2_CONTEXT_URL, documentLoader, ED25519_2020_CONTEXT_URL, VC_V2_CONTEXT_URL } from './loader';
import { canonizeWithShapeCache, type CanonizeFunction } from './rdf-fast-path/shape-cached-canonicaliser';
import { isJsonObject, type JsonObject } from './types';

export type LinkedDataFormat = 'data-integrity' | 'ed25519-signature-2020';

export const EDDSA_RDFC_2022 = 'eddsa-rdfc-2022';
const PROOF_TYPES: Record<string, LinkedDataFormat> = {
  DataIntegrityProof: 'data-integrity',
  Ed25519Signature2020: 'ed25519-signature-2020',
};
const SUPPORTED_PROOFS = ['DataIntegrityProof (eddsa-rdfc-2022)', 'Ed25519Signature2020'];

/** The issuer proof of a receipt-free JSON credential, checked for shape but not verified. */
export interface LinkedDataProofInfo {
  format: LinkedDataFormat;
  proof: JsonObject;
  verificationMethod: string;
  key: PublicKeyInfo;
}

/**
 * Finds and checks the issuer proof of `credential` (receipts already stripped): its type and cryptosuite,
 * proofPurpose assertionMethod, a proofValue, and a verification method (key id) with an Ed25519 key. In a proof
 * set (a co-issued credential, linkedDataProofsOf) it is the first proof, the issuer's.
 */
export function linkedDataProofOf(credential: JsonObject): LinkedDataProofInfo {
  return linkedDataProofsOf(credential)[0] as LinkedDataProofInfo;
}

/**
 * Every issuer proof of `credential`, checked for shape: one proof, or a proof set (VC Data Integrity 1.0 "proof
 * sets": proofs side by side, each signing the credential without the others) of eddsa-rdfc-2022 proofs by
 * different keys, the issuer's first, then its co-signers'. A set of Ed25519Signature2020 proofs or two proofs by
 * one key is refused: co-issuance means two members' keys, and a key hash per signer.
 */
export function linkedDataProofsOf(credential: JsonObject): LinkedDataProofInfo[] {
  const { proof } = credential;
  if (proof === undefined) {
    throw new MissingProofError({ reason: 'the credential has no issuer proof (a BadgeNotaryReceipt is not one)' });
  }
  if (!Array.isArray(proof)) return [oneProofOf(credential, proof, 'proof')];
  if (proof.length === 0) throw new MissingProofError({ reason: 'the credential\'s proof set is empty' });
  const proofs = proof.map((entry, index) => oneProofOf(credential, entry, `proof[${index}]`));
  const seen = new Set<string>();
  for (const [index, info] of proofs.entries()) {
    if (info.format !== 'data-integrity') {
      throw new MalformedProofError({ field: `proof[${index}]`, reason: `a proof set (co-issuance) takes DataIntegrityProof ${EDDSA_RDFC_2022} proofs only, got ${String(info.proof.type)}` });
    }
    if (seen.has(info.key.multibase)) {
      throw new MalformedProofError({
        field: `proof[${index}]`,
        reason: `holds ${proof.length} issuer proofs, two by the same key ${info.key.multibase}; a co-signature must be another key's`,
      });
    }
    seen.add(info.key.multibase);
  }
  return proofs;
}

function oneProofOf(credential: JsonObject, proof: unknown, field: string): LinkedDataProofInfo {
  if (!isJsonObject(proof)) throw new MalformedProofError({ field, reason: 'must be an object' });

  const type = typeof proof.type === 'string' ? proof.type : JSON.stringify(proof.type);
  const format = PROOF_TYPES[type];
  if (!format) throw new UnsupportedAlgorithmError({ algorithm: type, supported: SUPPORTED_PROOFS, reason: 'unknown proof type' });
  if (format === 'data-integrity' && proof.cryptosuite !== EDDSA_RDFC_2022) {
    throw new UnsupportedAlgorithmError({
      algorithm: String(proof.cryptosuite),
      supported: SUPPORTED_PROOFS,
      reason: 'unsupported Data Integrity cryptosuite',
    });
  }
  if (proof.proofPurpose !== 'assertionMethod') {
    throw new MalformedProofError({ field: `${field}.proofPurpose`, reason: `must be assertionMethod, got ${JSON.stringify(proof.proofPurpose)}` });
  }
  if (typeof proof.proofValue !== 'string' || proof.proofValue === '') {
    throw new MalformedProofError({ field: `${field}.proofValue`, reason: 'is missing' });
  }
  assertSuiteContext(credential, format);
  const method = isJsonObject(proof.verificationMethod) ? proof.verificationMethod.id : proof.verificationMethod;
  if (typeof method !== 'string') throw new MalformedProofError({ field: `${field}.verificationMethod`, reason: 'is missing' });
  if (!method.includes('#')) {
    throw new MalformedProofError({ field: `${field}.verificationMethod`, reason: 'must be a verification method URL (a key id: did:key:z...#z..., did:web:...#z..., did:jwk:...#0)' });
  }
  const resolved = resolveKeyId(method, `${field}.verificationMethod`);
  const { key } = resolved;
  if (key.type !== 'Ed25519') {
    throw new UnsupportedAlgorithmError({
      algorithm: `${type}${format === 'data-integrity' ? ` ${EDDSA_RDFC_2022}` : ''} with a ${key.type} key`,
      supported: SUPPORTED_PROOFS,
      reason: `${format === 'data-integrity' ? EDDSA_RDFC_2022 : type} signs with Ed25519 keys only`,
    });
  }
  return { format, proof, verificationMethod: resolved.id, key };
}

/** The suites read their proof terms from these contexts (as their `matchProof` / `ensureSuiteContext` do). */
function assertSuiteContext(credential: JsonObject, format: LinkedDataFormat): void {
  const contexts = Array.isArray(credential['@context']) ? credential['@context'] : [credential['@context']];
  const needed =
    format === 'data-integrity'
      ? [VC_V2_CONTEXT_URL, DATA_INTEGRITY_V2_CONTEXT_URL, 'https://w3id.org/security/data-integrity/v1']
      : [ED25519_2020_CONTEXT_URL];
  if (!contexts.some((context) => typeof context === 'string' && needed.includes(context))) {
    throw new MalformedProofError({
      field: '@context',
      reason: `must include ${needed.join(' or ')} for a ${format === 'data-integrity' ? 'DataIntegrityProof' : 'Ed25519Signature2020'} proof`,
    });
  }
}

/**
 * 'shape-cached': the suites canonicalise through rdf-fast-path's shape cache (same N-Quads, expansion once per
 * shape); 'reference': through jsonld.js and rdf-canonize on every document, as the libraries do by themselves.
 */
export type LinkedDataCanonicalisation = 'shape-cached' | 'reference';

/** BADGE_NOTARY_LD_CANONICALISATION=reference turns the shape cache off (in worker threads too, which inherit it). */
let canonicalisation: LinkedDataCanonicalisation =
  process.env.BADGE_NOTARY_LD_CANONICALISATION === 'reference' ? 'reference' : 'shape-cached';

/** Chooses the canonicaliser of later signing and verification in this thread (benchmarks compare the two). */
export function useLinkedDataCanonicalisation(choice: LinkedDataCanonicalisation): void {
  canonicalisation = choice;
}

/**
 * The cryptosuite's verifier with the key's node:crypto KeyObject cached (did-key.ts): @digitalbazaar/ed25519-multikey
 * imports the key again on every verification, which costs as much as the Ed25519 check itself. A verification
 * method without an Ed25519 publicKeyMultibase goes to the library's verifier.
 */
async function createVerifierWithCachedKey(options: { verificationMethod: Record<string, unknown> }): Promise<unknown> {
  const { verificationMethod } = options;
  const multibase = verificationMethod.publicKeyMultibase;
  const key = typeof multibase === 'string' && multibase.startsWith('z6Mk') ? publicKeyFromMultibase(multibase) : undefined;
  if (verificationMethod.type !== 'Multikey' || key?.type !== 'Ed25519') return eddsaRdfc2022.createVerifier(options);
  const keyObject = publicKeyObject(key);
  return {
    id: verificationMethod.id,
    algorithm: 'Ed25519',
    verify: async ({ data, signature }: { data: Uint8Array; signature: Uint8Array }) => cryptoVerify(null, data, keyObject, signature),
  };
}

const eddsaRdfc2022ShapeCached = {
  ...eddsaRdfc2022,
  canonize: canonizeWithShapeCache(eddsaRdfc2022.canonize),
  createVerifier: createVerifierWithCachedKey,
};

function suiteFor(format: LinkedDataFormat, signer?: DigitalBazaarSigner, date?: string) {
  const shapeCached = canonicalisation === 'shape-cached';
  if (format === 'data-integrity') {
    const cryptosuite = shapeCached ? eddsaRdfc2022ShapeCached : eddsaRdfc2022;
    return new DataIntegrityProof({ cryptosuite, signer, date });
  }
  const suite = new Ed25519Signature2020({ signer, date });
  if (shapeCached) {
    // jsonld-signatures' LinkedDataSignature canonicalises through this method, for the document and the proof options
    const withCanonize = suite as unknown as { canonize: CanonizeFunction };
    withCanonize.canonize = canonizeWithShapeCache(withCanonize.canonize.bind(suite));
  }
  return suite;
}

interface VerifyingSuite {
  verifyProof(options: {
    proof: JsonObject;
    proofSet: JsonObject[];
    document: JsonObject;
    documentLoader: DigitalBazaarDocumentLoader;
  }): Promise<{ verified: boolean; verificationMethod?: JsonObject; error?: unknown }>;
}

/**
 * Verifies the issuer proof of a receipt-free JSON credential, or every proof of its proof set (each over the
 * credential without any proof, as a proof set's members are independent); resolves with the proofs (the issuer's
 * first) when every signature holds, throws a typed error for the first that does not (SignatureInvalidError for
 * a changed field or another key; UnknownContextError for a context the offline loader lacks).
 */
export async function verifyLinkedDataProofs(credential: JsonObject): Promise<LinkedDataProofInfo[]> {
  const infos = linkedDataProofsOf(credential);
  const { proof: _proof, ...document } = credential;
  for (const info of infos) await verifyOneProof(document, info);
  return infos;
}

/** verifyLinkedDataProofs, answering with the issuer's proof. */
export async function verifyLinkedDataProof(credential: JsonObject): Promise<LinkedDataProofInfo> {
  return (await verifyLinkedDataProofs(credential))[0] as LinkedDataProofInfo;
}

async function verifyOneProof(document: JsonObject, info: LinkedDataProofInfo): Promise<void> {
  // as jsonld-signatures' ProofSet does: the proof is read under the document's context
  const proof = { '@context': document['@context'] ?? null, ...info.proof } as JsonObject;
  const suite = suiteFor(info.format) as unknown as VerifyingSuite;
  let result: Awaited<ReturnType<VerifyingSuite['verifyProof']>>;
  try {
    result = await suite.verifyProof({ proof, proofSet: [proof], document, documentLoader });
  } catch (cause) {
    result = { verified: false, error: cause };
  }
  if (!result.verified) throw linkedDataError(result.error, info);
  assertAuthorisedForAssertion(info, result.verificationMethod);
}

/** The proof purpose check: the controller's document (resolved offline) lists the method under assertionMethod. */
function assertAuthorisedForAssertion(info: LinkedDataProofInfo, method: JsonObject | undefined): void {
  const controller = typeof method?.controller === 'string' ? method.controller : resolveKeyId(info.verificationMethod).controller;
  const document = controllerDocument(controller, info.verificationMethod);
  const allowed = Array.isArray(document.assertionMethod) ? document.assertionMethod : [];
  if (!allowed.includes(info.verificationMethod)) {
    throw new MalformedProofError({
      field: 'proof.verificationMethod',
      reason: `${info.verificationMethod} is not an assertionMethod of ${controller}`,
    });
  }
}

function linkedDataError(error: unknown, info: LinkedDataProofInfo): CredentialError {
  const typed = findCredentialError(error);
  if (typed) return typed;
  const message = messageOf(error);
  if (/Invalid signature/i.test(message)) {
    return new SignatureInvalidError({ format: info.format, verificationMethod: info.verificationMethod }, { cause: error });
  }
  const safeMode = safeModeIssue(error);
  if (safeMode) return new SchemaError({ standard: 'JSON-LD credential (canonicalised in safe mode)', issues: [safeMode] }, { cause: error });
  if (/safe mode|dropped|relative|protected term|invalid JSON-LD|jsonld\./i.test(message)) {
    return new MalformedProofError(
      { field: 'credential', reason: `cannot be canonicalised as JSON-LD (RDFC-1.0, safe mode): ${message}` },
      { cause: error },
    );
  }
  return new UnexpectedError({ during: `${info.format} verification`, message }, { cause: error });
}

/**
 * jsonld's safe mode refuses a term that the contexts do not define (it would silently leave what is signed);
 * the error names the property.
 */
function safeModeIssue(error: unknown): SchemaIssue | undefined {
  const record = error as { name?: unknown; details?: { event?: { code?: unknown; details?: { property?: unknown } } } } | undefined;
  if (record?.name !== 'jsonld.ValidationError') return undefined;
  const event = record.details?.event;
  const property = event?.details?.property;
  return {
    path: typeof property === 'string' ? property : '(a term)',
    problem: `is not defined by the credential's @context (${String(event?.code ?? 'invalid')}), so it would not be covered by the signature`,
  };
}

export interface SignLinkedDataParameters {
  credential: JsonObject;
  key: IssuerKey;
  /** The proof's verificationMethod: a key id naming `key` (signer.ts chooses it). */
  keyId: string;
  format: LinkedDataFormat;
  /** The proof's `created` time. */
  created: Date;
}

/** Adds an issuer proof (eddsa-rdfc-2022 or Ed25519Signature2020) to a copy of `credential`. */
export async function signLinkedData({ credential, key, keyId, format, created }: SignLinkedDataParameters): Promise<JsonObject> {
  if (key.type !== 'Ed25519') {
    throw new UnsupportedAlgorithmError({
      algorithm: `${format} with a ${key.type} key`,
      supported: ['Ed25519'],
      reason: `${format === 'data-integrity' ? EDDSA_RDFC_2022 : 'Ed25519Signature2020'} signs with Ed25519 keys only; use vc-jwt (ES256) for P-256`,
    });
  }
  if (credential.proof !== undefined) {
    throw new InvalidBadgeInputError({ field: 'credential.proof', reason: 'is already present; sign an unsigned credential' });
  }
  const signer: DigitalBazaarSigner = {
    id: keyId,
    algorithm: 'Ed25519',
    sign: async ({ data }) => cryptoSign(null, data, key.privateKey),
  };
  const date = `${created.toISOString().slice(0, 19)}Z`;
  try {
    return (await issue({
      credential: structuredClone(credential),
      suite: suiteFor(format, signer, date),
      documentLoader,
      now: created,
    })) as JsonObject;
  } catch (cause) {
    const typed = findCredentialError(cause);
    if (typed) throw typed;
    const safeMode = safeModeIssue(cause);
    if (safeMode) throw new InvalidBadgeInputError({ field: safeMode.path, reason: safeMode.problem }, { cause });
    throw new InvalidBadgeInputError({ field: 'credential', reason: `cannot be signed as ${format}: ${messageOf(cause)}` }, { cause });
  }
}
