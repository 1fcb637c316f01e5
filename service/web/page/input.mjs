/**
 * What the user gives, made into one verification request: files (a credential, a receipt, a baked image),
 * pasted text, or a share link. A request is either
 *   { kind: 'json', credential, receipt? }  sent as {"credential", "receipt"?} to POST /v1/verify;
 *   { kind: 'image', file, mediaType }      sent as the image itself (image/png, image/svg+xml);
 *   { kind: 'share', data }                 a share link's data, read back by share.mjs.
 * Bad input is an InputError whose `key` names the message (i18n.mjs).
 */
import { shareData } from './share.mjs';

export const RECEIPT_VERSION = 'badge-notary-receipt/1';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const SVG_START = /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>[]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>/]/i;

export class InputError extends Error {
  constructor(key, params = {}) {
    super(key);
    this.name = 'InputError';
    this.key = key;
    this.params = params;
  }
}

/** One piece of pasted text or one text file: a credential, a receipt, a {credential, receipt} pair, or a share link. */
export function readText(input) {
  const text = String(input ?? '').replace(/^\uFEFF/, '').trim();
  if (text === '') throw new InputError('error.empty');
  const data = shareData(text);
  if (data !== undefined && /^(https?:\/\/|#)/i.test(text)) return { type: 'share', data };
  if (text.startsWith('{')) {
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError('error.notJson');
    }
    if (value.version === RECEIPT_VERSION) return { type: 'receipt', value };
    if (!('@context' in value) && 'credential' in value && Object.keys(value).every((name) => name === 'credential' || name === 'receipt')) {
      return { type: 'pair', credential: value.credential, receipt: value.receipt };
    }
    return { type: 'credential', value };
  }
  if (text.startsWith('"') && text.endsWith('"')) {
    // A JWS written as a JSON string.
    try {
      const inner = JSON.parse(text);
      if (typeof inner === 'string' && COMPACT_JWS.test(inner.trim())) return { type: 'credential', value: inner.trim() };
    } catch {
      // not a JSON string: falls through
    }
  }
  if (COMPACT_JWS.test(text)) return { type: 'credential', value: text };
  throw new InputError('error.unknownText');
}

/** One chosen or dropped file: a baked image (PNG, SVG) as it is; anything else read as text. */
export async function readFile(file) {
  let head;
  try {
    head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  } catch {
    throw new InputError('error.badFile', { name: file.name });
  }
  if (file.type === 'image/png' || (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47)) {
    return { type: 'image', file, mediaType: 'image/png', name: file.name };
  }
  let text;
  try {
    text = await file.text();
  } catch {
    throw new InputError('error.badFile', { name: file.name });
  }
  if (file.type === 'image/svg+xml' || /\.svg$/i.test(file.name) || SVG_START.test(text.slice(0, 4096))) {
    return { type: 'image', file, mediaType: 'image/svg+xml', name: file.name };
  }
  try {
    return { ...readText(text), name: file.name };
  } catch (error) {
    if (error instanceof InputError && error.key === 'error.empty') throw new InputError('error.badFile', { name: file.name });
    throw error;
  }
}

/** The one request the pieces make: one badge, with at most one receipt beside it. */
export function combine(items) {
  if (items.length === 0) throw new InputError('error.empty');
  const shares = items.filter((item) => item.type === 'share');
  const images = items.filter((item) => item.type === 'image');
  const receipts = items.filter((item) => item.type === 'receipt');
  const credentials = items.filter((item) => item.type === 'credential' || item.type === 'pair');
  if (shares.length > 0) {
    if (items.length > 1) throw new InputError('error.tooMany');
    return { kind: 'share', data: shares[0].data };
  }
  if (images.length > 0) {
    if (images.length > 1 || credentials.length > 0) throw new InputError('error.tooMany');
    if (receipts.length > 0) throw new InputError('error.imageAndReceipt');
    const [image] = images;
    return { kind: 'image', file: image.file, mediaType: image.mediaType, name: image.name };
  }
  if (credentials.length === 0) throw new InputError('error.onlyReceipt');
  if (credentials.length > 1 || receipts.length > 1) throw new InputError('error.tooMany');
  const [credential] = credentials;
  const names = items.map((item) => item.name).filter(Boolean);
  if (credential.type === 'pair') {
    if (receipts.length > 0) throw new InputError('error.tooMany');
    return withReceipt({ kind: 'json', credential: credential.credential, names }, credential.receipt);
  }
  return withReceipt({ kind: 'json', credential: credential.value, names }, receipts[0]?.value);
}

function withReceipt(request, receipt) {
  return receipt === undefined ? request : { ...request, receipt };
}
