/**
 * VC-JWT: a credential secured as a compact JWS (EdDSA with Ed25519, ES256 with P-256), `kid` = the key id (key-id.ts).
 * Two payload conventions are read:
 *   - "vc-jose-cose" (VC 2.0, W3C VC-JOSE-COSE): the payload IS the credential; header typ "vc+jwt", cty "vc".
 *   - "vc-1.1" (VC 1.1 §6.3, and the OB 3.0 spec's JWT format): the credential is the `vc` claim; iss, nbf, exp,
 *     jti and sub stand for issuer, issuanceDate (validFrom), expirationDate (validUntil), id, credentialSubject.id.
 * Issuing uses vc-jose-cose for VC 2.0 credentials (the default) and vc-1.1 for VC 1.1 ones.
 */
import { isDidKey, type PublicKeyInfo } from './did-key';
import { toDateTimeStamp } from './dates';
import { InvalidBadgeInputError, MalformedProofError, SchemaError, UnknownFormatError, type SchemaIssue } from './errors';
import { signCompactJws, type DecodedJws } from './jws';
import { resolveKeyId } from './key-id';
import type { IssuerKey } from './keys';
import { idOf, vcVersionOf } from './schema';
import { isJsonObject, type JsonObject, type JsonValue } from './types';

export type JwtClaimsStyle = 'vc-jose-cose' | 'vc-1.1';

/** A VC-JWT decoded (not verified). */
export interface VcJwtInfo {
  style: JwtClaimsStyle;
  /** The credential: the payload (vc-jose-cose), or the `vc` claim completed from the JWT claims (vc-1.1). */
  credential: JsonObject;
  verificationMethod: string;
  key: PublicKeyInfo;
}

/** True when a JWS payload is a VC-JWT of either convention. */
export function isVcJwtPayload(payload: JsonObject): boolean {
  return isJsonObject(payload.vc) || payload['@context'] !== undefined;
}

/** Reads a decoded JWS as a VC-JWT: its credential and its key. */
export function vcJwtOf({ header, payload }: DecodedJws): VcJwtInfo {
  if (payload.vp !== undefined) throw new UnknownFormatError({ reason: 'the JWT holds a presentation (vp), not a credential' });
  let style: JwtClaimsStyle;
  let credential: JsonObject;
  if (payload.vc !== undefined) {
    if (!isJsonObject(payload.vc)) throw new UnknownFormatError({ reason: 'the JWT claim vc is not a credential object' });
    style = 'vc-1.1';
    credential = credentialFromVc11Claims(payload, payload.vc);
  } else {
    style = 'vc-jose-cose';
    credential = payload;
    assertClaimsAgree(payload, credential);
  }
  const issuerDid = idOf(credential.issuer);
  let kid = header.kid;
  if (kid === undefined && isDidKey(issuerDid)) kid = issuerDid;
  if (typeof kid !== 'string') {
    throw new MalformedProofError({ field: 'JWS header kid', reason: 'is missing; it must name the verification method (the key id)' });
  }
  const resolved = resolveKeyId(kid, 'JWS header kid');
  return { style, credential, verificationMethod: resolved.id, key: resolved.key };
}

/** The VC 1.1 JWT decoding rules: claims fill the credential's fields and must agree with those present. */
function credentialFromVc11Claims(claims: JsonObject, vc: JsonObject): JsonObject {
  const credential: JsonObject = structuredClone(vc);
  const v2 = vcVersionOf(credential) === 2;
  if (typeof claims.iss === 'string' && credential.issuer === undefined) credential.issuer = claims.iss;
  if (typeof claims.jti === 'string' && credential.id === undefined) credential.id = claims.jti;
  const [fromField, untilField] = v2 ? ['validFrom', 'validUntil'] : ['issuanceDate', 'expirationDate'];
  if (typeof claims.nbf === 'number' && credential[fromField] === undefined) credential[fromField] = secondsToDate(claims.nbf);
  if (typeof claims.exp === 'number' && credential[untilField] === undefined) credential[untilField] = secondsToDate(claims.exp);
  const subject = credential.credentialSubject;
  if (typeof claims.sub === 'string' && isJsonObject(subject) && subject.id === undefined) subject.id = claims.sub;
  assertClaimsAgree(claims, credential);
  return credential;
}

