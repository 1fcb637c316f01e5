import { ReceiptFieldError, ReceiptInputError } from './errors';
import { validateReceipt, type Receipt } from './receipt';

/**
 * How a receipt rides along with the credential it is for (docs/formats.md, "Embeddings"):
 * - a JSON credential secured with Data Integrity gets one more entry in its `proof` set, of type
 *   {@link RECEIPT_PROOF_TYPE}, beside the issuer's entries, which stay as they were;
 * - a JWT credential (compact JWS) goes into an envelope object beside its receipt, since a JWS cannot take more.
 * The credential digest is computed without receipt entries: see {@link withoutReceiptEntries}.
 */

/** The `type` of the proof-set entry that carries a receipt. */
export const RECEIPT_PROOF_TYPE = 'BadgeNotaryReceipt';

/** The `type` of the envelope that carries a compact JWS credential and its receipt. */
export const RECEIPT_ENVELOPE_TYPE = 'application/vnd.badge-notary.receipt-envelope+json';

/** The proof-set entry: the type and the receipt, nothing else. */
export interface ReceiptProofEntry {
  type: typeof RECEIPT_PROOF_TYPE;
  receipt: Receipt;
}

/** A JWT credential with its receipt. */
export interface ReceiptEnvelope {
  type: typeof RECEIPT_ENVELOPE_TYPE;
  /** The compact JWS exactly as issued. */
  credential: string;
  receipt: Receipt;
}

type JsonObject = Record<string, unknown>;

/**
 * A copy of `credential` with `receipt` added to its proof set. A single `proof` object becomes a set of two; the
 * issuer's entries are kept as they are (the same objects, in the same order); a receipt entry already there is
 * replaced, so a credential carries at most one. `credential` itself is not changed.
 *
 * @throws {ReceiptInputError} when the credential has no issuer proof to ride along with.
 * @throws {ReceiptFieldError} when the receipt is not valid.
 */
export function attachReceiptToCredential<C extends JsonObject>(
  credential: C,
  receipt: Receipt,
): C & { proof: unknown[] } {
  const entry: ReceiptProofEntry = { type: RECEIPT_PROOF_TYPE, receipt: validateReceipt(receipt) };
  const issuerProofs = proofSet(credential).filter((proof) => !isReceiptEntry(proof));
  if (issuerProofs.length === 0) {
    throw new ReceiptInputError('the credential has no issuer proof', {
      details: 'a receipt is attached to a credential secured with Data Integrity, beside its proof',
    });
  }
  return { ...credential, proof: [...issuerProofs, entry] };
}

/**
 * The receipt a credential carries (undefined when it carries none), and the credential without it.
 * @throws {ReceiptFieldError} naming the field, e.g. `proof[1].receipt.root`, when the entry is not valid, or
 * `proof` when there is more than one receipt entry.
 */
export function extractReceiptFromCredential(credential: unknown): {
  credential: JsonObject;
  receipt: Receipt | undefined;
} {
  if (!isObject(credential)) throw new ReceiptFieldError('credential', 'a JSON object', credential);
  const set = proofSet(credential);
  const positions = set.flatMap((proof, index) => (isReceiptEntry(proof) ? [index] : []));
  if (positions.length > 1) {
    throw new ReceiptFieldError('proof', `at most one ${RECEIPT_PROOF_TYPE} entry`, `${positions.length} of them`);
  }
  let receipt: Receipt | undefined;
  if (positions.length === 1) {
    const where = Array.isArray(credential.proof) ? `proof[${positions[0]}]` : 'proof';
    const entry = set[positions[0]] as JsonObject;
    const extra = Object.keys(entry).find((key) => key !== 'type' && key !== 'receipt');
    if (extra)
      throw new ReceiptFieldError(
        `${where}.${extra}`,
        `no such field (a ${RECEIPT_PROOF_TYPE} entry has type and receipt)`,
        entry[extra],
      );
    receipt = validateReceipt(entry.receipt, `${where}.receipt`);
  }
  return { credential: withoutReceiptEntries(credential), receipt };
}

/**
 * The credential as its issuer signed it, which is what the credential digest is computed over: every
 * {@link RECEIPT_PROOF_TYPE} entry is removed from `proof`; a set left with one entry becomes that entry, and a set
 * left empty is removed. So `{proof: P}` and `{proof: [P]}` give the same digest, and attaching then removing a
 * receipt gives back the credential as issued.
 */
export function withoutReceiptEntries<C extends JsonObject>(credential: C): C {
  if (!('proof' in credential)) return credential;
  const { proof: _proof, ...rest } = credential;
  const kept = proofSet(credential).filter((entry) => !isReceiptEntry(entry));
  if (kept.length === 0) return rest as C;
  return { ...rest, proof: kept.length === 1 ? kept[0] : kept } as unknown as C;
}

/**
 * The envelope of a JWT credential and its receipt.
 * @throws {ReceiptFieldError} when `jws` is not a compact JWS (three base64url parts) or the receipt is not valid.
 */
export function attachReceiptToJwt(jws: string, receipt: Receipt): ReceiptEnvelope {
  return { type: RECEIPT_ENVELOPE_TYPE, credential: compactJws(jws), receipt: validateReceipt(receipt) };
}

/**
 * The JWT credential and the receipt of an envelope.
 * @throws {ReceiptFieldError} naming the field (`type`, `credential`, `receipt.proof[0]`...) that is not valid.
 */
export function extractReceiptFromEnvelope(envelope: unknown): { credential: string; receipt: Receipt } {
  if (!isObject(envelope)) throw new ReceiptFieldError('envelope', 'a JSON object', envelope);
  const extra = Object.keys(envelope).find((key) => !['type', 'credential', 'receipt'].includes(key));
  if (extra)
    throw new ReceiptFieldError(extra, 'no such field (an envelope has type, credential and receipt)', envelope[extra]);
  if (envelope.type !== RECEIPT_ENVELOPE_TYPE)
    throw new ReceiptFieldError('type', `"${RECEIPT_ENVELOPE_TYPE}"`, envelope.type);
  return { credential: compactJws(envelope.credential), receipt: validateReceipt(envelope.receipt, 'receipt') };
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function compactJws(value: unknown): string {
  if (typeof value !== 'string' || !COMPACT_JWS.test(value)) {
    throw new ReceiptFieldError('credential', 'a compact JWS: three base64url parts joined by dots', value);
  }
  return value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A receipt entry of a proof set: its `type` is "BadgeNotaryReceipt", alone or in an array. */
export function isReceiptEntry(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { type } = value;
  return type === RECEIPT_PROOF_TYPE || (Array.isArray(type) && type.includes(RECEIPT_PROOF_TYPE));
}

/** The entries of `proof` as a list, whether it is one object, an array or absent. */
function proofSet(credential: JsonObject): unknown[] {
  const { proof } = credential;
  if (proof === undefined) return [];
  return Array.isArray(proof) ? proof : [proof];
}
