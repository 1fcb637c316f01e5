import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import extractChunks from 'png-chunks-extract';
import { parseCredential } from '../../service/credentials';
import {
  InvalidBakedCredentialError,
  PNG_OB2_KEYWORD,
  PNG_OB3_KEYWORD,
  UnrecognisedImageError,
  bakePng,
  demoBadgePng,
  demoBadgeSvg,
  unbake,
} from '../../service/baking';
import { parseXml } from '../../service/baking/xml';
import { chunkCrcs, chunkNames, demoPng, expectThrows, iTxtChunk, iTxtChunks, pngWith, receiptFor, signedBadge } from './fixtures';

const EXTERNAL = path.join(__dirname, '..', 'vectors', 'baking', 'external', 'openbadges-bakery-python-heart.png');

describe('baking: unbake', function () {
  describe('what the file is', function () {
    it('neither a PNG nor an SVG: UnrecognisedImageError', function () {
      expectThrows(() => unbake(Buffer.from('GIF89a........')), UnrecognisedImageError);
      expectThrows(() => unbake('{"@context": "not an image"}'), UnrecognisedImageError);
      expectThrows(() => unbake('<html><body>not a badge</body></html>'), UnrecognisedImageError);
      expectThrows(() => unbake(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10])), UnrecognisedImageError);
      expectThrows(() => unbake(demoPng.toString('latin1')), UnrecognisedImageError);
      expectThrows(() => unbake(42 as unknown as string), UnrecognisedImageError);
    });

    it('an SVG is found behind a BOM, an XML declaration, comments and a DOCTYPE', async function () {
      const jwt = await signedBadge('vc-jwt');
      const svg =
        '\uFEFF<?xml version="1.0"?>\n<!-- a comment -->\n<!DOCTYPE svg>\n' +
        `<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="${jwt}"/></svg>`;
      expect(unbake(svg).kind).to.equal('svg');
      expect(unbake(Buffer.from(svg)).credential).to.equal(jwt);
    });
  });

  describe('the version is read from the credential', function () {
    it('an OB 3.0 credential baked in an "openbadges" chunk (as some issuers do) is reported as ob3', async function () {
      const credential = await signedBadge('data-integrity');
      const read = unbake(pngWith([iTxtChunk(PNG_OB2_KEYWORD, JSON.stringify(credential))]));
      expect(read).to.deep.equal({ kind: 'png', version: 'ob3', credential });
    });

    it('an OB 2.0 signed assertion in an "openbadgecredential" chunk is reported as ob2', async function () {
      const jws = await signedBadge('ob2-jws');
      expect(unbake(pngWith([iTxtChunk(PNG_OB3_KEYWORD, jws)])).version).to.equal('ob2');
    });
  });

  describe('a PNG baked by another implementation', function () {
    // test/vectors/baking/external/README.md: baked by the Python openbadges-bakery for the 1EdTech
    // openbadges-validator-core tests, with the hosted assertion URL as text, its iTXt right after IHDR.
    const external = readFileSync(EXTERNAL);

    it('is a valid PNG whose iTXt "openbadges" is found and read: a hosted-assertion URL, reported and not fetched', function () {
      expect(chunkNames(external)).to.deep.equal(['IHDR', 'iTXt', 'bKGD', 'pHYs', 'IDAT', 'IEND']);
      for (const { type, stored, computed } of chunkCrcs(external)) expect(stored, type).to.equal(computed);
      expect(iTxtChunks(external)).to.deep.equal([
        { keyword: 'openbadges', compression: 0, method: 0, language: '', translated: '', text: 'http://example.org/assertion/1' },
      ]);
      const error = expectThrows(() => unbake(external), InvalidBakedCredentialError);
      expect(error.url).to.equal('http://example.org/assertion/1');
      expect(error.message).to.contain('iTXt chunk "openbadges"');
    });

    it('takes our credential: its chunk is replaced by ours and every other chunk is kept byte for byte', async function () {
      const jwt = await signedBadge('vc-jwt');
      const receipt = await receiptFor((await parseCredential(jwt)).digest);
      const baked = bakePng({ image: external, credential: jwt, receipt });
      expect(chunkNames(baked)).to.deep.equal(['IHDR', 'bKGD', 'pHYs', 'IDAT', 'iTXt', 'iTXt', 'IEND']);
      const theirs = extractChunks(external).filter((chunk) => chunk.name !== 'iTXt');
      const ours = extractChunks(baked).filter((chunk) => chunk.name !== 'iTXt');
      expect(ours.map((chunk) => Buffer.from(chunk.data).toString('hex'))).to.deep.equal(theirs.map((chunk) => Buffer.from(chunk.data).toString('hex')));
      expect(unbake(baked)).to.deep.equal({ kind: 'png', version: 'ob3', credential: jwt, receipt });
    });
  });

  describe('the demo badge images', function () {
    it('the PNG is valid: IHDR 8-bit RGBA of the size asked, IDAT inflating to one filtered scanline per row', function () {
      const png = demoBadgePng({ label: 'Gold', size: 96 });
      const chunks = extractChunks(png);
      expect(chunks.map((chunk) => chunk.name)).to.deep.equal(['IHDR', 'IDAT', 'IEND']);
      for (const { type, stored, computed } of chunkCrcs(png)) expect(stored, type).to.equal(computed);
      const ihdr = Buffer.from(chunks[0].data);
      expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]]).to.deep.equal([96, 96, 8, 6, 0, 0, 0]);
      const raw = inflateSync(chunks[1].data);
      expect(raw.length).to.equal(96 * (1 + 96 * 4));
      for (let y = 0; y < 96; y++) expect(raw[y * (1 + 96 * 4)], `filter of row ${y}`).to.equal(0);
      const pixel = (x: number, y: number) => [...raw.subarray(y * 385 + 1 + x * 4, y * 385 + 1 + x * 4 + 4)];
      expect(pixel(0, 0)[3], 'corner is transparent').to.equal(0);
      expect(pixel(48, 5)[3], 'disc is opaque').to.equal(255);
      expect(pixel(48, 5).slice(0, 3), 'ring is the darker level colour').to.deep.equal([0x8a, 0x72, 0x24]);
      expect(pixel(48, 20).slice(0, 3), 'face is the level colour').to.deep.equal([0xd4, 0xaf, 0x37]);
      const labelRows = Array.from({ length: 96 }, (_, y) => y).filter((y) => Array.from({ length: 96 }, (_, x) => pixel(x, y)).some((p) => p[0] === 0x1b));
      expect(labelRows.length, 'the label is drawn across the middle rows').to.be.greaterThan(5);
    });

    it('the PNG differs by level and by label, and refuses sizes and colours it cannot draw', function () {
      expect(demoBadgePng({ label: 'Gold' }).equals(demoBadgePng({ label: 'Silver' }))).to.equal(false);
      expect(demoBadgePng({ label: 'X', color: '#123456' }).equals(demoBadgePng({ label: 'Y', color: '#123456' }))).to.equal(false);
      expect(() => demoBadgePng({ label: 'Gold', size: 8 })).to.throw(RangeError);
      expect(() => demoBadgePng({ label: 'Gold', color: 'gold' })).to.throw(RangeError);
    });

    it('the SVG is well-formed UTF-8 SVG with the label escaped', function () {
      const svg = demoBadgeSvg({ label: 'Copper & <Co>' });
      const { root, encoding } = parseXml(svg);
      expect(encoding).to.equal('UTF-8');
      expect(root).to.include({ local: 'svg', namespace: 'http://www.w3.org/2000/svg' });
      const text = root.children.find((element) => element.local === 'text');
      expect(text?.text).to.equal('Copper & <Co>');
      expect(root.children.find((element) => element.local === 'title')?.text).to.equal('Copper & <Co> badge');
    });
  });
});
