/**
 * PNG baking (docs/baking.md): the credential in an iTXt chunk, uncompressed, with an empty language tag and
 * translated keyword; keyword "openbadgecredential" for OB 3.0 (Open Badges 3.0, section 5.3.1 "PNG"), "openbadges"
 * for OB 2.0 (Open Badges Baking 2.0, "PNGs"); the receipt of a JWS credential in an iTXt chunk "badgenotaryreceipt"
 * of ours. New chunks go just before IEND; every other chunk is kept byte for byte, in its place.
 */
import { crc32 } from './crc32.mjs';
import {
  CompressedTextError,
  DuplicateBakedCredentialError,
  InvalidReceiptError,
  InvalidUtf8Error,
  MalformedPngError,
  NoBakedCredentialError,
  NotPngError,
} from './errors';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The iTXt keyword of an OB 3.0 credential. */
export const PNG_OB3_KEYWORD = 'openbadgecredential';
/** The iTXt keyword of an OB 2.0 assertion. */
export const PNG_OB2_KEYWORD = 'openbadges';
/** The iTXt keyword of a receipt baked beside a JWS credential: ours, unknown to other Open Badges tools. */
export const PNG_RECEIPT_KEYWORD = 'badgenotaryreceipt';

const BAKED_KEYWORDS: readonly string[] = [PNG_OB3_KEYWORD, PNG_OB2_KEYWORD, PNG_RECEIPT_KEYWORD];
const TEXT_CHUNK_TYPES: readonly string[] = ['iTXt', 'tEXt', 'zTXt'];
/** The largest chunk data length PNG allows: 2^31 - 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;

/** One chunk of a PNG, by its offsets in the file. */
export interface PngChunk {
  type: string;
  /** Offset of the chunk (its length field). */
  start: number;
  dataStart: number;
  dataEnd: number;
  /** Offset just past its CRC. */
  end: number;
}

/** A parsed PNG: its chunks up to and including IEND, and where any bytes after IEND start. */
export interface ParsedPng {
  chunks: PngChunk[];
  trailerStart: number;
}

/** A text chunk's fields (tEXt, zTXt or iTXt), as far as baking needs them. */
export interface ITxtFields {
  keyword: string;
  compressed: boolean;
  compressionMethod: number;
  languageTag: string;
  translatedKeyword: string;
  /** The text bytes as stored (compressed when `compressed`). */
  text: Uint8Array;
}

export function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/**
 * The chunks of a PNG, each checked: length in bounds, a type of four ASCII letters, the CRC over type and data;
 * IHDR first, and an IEND. Bytes after IEND are allowed (and kept by bakePng).
 * @throws {NotPngError} without the PNG signature.
 * @throws {MalformedPngError} naming the damage and its offset.
 */
export function parsePng(bytes: Uint8Array): ParsedPng {
  if (!hasPngSignature(bytes)) {
    if (bytes.length >= 4 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
      throw new MalformedPngError('its signature is damaged (a text-mode transfer that changed line endings does this)', 0);
    }
    throw new NotPngError();
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  for (;;) {
    if (offset + 12 > view.length) {
      throw new MalformedPngError(chunks.length === 0 ? 'it has no chunks' : 'it ends before its IEND chunk', offset);
    }
    const length = view.readUInt32BE(offset);
    const type = view.toString('latin1', offset + 4, offset + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new MalformedPngError(`the chunk at byte ${offset} has no valid type`, offset);
    if (length > MAX_CHUNK_LENGTH) throw new MalformedPngError(`the ${type} chunk at byte ${offset} claims ${length} bytes`, offset);
    const dataStart = offset + 8;
    const dataEnd = dataStart + length;
    if (dataEnd + 4 > view.length) throw new MalformedPngError(`the ${type} chunk at byte ${offset} is cut short`, offset);
    const stored = view.readUInt32BE(dataEnd);
    const computed = crc32(view.subarray(offset + 4, dataEnd));
    if (stored !== computed) {
      throw new MalformedPngError(`the CRC of the ${type} chunk at byte ${offset} does not match its contents`, offset, {
        details: `stored 0x${hex32(stored)}, computed 0x${hex32(computed)}`,
      });
    }
    if (chunks.length === 0 && (type !== 'IHDR' || length !== 13)) {
      throw new MalformedPngError('its first chunk is not a 13-byte IHDR', offset);
    }
    const chunk = { type, start: offset, dataStart, dataEnd, end: dataEnd + 4 };
    chunks.push(chunk);
    offset = chunk.end;
    if (type === 'IEND') return { chunks, trailerStart: offset };
  }
}

/** The keyword of a tEXt, zTXt or iTXt chunk's data (1 to 79 Latin-1 bytes before a null), or undefined. */
export function textChunkKeyword(data: Uint8Array): string | undefined {
  const end = data.indexOf(0);
  if (end < 1 || end > 79) return undefined;
  return Buffer.from(data.buffer, data.byteOffset, end).toString('latin1');
}

/**
 * The fields of an iTXt chunk's data (PNG specification, "iTXt International textual data").
 * @throws {MalformedPngError} when the fields are not there.
 */
export function parseITxt(data: Uint8Array, offset: number): ITxtFields {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.length);
  const keyword = textChunkKeyword(bytes);
  if (keyword === undefined) throw new MalformedPngError('an iTXt chunk has no keyword of 1 to 79 bytes', offset);
  let at = keyword.length + 1;
  if (at + 2 > bytes.length) throw new MalformedPngError(`the iTXt chunk "${keyword}" is cut short`, offset);
  const flag = bytes[at];
  const compressionMethod = bytes[at + 1];
  if (flag !== 0 && flag !== 1) throw new MalformedPngError(`the iTXt chunk "${keyword}" has compression flag ${flag}`, offset);
  at += 2;
  const languageEnd = bytes.indexOf(0, at);
  if (languageEnd < 0) throw new MalformedPngError(`the iTXt chunk "${keyword}" has no end to its language tag`, offset);
  const translatedEnd = bytes.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) throw new MalformedPngError(`the iTXt chunk "${keyword}" has no end to its translated keyword`, offset);
  return {
    keyword,
    compressed: flag === 1,
    compressionMethod,
    languageTag: bytes.toString('latin1', at, languageEnd),
    translatedKeyword: decodeUtf8(bytes.subarray(languageEnd + 1, translatedEnd), `the translated keyword of the iTXt chunk "${keyword}"`),
    text: bytes.subarray(translatedEnd + 1),
  };
}

