/**
 * The badge builder: the seeds' badge metadata (DOMAIN.md "What a badge carries") as an unsigned Open Badges 3.0
 * AchievementCredential, and the same badge as an OB 2.0 Assertion for the signed-assertion format.
 *
 * Where each item goes (OB 3.0):
 *   badge code            achievement.humanCode
 *   image                 achievement.image { id, type: "Image", caption }
 *   organisation, e-mail  issuer { id: DID, type: Profile, name, email, url }
 *   level                 achievement.resultDescription (RubricCriterionLevel) + credentialSubject.result
 *   area, competence      achievement.fieldOfStudy, achievement.specialization, achievement.tag
 *   description           achievement.description
 *   evidence              evidence[] (type Evidence)
 *   criteria              achievement.criteria.narrative (and criteria.id when given)
 *   framework             achievement.alignment[] (LifeComp descriptor e.g. P1.1, ESCO, EQF)
 *   endorsement           achievement.endorsement[] (EndorsementCredential) / achievement.endorsementJwt[]
 *   issue date            validFrom (VC 2.0) or issuanceDate (VC 1.1), and awardedDate
 *   exam date             credentialSubject.activityEndDate
 * The earner is named by a DID or by a salted SHA-256 of an e-mail (an OB 3.0 IdentityObject), nothing else.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isDateTimeStamp, toDateTimeStamp } from './dates';
import { InvalidBadgeInputError } from './errors';
import { levelFor, levelsOf, type BadgeLevel } from './levels';
import { OB3_CONTEXT_URL, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL } from './loader';
import { OB2_CONTEXT_URL } from './ob2';
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
}

/**
 * An unsigned OB 3.0 AchievementCredential for a badge. Throws InvalidBadgeInputError for a missing or wrong
 * field, NoBadgeError when the result earns no level, InvalidScoreError for a result out of range.
 *
 * @example
 * const credential = buildAchievementCredential({ badgeCode: 'LC-P11', skill: { kind: 'soft', observedDescriptors: 8, ... }, ... })
 */
