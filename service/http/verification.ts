import { parseCredential } from '../credentials';
import { RECEIPT_ENVELOPE_TYPE, isReceiptEntry } from '../merkle';
import { verifyBadge, type ClassDocumentSource, type OfflineCheck, type StatusListSource, type VerificationReport } from '../verify';
import { HttpError } from './errors';
import type { VerificationGate } from './verification-gate';
import { MAX_JSON_DEPTH, nestsTooDeep } from '../credentials/json-depth';
import type { Clock, CredentialStatusSource } from '../notary';
import type { ChainAccess } from './ports';

/** Where the receipt that verification used came from. */
export type ReceiptSource = 'request' | 'credential' | 'store' | 'none';

export interface VerifyWithLookupParameters {
  credential: unknown;
  receipt?: unknown;
  chain: ChainAccess;
  receipts: CredentialStatusSource;
  clock: Clock;
  minConfirmations: number;
  /** The offline credential check (signature, canonicalisation): the verifier pool's. Default in-thread. */
  checkOffline?: OfflineCheck;
  /** The public routes' share of the pool: admission (503 beyond it) and slots for the offline check. */
  gate?: VerificationGate;
  /** JSON values a JSON credential may hold (its JSON-LD canonicalisation grows with them); more is 413. */
  maxCredentialValues?: number;
  /** A credential's W3C status list, checked beside the chain (docs/status-list.md). */
  statusLists?: StatusListSource;
  /** The class documents this notary holds (a credential issued against a class is checked against its class). */
  classDocuments?: ClassDocumentSource;
}

/**
 * verifyBadge, with one addition: when no receipt comes with the credential (neither apart nor inside it),
 * the receipt is looked up in this service's store by the credential's digest. Never throws for bad input:
 * a credential that cannot be read is a failed step of the report.
 */
export async function verifyWithLookup(parameters: VerifyWithLookupParameters): Promise<VerificationReport & { receiptSource: ReceiptSource }> {
  // A credential given as JSON text escapes the HTTP body's depth check: the same limit, here.
  for (const [field, value] of [['credential', parameters.credential], ['receipt', parameters.receipt]] as const) {
    if (nestsTooDeep(value)) {
      throw new HttpError(400, 'too-deeply-nested', `the ${field} nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`, { field });
    }
  }
  const maxValues = parameters.maxCredentialValues;
  if (maxValues !== undefined && holdsMoreValuesThan(asObject(parameters.credential), maxValues)) {
    throw new HttpError(
      413,
      'credential-too-large',
      `the credential holds more than ${maxValues} JSON values (objects, arrays, their members and items): more than this service canonicalises for a public verification`,
      { field: 'credential', maximum: maxValues },
    );
  }
  const ticket = parameters.gate?.admit();
  try {
    const checkOffline = parameters.checkOffline;
    const offline: OfflineCheck | undefined = ticket && checkOffline ? (check) => ticket.check(() => checkOffline(check)) : checkOffline;
    return await lookUpAndVerify(parameters, offline);
  } finally {
    ticket?.release();
  }
}

async function lookUpAndVerify(
  parameters: VerifyWithLookupParameters,
  checkOffline: OfflineCheck | undefined
): Promise<VerificationReport & { receiptSource: ReceiptSource }> {
  let receipt = parameters.receipt;
  let receiptSource: ReceiptSource = receipt !== undefined ? 'request' : carriesReceipt(parameters.credential) ? 'credential' : 'none';
  if (receiptSource === 'none') {
    const digest = await digestOf(parameters.credential);
    const status = digest ? await parameters.receipts.status(digest) : undefined;
    if (status && 'receipt' in status) {
      receipt = status.receipt;
      receiptSource = 'store';
    }
  }
  const report = await verifyBadge({
    credential: parameters.credential,
    receipt,
    reader: parameters.chain.newReader(),
    now: new Date(parameters.clock()),
    minConfirmations: parameters.minConfirmations,
    checkOffline,
    statusLists: parameters.statusLists,
    ...(parameters.chain.newCatalogueReader ? { catalogue: parameters.chain.newCatalogueReader() } : {}),
    ...(parameters.classDocuments ? { classDocuments: parameters.classDocuments } : {}),
  });
  return { ...report, receiptSource };
}

/** Whether the credential brings its own receipt: a receipt envelope, or a receipt entry in its proof set. */
export function carriesReceipt(credential: unknown): boolean {
  const value = asObject(credential);
  if (!value) return false;
  if (value.type === RECEIPT_ENVELOPE_TYPE) return true;
  const proofs = Array.isArray(value.proof) ? value.proof : [value.proof];
  return proofs.some(isReceiptEntry);
}

/** Whether `value` holds more than `limit` JSON values (itself included); stops counting past the limit. */
export function holdsMoreValuesThan(value: unknown, limit: number): boolean {
  if (value === undefined) return false;
  const pending: unknown[] = [value];
  let count = 0;
  while (pending.length > 0) {
    const node = pending.pop();
    if (++count > limit) return true;
    if (typeof node !== 'object' || node === null) continue;
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push(child);
  }
  return false;
}

async function digestOf(credential: unknown): Promise<string | undefined> {
  try {
    const value = asObject(credential) ?? credential;
    return (await parseCredential(value as never)).digest;
  } catch {
    return undefined;
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
