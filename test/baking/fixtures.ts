/**
 * Inputs of the baking tests: fixed issuer keys, the demo badge signed in every format, real receipts (a small
 * Merkle batch built with service/merkle), demo images, and an independent PNG chunk reader.
 */
import { expect } from 'chai';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import { keccak256, toUtf8Bytes } from 'ethers';
import {
  buildAchievementCredential,
  buildOb2Assertion,
  generateIssuerKey,
  signCredential,
  type CredentialFormat,
  type Hex,
  type IssuerKey,
  type JsonObject,
} from '../../service/credentials';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { BatchTree, buildReceipt, type Receipt } from '../../service/merkle';
import { crc32, demoBadgePng, demoBadgeSvg } from '../../service/baking';

export const ISSUER_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0x11 + i);
export const issuerKey: IssuerKey = generateIssuerKey({ type: 'Ed25519', seed: ISSUER_SEED });
export const p256IssuerKey: IssuerKey = generateIssuerKey({ type: 'P-256', seed: Uint8Array.from({ length: 32 }, (_, i) => 0x51 + i) });

export const ISSUED_ON = new Date('2025-03-01T09:00:00Z');
export const CREATED = new Date('2025-03-01T09:05:00Z');

/** The seeds' demo badge (Silver teamwork), fixed in every field so the signed artifacts are the same each run. */
export function unsignedBadge(format: CredentialFormat, key: IssuerKey = issuerKey): JsonObject {
  const input = {
    ...demoBadgeInput({ issuerDid: key.did, recipientDid: 'did:example:earner-baking-0001', issuedOn: ISSUED_ON }),
    id: 'urn:uuid:6f1d3c52-1f43-4b58-9a51-0c1c2d9e7a01',
  };
  if (format === 'ob2-jws') return buildOb2Assertion(input);
  if (format === 'ed25519-signature-2020') return buildAchievementCredential({ ...input, vcVersion: '1.1' });
  return buildAchievementCredential(input);
}

export async function signedBadge(format: 'vc-jwt' | 'ob2-jws', key?: IssuerKey): Promise<string>;
export async function signedBadge(format: 'data-integrity' | 'ed25519-signature-2020', key?: IssuerKey): Promise<JsonObject>;
export async function signedBadge(format: CredentialFormat, key: IssuerKey = issuerKey): Promise<string | JsonObject> {
  return signCredential({ credential: unsignedBadge(format, key), key, format, created: CREATED });
}

export const ANCHOR = {
  chainId: 31337,
  registry: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
  transactionHash: `0x${'ab'.repeat(32)}`,
  blockNumber: 42,
  blockTimestamp: 1767225600,
  memberId: 1,
};

/** A real receipt for `digest`: leaf 2 of a batch of 5 with made-up neighbours, anchored with {@link ANCHOR}. */
export async function receiptFor(digest: Hex): Promise<Receipt> {
  const neighbours = [0, 1, 3, 4].map((i) => keccak256(toUtf8Bytes(`another credential ${i}`)));
  const digests = [neighbours[0], neighbours[1], digest, neighbours[2], neighbours[3]];
  const tree = await BatchTree.build(digests);
  return buildReceipt({ tree, index: 2, digest, batchId: 'baking-batch-1', anchor: ANCHOR });
}

export const demoPng: Buffer = demoBadgePng({ label: 'Silver', size: 128 });
export const demoSvg: string = demoBadgeSvg({ label: 'Silver', size: 128 });

/** The chunks of a PNG as read by png-chunks-extract, an independent decoder that checks every CRC but IEND's. */
export function chunkNames(png: Uint8Array): string[] {
  return extractChunks(png).map((chunk) => chunk.name);
}

/** Expects `promiseOrCall` to throw an error of `type`, and returns it for further checks. */
export function expectThrows<E extends Error>(call: () => unknown, type: new (...args: never[]) => E): E {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${type.name} to be thrown`).to.be.instanceOf(type);
  return thrown as E;
}

/** The fields of every iTXt chunk, parsed here independently of service/baking (from png-chunks-extract's chunks). */
export function iTxtChunks(png: Uint8Array): { keyword: string; compression: number; method: number; language: string; translated: string; text: string }[] {
  return extractChunks(png)
    .filter((chunk) => chunk.name === 'iTXt')
    .map(({ data }) => {
      const bytes = Buffer.from(data);
      const keywordEnd = bytes.indexOf(0);
      const languageEnd = bytes.indexOf(0, keywordEnd + 3);
      const translatedEnd = bytes.indexOf(0, languageEnd + 1);
      return {
        keyword: bytes.toString('latin1', 0, keywordEnd),
        compression: bytes[keywordEnd + 1],
        method: bytes[keywordEnd + 2],
        language: bytes.toString('latin1', keywordEnd + 3, languageEnd),
        translated: bytes.toString('utf8', languageEnd + 1, translatedEnd),
        text: bytes.toString('utf8', translatedEnd + 1),
      };
    });
}

/** Every chunk of a PNG with its stored and its recomputed CRC (with the CRC-32 of service/baking). */
export function chunkCrcs(png: Uint8Array): { type: string; stored: number; computed: number }[] {
  const bytes = Buffer.from(png);
  const result: { type: string; stored: number; computed: number }[] = [];
  for (let offset = 8; offset < bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    result.push({ type, stored: bytes.readUInt32BE(offset + 8 + length), computed: crc32(bytes.subarray(offset + 4, offset + 8 + length)) });
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  return result;
}

/** A chunk as png-chunks-encode takes it: an iTXt with the given fields. */
export function iTxtChunk(
  keyword: string,
  text: string | Uint8Array,
  options: { compression?: number; method?: number } = {}
): { name: string; data: Uint8Array } {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, options.compression ?? 0, options.method ?? 0, 0, 0]), body]);
  return { name: 'iTXt', data };
}

/** The demo PNG with `extra` chunks inserted before IEND, encoded by png-chunks-encode (not by service/baking). */
export function pngWith(extra: { name: string; data: Uint8Array }[], image: Uint8Array = demoPng): Buffer {
  const chunks = extractChunks(image);
  const end = chunks.length - 1;
  return Buffer.from(encodeChunks([...chunks.slice(0, end), ...extra, chunks[end]]));
}
