/**
 * The shape of a JSON-LD document: everything that decides how jsonld.js expands it (its keys, nesting, array
 * lengths, @context, @type values, numbers and booleans, language and index values), with every other string
 * replaced by a numbered slot. Two documents of one shape expand to the same quads up to the slots' values, so the
 * quads jsonld.js produced once for a shape serve every document of that shape (see shape-template.ts).
 */
import { randomUUID } from 'node:crypto';
import { CONTEXTS } from '../loader';

/** Keys whose string values change what the keys around them mean: kept in the shape, never slotted. */
const SHAPE_VALUE_KEYS = new Set(['@type', '@language', '@direction', '@index', '@base', '@vocab']);

/** Every key that any shipped context defines (at any depth): a value using one as prefix or term is not plain. */
const CONTEXT_KEYS: ReadonlySet<string> = collectContextKeys();

/**
 * Marks a slot in the stand-in document; random per process so that no credential can contain it by accident.
 * It is an absolute IRI whose scheme no context defines, so jsonld.js keeps it as it is in IRI positions too.
 */
export const SLOT_PREFIX = `urn:x-shape-slot-${randomUUID()}:`;

export interface DocumentShape {
  /** The shape as a string: equal keys, equal expansion up to slot values. */
  key: string;
  /** The slots' values, by slot number. */
  values: string[];
  /** The document with slots `verbatim` kept and every other slot replaced by its stand-in (`SLOT_PREFIX` + n). */
  standIn(verbatim: ReadonlySet<number>): unknown;
}

/**
 * The shape of `document`, or undefined when the fast path does not model it: a @context that is not a list of
 * contexts this service ships (an unknown URL, an inline context), a @context below the top, a value or key that
 * holds the slot marker.
 */
export function documentShape(document: Record<string, unknown>, typeKeys: ReadonlySet<string>): DocumentShape | undefined {
  const context = document['@context'];
  const contexts = Array.isArray(context) ? context : [context];
  if (!contexts.every((url) => typeof url === 'string' && CONTEXTS.has(url))) return undefined;

  const values: string[] = [];
  const parts: string[] = [JSON.stringify(context)];
  const ok = walk(document, true);
  if (!ok) return undefined;
  return { key: parts.join(''), values, standIn: (verbatim) => standIn(document, values, verbatim, typeKeys) };

  function walk(value: unknown, top: boolean): boolean {
    if (typeof value === 'string') {
      parts.push('$');
      values.push(value);
      return !value.includes(SLOT_PREFIX);
    }
    if (Array.isArray(value)) {
      parts.push('[');
      for (const item of value) if (!walk(item, false)) return false;
      parts.push(']');
      return true;
    }
    if (value !== null && typeof value === 'object') {
      parts.push('{');
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(SLOT_PREFIX)) return false;
        parts.push(JSON.stringify(key), ':');
        if (key === '@context') {
          if (!top) return false;
        } else if (typeKeys.has(key) || SHAPE_VALUE_KEYS.has(key)) {
          const kept = JSON.stringify(item);
          if (kept === undefined || kept.includes(SLOT_PREFIX)) return false;
          parts.push(kept);
        } else if (!walk(item, false)) {
          return false;
        }
      }
      parts.push('}');
      return true;
    }
    // numbers, booleans and null decide their literal's datatype and lexical form: part of the shape
    parts.push(JSON.stringify(value) ?? 'undefined');
    return true;
  }
}

/** A copy of `document` in which slot n (in walk order) is its stand-in, unless n is in `verbatim`. */
function standIn(document: unknown, values: readonly string[], verbatim: ReadonlySet<number>, typeKeys: ReadonlySet<string>): unknown {
  let slot = 0;
  const copy = (value: unknown, keptAsIs: boolean): unknown => {
    if (keptAsIs) return value;
    if (typeof value === 'string') {
      const index = slot++;
      return verbatim.has(index) ? values[index] : `${SLOT_PREFIX}${index}`;
    }
    if (Array.isArray(value)) return value.map((item) => copy(item, false));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        out[key] = copy(item, key === '@context' || typeKeys.has(key) || SHAPE_VALUE_KEYS.has(key));
      }
      return out;
    }
    return value;
  };
  return copy(document, false);
}

/**
 * True when jsonld.js expands `value`, in an IRI position (@id, or a term coerced to @id or @vocab), to `value`
 * itself whatever the shipped contexts say: an absolute IRI of plain characters, which is no term and whose scheme
 * is no prefix. Other values (a term, a compact IRI, a relative IRI, a blank node id) are kept in the stand-in.
 */
export function expandsToItself(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/.test(value)) return false;
  return !CONTEXT_KEYS.has(value) && !CONTEXT_KEYS.has(value.slice(0, value.indexOf(':')));
}

function collectContextKeys(): Set<string> {
  const keys = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        keys.add(key);
        visit(item);
      }
    }
  };
  for (const context of CONTEXTS.values()) visit(context);
  return keys;
}

/**
 * The keys that the shipped contexts alias to @type (with @type itself): their values pick type-scoped contexts,
 * so they belong to the shape.
 */
export function typeAliases(): Set<string> {
  const aliases = new Set(['@type']);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)['@id'] : item;
        if (id === '@type') aliases.add(key);
        visit(item);
      }
    }
  };
  for (const context of CONTEXTS.values()) visit(context);
  return aliases;
}
