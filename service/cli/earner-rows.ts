/**
 * `badge issue`'s input: a badge template (the badge builder's input without the earner and the result) and a CSV
 * of earners, one row per credential. Each row becomes the builder's input; the builder checks it and reads the
 * level from the score, so a row is checked as a badge before anything is signed.
 */
import { buildAchievementCredential, type BadgeInput } from '../credentials/builder';
import { ClassMismatchError } from '../catalogue';
import { CredentialError, InvalidBadgeInputError, InvalidScoreError, NoBadgeError } from '../credentials/errors';
import { levelFor, levelsOf } from '../credentials/levels';
import { isJsonObject, type JsonObject } from '../credentials/types';
import { CliUsageError } from './cli-errors';
import type { CsvRecord } from './csv';
import { NotaryError } from '../errors';
import { columnKey, duplicateEarners, earnerIdentity, isEmailAddress, wholeNumber } from '../issuing/earner-rules.mjs';

/** The template: every field of the builder's input except the earner and the result, which come from the CSV. */
export type BadgeTemplate = Omit<BadgeInput, 'recipient' | 'id' | 'skill' | 'issuedOn'> & {
  skill: { kind: 'soft' | 'technical'; area: string; competence: string };
  /** Default for rows without issued_on; default the time of the run. */
  issuedOn?: string;
};

/** The CSV columns, by their header. */
export const EARNER_COLUMNS = {
  email: 'the earner’s e-mail; the credential holds only its salted SHA-256 (give email or did)',
  did: 'the earner’s DID (give email or did)',
  score: 'the result: LifeComp descriptors observed of 10 (soft skills) or the exam score of 100 (technical)',
  level: 'optional: the level the score earns, checked against it',
  issued_on: 'optional: YYYY-MM-DD or a date-time with its zone; default the template’s issuedOn, else now',
  exam_date: 'optional: YYYY-MM-DD or a date-time',
  valid_until: 'optional: YYYY-MM-DD or a date-time',
  id: 'optional: the credential id (a URI); default a random urn:uuid',
} as const;
type Column = keyof typeof EARNER_COLUMNS;

/** A row's unsigned credential, with the CSV line it came from. */
export interface EarnerRow {
  line: number;
  credential: JsonObject;
}

/** Reads and checks the template: it must make a badge once an earner and a score are filled in. */
export function readTemplate(json: unknown, file: string, now: Date): BadgeTemplate {
  if (!isJsonObject(json)) throw new CliUsageError(`the template ${file} must be a JSON object (the badge builder’s input)`);
  for (const field of ['recipient', 'id'] as const) {
    if (json[field] !== undefined) throw new CliUsageError(`the template ${file} must not hold ${field}: it comes from each CSV row`);
  }
  const template = json as unknown as BadgeTemplate;
  const skill = template.skill as unknown;
  if (!isJsonObject(skill) || (skill.kind !== 'soft' && skill.kind !== 'technical')) {
    throw new CliUsageError(`the template ${file}: skill.kind must be "soft" or "technical"`);
  }
  const top = levelsOf(skill.kind).at(-1)!.band[1];
  try {
    buildAchievementCredential(inputFor(template, { did: 'did:example:earner' }, top, now));
  } catch (error) {
    if (error instanceof CredentialError) throw new CliUsageError(`the template ${file}: ${error.shortMessage}`);
    throw error;
  }
  return template;
}

/**
 * The rows of the CSV as unsigned credentials. Every row is checked; the errors of all of them (`line 7: ...`) are
 * thrown together as one CliUsageError, so a run either has no bad row or issues nothing.
 */
/** `build`: the builder of each row's credential; `badge issue --class` passes one that issues against the class. */
export function earnerRows(
  records: CsvRecord[],
  template: BadgeTemplate,
  file: string,
  now: Date,
  maxErrors = 20,
  build: (input: BadgeInput) => JsonObject = buildAchievementCredential,
): EarnerRow[] {
  const [header, ...rows] = records;
  if (!header) throw new CliUsageError(`${file} is empty: it needs a header line (e.g. email,score) and a row per earner`);
  const columns = header.fields.map(columnKey);
  const unknown = columns.filter((name) => !(name in EARNER_COLUMNS));
  if (unknown.length > 0) {
    throw new CliUsageError(`${file} line ${header.line}: unknown column(s) ${unknown.map((name) => `"${name}"`).join(', ')}; the columns are ${Object.keys(EARNER_COLUMNS).join(', ')}`);
  }
  if (!columns.includes('score')) throw new CliUsageError(`${file} line ${header.line}: the column "score" is missing`);
  if (!columns.includes('email') && !columns.includes('did')) throw new CliUsageError(`${file} line ${header.line}: give a column "email" or "did" for the earner`);
  if (rows.length === 0) throw new CliUsageError(`${file} has a header but no earner`);

  const errors: string[] = [];
  const earners: EarnerRow[] = [];
  const identities: { line: number; identity: string | undefined }[] = [];
  for (const record of rows) {
    try {
      if (record.fields.length !== columns.length) {
        throw new RowError(`has ${record.fields.length} field(s) where the header has ${columns.length}`);
      }
      const cells = Object.fromEntries(columns.map((name, index) => [name, record.fields[index].trim()])) as Partial<Record<Column, string>>;
      identities.push({ line: record.line, identity: earnerIdentity(cells) });
      earners.push({ line: record.line, credential: build(rowInput(template, cells, now)) });
    } catch (error) {
      errors.push(`line ${record.line}: ${describeRowError(error)}`);
      if (errors.length === maxErrors) break;
    }
  }
  for (const { line, firstLine } of duplicateEarners(identities)) {
    if (errors.length === maxErrors) break;
    errors.push(`line ${line}: names the same earner as line ${firstLine}`);
  }
  errors.sort((a, b) => lineOf(a) - lineOf(b));
  if (errors.length > 0) {
    const more = errors.length === maxErrors ? `\n(stopped after ${maxErrors} bad rows)` : '';
    throw new CliUsageError(`${file} has ${errors.length === maxErrors ? 'at least ' : ''}${errors.length} bad row(s); nothing was issued:\n${errors.join('\n')}${more}`);
  }
  return earners;
}