/** JWT claims that restate a credential field must state the same value. */
function assertClaimsAgree(claims: JsonObject, credential: JsonObject): void {
  const issues: SchemaIssue[] = [];
  const v2 = vcVersionOf(credential) === 2;
  const same = (claim: string, field: string, value: JsonValue | undefined, expected: JsonValue | undefined) => {
    if (value !== undefined && expected !== undefined && value !== expected) {
      issues.push({ path: field, problem: `is ${JSON.stringify(expected)} but the JWT claim ${claim} says ${JSON.stringify(value)}` });
    }
  };
  same('iss', 'issuer.id', claims.iss, idOf(credential.issuer));
  same('jti', 'id', claims.jti, credential.id);
  if (claims.vc !== undefined) {
    const subject = credential.credentialSubject;
    same('sub', 'credentialSubject.id', claims.sub, isJsonObject(subject) ? subject.id : undefined);
  }
  for (const [claim, field] of [
    ['nbf', v2 ? 'validFrom' : 'issuanceDate'],
    ['exp', v2 ? 'validUntil' : 'expirationDate'],
  ] as const) {
    const seconds = claims[claim];
    const date = credential[field];
    if (typeof seconds === 'number' && typeof date === 'string' && Math.floor(Date.parse(date) / 1000) !== seconds) {
      issues.push({ path: field, problem: `is ${date} but the JWT claim ${claim} says ${secondsToDate(seconds)}` });
    }
  }
  if (issues.length > 0) throw new SchemaError({ standard: 'VC-JWT', issues });
}

function secondsToDate(seconds: number): string {
  return toDateTimeStamp(new Date(seconds * 1000));
}

function dateToSeconds(value: JsonValue | undefined): number | undefined {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? Math.floor(Date.parse(value) / 1000) : undefined;
}

export interface SignVcJwtParameters {
  credential: JsonObject;
  key: IssuerKey;
  /** The header kid: a key id naming `key` (signer.ts chooses it). */
  keyId: string;
  /** Default: vc-jose-cose for a VC 2.0 credential, vc-1.1 for a VC 1.1 one. */
  style?: JwtClaimsStyle | undefined;
}

/** Secures an unsigned credential as a VC-JWT; returns the compact JWS. */
export async function signVcJwt({ credential, key, keyId, style }: SignVcJwtParameters): Promise<string> {
  if (credential.proof !== undefined) {
    throw new InvalidBadgeInputError({ field: 'credential.proof', reason: 'must be absent: a VC-JWT secures an unsigned credential' });
  }
  const version = vcVersionOf(credential);
  const chosen = style ?? (version === 1 ? 'vc-1.1' : 'vc-jose-cose');
  if (chosen === 'vc-jose-cose') {
    if (version !== 2) {
      throw new InvalidBadgeInputError({ field: 'credential.@context', reason: 'must start with the VC 2.0 context for a vc-jose-cose JWT' });
    }
    return signCompactJws({
      header: { kid: keyId, typ: 'vc+jwt', cty: 'vc' },
      payload: credential,
      keyType: key.type,
      privateKey: key.privateKey,
    });
  }
  const claims: JsonObject = {};
  const issuer = idOf(credential.issuer);
  if (issuer) claims.iss = issuer;
  const nbf = dateToSeconds(version === 1 ? credential.issuanceDate : credential.validFrom);
  if (nbf !== undefined) claims.nbf = nbf;
  const exp = dateToSeconds(version === 1 ? credential.expirationDate : credential.validUntil);
  if (exp !== undefined) claims.exp = exp;
  if (typeof credential.id === 'string') claims.jti = credential.id;
  const subject = credential.credentialSubject;
  if (isJsonObject(subject) && typeof subject.id === 'string') claims.sub = subject.id;
  claims.vc = credential;
  return signCompactJws({
    header: { kid: keyId, typ: 'JWT' },
    payload: claims,
    keyType: key.type,
    privateKey: key.privateKey,
  });
}
