/* global atob, TextDecoder */
/**
 * What a person wants to see of a badge, read from the credential JSON the verification report carries
 * (`report.credential.document`): an Open Badges 3.0 AchievementCredential (JSON or the VC of a VC-JWT), or an
 * OB 2.0 Assertion. Where the badge builder (service/credentials/builder.ts) puts each item:
 *   level        credentialSubject.result[].achievedLevel -> achievement.resultDescription[].rubricCriterionLevel[]
 *   score        credentialSubject.result[].value (its ResultDescription gives valueMax)
 *   area         achievement.fieldOfStudy; competence achievement.specialization
 *   framework    achievement.alignment[] (LifeComp, ESCO, EQF)
 *   dates        validFrom / issuanceDate, awardedDate, credentialSubject.activityEndDate (exam), validUntil / expirationDate
 *   endorsements achievement.endorsement[] / endorsementJwt[], and the credential's own endorsement[]
 * Pure functions: no DOM, so they can be tried on their own.
 */

const SOFT_LEVELS = ['Copper', 'Silver', 'Gold'];
const TECHNICAL_LEVELS = ['Silver', 'Gold', 'Platinum'];

/** The badge as shown, or undefined when there is no document. */
export function describeBadge(document, format) {
  if (!isObject(document)) return undefined;
  return format === 'ob2-jws' || isOb2(document) ? describeOb2(document) : describeOb3(document);
}

function describeOb3(credential) {
  const subject = first(credential.credentialSubject) ?? {};
  const achievement = isObject(subject.achievement) ? subject.achievement : {};
  const { level, result } = levelOf(subject, achievement);
  return {
    name: text(achievement.name) ?? text(credential.name) ?? '',
    description: text(achievement.description) ?? text(credential.description),
    code: text(achievement.humanCode),
    image: imageOf(achievement.image) ?? imageOf(credential.image),
    issuer: profileOf(credential.issuer),
    recipient: recipientOf(subject),
    level,
    result,
    area: text(achievement.fieldOfStudy),
    competence: text(achievement.specialization),
    alignments: list(achievement.alignment).filter(isObject).map(alignmentOf),
    criteria: isObject(achievement.criteria) ? text(achievement.criteria.narrative) : undefined,
    evidence: list(credential.evidence).filter(isObject).map(evidenceOf),
    dates: {
      issued: text(credential.validFrom) ?? text(credential.issuanceDate),
      awarded: text(credential.awardedDate),
      exam: text(subject.activityEndDate),
      validUntil: text(credential.validUntil) ?? text(credential.expirationDate),
    },
    endorsements: [
      ...list(achievement.endorsement),
      ...list(achievement.endorsementJwt),
      ...list(credential.endorsement),
      ...list(credential.endorsementJwt),
    ]
      .map(endorsementOf)
      .filter(Boolean),
  };
}

function describeOb2(assertion) {
  const badge = isObject(assertion.badge) ? assertion.badge : {};
  const tags = list(badge.tags).filter((tag) => typeof tag === 'string');
  const levelName = tags.find((tag) => SOFT_LEVELS.includes(tag) || TECHNICAL_LEVELS.includes(tag));
  return {
    name: text(badge.name) ?? '',
    description: text(badge.description),
    code: undefined,
    image: imageOf(badge.image) ?? imageOf(assertion.image),
    issuer: profileOf(badge.issuer),
    recipient: isObject(assertion.recipient)
      ? assertion.recipient.hashed
        ? { hashed: true }
        : { id: text(assertion.recipient.identity) }
      : undefined,
    level: levelName ? { name: levelName, scale: 'other' } : undefined,
    result: undefined,
    area: tags[0],
    competence: tags[1],
    alignments: list(badge.alignment).filter(isObject).map(alignmentOf),
    criteria: isObject(badge.criteria) ? text(badge.criteria.narrative) : undefined,
    evidence: list(assertion.evidence).filter(isObject).map(evidenceOf),
    dates: { issued: text(assertion.issuedOn), awarded: undefined, exam: undefined, validUntil: text(assertion.expires) },
    endorsements: list(badge.endorsement).map(endorsementOf).filter(Boolean),
  };
}