export function buildAchievementCredential(input: BadgeInput): JsonObject {
  const badge = checkInput(input);
  const { level, achievementId } = badge;
  const v1 = input.vcVersion === '1.1';
  const subject: JsonObject = { type: ['AchievementSubject'], ...recipientOb3(input.recipient) };
  subject.achievement = achievementOb3(input, badge);
  subject.result = [
    { type: ['Result'], resultDescription: `${achievementId}#level`, achievedLevel: levelId(achievementId, level.name) },
    { type: ['Result'], resultDescription: `${achievementId}#score`, value: String(level.value) },
  ];
  if (input.examDate !== undefined) subject.activityEndDate = dateField(input.examDate, 'examDate');

  const credential: JsonObject = {
    '@context': [v1 ? VC_V1_CONTEXT_URL : VC_V2_CONTEXT_URL, OB3_CONTEXT_URL],
    id: input.id ?? `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: input.name,
    issuer: issuerOb3(input.issuer),
    [v1 ? 'issuanceDate' : 'validFrom']: badge.issuedOn,
    awardedDate: badge.issuedOn,
    credentialSubject: subject,
  };
  if (input.validUntil !== undefined) credential[v1 ? 'expirationDate' : 'validUntil'] = dateField(input.validUntil, 'validUntil');
  if (input.evidence?.length) credential.evidence = input.evidence.map((item) => evidenceOb3(item));
  return credential;
}

/** The same badge as an unsigned OB 2.0 Assertion (for the ob2-jws format); the level goes in the BadgeClass. */
export function buildOb2Assertion(input: BadgeInput): JsonObject {
  const badge = checkInput(input);
  const { level, achievementId } = badge;
  const badgeClass: JsonObject = {
    type: 'BadgeClass',
    id: levelId(achievementId, level.name),
    name: `${input.name} - ${level.name}`,
    description: input.description,
    image: input.image.id,
    criteria: compact({ id: input.criteria.id, narrative: input.criteria.narrative }),
    issuer: compact({ id: input.issuer.did, type: 'Profile', name: input.issuer.name, email: input.issuer.email, url: input.issuer.url }),
    tags: [input.skill.area, input.skill.competence, level.name],
  };
  if (input.alignments?.length) {
    badgeClass.alignment = input.alignments.map((item) =>
      compact({ targetName: item.name, targetUrl: item.url, targetDescription: item.description, targetFramework: item.framework, targetCode: item.code }),
    );
  }
  const assertion: JsonObject = {
    '@context': OB2_CONTEXT_URL,
    type: 'Assertion',
    id: input.id ?? `urn:uuid:${randomUUID()}`,
    recipient: recipientOb2(input.recipient),
    badge: badgeClass,
    issuedOn: badge.issuedOn,
  };
  if (input.validUntil !== undefined) assertion.expires = dateField(input.validUntil, 'validUntil');
  if (input.evidence?.length) {
    assertion.evidence = input.evidence.map((item) =>
      compact({ id: item.id, name: item.name, description: item.description, narrative: item.narrative, genre: item.genre, audience: item.audience }),
    );
  }
  return assertion;
}

/** The salted identity hash of an e-mail as OB 2.0 / 3.0 write it: "sha256$" + hex(sha256(email + salt)), the e-mail trimmed and lowercased. */
export function hashEmailIdentity(email: string, salt: string): string {
  return `sha256$${createHash('sha256').update(`${email.trim().toLowerCase()}${salt}`).digest('hex')}`;
}

interface CheckedBadge {
  level: BadgeLevel;
  achievementId: string;
  issuedOn: string;
}

function checkInput(input: BadgeInput): CheckedBadge {
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

function achievementOb3(input: BadgeInput, { level, achievementId }: CheckedBadge): JsonObject {
  const scale = input.skill.kind;
  const achievement: JsonObject = {
    id: achievementId,
    type: ['Achievement'],
    achievementType: input.achievementType ?? 'Competency',
    humanCode: input.badgeCode,
    name: input.name,
    description: input.description,
    criteria: compact({ id: input.criteria.id, narrative: input.criteria.narrative }),
    image: compact({ id: input.image.id, type: 'Image', caption: input.image.caption }),
    fieldOfStudy: input.skill.area,
    specialization: input.skill.competence,
    tag: [input.skill.area, input.skill.competence],
    resultDescription: [
      {
        id: `${achievementId}#level`,
        type: ['ResultDescription'],
        name: scale === 'soft' ? 'Level (LifeComp descriptors observed)' : 'Level (exam score)',
        resultType: 'RubricCriterionLevel',
        allowedValue: levelsOf(scale).map((item) => item.name),
        requiredLevel: levelId(achievementId, levelsOf(scale)[0]?.name ?? level.name),
        rubricCriterionLevel: levelsOf(scale).map((item) => ({
          id: levelId(achievementId, item.name),
          type: ['RubricCriterionLevel'],
          name: item.name,
          level: String(item.level),
          description: `${item.band[0]}-${item.band[1]} ${scale === 'soft' ? 'of 10 descriptors observed' : 'points of 100'}`,
        })),
      },
      {
        id: `${achievementId}#score`,
        type: ['ResultDescription'],
        name: scale === 'soft' ? 'LifeComp descriptors observed' : 'Exam score',
        resultType: 'RawScore',
        valueMin: String(level.min),
        valueMax: String(level.max),
        requiredValue: String(levelsOf(scale)[0]?.band[0]),
      },
    ],
  };
  if (input.alignments?.length) {
    achievement.alignment = input.alignments.map((item) =>
      compact({
        type: ['Alignment'],
        targetName: item.name,
        targetUrl: item.url,
        targetDescription: item.description,
        targetFramework: item.framework,
        targetCode: item.code,
        targetType: item.type,
      }),
    );
  }
  const endorsements = input.endorsements ?? [];
  const objects = endorsements.filter((item): item is JsonObject => typeof item !== 'string');
  const jwts = endorsements.filter((item): item is string => typeof item === 'string');
  if (objects.length) achievement.endorsement = objects;
  if (jwts.length) achievement.endorsementJwt = jwts;
  return achievement;
}

function issuerOb3(issuer: BadgeInput['issuer']): JsonObject {
  return compact({ id: issuer.did, type: ['Profile'], name: issuer.name, email: issuer.email, url: issuer.url });
}

function recipientOb3(recipient: RecipientInput): JsonObject {
  if ('did' in recipient) return { id: recipient.did };
  const salt = recipient.salt ?? randomBytes(16).toString('hex');
  return {
    identifier: [
      { type: 'IdentityObject', identityHash: hashEmailIdentity(recipient.email, salt), identityType: 'emailAddress', hashed: true, salt },
    ],
  };
}

function recipientOb2(recipient: RecipientInput): JsonObject {
  if ('did' in recipient) return { type: 'url', identity: recipient.did, hashed: false };
  const salt = recipient.salt ?? randomBytes(16).toString('hex');
  return { type: 'email', identity: hashEmailIdentity(recipient.email, salt), hashed: true, salt };
}

function evidenceOb3(item: EvidenceInput): JsonObject {
  if (item.id !== undefined) requireUri(item.id, 'evidence.id');
  return compact({
    id: item.id,
    type: ['Evidence'],
    name: item.name,
    description: item.description,
    narrative: item.narrative,
    genre: item.genre,
    audience: item.audience,
  });
}

function levelId(achievementId: string, name: string): string {
  return `${achievementId}#level-${name.toLowerCase()}`;
}

/** A date-time field: a Date, a dateTimeStamp, or a calendar date (YYYY-MM-DD, read as midnight UTC). */
function dateField(value: Date | string, field: string): string {
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
function compact(object: Record<string, JsonValue | undefined>): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as JsonObject;
}

// RFC 4122 name-based UUID (version 5, SHA-1) in a namespace of this project.
const UUID_NAMESPACE = Buffer.from('6f1b0c52c1a94f7e9d3e2a6b8e4f5a10', 'hex');

function uuidV5(name: string): string {
  const hash = createHash('sha1').update(UUID_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
