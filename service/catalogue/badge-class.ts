/**
 * The badge-class document the network agrees on (issue #11): an Open Badges 3.0 Achievement (name, description and
 * criteria in Italian and English, image, alignments to LifeComp / ESCO / EQF) plus the level scheme (level names and
 * ranks), the score bands that map a score to a level (a scheme may have no score), the evidence required and whether
 * co-issuance is required and by which role.
 *
 * Its id is keccak-256 of its RFC 8785 (JCS) canonical JSON: keccak because the catalogue contract keys classes by
 * bytes32 and everything else the network hashes (credential digests, metadata files) is keccak-256, so a contract
 * or a client can recompute it with the same primitive. A new version names the id it supersedes in `supersedes`;
 * the id covers that field, so versions form a chain that cannot be rewritten.
 */
import canonicalize from 'canonicalize';
import { keccak256, toUtf8Bytes } from 'ethers';
import { BadgeClassError } from './errors';

export const BADGE_CLASS_SCHEMA = 'badge-notary/badge-class/1';
export const LANGUAGES = ['it', 'en'] as const;
export const FRAMEWORKS = ['LifeComp', 'ESCO', 'EQF'] as const;
export const CO_ISSUER_ROLES = ['validation-point'] as const;

export type Language = (typeof LANGUAGES)[number];
export type Framework = (typeof FRAMEWORKS)[number];
export type CoIssuerRole = (typeof CO_ISSUER_ROLES)[number];
/** Text in every network language. */
export type LocalisedText = Record<Language, string>;
/** 0x + 64 hex digits: a class id, as the catalogue contract's bytes32. */
export type BadgeClassId = `0x${string}`;

export interface Alignment {
  framework: Framework;
  /** The framework's code, e.g. LifeComp "P1", ESCO a skill URI's id, EQF "4". */
  targetCode: string;
  targetName: string;
  targetUrl?: string;
}

export interface LevelDefinition {
  name: string;
  /** 1 for the lowest level, then 2, 3, … without gaps. */
  rank: number;
}

/** An inclusive band of integer scores that gives `level`. */
export interface ScoreBand {
  level: string;
  from: number;
  to: number;
}

export interface ScoreScale {
  /** What the score counts, e.g. "descriptors observed" / "descrittori osservati". */
  label: LocalisedText;
  min: number;
  max: number;
  /** Ascending, contiguous, the last ending at `max`; scores below the first band earn no badge. */
  bands: ScoreBand[];
}

export interface BadgeClassDocument {
  schema: typeof BADGE_CLASS_SCHEMA;
  name: LocalisedText;
  description: LocalisedText;
  criteria: LocalisedText;
  image: string;
  alignments: Alignment[];
  levels: LevelDefinition[];
  score?: ScoreScale;
  evidence: { required: boolean; description?: LocalisedText };
  coIssuance: { required: false } | { required: true; role: CoIssuerRole };
  /** The id of the version this one replaces. */
  supersedes?: BadgeClassId;
}

/** RFC 8785 canonical JSON of the document: the bytes its id hashes. */
export function canonicalBadgeClass(document: BadgeClassDocument): string {
  const text = canonicalize(document);
  if (text === undefined) throw new BadgeClassError('(document)', 'cannot be canonicalised (RFC 8785)');
  return text;
}

/** keccak-256 of the canonical JSON, 0x-hex: the class id the catalogue contract stores as bytes32. */
export function badgeClassId(document: BadgeClassDocument): BadgeClassId {
  return keccak256(toUtf8Bytes(canonicalBadgeClass(document))) as BadgeClassId;
}

const URN_PREFIX = 'urn:badge-notary:class:';

/** The Achievement id a credential issued against the class carries: `urn:badge-notary:class:<class id>`. */
export function achievementIdOf(classId: BadgeClassId): string {
  return `${URN_PREFIX}${classId}`;
}

/** The class id inside an Achievement id, or undefined when it is not one of ours. */
export function classIdOfAchievement(achievementId: string): BadgeClassId | undefined {
  if (!achievementId.startsWith(URN_PREFIX)) return undefined;
  const id = achievementId.slice(URN_PREFIX.length);
  return /^0x[0-9a-f]{64}$/.test(id) ? (id as BadgeClassId) : undefined;
}