const lineOf = (error: string) => Number(/^line (\d+)/.exec(error)![1]);

class RowError extends NotaryError {
  constructor(message: string) {
    super('invalid-row', message);
  }
}

function rowInput(template: BadgeTemplate, cells: Partial<Record<Column, string>>, now: Date): BadgeInput {
  const email = cells.email ?? '';
  const did = cells.did ?? '';
  if ((email === '') === (did === '')) throw new RowError('give the earner’s email or did (one of them)');
  if (email !== '' && !isEmailAddress(email)) throw new RowError(`email "${email}" is not an e-mail address`);
  const scoreText = cells.score ?? '';
  const score = wholeNumber(scoreText);
  if (score === undefined) throw new RowError(`score "${scoreText}" is not a whole number`);
  if (cells.level) checkLevel(template.skill.kind, cells.level, score);
  const input = inputFor(template, email !== '' ? { email } : { did }, score, now);
  if (cells.issued_on) input.issuedOn = cells.issued_on;
  if (cells.exam_date) input.examDate = cells.exam_date;
  if (cells.valid_until) input.validUntil = cells.valid_until;
  if (cells.id) input.id = cells.id;
  return input;
}

/** A level written in the CSV must be one of the scale's and the one the score earns. */
function checkLevel(scale: 'soft' | 'technical', level: string, score: number): void {
  const names = levelsOf(scale).map((item) => item.name.toLowerCase());
  if (!names.includes(level.toLowerCase())) throw new RowError(`level "${level}" is not one of ${names.join(', ')}`);
  let earned: string;
  try {
    earned = levelFor({ scale, value: score }).name.toLowerCase();
  } catch {
    return; // the score's own error is clearer; the builder reports it
  }
  if (earned !== level.toLowerCase()) throw new RowError(`level "${level}" does not match score ${score}, which earns ${earned}`);
}

function inputFor(template: BadgeTemplate, recipient: BadgeInput['recipient'], score: number, now: Date): BadgeInput {
  const skill: BadgeInput['skill'] =
    template.skill.kind === 'soft'
      ? { kind: 'soft', area: template.skill.area, competence: template.skill.competence, observedDescriptors: score }
      : { kind: 'technical', area: template.skill.area, competence: template.skill.competence, score };
  return { ...template, skill, recipient, issuedOn: template.issuedOn ?? now };
}

/** The builder's errors, in the CSV's words: its column names, not the builder's fields. */
const FIELD_COLUMNS: Record<string, string> = {
  recipient: 'email/did',
  'recipient.did': 'did',
  issuedOn: 'issued_on',
  examDate: 'exam_date',
  validUntil: 'valid_until',
  id: 'id',
};

function describeRowError(error: unknown): string {
  if (error instanceof RowError) return error.message;
  if (error instanceof ClassMismatchError) return `does not fit the badge class: ${error.details.field} ${error.details.reason}`;
  if (error instanceof InvalidBadgeInputError) {
    const { field, reason } = error.params as { field: string; reason: string };
    return `${FIELD_COLUMNS[field] ?? field} ${reason}`;
  }
  if (error instanceof NoBadgeError) {
    const { value, minimum } = error.params as { value: number; minimum: number };
    return `score ${value} earns no badge: the first level starts at ${minimum}`;
  }
  if (error instanceof InvalidScoreError) {
    const { value, min, max } = error.params as { value: string; min: number; max: number };
    return `score ${value} is out of range: it must be from ${min} to ${max}`;
  }
  if (error instanceof CredentialError) return error.shortMessage;
  throw error;
}

/** The level a built credential records (for the demo image's label). */
export function achievedLevelOf(credential: JsonObject): string | undefined {
  const subject = credential.credentialSubject;
  const results = isJsonObject(subject) && Array.isArray(subject.result) ? subject.result : [];
  for (const result of results) {
    const level = isJsonObject(result) && typeof result.achievedLevel === 'string' ? /#level-([a-z]+)$/.exec(result.achievedLevel) : null;
    if (level) return level[1][0].toUpperCase() + level[1].slice(1);
  }
  return undefined;
}
