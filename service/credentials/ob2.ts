/**
 * Open Badges 2.0 signed assertions: a compact JWS whose payload is the Assertion JSON, with
 * `verification: { type: "signed", creator: <key> }`. The key is the header `kid` or `verification.creator`, and
 * here it must be a key id resolved offline (key-id.ts): OB 2.0 creators are usually https key URLs, which would
 * need a network fetch and are refused with UnsupportedKeyError. The BadgeClass must be embedded, so that the issuer is
 * known offline.
 */
import { isDateTimeStamp, toDateTimeStamp, type ValidityWindow } from './dates';
import type { PublicKeyInfo } from './did-key';
import { InvalidBadgeInputError, KeyMismatchError, MalformedProofError, SchemaError, type SchemaIssue } from './errors';
import { signCompactJws, type DecodedJws } from './jws';
import { resolveKeyId } from './key-id';
import type { IssuerKey } from './keys';
import { idOf, isUri, typesOf } from './schema';
import { isJsonObject, type JsonObject, type JsonValue } from './types';

export const OB2_CONTEXT_URL = 'https://w3id.org/openbadges/v2';
export const OB2_STANDARD = 'Open Badges 2.0 signed Assertion';
const SIGNED_TYPES = ['signed', 'SignedBadge'];

/** True when a JSON object presents itself as an OB 2.0 Assertion. */
export function isOb2Assertion(value: JsonObject): boolean {
  const contexts = Array.isArray(value['@context']) ? value['@context'] : [value['@context']];
  return contexts.includes(OB2_CONTEXT_URL) || typesOf(value.type).includes('Assertion');
}

/** An OB 2.0 signed assertion decoded (not verified). */
export interface Ob2Info {
  assertion: JsonObject;
  issuerDid: string | undefined;
  verificationMethod: string;
  key: PublicKeyInfo;
  window: ValidityWindow;
}

/** Reads a decoded JWS as an OB 2.0 signed assertion and finds its did:key. */
export function ob2AssertionOf({ header, payload }: DecodedJws): Ob2Info {
  const verification = payload.verification;
  if (!isJsonObject(verification)) throw new MalformedProofError({ field: 'verification', reason: 'is missing' });
  if (!typesOf(verification.type).some((type) => SIGNED_TYPES.includes(type))) {
    throw new MalformedProofError({
      field: 'verification.type',
      reason: `must be "signed" (SignedBadge), got ${JSON.stringify(verification.type)}; hosted assertions need a network fetch`,
    });
  }
  const creator = typeof verification.creator === 'string' ? verification.creator : undefined;
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  if (!creator && !kid) {
    throw new MalformedProofError({ field: 'verification.creator', reason: 'is missing, and the JWS header has no kid' });
  }
  const resolved = resolveKeyId((kid ?? creator) as string, kid ? 'JWS header kid' : 'verification.creator');
  const { key } = resolved;
  if (creator && kid) {
    const creatorKey = resolveKeyId(creator, 'verification.creator').key;
    if (creatorKey.multibase !== key.multibase) {
      throw new KeyMismatchError({ expected: creator, actual: kid, reason: 'the JWS header kid and verification.creator name different keys' });
    }
  }
  return {
    assertion: payload,
    issuerDid: isJsonObject(payload.badge) ? idOf(payload.badge.issuer) : undefined,
    verificationMethod: resolved.id,
    key,
    window: {
      validFrom: ob2Date(payload.issuedOn),
      validFromField: 'issuedOn',
      validUntil: ob2Date(payload.expires),
      validUntilField: 'expires',
    },
  };
}

/** OB 2.0 DateTime: ISO 8601 with a zone, or a Unix time in seconds. */
function ob2Date(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return toDateTimeStamp(new Date(value * 1000));
  return typeof value === 'string' ? value : undefined;
}