/** The level earned (a RubricCriterionLevel named by the result) and the raw score, with the scale they are on. */
function levelOf(subject, achievement) {
  const descriptions = list(achievement.resultDescription).filter(isObject);
  const results = list(subject.result).filter(isObject);
  let level;
  let result;
  for (const item of results) {
    const description = descriptions.find((candidate) => candidate.id === item.resultDescription);
    if (typeof item.achievedLevel === 'string') {
      const rubric = descriptions
        .flatMap((candidate) => list(candidate.rubricCriterionLevel))
        .find((criterion) => isObject(criterion) && criterion.id === item.achievedLevel);
      if (rubric) {
        level = {
          name: text(rubric.name) ?? '',
          level: Number(rubric.level) || undefined,
          band: text(rubric.description),
          scale: scaleOf(description ?? descriptions.find((candidate) => list(candidate.rubricCriterionLevel).includes(rubric))),
        };
      }
    } else if (item.value !== undefined && description) {
      result = { value: String(item.value), max: text(description.valueMax), scale: undefined };
    }
  }
  if (result) result.scale = level?.scale ?? 'other';
  return { level, result };
}

function scaleOf(description) {
  if (!isObject(description)) return 'other';
  const allowed = list(description.allowedValue);
  if (allowed.includes('Copper')) return 'soft';
  if (allowed.includes('Platinum')) return 'technical';
  const name = String(description.name ?? '');
  if (/lifecomp|descriptor/i.test(name)) return 'soft';
  if (/exam|score/i.test(name)) return 'technical';
  return 'other';
}

function profileOf(value) {
  if (typeof value === 'string') return { id: value };
  if (!isObject(value)) return { id: undefined };
  return { id: text(value.id), name: text(value.name), email: text(value.email), url: text(value.url) };
}

function recipientOf(subject) {
  if (typeof subject.id === 'string') return { id: subject.id };
  const identity = list(subject.identifier).find(isObject);
  if (identity) return identity.hashed ? { hashed: true } : { id: text(identity.identityHash) };
  return undefined;
}

function imageOf(value) {
  if (typeof value === 'string') return { url: value };
  if (isObject(value) && typeof value.id === 'string') return { url: value.id, caption: text(value.caption) };
  return undefined;
}

function alignmentOf(item) {
  return {
    framework: text(item.targetFramework),
    code: text(item.targetCode),
    name: text(item.targetName),
    url: text(item.targetUrl),
    description: text(item.targetDescription),
  };
}

function evidenceOf(item) {
  return {
    name: text(item.name),
    description: text(item.description),
    narrative: text(item.narrative),
    genre: text(item.genre),
    url: typeof item.id === 'string' && /^https?:\/\//.test(item.id) ? item.id : undefined,
  };
}

/** An endorsement in the badge: an EndorsementCredential object, or its VC-JWT (the payload is read, not checked). */
function endorsementOf(value) {
  let credential = value;
  if (typeof value === 'string') {
    const payload = jwtPayload(value);
    credential = isObject(payload?.vc) ? payload.vc : payload;
  }
  if (!isObject(credential)) return undefined;
  const subject = first(credential.credentialSubject) ?? {};
  const issuer = profileOf(credential.issuer);
  return {
    issuerName: issuer.name,
    issuerId: issuer.id,
    name: text(credential.name),
    comment: text(subject.endorsementComment),
    date: text(credential.validFrom) ?? text(credential.issuanceDate),
  };
}

function jwtPayload(jws) {
  const part = String(jws).split('.')[1];
  if (!part) return undefined;
  try {
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** Whether an image URL may be shown without fetching anything from another site: a data: image. */
export function isInlineImage(url) {
  return typeof url === 'string' && /^data:image\/(png|gif|jpeg|webp|svg\+xml)[;,]/i.test(url);
}

function isOb2(document) {
  const contexts = list(document['@context']);
  return list(document.type).includes('Assertion') || contexts.some((context) => typeof context === 'string' && context.startsWith('https://w3id.org/openbadges/v2'));
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value) {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function first(value) {
  const item = list(value)[0];
  return isObject(item) ? item : undefined;
}

function text(value) {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
