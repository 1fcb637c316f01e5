/**
 * Reads a badge-class document from untrusted JSON: every field checked, the first wrong one named with the reason
 * (a JSON path such as `score.bands[1].from`), unknown fields refused so that two documents meaning the same thing
 * cannot hash to two ids.
 */
import {
  BADGE_CLASS_SCHEMA,
  CO_ISSUER_ROLES,
  FRAMEWORKS,
  LANGUAGES,
  type Alignment,
  type BadgeClassDocument,
  type LevelDefinition,
  type LocalisedText,
  type ScoreScale,
} from './badge-class';
import { BadgeClassError } from './errors';

type Obj = Record<string, unknown>;

function object(value: unknown, field: string, allowed: readonly string[]): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadgeClassError(field, 'must be a JSON object');
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  if (extra !== undefined) throw new BadgeClassError(`${field === '(document)' ? '' : `${field}.`}${extra}`, 'is not a badge-class field');
  return value as Obj;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new BadgeClassError(field, 'must be a non-empty string');
  return value;
}

function integer(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new BadgeClassError(field, 'must be an integer');
  return value;
}

function localised(value: unknown, field: string): LocalisedText {
  const record = object(value, field, LANGUAGES);
  for (const language of LANGUAGES) {
    if (!(language in record)) throw new BadgeClassError(`${field}.${language}`, `is missing: every class is written in ${LANGUAGES.join(' and ')}`);
    text(record[language], `${field}.${language}`);
  }
  return record as LocalisedText;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new BadgeClassError(field, 'must be a non-empty array');
  return value;
}

function alignment(value: unknown, field: string): Alignment {
  const record = object(value, field, ['framework', 'targetCode', 'targetName', 'targetUrl']);
  if (!(FRAMEWORKS as readonly unknown[]).includes(record.framework)) {
    throw new BadgeClassError(`${field}.framework`, `must be one of ${FRAMEWORKS.join(', ')}`);
  }
  text(record.targetCode, `${field}.targetCode`);
  text(record.targetName, `${field}.targetName`);
  if (record.targetUrl !== undefined && !/^https?:\/\/\S+$/.test(text(record.targetUrl, `${field}.targetUrl`))) {
    throw new BadgeClassError(`${field}.targetUrl`, 'must be an http(s) URL');
  }
  return record as unknown as Alignment;
}

function levels(value: unknown): LevelDefinition[] {
  const list = array(value, 'levels').map((entry, index) => {
    const record = object(entry, `levels[${index}]`, ['name', 'rank']);
    return { name: text(record.name, `levels[${index}].name`), rank: integer(record.rank, `levels[${index}].rank`) };
  });
  list.forEach((level, index) => {
    if (level.rank !== index + 1) throw new BadgeClassError(`levels[${index}].rank`, `must be ${index + 1}: levels are listed lowest first, ranked 1, 2, 3… without gaps`);
    if (list.findIndex((other) => other.name === level.name) !== index) throw new BadgeClassError(`levels[${index}].name`, `"${level.name}" is named twice`);
  });
  return list;
}

