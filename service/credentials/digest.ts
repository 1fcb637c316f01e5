/**
 * The credential digest, the bytes32 the notary batches and the registry's revocations name:
 *   - a JWS / JWT credential (vc-jwt, ob2-jws): keccak256 of the UTF-8 bytes of the compact string, as given
 *     (surrounding whitespace trimmed, nothing else changed);
 *   - a JSON credential (data-integrity, ed25519-signature-2020): keccak256 of the UTF-8 bytes of its RFC 8785 (JCS)
 *     canonical form, with the issuer's proof and without notarisation receipts (service/merkle/embed.ts's
 *     withoutReceiptEntries: the one owner of what a receipt entry is), so a credential has the same digest
 *     before and after a receipt rides along.
 */
import canonicalize from 'canonicalize';
import { createKeccak, type IHasher } from 'hash-wasm';
import { withoutReceiptEntries } from '../merkle/embed';
import { NotJsonError, UnknownFormatError } from './errors';
import { looksLikeCompactJws } from './jws';
import { isJsonObject, type CredentialInput, type Hex, type JsonObject, type JsonValue } from './types';

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
  return typeof artifact === 'string' ? artifact.trim() : canonicalJson(withoutReceiptEntries(artifact));
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

/**
 * What a credential input holds, before any parsing: the compact JWS string (from text, bytes, or a JSON string;
 * a byte-order mark and surrounding white space dropped), or the JSON object. Throws a typed CredentialError
 * when it is neither.
 */
export function readSignedArtifact(input: CredentialInput): string | JsonObject {
  if (isJsonObject(input)) return input;
  let text: string;
  if (input instanceof Uint8Array) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (cause) {
      throw new NotJsonError({ reason: 'the bytes are not UTF-8 text' }, { cause });
    }
  } else if (typeof input === 'string') text = input;
  else throw new NotJsonError({ reason: `got ${input === null ? 'null' : typeof input}` });
  text = text.replace(/^\uFEFF/, '').trim();
  if (looksLikeCompactJws(text)) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new NotJsonError({ reason: (cause as Error).message }, { cause });
  }
  if (typeof value === 'string' && looksLikeCompactJws(value.trim())) return value.trim();
  if (!isJsonObject(value)) throw new UnknownFormatError({ reason: 'the JSON is not an object' });
  return value;
}

/**
 * The credential digest of an input as given, or undefined when the input is neither a compact JWS nor a JSON
 * object. The same rule as parseCredential's digest (readSignedArtifact, then digestInput), without parsing or
 * checking the credential: intake uses it to find a credential already stored, where a wrong answer can only miss.
 */
export function digestOfInput(loaded: IHasher, input: CredentialInput): Hex | undefined {
  try {
    return keccakText(loaded, digestInput(readSignedArtifact(input)));
  } catch {
    return undefined;
  }
}
