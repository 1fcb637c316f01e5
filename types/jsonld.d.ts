// jsonld and rdf-canonize ship no TypeScript types: what the canonicalisation cache (credentials/canonize-cache.ts) calls.
declare module 'jsonld' {
  interface RdfTerm {
    termType: string;
    value: string;
    datatype?: RdfTerm;
    language?: string;
  }
  interface RdfQuad {
    subject: RdfTerm;
    predicate: RdfTerm;
    object: RdfTerm;
    graph: RdfTerm;
  }
  const jsonld: { toRDF(input: object, options: object): Promise<RdfQuad[]> };
  export default jsonld;
  export type { RdfQuad, RdfTerm };
}

declare module 'rdf-canonize' {
  export function canonize(dataset: unknown[], options: object): Promise<string>;
}
