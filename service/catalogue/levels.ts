/**
 * A class's level scheme read against a score and a claimed level (what "issuing against a class" checks). The rule
 * itself is class-levels.mjs, which the web console runs in the browser too; here its answers become errors.
 */
import type { BadgeClassDocument, LevelDefinition } from './badge-class';
import { judgeLevel, judgeScore, type LevelJudgement } from './class-levels.mjs';
import { ClassMismatchError } from './errors';

/** The level the class's bands assign to `score`, or undefined when the score is below the first band (no badge). */
export function levelForScore(badgeClass: BadgeClassDocument, score: number): LevelDefinition | undefined {
  return levelOrThrow(judgeScore(badgeClass, score));
}

/** Checks a claimed level (and score, when given) against the class; returns the level or throws naming the field. */
export function checkLevel(badgeClass: BadgeClassDocument, claimed: { level: string; score?: number | undefined }): LevelDefinition {
  return levelOrThrow(judgeLevel(badgeClass, claimed))!;
}

function levelOrThrow(judgement: LevelJudgement): LevelDefinition | undefined {
  if (judgement.field !== undefined) throw new ClassMismatchError(judgement.field, judgement.reason);
  return judgement.level;
}
