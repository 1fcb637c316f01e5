import type { BadgeClassDocument, LevelDefinition } from './badge-class';

/** What a class's level scheme answers: the level, or the field at fault and why. */
export type LevelJudgement = { level: LevelDefinition | undefined; field?: undefined; reason?: undefined } | { level?: undefined; field: string; reason: string };

export function judgeScore(badgeClass: BadgeClassDocument, score: number): LevelJudgement;
export function judgeLevel(badgeClass: BadgeClassDocument, claimed: { level: string; score?: number | undefined }): LevelJudgement;
