/** A 0x-prefixed hex string. */
export type Hex = `0x${string}`;

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const BYTES32_LOWER = /^0x[0-9a-f]{64}$/;

/** Whether `value` is 32 bytes as 0x and 64 hex digits, in either case. */
export function isBytes32(value: unknown): value is Hex {
  return typeof value === 'string' && BYTES32.test(value);
}

/** Whether `value` is 32 bytes in the canonical form of the formats: 0x and 64 lowercase hex digits. */
export function isCanonicalBytes32(value: unknown): value is Hex {
  return typeof value === 'string' && BYTES32_LOWER.test(value);
}

/** 32 bytes from a checked 0x hex string (either case). */
export function bytes32ToBuffer(value: Hex): Buffer {
  return Buffer.from(value.slice(2), 'hex');
}

/** Lowercase 0x hex of `length` bytes of `bytes` from `offset`. */
export function toHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Hex {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + offset, length);
  return `0x${view.toString('hex')}`;
}
