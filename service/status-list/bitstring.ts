/**
 * The bitstring of a W3C Bitstring Status List (REC, section 2.1 and "Bitstring Encoding"): one bit per
 * credential, index 0 the left-most (most significant) bit of the first byte, GZIP-compressed, then written as a
 * multibase base64url string (no padding) with its `u` prefix. A list holds at least 131,072 entries (16 KiB), so
 * that one credential's bit hides among many (herd privacy).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { StatusListError } from './errors';

/** The spec's minimum length, and the length of every list this project serves. */
export const STATUS_LIST_LENGTH = 131_072;

/** The encodedList of a list of `length` bits with the bits at `setIndexes` set (1) and every other one 0. */
export function encodeBitstring(setIndexes: Iterable<number>, length = STATUS_LIST_LENGTH): string {
  if (!Number.isInteger(length) || length < STATUS_LIST_LENGTH || length % 8 !== 0) {
    throw new StatusListError('invalid-length', `a status list holds a multiple of 8 bits, at least ${STATUS_LIST_LENGTH}; got ${length}`);
  }
  const bytes = Buffer.alloc(length / 8);
  for (const index of setIndexes) {
    if (!Number.isInteger(index) || index < 0 || index >= length) {
      throw new StatusListError('index-out-of-range', `index ${index} is outside the list of ${length} entries`);
    }
    bytes[index >> 3] |= 0x80 >> (index & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** The bits of an encodedList (StatusListError when it is not multibase base64url GZIP, or shorter than the minimum). */
export function decodeBitstring(encodedList: unknown): Buffer {
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u') || !/^u[A-Za-z0-9_-]+$/.test(encodedList)) {
    throw new StatusListError('malformed-list', 'encodedList must be a multibase base64url string (starting with "u")');
  }
  let bytes: Buffer;
  try {
    bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: 64 * 1024 * 1024 });
  } catch (cause) {
    throw new StatusListError('malformed-list', `encodedList is not GZIP-compressed: ${(cause as Error).message}`, { cause });
  }
  if (bytes.length * 8 < STATUS_LIST_LENGTH) {
    throw new StatusListError('invalid-length', `the list holds ${bytes.length * 8} entries, fewer than the ${STATUS_LIST_LENGTH} the spec requires`);
  }
  return bytes;
}

/** The bit at `index` (true: set, i.e. revoked for a revocation list). */
export function bitAt(bits: Buffer, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new StatusListError('index-out-of-range', `index ${index} is outside the list of ${bits.length * 8} entries`);
  }
  return (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
}
