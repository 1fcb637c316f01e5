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
 *   status list entry     credentialStatus (BitstringStatusListEntry, statusPurpose revocation; docs/status-list.md)
 * The earner is named by a DID or by a salted SHA-256 of an e-mail (an OB 3.0 IdentityObject), nothing else.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  checkBadgeInput,
  compact,
  dateField,
  hashEmailIdentity,
  type BadgeInput,
  type CheckedBadge,
  type EvidenceInput,
  type RecipientInput,
} from './badge-input';
import { levelsOf } from './levels';
import { OB3_CONTEXT_URL, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL } from './loader';
import { OB2_CONTEXT_URL } from './ob2';
import type { JsonObject } from './types';
import { STATUS_LIST_LENGTH } from '../status-list/bitstring';
import { buildStatusEntry } from '../status-list/entry';
import { StatusListError } from '../status-list/errors';
import { InvalidBadgeInputError } from './errors';
import { achievementIdOf, badgeClassId, checkLevel, ClassMismatchError, type BadgeClassDocument } from '../catalogue';

export {
  hashEmailIdentity,
  type AlignmentInput,
  type BadgeInput,
  type EvidenceInput,
  type RecipientInput,
  type SkillInput,
} from './badge-input';

/**
 * An unsigned OB 3.0 AchievementCredential for a badge. Throws InvalidBadgeInputError for a missing or wrong
 * field, NoBadgeError when the result earns no level, InvalidScoreError for a result out of range.
 *
 * @example
 * const credential = buildAchievementCredential({ badgeCode: 'LC-P11', skill: { kind: 'soft', observedDescriptors: 8, ... }, ... })
 */
export function buildAchievementCredential(input: BadgeInput): JsonObject {
  const badge = checkBadgeInput(input);
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
  if (input.status !== undefined) credential.credentialStatus = statusEntryOb3(input.status, v1);
  return credential;
}

/**
 * The credential for a badge issued against a network badge class: its Achievement id is
 * `urn:badge-notary:class:<class id>` (docs/catalogue.md), and the level the assessment earns must be in the class's
 * scheme and be the one its bands give the score. Throws ClassMismatchError naming `achievementId`, `level` or `score`.
 */
export function buildAchievementCredentialForClass(input: BadgeInput, badgeClass: BadgeClassDocument): JsonObject {
  const achievementId = achievementIdOf(badgeClassId(badgeClass));
  if (input.achievementId !== undefined && input.achievementId !== achievementId) {
    throw new ClassMismatchError('achievementId', `must be ${achievementId}, the id of the class the badge is issued against`);
  }
  const againstClass = { ...input, achievementId };
  const { level } = checkBadgeInput(againstClass);
  checkLevel(badgeClass, { level: level.name, score: level.value });
  return buildAchievementCredential(againstClass);
}

/** The revocation entry; a VC 1.1 credential would need the status list's own context, which the notary does not serve. */
function statusEntryOb3(status: NonNullable<BadgeInput['status']>, v1: boolean): JsonObject {
  if (v1) throw new InvalidBadgeInputError({ field: 'status', reason: 'needs a VC 2.0 credential (BitstringStatusListEntry is a VC 2.0 term)' });
  try {
    return buildStatusEntry(status.statusListCredential, status.index);
  } catch (cause) {
    if (!(cause instanceof StatusListError)) throw cause;
    const [field, reason] =
      cause.field === 'statusListIndex'
        ? ['status.index', `must be a whole number from 0 to ${STATUS_LIST_LENGTH - 1}`]
        : ['status.statusListCredential', 'must be an http(s) URL'];
    throw new InvalidBadgeInputError({ field, reason }, { cause });
  }
}

/** The same badge as an unsigned OB 2.0 Assertion (for the ob2-jws format); the level goes in the BadgeClass. */
export function buildOb2Assertion(input: BadgeInput): JsonObject {
  const badge = checkBadgeInput(input);
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
