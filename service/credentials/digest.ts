/**
 * The credential digest, the bytes32 the notary batches and the registry's revocations name:
 *   - a JWS / JWT credential (vc-jwt, ob2-jws): keccak256 of the UTF-8 bytes of the compact string, as given
 *     (surrounding whitespace trimmed, nothing else changed);
 *   - a JSON credential (data-integrity, ed25519-signature-2020): keccak256 of the UTF-8 bytes of its RFC 8785 (JCS)
 *     canonical form, with the issuer's proof and without notarisation receipts: `proof` entries of type
 *     "BadgeNotaryReceipt" are removed, and when one proof remains it is written as an object, not a one-element
 *     array, so a credential has the same digest before and after a receipt rides along.
 */
import canonicalize from 'canonicalize';
import { createKeccak, type IHasher } from 'hash-wasm';
import { UnknownFormatError } from './errors';
import { isJsonObject, type Hex, type JsonObject, type JsonValue } from './types';

/** The `type` of the notarisation receipt entry that service/merkle adds to a credential's `proof` array. */
export const RECEIPT_PROOF_TYPE = 'BadgeNotaryReceipt';

/** True for a proof entry that is a notarisation receipt (type "BadgeNotaryReceipt", alone or in an array). */
export function isReceiptProof(proof: JsonValue | undefined): boolean {
  if (!isJsonObject(proof)) return false;
  const { type } = proof;
  return type === RECEIPT_PROOF_TYPE || (Array.isArray(type) && type.includes(RECEIPT_PROOF_TYPE));
}

/**
 * A shallow copy of the credential without notarisation receipts: receipt entries leave `proof`; when one proof
 * remains it becomes the `proof` object; when none remains `proof` is removed; several stay an array.
 */
export function stripReceipts(credential: JsonObject): JsonObject {
  if (!('proof' in credential)) return credential;
  const proofs = Array.isArray(credential.proof) ? credential.proof : [credential.proof];
  const kept = proofs.filter((proof) => !isReceiptProof(proof));
  const { proof: _proof, ...rest } = credential;
  if (kept.length === 0) return rest;
  return { ...rest, proof: kept.length === 1 ? kept[0] : kept };
}

/** RFC 8785 (JCS) canonical JSON text. */
export function canonicalJson(value: JsonValue): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (cause) {
    throw new UnknownFormatError({ reason: 'the JSON cannot be canonicalised (RFC 8785)' }, { cause });
  }
  if (text === undefined) throw new UnknownFormatError({ reason: 'the JSON cannot be canonicalised (RFC 8785)' });
  return text;
}

/** The digest's input bytes as text: the compact JWS, or the JCS form of the receipt-free JSON credential. */
export function digestInput(artifact: string | JsonObject): string {
  return typeof artifact === 'string' ? artifact.trim() : canonicalJson(stripReceipts(artifact));
}

let hasher: Promise<IHasher> | undefined;

/** Loads the keccak256 WebAssembly once; later calls to `digestOfLoaded` are synchronous. */
export function loadDigester(): Promise<IHasher> {
  hasher ??= createKeccak(256);
  return hasher;
}

/** keccak256 of UTF-8 text as 0x-hex, on an already loaded hasher (init, update, digest without yielding). */
export function keccakText(loaded: IHasher, text: string): Hex {
  loaded.init();
  loaded.update(text);
  return `0x${loaded.digest('hex')}`;
}

/**
 * The credential digest of a signed artifact: a compact JWS string, or a JSON credential object.
 *
 * @example
 * const digest = await digestOf(jws) // '0x' + 64 hex digits
 */
export async function digestOf(artifact: string | JsonObject): Promise<Hex> {
  return keccakText(await loadDigester(), digestInput(artifact));
}
