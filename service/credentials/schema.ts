/**
 * Open Badges 3.0 AchievementCredential validation (the fields the 1EdTech spec marks required), on VC 2.0
 * (validFrom) or VC 1.1 (issuanceDate), and the check that every context named is one the offline loader has.
 */
import { isDateTimeStamp, type ValidityWindow } from './dates';
import { SchemaError, UnknownContextError, type SchemaIssue } from './errors';
import { isKnownContext, OB3_CONTEXT_URLS, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL } from './loader';
import { isJsonObject, type JsonObject, type JsonValue } from './types';

export const OB3_STANDARD = 'Open Badges 3.0 AchievementCredential';

/** The values of a JSON-LD `type` (a string or an array of strings). */
export function typesOf(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** The `id` of a node given as a string or as an object with `id`. */
export function idOf(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (isJsonObject(value) && typeof value.id === 'string') return value.id;
  return undefined;
}

/** A URI as VC ids must be: a scheme, a colon, something after it. */
export function isUri(value: unknown): value is string {
  return typeof value === 'string' && /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(value);
}

/** The VC data model version by the first context: 2 (VC 2.0), 1 (VC 1.1), undefined (neither). */
export function vcVersionOf(credential: JsonObject): 1 | 2 | undefined {
  const contexts = credential['@context'];
  const first = Array.isArray(contexts) ? contexts[0] : contexts;
  if (first === VC_V2_CONTEXT_URL) return 2;
  if (first === VC_V1_CONTEXT_URL) return 1;
  return undefined;
}

/**
 * Throws UnknownContextError for the first context URL (in `@context`, or a proof's own `@context`) that the
 * offline loader does not have. Inline context objects are allowed; the loader still guards what they import.
 */
export function assertKnownContexts(document: JsonObject): void {
  const lists: JsonValue[] = [document['@context'] ?? []];
  const proofs = Array.isArray(document.proof) ? document.proof : document.proof ? [document.proof] : [];
  for (const proof of proofs) if (isJsonObject(proof) && proof['@context']) lists.push(proof['@context']);
  for (const list of lists) {
    for (const context of Array.isArray(list) ? list : [list]) {
      if (typeof context === 'string' && !isKnownContext(context)) throw new UnknownContextError({ url: context });
    }
  }
}

/** The problems that keep `credential` from being an OB 3.0 AchievementCredential; empty when it is one. */
export function ob3Issues(credential: JsonObject): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const issue = (path: string, problem: string) => issues.push({ path, problem });

  const contexts = credential['@context'];
  const version = vcVersionOf(credential);
  if (!Array.isArray(contexts)) issue('@context', 'must be an array of contexts');
  else {
    if (!version) issue('@context[0]', `must be the VC 2.0 (${VC_V2_CONTEXT_URL}) or VC 1.1 (${VC_V1_CONTEXT_URL}) context`);
    if (!contexts.some((context) => typeof context === 'string' && OB3_CONTEXT_URLS.includes(context))) {
      issue('@context', `must include an Open Badges 3.0 context (${OB3_CONTEXT_URLS.join(', ')})`);
    }
  }

  if (!isUri(credential.id)) issue('id', credential.id === undefined ? 'is missing' : 'must be a URI');
  const types = typesOf(credential.type);
  if (!types.includes('VerifiableCredential')) issue('type', 'must include VerifiableCredential');
  if (!types.includes('OpenBadgeCredential') && !types.includes('AchievementCredential')) {
    issue('type', 'must include OpenBadgeCredential or AchievementCredential');
  }
  requireText(credential, 'name', 'name', issue);

  const issuer = credential.issuer;
  if (issuer === undefined) issue('issuer', 'is missing');
  else if (!isJsonObject(issuer)) issue('issuer', 'must be a Profile object with id, type and name');
  else {
    if (!isUri(issuer.id)) issue('issuer.id', issuer.id === undefined ? 'is missing' : 'must be a URI (the issuer DID)');
    if (!typesOf(issuer.type).includes('Profile')) issue('issuer.type', 'must include Profile');
  }

  checkValidityFields(credential, version, issue);
  checkSubject(credential.credentialSubject, issue);
  return issues;
}

