/**
 * What a credential claims about its badge class, read where the badge builder writes it (service/credentials/
 * builder.ts): the class in `credentialSubject.achievement.id` (`urn:badge-notary:class:<id>`), the level in the
 * Result whose `resultDescription` is `<achievement id>#level` (`achievedLevel` = `<achievement id>#level-<name>`),
 * and the score in the Result whose `resultDescription` is `<achievement id>#score` (`value`). Each claim carries its
 * JSON path in the credential, so that a refusal names the field.
 */
import type { BadgeClassDocument, BadgeClassId } from './badge-class';
import { classIdOfAchievement } from './badge-class';
import { ClassMismatchError } from './errors';
import { checkLevel } from './levels';

export interface ClassClaims {
  classId: BadgeClassId;
  /** `credentialSubject.achievement.id` (or `credentialSubject[0]...` when the subject is an array). */
  classField: string;
  /** The level as the credential writes it (the lower-case name after `#level-`), and its path. */
  level?: { name: string; field: string } | undefined;
  /** The score, and its path. */
  score?: { value: number; field: string } | undefined;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The class the credential is issued against and its level and score claims; undefined when it cites no class. */
export function classClaimsOf(credential: unknown): ClassClaims | undefined {
  if (!isObject(credential)) return undefined;
  const subjects = credential.credentialSubject;
  const [subject, subjectPath] = Array.isArray(subjects) ? [subjects[0], 'credentialSubject[0]'] : [subjects, 'credentialSubject'];
  if (!isObject(subject) || !isObject(subject.achievement) || typeof subject.achievement.id !== 'string') return undefined;
  const achievementId = subject.achievement.id;
  const classId = classIdOfAchievement(achievementId);
  if (!classId) return undefined;
  const claims: ClassClaims = { classId, classField: `${subjectPath}.achievement.id` };
  const results = Array.isArray(subject.result) ? subject.result : [];
  results.forEach((result, index) => {
    if (!isObject(result)) return;
    const path = `${subjectPath}.result[${index}]`;
    if (result.resultDescription === `${achievementId}#level` && typeof result.achievedLevel === 'string') {
      const prefix = `${achievementId}#level-`;
      const name = result.achievedLevel.startsWith(prefix) ? result.achievedLevel.slice(prefix.length) : result.achievedLevel;
      claims.level = { name, field: `${path}.achievedLevel` };
    }
    if (result.resultDescription === `${achievementId}#score` && result.value !== undefined) {
      claims.score = { value: Number(result.value), field: `${path}.value` };
    }
  });
  return claims;
}

/** Why the credential's level or score does not fit the class: the field (a path in the credential) and the reason. */
export interface ClassClaimProblem {
  field: string;
  reason: string;
}

/**
 * Checks the claimed level (and score) against the class with checkLevel. The credential writes the level name in
 * lower case, so it is matched against the class's names regardless of case. Returns the class's level, or the
 * problem with the credential's field.
 */
export function checkClassClaims(badgeClass: BadgeClassDocument, claims: ClassClaims): { level: string } | { problem: ClassClaimProblem } {
  if (!claims.level) {
    return { problem: { field: claims.classField, reason: `a badge issued against class ${claims.classId} must state its level (a Result with achievedLevel)` } };
  }
  const claimed = claims.level.name.toLowerCase();
  const level = badgeClass.levels.find((candidate) => candidate.name.toLowerCase() === claimed)?.name ?? claims.level.name;
  try {
    return { level: checkLevel(badgeClass, { level, score: claims.score?.value }).name };
  } catch (error) {
    if (!(error instanceof ClassMismatchError)) throw error;
    const field = error.details.field === 'score' ? (claims.score?.field ?? claims.level.field) : claims.level.field;
    return { problem: { field, reason: error.details.reason } };
  }
}
