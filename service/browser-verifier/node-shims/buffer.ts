/**
 * The Buffer the browser bundle gives the domain's modules (injected by esbuild for the global `Buffer`): the
 * `buffer` package, which lacks Node's 'base64url' encoding; did:jwk, JWS parts and JWK coordinates use it, so it
 * is added here, as base64 without padding and with the URL-safe alphabet.
 */
import { Buffer as PackageBuffer } from 'buffer';

const toBase64 = (text: string) => text.replace(/-/g, '+').replace(/_/g, '/');
const toBase64url = (text: string) => text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const from = PackageBuffer.from.bind(PackageBuffer) as (value: unknown, encoding?: unknown, length?: unknown) => PackageBuffer;
PackageBuffer.from = function fromWithBase64url(value: unknown, encoding?: unknown, length?: unknown) {
  if (typeof value === 'string' && encoding === 'base64url') return from(toBase64(value), 'base64');
  return from(value, encoding, length);
} as typeof PackageBuffer.from;

const toString = PackageBuffer.prototype.toString;
PackageBuffer.prototype.toString = function toStringWithBase64url(this: PackageBuffer, encoding?: string, start?: number, end?: number) {
  if (encoding === 'base64url') return toBase64url(toString.call(this, 'base64', start, end));
  return toString.call(this, encoding as never, start, end);
};

export const Buffer = PackageBuffer;
