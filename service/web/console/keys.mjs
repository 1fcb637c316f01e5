/**
 * A signing key's public part as the registry takes it, from what a member holds: a did:key (or its verification
 * method URL), a Multikey value (z…), or the key file `badge-notary key generate` writes, read in the browser.
 * Only the public key is read: the file's private key is never looked at, kept or sent.
 * The registry's key hash is keccak256 of the multicodec bytes (service/credentials/key-hash.ts).
 */
import { decodeBase58, isHexString, keccak256, toBeArray, hexlify } from './ethers.mjs';

/** Multicodec prefixes of the two key types the registry accepts, and their lengths with the prefix. */
const KEY_TYPES = [
  { name: 'Ed25519', prefix: [0xed, 0x01], length: 34 },
  { name: 'P-256', prefix: [0x80, 0x24], length: 35 },
];

/** What is wrong with a key given: `code` is the page's i18n key for the reason. */
export class KeyInputError extends Error {
  constructor(code) {
    super(code);
    this.name = 'KeyInputError';
    this.code = code;
  }
}

/** The did:key or Multikey inside a key file's text (its `did` field), or the text itself when it is no JSON. */
export function publicKeyText(text) {
  const trimmed = String(text).trim();
  if (!trimmed.startsWith('{')) return trimmed;
  let file;
  try {
    file = JSON.parse(trimmed);
  } catch {
    throw new KeyInputError('input.key.json');
  }
  const did = typeof file.did === 'string' ? file.did : typeof file.publicKeyMultibase === 'string' ? file.publicKeyMultibase : undefined;
  if (!did) throw new KeyInputError('input.key.noDid');
  return did;
}

/** { type, multicodec (0x hex), keyHash } of a did:key, a verification method URL or a Multikey value. */
export function parsePublicKey(text) {
  const value = publicKeyText(text);
  const multibase = value.startsWith('did:key:') ? value.slice('did:key:'.length).split('#')[0] : value;
  if (!/^z[1-9A-HJ-NP-Za-km-z]+$/.test(multibase)) throw new KeyInputError('input.key.form');
  const bytes = toBeArray(decodeBase58(multibase.slice(1)));
  const type = KEY_TYPES.find((kind) => bytes.length === kind.length && kind.prefix.every((byte, index) => bytes[index] === byte));
  if (!type) throw new KeyInputError('input.key.type');
  const multicodec = hexlify(bytes);
  return { type: type.name, multicodec, keyHash: keccak256(multicodec) };
}

/** The key hash of what `revoke` is given: a key hash (0x + 64 hex digits) as it is, else the key's hash. */
export function keyHashOfInput(text) {
  const trimmed = String(text).trim();
  if (isHexString(trimmed, 32)) return trimmed.toLowerCase();
  return parsePublicKey(trimmed).keyHash;
}