/** The problems that keep `assertion` from being an OB 2.0 signed Assertion with an embedded BadgeClass. */
export function ob2Issues(assertion: JsonObject): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const issue = (path: string, problem: string) => issues.push({ path, problem });
  const text = (node: JsonObject, field: string, path: string) => {
    if (typeof node[field] !== 'string' || (node[field] as string).trim() === '') {
      issue(path, node[field] === undefined ? 'is missing' : 'must be a non-empty string');
    }
  };

  const contexts = Array.isArray(assertion['@context']) ? assertion['@context'] : [assertion['@context']];
  if (!contexts.includes(OB2_CONTEXT_URL)) issue('@context', `must be ${OB2_CONTEXT_URL}`);
  if (!typesOf(assertion.type).includes('Assertion')) issue('type', 'must be Assertion');
  if (!isUri(assertion.id)) issue('id', assertion.id === undefined ? 'is missing' : 'must be a URI (urn:uuid:... for a signed assertion)');

  const recipient = assertion.recipient;
  if (!isJsonObject(recipient)) issue('recipient', 'is missing');
  else {
    text(recipient, 'type', 'recipient.type');
    text(recipient, 'identity', 'recipient.identity');
    if (typeof recipient.hashed !== 'boolean') issue('recipient.hashed', 'must be true or false');
  }

  const badge = assertion.badge;
  if (typeof badge === 'string') issue('badge', 'must be the embedded BadgeClass: a badge URL would need a network fetch');
  else if (!isJsonObject(badge)) issue('badge', 'is missing');
  else {
    if (!typesOf(badge.type).includes('BadgeClass')) issue('badge.type', 'must be BadgeClass');
    if (!isUri(badge.id)) issue('badge.id', badge.id === undefined ? 'is missing' : 'must be a URI');
    text(badge, 'name', 'badge.name');
    text(badge, 'description', 'badge.description');
    if (badge.image === undefined) issue('badge.image', 'is missing');
    const criteria = badge.criteria;
    if (criteria === undefined) issue('badge.criteria', 'is missing');
    else if (!isUri(criteria) && !(isJsonObject(criteria) && (isUri(criteria.id) || typeof criteria.narrative === 'string'))) {
      issue('badge.criteria', 'must be a URI or an object with id or narrative');
    }
    const issuer = badge.issuer;
    if (issuer === undefined) issue('badge.issuer', 'is missing');
    else if (!isUri(idOf(issuer))) issue('badge.issuer.id', 'must be a URI (the issuer DID)');
    else if (isJsonObject(issuer)) {
      if (!typesOf(issuer.type).some((type) => type === 'Profile' || type === 'Issuer')) issue('badge.issuer.type', 'must be Profile');
      text(issuer, 'name', 'badge.issuer.name');
    }
  }

  const window = { from: ob2Date(assertion.issuedOn), until: ob2Date(assertion.expires) };
  if (window.from === undefined) issue('issuedOn', 'is missing');
  else if (!isDateTimeStamp(window.from)) issue('issuedOn', 'must be a date-time with a time zone or a Unix time');
  if (assertion.expires !== undefined && !isDateTimeStamp(window.until)) issue('expires', 'must be a date-time with a time zone or a Unix time');
  return issues;
}

/** Throws SchemaError when `assertion` is not an OB 2.0 signed Assertion with an embedded BadgeClass. */
export function assertOb2Assertion(assertion: JsonObject): void {
  const issues = ob2Issues(assertion);
  if (issues.length > 0) throw new SchemaError({ standard: OB2_STANDARD, issues });
}

/**
 * Signs an OB 2.0 Assertion as a compact JWS. `verification` is set to { type: "signed", creator: <the key's
 * did:key URL> } when absent; when present it must name this key.
 */
export async function signOb2Assertion({ assertion, key, keyId }: { assertion: JsonObject; key: IssuerKey; keyId: string }): Promise<string> {
  if (!isOb2Assertion(assertion)) {
    throw new InvalidBadgeInputError({ field: 'credential', reason: `must be an OB 2.0 Assertion (@context ${OB2_CONTEXT_URL}) for ob2-jws` });
  }
  const payload: JsonObject = { ...assertion };
  const verification = payload.verification;
  if (verification === undefined) payload.verification = { type: 'signed', creator: keyId };
  else if (!isJsonObject(verification) || verification.creator !== keyId) {
    throw new InvalidBadgeInputError({ field: 'credential.verification.creator', reason: `must be the signing key id ${keyId}` });
  }
  return signCompactJws({
    header: { kid: keyId },
    payload,
    keyType: key.type,
    privateKey: key.privateKey,
  });
}
