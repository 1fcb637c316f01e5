// ts-node does not read tsconfig "include"; hence the reference to the libraries' declarations.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../types/jsonld.d.ts" />
/**
 * RDFC-1.0 canonical N-Quads of a JSON-LD document, with jsonld.js's expansion done once per document shape
 * (document-shape.ts) instead of once per document: the quads come from the shape's template (shape-template.ts)
 * with the document's values filled in, then rdf-canonize canonicalises them exactly as the reference does.
 *
 * Whatever the fast path does not model goes to the reference canonicaliser, which stays the one judge of
 * meaning and errors: an unknown or inline context, a nested @context, a value jsonld.js would read rather than
 * copy when no template keeps it verbatim, a shape jsonld.js refuses (safe mode), two holes that would merge.
 */
import { canonize as rdfCanonize } from 'rdf-canonize';
import { documentShape, expandsToItself, typeAliases, type DocumentShape } from './document-shape';
import { buildTemplate, fillTemplate, type QuadTemplate, type SlotKind } from './shape-template';

export type CanonizeFunction = (input: object, options: Record<string, unknown>) => Promise<string>;

/** Why a document took the reference path (counted, so tests can see the fast path step aside). */
export type FallbackReason = 'options' | 'context' | 'unsupported-shape' | 'merged-nodes';

export interface ShapeCacheCounts {
  /** Canonicalised from a template. */
  fast: number;
  /** Templates built (each one jsonld.toRDF run). */
  templatesBuilt: number;
  /** Documents handed to the reference canonicaliser, by reason. */
  reference: Record<FallbackReason, number>;
}

interface ShapeEntry {
  /** Slots that every document of this shape keeps verbatim; undefined when no template can be made. */
  keep?: ReadonlySet<number>;
  /** Whether each hole is an IRI or a literal's value (the same in every template of the shape). */
  kinds?: ReadonlyMap<number, SlotKind>;
  /** Templates by the values of the slots kept verbatim. */
  templates: Map<string, QuadTemplate>;
}

const MAX_SHAPES = 500;
const MAX_TEMPLATES_PER_SHAPE = 64;
/** Stand-in runs per template before the shape is declared unsupported (each run can only add verbatim slots). */
const MAX_ATTEMPTS = 4;

const TYPE_KEYS = typeAliases();
const shapes = new Map<string, ShapeEntry>();
const counts: ShapeCacheCounts = newCounts();

function newCounts(): ShapeCacheCounts {
  return { fast: 0, templatesBuilt: 0, reference: { options: 0, context: 0, 'unsupported-shape': 0, 'merged-nodes': 0 } };
}

/** A copy of the counters since start (or since `resetShapeCache`). */
export function shapeCacheCounts(): ShapeCacheCounts {
  return { ...counts, reference: { ...counts.reference } };
}

/** Forgets every template and zeroes the counters (tests and benchmarks start cold with it). */
export function resetShapeCache(): void {
  shapes.clear();
  Object.assign(counts, newCounts());
}

/**
 * Wraps a suite's own canonicaliser (`reference`): the result is the same string, from a template when the
 * document's shape allows, from `reference` otherwise.
 */
export function canonizeWithShapeCache(reference: CanonizeFunction): CanonizeFunction {
  return async (input, options) => {
    const fast = await shapeCachedNQuads(input, options);
    return fast ?? reference(input, options);
  };
}

async function shapeCachedNQuads(input: object, options: Record<string, unknown>): Promise<string | undefined> {
  const { documentLoader, base, safe, skipExpansion, expansionMap, ...rest } = options;
  const extra = Object.keys(rest).filter((key) => !(key === 'algorithm' && rest[key] === 'RDFC-1.0') && key !== 'format');
  if (!documentLoader || (base ?? null) !== null || safe === false || skipExpansion === true || expansionMap || extra.length > 0) {
    counts.reference.options++;
    return undefined;
  }
  const shape = documentShape(input as Record<string, unknown>, TYPE_KEYS);
  if (!shape) {
    counts.reference.context++;
    return undefined;
  }
  const template = await templateFor(shape, documentLoader);
  if (!template) {
    counts.reference['unsupported-shape']++;
    return undefined;
  }
  const quads = fillTemplate(template, shape.values);
  if (!quads) {
    counts.reference['merged-nodes']++;
    return undefined;
  }
  counts.fast++;
  return rdfCanonize(quads, { algorithm: 'RDFC-1.0' });
}

async function templateFor(shape: DocumentShape, documentLoader: unknown): Promise<QuadTemplate | undefined> {
  let entry = shapes.get(shape.key);
  if (!entry) {
    entry = { templates: new Map() };
    const first = await attempt(shape, new Set(), documentLoader);
    if (first) {
      entry.keep = first.keep;
      entry.kinds = first.template.kinds;
      entry.templates.set(verbatimKey(shape, first.keep), first.template);
    }
    remember(shapes, shape.key, entry, MAX_SHAPES);
  }
  if (!entry.keep || !entry.kinds) return undefined;

  // an IRI hole takes only values that jsonld.js would leave as they are; any other value is kept verbatim
  const keep = new Set(entry.keep);
  for (const [slot, kind] of entry.kinds) {
    if (kind === 'iri' && !expandsToItself(shape.values[slot] as string)) keep.add(slot);
  }
  const key = verbatimKey(shape, keep);
  const known = entry.templates.get(key);
  if (known) return known;
  const made = await attempt(shape, keep, documentLoader);
  if (!made || made.keep.size !== keep.size) return undefined;
  remember(entry.templates, key, made.template, MAX_TEMPLATES_PER_SHAPE);
  return made.template;
}

/** Builds a template keeping at least `keep` verbatim, adding slots the stand-in runs show must be kept. */
async function attempt(shape: DocumentShape, keep: ReadonlySet<number>, documentLoader: unknown) {
  const verbatim = new Set(keep);
  for (let run = 0; run < MAX_ATTEMPTS; run++) {
    counts.templatesBuilt++;
    let result: Awaited<ReturnType<typeof buildTemplate>>;
    try {
      result = await buildTemplate(shape.standIn(verbatim), shape.values.length, verbatim, documentLoader);
    } catch {
      return undefined; // jsonld.js refuses the shape (safe mode): the reference path reports it
    }
    if ('template' in result) return { template: result.template, keep: verbatim as ReadonlySet<number> };
    for (const slot of result.mustKeep) {
      if (verbatim.has(slot) || slot >= shape.values.length) return undefined;
      verbatim.add(slot);
    }
  }
  return undefined;
}

function verbatimKey(shape: DocumentShape, keep: ReadonlySet<number>): string {
  return JSON.stringify([...keep].sort((a, b) => a - b).map((slot) => [slot, shape.values[slot]]));
}

function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  if (map.size >= limit) map.delete(map.keys().next().value as string);
  map.set(key, value);
}