function score(value: unknown, levelList: LevelDefinition[]): ScoreScale {
  const record = object(value, 'score', ['label', 'min', 'max', 'bands']);
  localised(record.label, 'score.label');
  const min = integer(record.min, 'score.min');
  const max = integer(record.max, 'score.max');
  if (max <= min) throw new BadgeClassError('score.max', `must be above score.min (${min})`);
  const bands = array(record.bands, 'score.bands').map((entry, index) => {
    const field = `score.bands[${index}]`;
    const band = object(entry, field, ['level', 'from', 'to']);
    return { level: text(band.level, `${field}.level`), from: integer(band.from, `${field}.from`), to: integer(band.to, `${field}.to`) };
  });
  if (bands.length !== levelList.length) throw new BadgeClassError('score.bands', `must give one band to each of the ${levelList.length} levels, lowest first; it has ${bands.length}`);
  bands.forEach((band, index) => {
    const field = `score.bands[${index}]`;
    if (!levelList.some((level) => level.name === band.level)) throw new BadgeClassError(`${field}.level`, `"${band.level}" is not one of the class's levels`);
    if (band.level !== (levelList[index] as LevelDefinition).name) throw new BadgeClassError(`${field}.level`, `must be "${(levelList[index] as LevelDefinition).name}": bands follow the levels, lowest first`);
    if (band.from < min || band.to > max) throw new BadgeClassError(field, `${band.from}-${band.to} must lie within score.min-score.max (${min}-${max})`);
    if (band.to < band.from) throw new BadgeClassError(`${field}.to`, `must not be below its from (${band.from})`);
    const previous = bands[index - 1];
    if (previous && band.from <= previous.to) throw new BadgeClassError(`${field}.from`, `overlaps the band of ${previous.level} (${previous.from}-${previous.to}): a score must give one level`);
    if (previous && band.from > previous.to + 1) throw new BadgeClassError(`${field}.from`, `leaves a gap after ${previous.level} (which ends at ${previous.to}): it must be ${previous.to + 1}`);
  });
  const last = bands[bands.length - 1] as { to: number; level: string };
  if (last.to !== max) throw new BadgeClassError(`score.bands[${bands.length - 1}].to`, `must be score.max (${max}): a score above ${last.to} would earn no level`);
  return record as unknown as ScoreScale;
}

const FIELDS = ['schema', 'name', 'description', 'criteria', 'image', 'alignments', 'levels', 'score', 'evidence', 'coIssuance', 'supersedes'];

/** The document checked and typed, or BadgeClassError naming the first wrong field. */
export function parseBadgeClass(value: unknown): BadgeClassDocument {
  const record = object(value, '(document)', FIELDS);
  if (record.schema !== BADGE_CLASS_SCHEMA) throw new BadgeClassError('schema', `must be "${BADGE_CLASS_SCHEMA}"`);
  localised(record.name, 'name');
  localised(record.description, 'description');
  localised(record.criteria, 'criteria');
  if (!/^(https:\/\/|ipfs:\/\/)\S+$/.test(text(record.image, 'image'))) throw new BadgeClassError('image', 'must be an https:// or ipfs:// URL');
  array(record.alignments, 'alignments').forEach((entry, index) => alignment(entry, `alignments[${index}]`));
  const levelList = levels(record.levels);
  if (record.score !== undefined) score(record.score, levelList);
  const evidence = object(record.evidence, 'evidence', ['required', 'description']);
  if (typeof evidence.required !== 'boolean') throw new BadgeClassError('evidence.required', 'must be true or false');
  if (evidence.description !== undefined) localised(evidence.description, 'evidence.description');
  if (evidence.required && evidence.description === undefined) throw new BadgeClassError('evidence.description', 'is required when evidence.required is true: say what evidence');
  const coIssuance = object(record.coIssuance, 'coIssuance', ['required', 'role']);
  if (typeof coIssuance.required !== 'boolean') throw new BadgeClassError('coIssuance.required', 'must be true or false');
  if (coIssuance.required && !(CO_ISSUER_ROLES as readonly unknown[]).includes(coIssuance.role)) {
    throw new BadgeClassError('coIssuance.role', `must be one of ${CO_ISSUER_ROLES.join(', ')} when co-issuance is required`);
  }
  if (!coIssuance.required && coIssuance.role !== undefined) throw new BadgeClassError('coIssuance.role', 'must be absent when co-issuance is not required');
  if (record.supersedes !== undefined && (typeof record.supersedes !== 'string' || !/^0x[0-9a-f]{64}$/.test(record.supersedes))) {
    throw new BadgeClassError('supersedes', 'must be the superseded class id: 0x and 64 lower-case hex digits');
  }
  return record as unknown as BadgeClassDocument;
}
