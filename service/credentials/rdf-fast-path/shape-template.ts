/**
 * Quad templates: the RDF that jsonld.js (the reference) produces for a document whose slots hold stand-ins,
 * with each stand-in recorded as a hole. Filling the holes with a document's own values gives the quads jsonld.js
 * would produce for that document, without expanding it again (expansion is over 99% of canonicalisation's cost).
 *
 * A template is valid only when every stand-in comes back whole, as a term of one kind (an IRI or a literal's
 * value); a stand-in that vanished (a value jsonld.js reads, such as an @id map key) or came back inside another
 * term (a @json literal) is a slot the shape must keep verbatim instead.
 */
// ts-node does not read tsconfig "include"; hence the reference to the libraries' declarations.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../../types/jsonld.d.ts" />
import jsonld, { type RdfQuad, type RdfTerm } from 'jsonld';
import { SLOT_PREFIX } from './document-shape';

export type SlotKind = 'iri' | 'literal';

type TermTemplate = { fixed: RdfTerm } | { slot: number; term: RdfTerm };

export interface QuadTemplate {
  quads: TermTemplate[][];
  /** The kind of each slot that is a hole (not verbatim), by slot number. */
  kinds: Map<number, SlotKind>;
}

/** What a stand-in run found: a template, or the slots that must be kept verbatim for one to exist. */
export type TemplateAttempt = { template: QuadTemplate } | { mustKeep: number[] };

/** The toRDF options of both suites' canonicalisation (jsonld-signatures and eddsa-rdfc-2022 pass the same). */
export function referenceToRdfOptions(documentLoader: unknown) {
  return { documentLoader, base: null, safe: true, rdfDirection: 'i18n-datatype', produceGeneralizedRdf: false };
}

/** Runs jsonld.toRDF on the stand-in document and records where each stand-in landed. */
export async function buildTemplate(standIn: unknown, slotCount: number, verbatim: ReadonlySet<number>, documentLoader: unknown): Promise<TemplateAttempt> {
  const quads = await jsonld.toRDF(standIn as object, referenceToRdfOptions(documentLoader));
  const kinds = new Map<number, SlotKind>();
  const mustKeep = new Set<number>();
  const holeIn = (term: RdfTerm): TermTemplate => {
    for (const inner of [term.datatype?.value, term.language]) {
      if (inner?.includes(SLOT_PREFIX)) for (const slot of slotsInside(inner)) mustKeep.add(slot);
    }
    const slot = wholeSlot(term.value);
    if (slot === undefined) {
      if (term.value.includes(SLOT_PREFIX)) for (const inside of slotsInside(term.value)) mustKeep.add(inside);
      return { fixed: term };
    }
    const kind: SlotKind | undefined = term.termType === 'Literal' ? 'literal' : term.termType === 'NamedNode' ? 'iri' : undefined;
    const seen = kinds.get(slot);
    if (kind === undefined || verbatim.has(slot) || (seen !== undefined && seen !== kind)) mustKeep.add(slot);
    else kinds.set(slot, kind);
    return { slot, term };
  };
  const templates = quads.map((quad) => [holeIn(quad.subject), holeIn(quad.predicate), holeIn(quad.object), holeIn(quad.graph)]);
  for (let slot = 0; slot < slotCount; slot++) {
    if (!verbatim.has(slot) && !kinds.has(slot)) mustKeep.add(slot);
  }
  if (mustKeep.size > 0) return { mustKeep: [...mustKeep] };
  return { template: { quads: templates, kinds } };
}

/**
 * The quads of a document of the template's shape, or undefined when two holes filled alike make one quad twice
 * (jsonld.js would merge those nodes; the reference path is left to do it).
 */
export function fillTemplate(template: QuadTemplate, values: readonly string[]): RdfQuad[] | undefined {
  const seen = new Set<string>();
  const out: RdfQuad[] = [];
  for (const terms of template.quads) {
    const [subject, predicate, object, graph] = terms.map((term) =>
      'fixed' in term ? term.fixed : { ...term.term, value: values[term.slot] as string },
    ) as [RdfTerm, RdfTerm, RdfTerm, RdfTerm];
    const id = `${subject.termType}${subject.value}\u0000${predicate.value}\u0000${object.termType}${object.value}\u0000${object.datatype?.value ?? ''}\u0000${object.language ?? ''}\u0000${graph.value}`;
    if (seen.has(id)) return undefined;
    seen.add(id);
    out.push({ subject, predicate, object, graph });
  }
  return out;
}

function wholeSlot(value: string): number | undefined {
  if (!value.startsWith(SLOT_PREFIX)) return undefined;
  const rest = value.slice(SLOT_PREFIX.length);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

function slotsInside(value: string): number[] {
  const slots: number[] = [];
  let from = value.indexOf(SLOT_PREFIX);
  while (from !== -1) {
    const digits = /^\d+/.exec(value.slice(from + SLOT_PREFIX.length));
    if (digits) slots.push(Number(digits[0]));
    from = value.indexOf(SLOT_PREFIX, from + 1);
  }
  return slots;
}
