// jsonld and rdf-canonize ship no TypeScript types: what the shape-cached canonicalisation
// (credentials/rdf-fast-path/) and its tests call.
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
  const jsonld: {
    toRDF(input: object, options: object): Promise<RdfQuad[]>;
    canonize(input: object, options: object): Promise<string>;
  };
  export default jsonld;
  export type { RdfQuad, RdfTerm };
}

declare module 'rdf-canonize' {
  export function canonize(dataset: unknown[], options: object): Promise<string>;
}
