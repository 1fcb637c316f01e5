/**
 * Badge levels from assessment results (DOMAIN.md "Levels").
 *
 * Soft skills (LifeComp / LEVER UP grid of 10 observable descriptors), by the count observed:
 *   0-3 no badge; 4-5 Copper (level 1, basic); 6-8 Silver (level 2, intermediate); 9-10 Gold (level 3, advanced).
 *   The seed reads "6-8 Silver; 8-10 Gold", so 8 is claimed by both. We settle 8 = Silver: a badge must not be
 *   awarded on a boundary that two levels claim, so 8 stays with the lower level, whose range the seed states
 *   first and in full, and Gold requires 9 or more. (docs/credentials.md says the same.)
 *
 * Technical skills (Unioncamere exam, integer score out of 100):
 *   below 70 not certified; 70-80 Silver; 81-90 Gold; 91-100 Platinum.
 *
 * Results must be integers in range (0..10, 0..100); anything else is InvalidScoreError.
 */
import { InvalidScoreError, NoBadgeError } from './errors';

export type SkillScale = 'soft' | 'technical';
export type LevelName = 'Copper' | 'Silver' | 'Gold' | 'Platinum';

export interface BadgeLevel {
  scale: SkillScale;
  name: LevelName;
  /** The rank within its scale, from 1: soft Copper 1, Silver 2, Gold 3; technical Silver 1, Gold 2, Platinum 3. */
  level: number;
  /** The result the level was read from, and the range the scale allows. */
  value: number;
  min: number;
  max: number;
  /** The inclusive band of results that gives this level. */
  band: readonly [number, number];
}

interface Band {
  from: number;
  to: number;
  name: LevelName;
  level: number;
}

const SOFT: readonly Band[] = [
  { from: 4, to: 5, name: 'Copper', level: 1 },
  { from: 6, to: 8, name: 'Silver', level: 2 },
  { from: 9, to: 10, name: 'Gold', level: 3 },
];

const TECHNICAL: readonly Band[] = [
  { from: 70, to: 80, name: 'Silver', level: 1 },
  { from: 81, to: 90, name: 'Gold', level: 2 },
  { from: 91, to: 100, name: 'Platinum', level: 3 },
];

const SCALES: Record<SkillScale, { bands: readonly Band[]; min: number; max: number; label: string }> = {
  soft: { bands: SOFT, min: 0, max: 10, label: 'soft-skill descriptor count' },
  technical: { bands: TECHNICAL, min: 0, max: 100, label: 'technical exam score' },
};

/**
 * The level earned on a scale, or NoBadgeError below the first band.
 *
 * @example
 * levelFor({ scale: 'soft', value: 8 }) // { name: 'Silver', level: 2, ... }
 */
export function levelFor({ scale, value }: { scale: SkillScale; value: number }): BadgeLevel {
  const spec = SCALES[scale];
  if (!spec) throw new InvalidScoreError({ scale: String(scale), value: String(value), min: 0, max: 0 });
  if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new InvalidScoreError({ scale: spec.label, value: describe(value), min: spec.min, max: spec.max });
  }
  const band = spec.bands.find((candidate) => value >= candidate.from && value <= candidate.to);
  if (!band) throw new NoBadgeError({ scale: spec.label, value, minimum: (spec.bands[0] as Band).from });
  return { scale, name: band.name, level: band.level, value, min: spec.min, max: spec.max, band: [band.from, band.to] };
}

/** The soft-skill level for `observed` descriptors out of 10. */
export function softSkillLevel(observed: number): BadgeLevel {
  return levelFor({ scale: 'soft', value: observed });
}

/** The technical-skill level for an exam `score` out of 100. */
export function technicalSkillLevel(score: number): BadgeLevel {
  return levelFor({ scale: 'technical', value: score });
}

/** Every level of a scale, lowest first (for a badge's ResultDescription). */
export function levelsOf(scale: SkillScale): readonly { name: LevelName; level: number; band: readonly [number, number] }[] {
  return SCALES[scale].bands.map((band) => ({ name: band.name, level: band.level, band: [band.from, band.to] as const }));
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : `${JSON.stringify(value) ?? String(value)} (${typeof value})`;
}
