/** A class's level scheme read against a score and a claimed level (what "issuing against a class" checks). */
import type { BadgeClassDocument, LevelDefinition, ScoreBand } from './badge-class';
import { ClassMismatchError } from './errors';

/** The level the class's bands assign to `score`, or undefined when the score is below the first band (no badge). */
export function levelForScore(badgeClass: BadgeClassDocument, score: number): LevelDefinition | undefined {
  const scale = badgeClass.score;
  if (!scale) throw new ClassMismatchError('score', 'the class has no score: its level is awarded without one');
  if (!Number.isInteger(score) || score < scale.min || score > scale.max) {
    throw new ClassMismatchError('score', `${String(score)} must be an integer from ${scale.min} to ${scale.max}`);
  }
  const band = scale.bands.find((candidate: ScoreBand) => score >= candidate.from && score <= candidate.to);
  return band && badgeClass.levels.find((level) => level.name === band.level);
}

/** Checks a claimed level (and score, when given) against the class; returns the level or throws naming the field. */
export function checkLevel(badgeClass: BadgeClassDocument, claimed: { level: string; score?: number | undefined }): LevelDefinition {
  const level = badgeClass.levels.find((candidate) => candidate.name === claimed.level);
  if (!level) {
    throw new ClassMismatchError('level', `"${claimed.level}" is not a level of the class (${badgeClass.levels.map((l) => l.name).join(', ')})`);
  }
  if (claimed.score === undefined) return level;
  const assigned = levelForScore(badgeClass, claimed.score);
  if (!assigned) throw new ClassMismatchError('score', `${claimed.score} is below the class's first band: it earns no badge`);
  if (assigned.name !== level.name) throw new ClassMismatchError('level', `"${level.name}" does not match score ${claimed.score}, which the class's bands give "${assigned.name}"`);
  return level;
}