/** Throws SchemaError naming every missing or wrong field when `credential` is not an OB 3.0 AchievementCredential. */
export function assertOb3Credential(credential: JsonObject): void {
  const issues = ob3Issues(credential);
  if (issues.length > 0) throw new SchemaError({ standard: OB3_STANDARD, issues });
}

/** The validity window of a VC 2.0 or VC 1.1 credential. */
export function vcValidityWindow(credential: JsonObject): ValidityWindow {
  const asText = (value: JsonValue | undefined) => (typeof value === 'string' ? value : undefined);
  if (vcVersionOf(credential) === 1) {
    return {
      validFrom: asText(credential.issuanceDate),
      validFromField: 'issuanceDate',
      validUntil: asText(credential.expirationDate),
      validUntilField: 'expirationDate',
    };
  }
  return {
    validFrom: asText(credential.validFrom),
    validFromField: 'validFrom',
    validUntil: asText(credential.validUntil),
    validUntilField: 'validUntil',
  };
}

type Report = (path: string, problem: string) => void;

function checkValidityFields(credential: JsonObject, version: 1 | 2 | undefined, issue: Report): void {
  const [fromField, untilField] = version === 1 ? ['issuanceDate', 'expirationDate'] : ['validFrom', 'validUntil'];
  const from = credential[fromField];
  const until = credential[untilField];
  if (from === undefined) issue(fromField, 'is missing');
  else if (!isDateTimeStamp(from)) issue(fromField, 'must be a date-time with a time zone, e.g. 2024-05-01T00:00:00Z');
  if (until !== undefined && !isDateTimeStamp(until)) {
    issue(untilField, 'must be a date-time with a time zone, e.g. 2027-05-01T00:00:00Z');
  }
  if (isDateTimeStamp(from) && isDateTimeStamp(until) && Date.parse(until) < Date.parse(from)) {
    issue(untilField, `must not be before ${fromField}`);
  }
}

function checkSubject(subject: JsonValue | undefined, issue: Report): void {
  if (subject === undefined) return void issue('credentialSubject', 'is missing');
  if (!isJsonObject(subject)) return void issue('credentialSubject', 'must be one AchievementSubject object');
  if (!typesOf(subject.type).includes('AchievementSubject')) issue('credentialSubject.type', 'must include AchievementSubject');
  const identifiers = subject.identifier;
  if (subject.id === undefined && !(Array.isArray(identifiers) && identifiers.length > 0)) {
    issue('credentialSubject', 'must name the earner by id or by at least one identifier');
  }
  if (subject.id !== undefined && !isUri(subject.id)) issue('credentialSubject.id', 'must be a URI');

  const achievement = subject.achievement;
  const at = 'credentialSubject.achievement';
  if (achievement === undefined) return void issue(at, 'is missing');
  if (!isJsonObject(achievement)) return void issue(at, 'must be an Achievement object');
  if (!isUri(achievement.id)) issue(`${at}.id`, achievement.id === undefined ? 'is missing' : 'must be a URI');
  if (!typesOf(achievement.type).includes('Achievement')) issue(`${at}.type`, 'must include Achievement');
  requireText(achievement, 'name', `${at}.name`, issue);
  requireText(achievement, 'description', `${at}.description`, issue);
  const criteria = achievement.criteria;
  if (criteria === undefined) issue(`${at}.criteria`, 'is missing');
  else if (!isJsonObject(criteria)) issue(`${at}.criteria`, 'must be an object with id or narrative');
  else if (!isUri(criteria.id) && !(typeof criteria.narrative === 'string' && criteria.narrative.trim() !== '')) {
    issue(`${at}.criteria`, 'must have an id (URI) or a narrative');
  }
}

function requireText(node: JsonObject, field: string, path: string, issue: Report): void {
  const value = node[field];
  if (value === undefined) issue(path, 'is missing');
  else if (typeof value !== 'string' || value.trim() === '') issue(path, 'must be a non-empty string');
}