/** The data of an uncompressed iTXt chunk with an empty language tag and translated keyword. */
export function encodeITxt(keyword: string, text: string): Buffer {
  return Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]);
}

/** A whole chunk: length, type, data, CRC of type and data. */
export function encodeChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/**
 * The PNG with every text chunk (iTXt, tEXt, zTXt) of a baking keyword removed and `texts` added as iTXt chunks
 * just before IEND. Every other byte is kept, in order, including any bytes after IEND.
 */
export function replaceBakedChunks(image: Uint8Array, texts: readonly { keyword: string; text: string }[]): Buffer {
  const { chunks, trailerStart } = parsePng(image);
  const bytes = Buffer.from(image.buffer, image.byteOffset, image.length);
  const parts: Buffer[] = [PNG_SIGNATURE];
  for (const chunk of chunks) {
    if (chunk.type === 'IEND') for (const { keyword, text } of texts) parts.push(encodeChunk('iTXt', encodeITxt(keyword, text)));
    if (isBakedTextChunk(bytes, chunk)) continue;
    parts.push(bytes.subarray(chunk.start, chunk.end));
  }
  parts.push(bytes.subarray(trailerStart));
  return Buffer.concat(parts);
}

/** The baked texts of a PNG: the credential chunk's text and keyword, and the receipt chunk's text when there is one. */
export interface PngBakedTexts {
  keyword: typeof PNG_OB3_KEYWORD | typeof PNG_OB2_KEYWORD;
  text: string;
  receiptText?: string | undefined;
}

/**
 * Reads the baked chunks of a PNG.
 * @throws {NoBakedCredentialError} without an "openbadgecredential" or "openbadges" iTXt chunk.
 * @throws {DuplicateBakedCredentialError} with more than one of them.
 * @throws {InvalidReceiptError} with more than one receipt chunk.
 * @throws {CompressedTextError} when one of them is compressed.
 * @throws {InvalidUtf8Error} when the text of one of them is not UTF-8.
 */
export function readBakedChunks(image: Uint8Array): PngBakedTexts {
  const { chunks } = parsePng(image);
  const bytes = Buffer.from(image.buffer, image.byteOffset, image.length);
  const found: { keyword: string; chunk: PngChunk }[] = [];
  const legacy: string[] = [];
  for (const chunk of chunks) {
    if (!TEXT_CHUNK_TYPES.includes(chunk.type)) continue;
    const keyword = textChunkKeyword(bytes.subarray(chunk.dataStart, chunk.dataEnd));
    if (keyword === undefined || !BAKED_KEYWORDS.includes(keyword)) continue;
    if (chunk.type === 'iTXt') found.push({ keyword, chunk });
    else legacy.push(`${chunk.type} "${keyword}"`);
  }
  const credentials = found.filter(({ keyword }) => keyword !== PNG_RECEIPT_KEYWORD);
  const receipts = found.filter(({ keyword }) => keyword === PNG_RECEIPT_KEYWORD);
  if (credentials.length === 0) {
    throw new NoBakedCredentialError('png', {
      details: legacy.length
        ? `it has ${legacy.join(', ')}: a pre-2.0 baking (a hosted-assertion URL in a tEXt chunk), which is not read`
        : undefined,
    });
  }
  if (credentials.length > 1) throw new DuplicateBakedCredentialError(credentials.map(({ keyword }) => `iTXt "${keyword}"`));
  if (receipts.length > 1) {
    throw new InvalidReceiptError(`the PNG has ${receipts.length} iTXt chunks "${PNG_RECEIPT_KEYWORD}"; it may have one`);
  }
  const [credential] = credentials;
  const receipt = receipts[0];
  return {
    keyword: credential.keyword as PngBakedTexts['keyword'],
    text: chunkText(bytes, credential.chunk),
    receiptText: receipt ? chunkText(bytes, receipt.chunk) : undefined,
  };
}

function chunkText(bytes: Buffer, chunk: PngChunk): string {
  const fields = parseITxt(bytes.subarray(chunk.dataStart, chunk.dataEnd), chunk.start);
  if (fields.compressed) throw new CompressedTextError(fields.keyword);
  if (fields.compressionMethod !== 0) {
    throw new MalformedPngError(`the iTXt chunk "${fields.keyword}" names compression method ${fields.compressionMethod}`, chunk.start);
  }
  return decodeUtf8(fields.text, `the text of the iTXt chunk "${fields.keyword}"`);
}

function isBakedTextChunk(bytes: Buffer, chunk: PngChunk): boolean {
  if (!TEXT_CHUNK_TYPES.includes(chunk.type)) return false;
  const keyword = textChunkKeyword(bytes.subarray(chunk.dataStart, chunk.dataEnd));
  return keyword !== undefined && BAKED_KEYWORDS.includes(keyword);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return UTF8.decode(bytes);
  } catch (cause) {
    throw new InvalidUtf8Error(where, { cause });
  }
}

function hex32(value: number): string {
  return value.toString(16).padStart(8, '0');
}
