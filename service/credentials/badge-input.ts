/**
 * The badge builder's input (the seeds' metadata, DOMAIN.md "What a badge carries"), its validation, and the
 * small value helpers the builders share.
 */
import { createHash } from 'node:crypto';
import { isDateTimeStamp, toDateTimeStamp } from './dates';
import { InvalidBadgeInputError } from './errors';
import { levelFor, type BadgeLevel } from './levels';
import { isUri, typesOf } from './schema';
import { isJsonObject, type JsonObject, type JsonValue } from './types';

export type SkillInput =
  | { kind: 'soft'; area: string; competence: string; /** LifeComp descriptors observed, of 10. */ observedDescriptors: number }
  | { kind: 'technical'; area: string; competence: string; /** Exam score, of 100. */ score: number };

export interface AlignmentInput {
  /** e.g. "LifeComp", "ESCO", "EQF". */
  framework: string;
  /** The code in the framework, e.g. LifeComp descriptor "P1.1", EQF level "4". */
  code?: string;
  name: string;
  /** Where the framework entry is described (OB 3.0 requires a targetUrl), e.g. the ESCO concept URI. */
  url: string;
  description?: string;
  /** OB 3.0 targetType, e.g. "ceasn:Competency", "CFItem", "ext:EQFLevel". */
  type?: string;
}

export interface EvidenceInput {
  id?: string;
  name?: string;
  description?: string;
  narrative?: string;
  genre?: string;
  audience?: string;
}

export type RecipientInput = { did: string } | { email: string; /** Default: 16 random bytes, hex. */ salt?: string };

export interface BadgeInput {
  /** The credential id; default a random urn:uuid. */
  id?: string;
  /** Alphanumeric badge code (dots, dashes and underscores allowed inside). */
  badgeCode: string;
  name: string;
  /** The knowledge and skills the badge represents. */
  description: string;
  image: { id: string; caption?: string };
  issuer: { did: string; name: string; email: string; url?: string };
  skill: SkillInput;
  criteria: { narrative: string; id?: string };
  evidence?: EvidenceInput[];
  alignments?: AlignmentInput[];
  /** Signed OB 3.0 EndorsementCredential objects, or their VC-JWT strings. */
  endorsements?: (JsonObject | string)[];
  recipient: RecipientInput;
  issuedOn: Date | string;
  examDate?: Date | string;
  validUntil?: Date | string;
  /** The Achievement id; default a name-based UUID (v5) of the issuer DID and the badge code. */
  achievementId?: string;
  /** OB 3.0 achievementType; default "Competency". */
  achievementType?: string;
  /** VC data model version; default "2.0". "1.1" gives issuanceDate/expirationDate (for Ed25519Signature2020). */
  vcVersion?: '2.0' | '1.1';
  /**
   * A W3C Bitstring Status List revocation entry (docs/status-list.md): the list's URL
   * (`<service>/v1/status-lists/<member id>/<list>`) and the bit; default a random index. VC 2.0 only.
   */
  status?: { statusListCredential: string; index?: number };
}

/** The salted identity hash of an e-mail as OB 2.0 / 3.0 write it: "sha256$" + hex(sha256(email + salt)), the e-mail trimmed and lowercased. */
export function hashEmailIdentity(email: string, salt: string): string {
  return `sha256$${createHash('sha256').update(`${email.trim().toLowerCase()}${salt}`).digest('hex')}`;
}

/** What validation derives from the input: the level earned, the achievement id, the issue date as written. */
export interface CheckedBadge {
  level: BadgeLevel;
  achievementId: string;
  issuedOn: string;
}

/**
 * Validates the input (InvalidBadgeInputError naming the field) and reads the level from the assessment
 * (NoBadgeError below the first level, InvalidScoreError out of range).
 */
