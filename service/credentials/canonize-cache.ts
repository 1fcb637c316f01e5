// ts-node, which runs the command line, does not read tsconfig "include"; hence the reference.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../types/jsonld.d.ts" />
/**
 * RDFC-1.0 canonicalisation for many credentials of one shape (a badge issued to a whole class): the JSON-LD
 * expansion to RDF, over 99% of the cost (docs TOOLCHAIN "Where Data Integrity's time goes"), is done once per shape
 * and reused; each credential then costs only the substitution of its own values and the canonicalisation proper.
 *
 * A shape is the JSON structure with every string value taken out. The first credential of a shape is expanded as
 * it is; when a later one differs from it in some string values, those values are replaced in a copy by unique
 * placeholders (absolute IRIs, so that they expand alike whether a term reads them as an IRI, a vocabulary term or
 * a literal), the copy is expanded once, and each credential's dataset is that template with its own values put back
 * in. A template whose placeholder does not come out whole and unchanged as one RDF term value, or whose first use
 * does not give the same N-Quads as the full expansion, is not used: those credentials take the full path.
 * Values under @context, type, or a key starting with @ are part of the shape, never placeholders.
 */
import jsonld, { type RdfQuad, type RdfTerm } from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';

export type Canonize = (input: object, options: object) => Promise<string>;

/** A Canonize that counts its JSON-LD expansions (the costly step), so that a test can tell the cache works. */
export type CachedCanonize = Canonize & { readonly expansions: number };

type Path = string;
interface Template {
  /** The first document of the shape: its string values by path. */
  reference: Map<Path, string>;
  /** Paths whose values are placeholders in `dataset`, with each placeholder. */
  placeholders: Map<Path, string>;
  dataset: RdfQuad[];
  /** False when the template proved unusable: the shape goes the full way. */
  usable: boolean;
}

const PLACEHOLDER_PREFIX = 'urn:x-badge-notary-placeholder:';

/** A canonize function with eddsa-rdfc-2022's signature (cryptosuite.canonize) that caches the expansion per shape. */
export function createCachedCanonize(): CachedCanonize {
  const templates = new Map<string, Template>();
  let expansions = 0;
  const toRdf = (input: object, options: object) => {
    expansions++;
    return jsonld.toRDF(input, options);
  };
  const fullCanonize = async (input: object, toRdfOptions: object, canonizeOptions: object) => rdfCanonize.canonize(await toRdf(input, toRdfOptions), canonizeOptions);

  const rebuild = async (template: Template, input: object, strings: Map<Path, string>, changed: Path[], toRdfOptions: object, canonizeOptions: object): Promise<string> => {
    for (const path of changed) {
      if (!template.placeholders.has(path)) template.placeholders.set(path, `${PLACEHOLDER_PREFIX}${template.placeholders.size}`);
    }
    const withPlaceholders = structuredClone(input);
    for (const [path, placeholder] of template.placeholders) setAt(withPlaceholders, path, placeholder);
    template.dataset = await toRdf(withPlaceholders, toRdfOptions);
    const expected = await fullCanonize(input, toRdfOptions, canonizeOptions);
    template.usable = placeholdersStandAlone(template) && (await rdfCanonize.canonize(substitute(template, strings), canonizeOptions)) === expected;
    return expected;
  };

  const canonize = async (input: object, options: object): Promise<string> => {
    const { toRdfOptions, canonizeOptions } = optionsOf(options);
    const strings = new Map<Path, string>();
    const shape = JSON.stringify(shapeOf(input, '', strings));
    if (shape === undefined) return fullCanonize(input, toRdfOptions, canonizeOptions);
    const template = templates.get(shape);
    if (!template) {
      templates.set(shape, { reference: strings, placeholders: new Map(), dataset: await toRdf(input, toRdfOptions), usable: true });
      return rdfCanonize.canonize(templates.get(shape)!.dataset, canonizeOptions);
    }
    if (!template.usable) return fullCanonize(input, toRdfOptions, canonizeOptions);
    const changed = [...strings].filter(([path, value]) => template.reference.get(path) !== value).map(([path]) => path);
    if (changed.some((path) => !template.placeholders.has(path))) {
      return rebuild(template, input, strings, changed, toRdfOptions, canonizeOptions);
    }
    return rdfCanonize.canonize(substitute(template, strings), canonizeOptions);
  };
  return Object.defineProperty(canonize, 'expansions', { get: () => expansions }) as CachedCanonize;
}

/** Each placeholder must appear, and only ever as a whole term value. */
function placeholdersStandAlone(template: Template): boolean {
  const seen = new Set<string>();
  for (const quad of template.dataset) {
    for (const term of termsOf(quad)) {
      if (!term.value.includes(PLACEHOLDER_PREFIX)) continue;
      if (!/^urn:x-badge-notary-placeholder:\d+$/.test(term.value)) return false;
      seen.add(term.value);
    }
  }
  return seen.size === template.placeholders.size;
}

function substitute(template: Template, strings: Map<Path, string>): RdfQuad[] {
  const values = new Map<string, string>();
  for (const [path, placeholder] of template.placeholders) values.set(placeholder, strings.get(path)!);
  const term = (original: RdfTerm): RdfTerm => {
    const value = values.get(original.value);
    return value === undefined ? original : { ...original, value };
  };
  return template.dataset.map((quad) => ({ subject: term(quad.subject), predicate: quad.predicate, object: term(quad.object), graph: quad.graph }));
}

function termsOf(quad: RdfQuad): RdfTerm[] {
  return [quad.subject, quad.predicate, quad.object, quad.graph];
}

/**
 * The document with its string values taken out (collected by path into `strings`), or undefined when it holds
 * something other than JSON (the cache then stays out of the way).
 */
function shapeOf(value: unknown, path: Path, strings: Map<Path, string>, fixed = false): unknown {
  if (typeof value === 'string') {
    if (fixed || value.startsWith('_:') || value.startsWith(PLACEHOLDER_PREFIX)) return value;
    strings.set(path, value);
    return 0;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item, index) => shapeOf(item, `${path}/${index}`, strings, fixed));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      shapeOf(item, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, strings, fixed || key.startsWith('@') || key === 'type'),
    ]);
    return Object.fromEntries(entries);
  }
  return undefined;
}

function setAt(document: object, path: Path, value: string): void {
  const keys = path.slice(1).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = document as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}

/** eddsa-rdfc-2022's own defaults (its canonize.js), so that the cached and the full paths agree. */
function optionsOf(options: object): { toRdfOptions: object; canonizeOptions: object } {
  const canonizeOptions = { algorithm: 'RDFC-1.0', format: 'application/n-quads', base: null, safe: true, ...options };
  const toRdfOptions: Record<string, unknown> = { rdfDirection: 'i18n-datatype', ...canonizeOptions, produceGeneralizedRdf: false };
  delete toRdfOptions.format;
  return { toRdfOptions, canonizeOptions };
}
