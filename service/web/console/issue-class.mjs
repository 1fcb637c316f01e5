/* global fetch */
/**
 * The badge class the Issue page issues against: found in the network's catalogue (GET /v1/badge-classes?q=, then
 * the class document the notary holds), or read from a class document file. Its id is keccak-256 of its RFC 8785
 * canonical JSON (catalogue/badge-class.ts badgeClassId), recomputed here, so a document read from a file is named by
 * the id the catalogue contract and the notary know it by. No DOM.
 */
import { keccak256, toUtf8Bytes } from './ethers.mjs';
import { scaleOf } from './issue-credential.mjs';

/** The class cannot be issued from this page; `reason` says why (English, put after the page's own words). */
export class ClassProblem extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'ClassProblem';
  }
}

/**
 * RFC 8785 (JCS) for a class document's values (objects, arrays, strings, integers, booleans, null): keys sorted by
 * UTF-16 code units, strings and numbers as ECMAScript's JSON.stringify writes them, as the `canonicalize` package does.
 */
export function canonicalJson(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const keys = Object.keys(value).filter((key) => value[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
}

/** The class id: 0x and 64 hex digits. */
export const classIdOf = (document) => keccak256(toUtf8Bytes(canonicalJson(document)));

/**
 * A class document, checked for what issuing needs (the notary checks the rest at intake): its schema, names in
 * both languages, levels, a score out of 10 or 100 with bands. Its evidence and co-issuance requirements are the page's
 * to follow (a class requiring co-issuance is issued by two consoles: issue-cosign.mjs). Returns
 * { document, classId }; throws ClassProblem.
 */
export function readClassDocument(value) {
  if (typeof value !== 'object' || value === null || value.schema !== 'badge-notary/badge-class/1') {
    throw new ClassProblem('it is not a badge-class document (schema badge-notary/badge-class/1)');
  }
  for (const field of ['name', 'description', 'criteria']) {
    if (typeof value[field]?.it !== 'string' || typeof value[field]?.en !== 'string') throw new ClassProblem(`its ${field} needs Italian and English`);
  }
  if (!Array.isArray(value.levels) || value.levels.length === 0) throw new ClassProblem('it has no levels');
  if (!scaleOf(value) || !Array.isArray(value.score.bands) || value.score.bands.length === 0) {
    throw new ClassProblem('the console issues classes scored out of 10 (LifeComp descriptors) or 100 (an exam), with score bands');
  }
  return { document: value, classId: classIdOf(value) };
}

/** Reads a class document file's text. */
export function readClassFile(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ClassProblem('the file is not JSON');
  }
  return readClassDocument(value);
}

/**
 * The catalogue's classes matching `query` (full text in Italian and English): [{ classId, name, current, document }]
 * (document: the path of the document the notary holds, or null). Undefined when the service has no catalogue
 * search (an older service): the page then offers the file only.
 */
export async function searchClasses(query) {
  const search = query ? `q=${encodeURIComponent(query)}&limit=20` : 'limit=20';
  const response = await fetch(`/v1/badge-classes?${search}`, { headers: { accept: 'application/json' } });
  if (response.status === 404) return undefined;
  const body = await response.json();
  if (!response.ok) throw new ClassProblem(body?.error?.message ?? `the catalogue answered ${response.status}`);
  return body.badgeClasses;
}

/** The document of a class found in the catalogue, checked against its id. */
export async function fetchClassDocument(summary) {
  if (!summary.document) throw new ClassProblem('this notary does not hold the class’s document');
  const response = await fetch(summary.document, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new ClassProblem(`the class document answered ${response.status}`);
  const read = readClassDocument(await response.json());
  if (read.classId !== summary.classId) throw new ClassProblem(`the document’s id is ${read.classId}, not ${summary.classId}`);
  return read;
}
