/** Types shared by the credential modules. */

/** A 0x-prefixed lowercase hex string; here always 32 bytes (a keccak256 output). */
export type Hex = `0x${string}`;

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The credential formats accepted. */
export type CredentialFormat = 'data-integrity' | 'ed25519-signature-2020' | 'vc-jwt' | 'ob2-jws';

export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  'data-integrity',
  'ed25519-signature-2020',
  'vc-jwt',
  'ob2-jws',
];

/** What callers may hand in: the compact JWS or JSON text, its bytes, or the parsed JSON object. */
export type CredentialInput = string | Uint8Array | JsonObject;

/** The issuer key types accepted (both as did:key). */
export type KeyType = 'Ed25519' | 'P-256';

/** A JSON Web Key as used here: OKP/Ed25519 or EC/P-256, public (and private when `d` is present). */
export interface Jwk {
  kty: string;
  crv: string;
  x: string;
  y?: string;
  d?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [key: string]: unknown;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
