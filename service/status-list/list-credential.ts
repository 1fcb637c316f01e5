/**
 * The BitstringStatusListCredential (VC 2.0) of one member's list, as the notary serves it: signed by the
 * notary's own status-list key (a did:key; docs/status-list.md says why not the member's), with the registry
 * block it mirrors. `registryBlock` is not a term of the VC 2.0 context: a small inline context defines it as a
 * JSON literal, so it is signed like the rest (safe-mode canonicalisation refuses undefined terms) and standard
 * verifiers read past it.
 */
import { verifyLinkedDataProof } from '../credentials/data-integrity';
import type { IssuerKey } from '../credentials/keys';
import { VC_V2_CONTEXT_URL } from '../credentials/loader';
import { signCredential } from '../credentials/signer';
import { isJsonObject, type JsonObject } from '../credentials/types';
import { bitAt, decodeBitstring, encodeBitstring } from './bitstring';
import { REVOCATION_PURPOSE } from './entry';
import { StatusListError } from './errors';

/** The inline context of the one term this project adds. */
export const REGISTRY_BLOCK_CONTEXT = {
  registryBlock: { '@id': 'urn:badge-notary:status-list:registryBlock', '@type': '@json' },
} as const;

/** The registry block a list was rebuilt from: everything the chain said up to and including it is in the list. */
export interface RegistryBlock {
  /** CAIP-10 of the registry, eip155:<chain id>:<address>. */
  registry: string;
  number: number;
  hash: string;
  /** The block's time, ISO 8601 (seconds). */
  time: string;
}

export interface StatusListContent {
  /** The URL the list is served at: the credential's id. */
  url: string;
  memberId: number;
  /** Indexes whose credential the member revoked on-chain. */
  revoked: Iterable<number>;
  builtFrom: RegistryBlock;
  /**
   * Until when the list may be relied on (ISO 8601): a list copied and served again later (replayed) expires for
   * every VC 2.0 verifier. No validFrom: the signing clock may run ahead of the verifier's.
   */
  validUntil?: string;
}

/** The unsigned list credential. */
export function buildStatusListCredential(content: StatusListContent, issuerDid: string): JsonObject {
  const { url, memberId, builtFrom } = content;
  return {
    '@context': [VC_V2_CONTEXT_URL, { ...REGISTRY_BLOCK_CONTEXT }],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuerDid,
    name: `Revocations of member ${memberId}`,
    description:
      `The revocations member ${memberId} recorded in the registry ${builtFrom.registry}, mirrored as of block ${builtFrom.number}: ` +
      'the chain is the source of truth, this list a copy of it.',
    ...(content.validUntil === undefined ? {} : { validUntil: content.validUntil }),
    registryBlock: { ...builtFrom },
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: REVOCATION_PURPOSE,
      encodedList: encodeBitstring(content.revoked),
    },
  };
}

/** The list credential signed (eddsa-rdfc-2022) by the notary's status-list key, named by its did:key. */
export async function signStatusListCredential(content: StatusListContent, key: IssuerKey, now: Date): Promise<JsonObject> {
  return signCredential({ credential: buildStatusListCredential(content, key.did), key, format: 'data-integrity', created: now });
}

/** A list credential read and its signature checked. */
export interface VerifiedStatusList {
  url: string;
  issuer: string;
  builtFrom: RegistryBlock;
  bits: Buffer;
  /** True when the bit at `index` is set: revoked. */
  revoked(index: number): boolean;
}

/**
 * Checks a list credential: its shape, a revocation list, its Data Integrity signature (StatusListError
 * 'list-signature-invalid' when it fails: a list changed after signing), its validUntil against `now`
 * ('list-expired'), and reads its bits and block.
 */
export async function verifyStatusListCredential(document: unknown, now: Date = new Date()): Promise<VerifiedStatusList> {
  if (!isJsonObject(document)) throw new StatusListError('malformed-list', 'the status list credential is not a JSON object');
  const types = Array.isArray(document.type) ? document.type : [document.type];
  if (!types.includes('BitstringStatusListCredential')) {
    throw new StatusListError('malformed-list', 'the document is not a BitstringStatusListCredential', { field: 'type' });
  }
  const subject = document.credentialSubject;
  if (!isJsonObject(subject) || subject.type !== 'BitstringStatusList' || subject.statusPurpose !== REVOCATION_PURPOSE) {
    throw new StatusListError('malformed-list', 'credentialSubject must be a BitstringStatusList of statusPurpose revocation', { field: 'credentialSubject' });
  }
  const builtFrom = registryBlockOf(document.registryBlock);
  try {
    await verifyLinkedDataProof(document);
  } catch (cause) {
    throw new StatusListError('list-signature-invalid', `the status list's signature does not hold: ${(cause as Error).message}`, { cause });
  }
  if (document.validUntil !== undefined && !(Date.parse(String(document.validUntil)) >= now.getTime())) {
    throw new StatusListError('list-expired', `the status list expired at ${String(document.validUntil)}`, { field: 'validUntil' });
  }
  const bits = decodeBitstring(subject.encodedList);
  const issuer = isJsonObject(document.issuer) ? document.issuer.id : document.issuer;
  return {
    url: String(document.id),
    issuer: String(issuer),
    builtFrom,
    bits,
    revoked: (index) => bitAt(bits, index),
  };
}

function registryBlockOf(value: unknown): RegistryBlock {
  if (
    !isJsonObject(value) ||
    typeof value.registry !== 'string' ||
    typeof value.number !== 'number' ||
    typeof value.hash !== 'string' ||
    typeof value.time !== 'string' ||
    Number.isNaN(Date.parse(value.time))
  ) {
    throw new StatusListError('malformed-list', 'registryBlock must say which registry block the list was built from (registry, number, hash, time)', {
      field: 'registryBlock',
    });
  }
  return { registry: value.registry, number: value.number, hash: value.hash, time: value.time };
}
