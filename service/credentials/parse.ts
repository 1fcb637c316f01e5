/**
 * parseCredential: recognises the format of a credential, finds its issuer DID and signing key, and computes the
 * key hash and the digest. It does not verify the signature (verify.ts does).
 */
import type { ValidityWindow } from './dates';
import { withoutReceiptEntries } from '../merkle/embed';
import { keccakText, digestInput, loadDigester, readSignedArtifact } from './digest';
import type { PublicKeyInfo } from './did-key';
import { MalformedProofError, SchemaError, UnknownFormatError, type SchemaIssue } from './errors';
import { linkedDataProofsOf, type LinkedDataProofInfo } from './data-integrity';
import { decodeCompactJws } from './jws';
import { isVcJwtPayload, vcJwtOf, type JwtClaimsStyle } from './jwt';
import { keyHashOf } from './key-hash';
import { isOb2Assertion, ob2AssertionOf, ob2Issues, OB2_STANDARD } from './ob2';
import { assertKnownContexts, idOf, ob3Issues, OB3_STANDARD, vcValidityWindow } from './schema';
import { type CredentialFormat, type CredentialInput, type Hex, type JsonObject } from './types';

/** A credential recognised, with everything the notary needs to file it. */
export interface ParsedCredential {
  format: CredentialFormat;
  /** The exact signed artifact: the compact JWS string, or the JSON credential without notarisation receipts. */
  artifact: string | JsonObject;
  /** The credential JSON: the VC (for a VC 1.1 JWT, the `vc` claim completed from the JWT claims), or the OB 2.0 Assertion. */
  credential: JsonObject;
  /** The member organisation's DID as the credential names it (issuer.id; badge.issuer for OB 2.0). */
  issuerDid: string;
  /** The did:key verification method URL of the signing key. */
  verificationMethod: string;
  /** The registry key hash of the signing key. */
  keyHash: Hex;
  /** The credential digest (see digest.ts). */
  digest: Hex;
  validFrom?: string | undefined;
  validUntil?: string | undefined;
  /** The signing key. */
  publicKey: PublicKeyInfo;
  /** The protected header, for JWS formats. */
  jwsHeader?: JsonObject | undefined;
  /** For vc-jwt: which payload convention the JWT follows. */
  jwtStyle?: JwtClaimsStyle | undefined;
  /** The validity window with the names of its fields. */
  validity: ValidityWindow;
  /** A co-issued credential (a proof set): the co-signers' keys after the issuer's, in proof order. */
  coSigners?: CoSigner[] | undefined;
}

/** A co-signer of a credential: the key id its proof names and the key's registry hash. */
export interface CoSigner {
  verificationMethod: string;
  keyHash: Hex;
}

/**
 * Recognises a credential: a compact JWS (VC-JWT or OB 2.0 signed assertion) or a JSON credential with a Data
 * Integrity (eddsa-rdfc-2022) or Ed25519Signature2020 proof. Throws a typed CredentialError when it is none.
 *
 * @example
 * const { format, issuerDid, keyHash, digest } = await parseCredential(body)
 */
export async function parseCredential(input: CredentialInput): Promise<ParsedCredential> {
  const hasher = await loadDigester();
  const value = readSignedArtifact(input);
  const parsed = typeof value === 'string' ? parseJws(value) : parseJsonCredential(value);
  return { ...parsed, digest: keccakText(hasher, digestInput(parsed.artifact)) };
}

type Parsed = Omit<ParsedCredential, 'digest'>;

function parseJsonCredential(input: JsonObject): Parsed {
  if (isOb2Assertion(input)) {
    throw new UnknownFormatError(
      { reason: 'an OB 2.0 assertion as plain JSON' },
      { details: 'OB 2.0 is accepted as a signed assertion only (the compact JWS); hosted verification would need a network fetch' },
    );
  }
  if (input['@context'] === undefined) throw new UnknownFormatError({ reason: 'the JSON has no @context: it is not a verifiable credential' });
  const artifact = withoutReceiptEntries(input);
  assertKnownContexts(artifact);
  const [proof, ...coSigning] = linkedDataProofsOf(artifact) as [LinkedDataProofInfo, ...LinkedDataProofInfo[]];
  const validity = vcValidityWindow(artifact);
  return {
    format: proof.format,
    artifact,
    credential: artifact,
    issuerDid: requireIssuer(idOf(artifact.issuer), () => ob3Issues(artifact), OB3_STANDARD),
    verificationMethod: proof.verificationMethod,
    keyHash: keyHashOf(proof.key),
    publicKey: proof.key,
    ...(coSigning.length > 0 ? { coSigners: coSigning.map((info) => ({ verificationMethod: info.verificationMethod, keyHash: keyHashOf(info.key) })) } : {}),
    validFrom: validity.validFrom,
    validUntil: validity.validUntil,
    validity,
  };
}

function parseJws(compact: string): Parsed {
  const decoded = decodeCompactJws(compact);
  if (isOb2Assertion(decoded.payload)) {
    const info = ob2AssertionOf(decoded);
    return {
      format: 'ob2-jws',
      artifact: decoded.compact,
      credential: info.assertion,
      issuerDid: requireIssuer(info.issuerDid, () => ob2Issues(info.assertion), OB2_STANDARD),
      verificationMethod: info.verificationMethod,
      keyHash: keyHashOf(info.key),
      publicKey: info.key,
      jwsHeader: decoded.header,
      validFrom: info.window.validFrom,
      validUntil: info.window.validUntil,
      validity: info.window,
    };
  }
  if (isVcJwtPayload(decoded.payload)) {
    const info = vcJwtOf(decoded);
    assertKnownContexts(info.credential);
    if (info.credential.proof !== undefined) {
      throw new MalformedProofError({ field: 'proof', reason: 'must not be inside a VC-JWT: the JWS is the proof' });
    }
    const validity = vcValidityWindow(info.credential);
    return {
      format: 'vc-jwt',
      artifact: decoded.compact,
      credential: info.credential,
      issuerDid: requireIssuer(idOf(info.credential.issuer), () => ob3Issues(info.credential), OB3_STANDARD),
      verificationMethod: info.verificationMethod,
      keyHash: keyHashOf(info.key),
      publicKey: info.key,
      jwsHeader: decoded.header,
      jwtStyle: info.style,
      validFrom: validity.validFrom,
      validUntil: validity.validUntil,
      validity,
    };
  }
  throw new UnknownFormatError({ reason: 'the JWS payload is neither a verifiable credential nor an OB 2.0 assertion' });
}

/** The issuer DID is needed to file a credential; without it, the schema problems say what is wrong. */
function requireIssuer(issuerDid: string | undefined, issues: () => SchemaIssue[], standard: string): string {
  if (typeof issuerDid !== 'string' || issuerDid === '') {
    const found = issues();
    throw new SchemaError({
      standard,
      issues: found.length > 0 ? found : [{ path: 'issuer', problem: 'is missing: the issuer DID names the member organisation' }],
    });
  }
  return issuerDid;
}
