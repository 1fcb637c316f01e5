/**
 * The credential core: parse, verify, digest and key hash of Open Badges credentials (OB 3.0 with Data Integrity
 * or Ed25519Signature2020 proofs, VC-JWT, OB 2.0 signed assertions), the badge builder, levels, issuer keys and
 * signing. Pure: no HTTP, SQL or chain access; key ids (did:key, did:jwk, member did:web#z...) and JSON-LD contexts
 * are resolved offline.
 * docs/credentials.md describes the formats precisely.
 */
export { parseCredential, type ParsedCredential } from './parse';
export {
  verifyCredential,
  type CredentialStepName,
  type StepStatus,
  type CredentialStep,
  type VerificationStep,
  type VerifyCredentialParameters,
  type VerifyCredentialResult,
} from './verify';
export { createVerifierPool, type VerifierPool, type VerifierPoolObserver, type VerifierPoolOptions, type VerifyManyParameters } from './pool';
export { keyHashOf, multicodecHexOf, publicKeyFromMulticodecHex, publicKeyOf, type KeyReference } from './key-hash';
export {
  digestOf,
  digestInput,
  canonicalJson,
  digestOfInput,
  readSignedArtifact,
} from './digest';
export {
  isDidKey,
  parseDidKey,
  publicKeyFromJwk,
  publicKeyFromMultibase,
  publicKeyToJwk,
  resolveDidKey,
  type PublicKeyInfo,
} from './did-key';
export {
  didJwkOf,
  didMethodOf,
  memberKeyId,
  resolveKeyId,
  SUPPORTED_KEY_IDS,
  type KeyIdMethod,
  type ResolvedKeyId,
} from './key-id';
export { controllerDocument, memberDidDocument, verificationMethodDocument, type MemberDocumentKey } from './did-document';
export { documentLoader, isKnownContext, CONTEXTS, OB3_CONTEXT_URL, OB3_CONTEXT_URLS, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL } from './loader';
export { assertOb3Credential, ob3Issues } from './schema';
export { assertOb2Assertion, ob2Issues, OB2_CONTEXT_URL } from './ob2';
export { checkValidity, type ValidityWindow } from './dates';
export {
  buildAchievementCredential,
  buildOb2Assertion,
  hashEmailIdentity,
  type AlignmentInput,
  type BadgeInput,
  type EvidenceInput,
  type RecipientInput,
  type SkillInput,
} from './builder';
export { levelFor, levelsOf, softSkillLevel, technicalSkillLevel, type BadgeLevel, type LevelName, type SkillScale } from './levels';
export {
  exportIssuerKey,
  generateIssuerKey,
  importIssuerKey,
  type ExportedIssuerKey,
  type GenerateIssuerKeyParameters,
  type IssuerKey,
} from './keys';
export {
  addCoSignature,
  addIssuerProof,
  signCredential,
  type AddCoSignatureParameters,
  type AddIssuerProofParameters,
  type SignCredentialParameters,
  type SignedArtifact,
} from './signer';
export type { JwtClaimsStyle } from './jwt';
export * from './errors';
export type { CredentialFormat, CredentialInput, Hex, JsonObject, JsonValue, Jwk, KeyType } from './types';
export { CREDENTIAL_FORMATS } from './types';
