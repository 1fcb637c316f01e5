/* global Blob, Response, CompressionStream, DecompressionStream, TextDecoder, btoa, atob, URL */
/**
 * Share links: the credential and its receipt, compressed (deflate-raw) and base64url-encoded in the URL's
 * fragment, `…/verify#badge=<data>`. A browser never sends the fragment to a server, so the badge stays out of
 * every server and proxy log; whoever opens the link has their browser send it to the verification API again.
 * Payload: {"v": 1, "c": credential (JWS string or JSON object), "r"?: receipt}.
 */

export const SHARE_PARAMETER = 'badge';
const VERSION = 1;
/** The most a shared badge may inflate to: the API's JSON body limit (1 MiB). */
const MAX_INFLATED_BYTES = 1024 * 1024;

export class ShareLinkError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ShareLinkError';
  }
}

/** The share link for a credential (and its receipt, when it travels apart), on the page at `base`. */
export async function shareLink({ credential, receipt }, base) {
  const payload = { v: VERSION, c: credential };
  if (receipt !== undefined) payload.r = receipt;
  const url = new URL('verify', base);
  url.hash = `${SHARE_PARAMETER}=${await packJson(payload)}`;
  return url.href;
}

/** Any JSON value, compressed (deflate-raw) and base64url-encoded: the form a fragment carries (the backpack's too). */
export async function packJson(value) {
  const stream = new Blob([JSON.stringify(value)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** The fragment's data when `hashOrUrl` (a location.hash, or a whole link) is a share link; otherwise undefined. */
export function shareData(hashOrUrl) {
  const text = String(hashOrUrl ?? '').trim();
  const hash = text.startsWith('#') ? text : text.includes('#') ? text.slice(text.indexOf('#')) : '';
  const match = new RegExp(`^#${SHARE_PARAMETER}=([A-Za-z0-9_-]+)$`).exec(hash);
  return match ? match[1] : undefined;
}

/** Reads a share link's data back: { credential, receipt? }. Throws ShareLinkError when it is damaged. */
export async function readShare(data) {
  const payload = await unpackJson(data);
  if (typeof payload !== 'object' || payload === null || payload.v !== VERSION || payload.c === undefined) {
    throw new ShareLinkError('the link does not hold a badge');
  }
  return payload.r === undefined ? { credential: payload.c } : { credential: payload.c, receipt: payload.r };
}

/** The JSON value packJson packed. Throws ShareLinkError when the data is damaged or inflates past 1 MiB. */
export async function unpackJson(data) {
  let bytes;
  try {
    bytes = fromBase64Url(data);
  } catch {
    throw new ShareLinkError('the link is not base64url');
  }
  let json;
  try {
    json = await inflate(bytes);
  } catch (error) {
    throw new ShareLinkError(error instanceof ShareLinkError ? error.message : 'the link does not decompress');
  }
  try {
    return JSON.parse(json);
  } catch {
    throw new ShareLinkError('the link does not hold JSON');
  }
}

async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_INFLATED_BYTES) {
      await reader.cancel();
      throw new ShareLinkError('the link holds more than a badge can be');
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function toBase64Url(bytes) {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}
