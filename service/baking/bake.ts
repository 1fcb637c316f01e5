/**
 * The baking API: bakePng, bakeSvg and unbake. docs/baking.md describes the layout, the choices and the errors.
 */
import type { JsonObject } from '../credentials';
import type { Receipt } from '../merkle';
import { prepareCredential, readBakedText, withBakedReceipt, type BadgeVersion, type BakeableCredential } from './credential';
import { BakeInputError, InvalidUtf8Error, UnrecognisedImageError } from './errors';
import { PNG_OB2_KEYWORD, PNG_OB3_KEYWORD, PNG_RECEIPT_KEYWORD, hasPngSignature, readBakedChunks, replaceBakedChunks } from './png';
import { bakeSvgDocument, looksLikeSvg, readBakedElements } from './svg';

export interface BakePngParameters {
  /** The PNG to bake into. */
  image: Uint8Array;
  /** A compact JWS (VC-JWT or OB 2.0 signed assertion), or a JSON credential (object or text). */
  credential: BakeableCredential;
  /** The credential's notarisation receipt, baked with it. */
  receipt?: Receipt | undefined;
}

export interface BakeSvgParameters {
  /** The SVG document to bake into. */
  image: string;
  credential: BakeableCredential;
  receipt?: Receipt | undefined;
}

/** What unbake finds in a baked image. */
export interface UnbakedBadge {
  kind: 'png' | 'svg';
  /** The version of the credential, by its content: 'ob3' for a Verifiable Credential, 'ob2' for an OB 2.0 Assertion. */
  version: BadgeVersion;
  /** The compact JWS, or the JSON credential as its issuer signed it (without the receipt entry of its proof set). */
  credential: string | JsonObject;
  /** The receipt baked with the credential, validated and checked to be for it. */
  receipt?: Receipt;
}

/**
 * Bakes a credential (and its receipt) into a PNG: one iTXt chunk "openbadgecredential" (OB 3.0) or "openbadges"
 * (OB 2.0), uncompressed, before IEND; for a JWS credential with a receipt, a second iTXt chunk "badgenotaryreceipt".
 * Baked chunks already there are replaced; every other byte is kept.
 *
 * @example
 * const baked = bakePng({ image: fs.readFileSync('badge.png'), credential: jwt, receipt })
 * @throws {NotPngError} / {MalformedPngError} for the image; {BakeInputError} / {InvalidReceiptError} for the rest.
 */
export function bakePng(parameters: BakePngParameters): Buffer {
  const { image, credential, receipt } = parameters;
  if (!(image instanceof Uint8Array)) throw new BakeInputError('image', 'a PNG must be given as a Buffer or Uint8Array');
  const prepared = prepareCredential(credential, receipt);
  const keyword = prepared.version === 'ob3' ? PNG_OB3_KEYWORD : PNG_OB2_KEYWORD;
  const texts = [{ keyword, text: prepared.text }];
  if (prepared.receiptText !== undefined) texts.push({ keyword: PNG_RECEIPT_KEYWORD, text: prepared.receiptText });
  return replaceBakedChunks(image, texts);
}

/**
 * Bakes a credential (and its receipt) into an SVG: `xmlns:openbadges` on the root and an <openbadges:credential>
 * (OB 3.0) or <openbadges:assertion> (OB 2.0) as its first child; for a JWS credential with a receipt, a
 * <badgenotary:receipt> right after it. Baked elements already there are replaced; the rest is kept as it was.
 *
 * @throws {NotSvgError} / {MalformedSvgError} / {UnsupportedSvgError} for the image; {BakeInputError} /
 * {InvalidReceiptError} for the rest.
 */
export function bakeSvg(parameters: BakeSvgParameters): string {
  const { image, credential, receipt } = parameters;
  if (typeof image !== 'string') throw new BakeInputError('image', 'an SVG must be given as a string (decode its UTF-8 bytes first)');
  const prepared = prepareCredential(credential, receipt);
  return bakeSvgDocument(image, prepared);
}

/**
 * Reads the credential (and receipt) baked into a PNG or an SVG. A Buffer is a PNG when it starts with the PNG
 * signature, else it is read as UTF-8 text; text is an SVG when its root element is <svg>.
 *
 * @throws {UnrecognisedImageError} for anything else, and the typed errors of the format (no credential, two of them,
 * compressed text, bad UTF-8, malformed XML, a receipt that does not validate or is for another credential).
 */
export function unbake(file: Uint8Array | string): UnbakedBadge {
  if (typeof file !== 'string') {
    if (!(file instanceof Uint8Array)) throw new UnrecognisedImageError({ details: 'expected a Buffer, Uint8Array or string' });
    if (hasPngSignature(file) || (file.length >= 4 && file[0] === 0x89 && file[1] === 0x50 && file[2] === 0x4e && file[3] === 0x47)) {
      return unbakePng(file);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file);
    } catch (cause) {
      const head = Buffer.from(file.buffer, file.byteOffset, Math.min(file.length, 4096)).toString('latin1');
      if (/<svg[\s>]/.test(head)) throw new InvalidUtf8Error('the SVG file', { cause });
      throw new UnrecognisedImageError({ cause });
    }
    return unbakeSvg(text);
  }
  if (file.startsWith('\u0089PNG')) throw new UnrecognisedImageError({ details: 'a PNG must be given as bytes (a Buffer), not as a string' });
  return unbakeSvg(file);
}

function unbakePng(file: Uint8Array): UnbakedBadge {
  const { keyword, text, receiptText } = readBakedChunks(file);
  const read = readBakedText(text, `the iTXt chunk "${keyword}"`);
  const result = withBakedReceipt(read, receiptText, `the iTXt chunk "${PNG_RECEIPT_KEYWORD}"`);
  return badge('png', result);
}

function unbakeSvg(text: string): UnbakedBadge {
  if (!looksLikeSvg(text)) throw new UnrecognisedImageError();
  const { text: credentialText, where, receiptText } = readBakedElements(text);
  const read = readBakedText(credentialText, where);
  const result = withBakedReceipt(read, receiptText, 'the <badgenotary:receipt> element');
  return badge('svg', result);
}

function badge(kind: 'png' | 'svg', read: { version: BadgeVersion; credential: string | JsonObject; receipt?: Receipt | undefined }): UnbakedBadge {
  const { version, credential, receipt } = read;
  return receipt ? { kind, version, credential, receipt } : { kind, version, credential };
}