export function checkBadgeInput(input: BadgeInput): CheckedBadge {
  if (!isJsonObject(input as unknown)) throw new InvalidBadgeInputError({ field: 'input', reason: 'must be an object' });
  if (typeof input.badgeCode !== 'string' || !/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/.test(input.badgeCode)) {
    throw new InvalidBadgeInputError({ field: 'badgeCode', reason: 'must be alphanumeric (dots, dashes, underscores inside), 1-64 characters' });
  }
  for (const field of ['name', 'description'] as const) requireText(input[field], field);
  requireText(input.criteria?.narrative, 'criteria.narrative');
  if (input.criteria.id !== undefined) requireUri(input.criteria.id, 'criteria.id');
  requireUri(input.image?.id, 'image.id');
  requireUri(input.issuer?.did, 'issuer.did');
  requireText(input.issuer.name, 'issuer.name');
  if (typeof input.issuer.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.issuer.email)) {
    throw new InvalidBadgeInputError({ field: 'issuer.email', reason: 'must be an e-mail address' });
  }
  if (input.issuer.url !== undefined) requireUri(input.issuer.url, 'issuer.url');
  const skill = input.skill;
  if (!skill || (skill.kind !== 'soft' && skill.kind !== 'technical')) {
    throw new InvalidBadgeInputError({ field: 'skill.kind', reason: 'must be "soft" or "technical"' });
  }
  requireText(skill.area, 'skill.area');
  requireText(skill.competence, 'skill.competence');
  const level =
    skill.kind === 'soft'
      ? levelFor({ scale: 'soft', value: skill.observedDescriptors })
      : levelFor({ scale: 'technical', value: skill.score });
  for (const [index, alignment] of (input.alignments ?? []).entries()) {
    requireText(alignment?.framework, `alignments[${index}].framework`);
    requireText(alignment.name, `alignments[${index}].name`);
    requireUri(alignment.url, `alignments[${index}].url`);
  }
  for (const [index, endorsement] of (input.endorsements ?? []).entries()) {
    if (typeof endorsement === 'string') continue;
    if (!isJsonObject(endorsement) || !typesOf(endorsement.type).includes('EndorsementCredential')) {
      throw new InvalidBadgeInputError({ field: `endorsements[${index}]`, reason: 'must be an EndorsementCredential or its VC-JWT' });
    }
  }
  for (const [index, item] of (input.evidence ?? []).entries()) {
    if (item?.id !== undefined) requireUri(item.id, `evidence[${index}].id`);
  }
  if (input.id !== undefined) requireUri(input.id, 'id');
  checkRecipient(input.recipient);
  const achievementId = input.achievementId ?? `urn:uuid:${uuidV5(`${input.issuer.did}\n${input.badgeCode}`)}`;
  requireUri(achievementId, 'achievementId');
  return { level, achievementId, issuedOn: dateField(input.issuedOn, 'issuedOn') };
}

function checkRecipient(recipient: RecipientInput): void {
  if (recipient && 'did' in recipient) return requireUri(recipient.did, 'recipient.did');
  if (recipient && 'email' in recipient && typeof recipient.email === 'string' && recipient.email.includes('@')) {
    if (recipient.salt !== undefined) requireText(recipient.salt, 'recipient.salt');
    return;
  }
  throw new InvalidBadgeInputError({ field: 'recipient', reason: 'must be { did } or { email, salt? }' });
}

/** A date-time field: a Date, a dateTimeStamp, or a calendar date (YYYY-MM-DD, read as midnight UTC). */
export function dateField(value: Date | string, field: string): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return toDateTimeStamp(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && isDateTimeStamp(`${value}T00:00:00Z`)) return `${value}T00:00:00Z`;
  if (isDateTimeStamp(value)) return value;
  throw new InvalidBadgeInputError({ field, reason: 'must be a Date, a date-time with a time zone, or YYYY-MM-DD' });
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidBadgeInputError({ field, reason: 'is missing or empty' });
}

function requireUri(value: unknown, field: string): void {
  if (!isUri(value)) throw new InvalidBadgeInputError({ field, reason: 'must be a URI (a URL, a DID or a urn)' });
}

/** Drops undefined members, so optional inputs leave no empty keys. */
export function compact(object: Record<string, JsonValue | undefined>): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as JsonObject;
}

// RFC 4122 name-based UUID (version 5, SHA-1) in a namespace of this project.
const UUID_NAMESPACE = Buffer.from('6f1b0c52c1a94f7e9d3e2a6b8e4f5a10', 'hex');

export function uuidV5(name: string): string {
  const hash = createHash('sha1').update(UUID_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
