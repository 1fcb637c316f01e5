/**
 * The baked badge vectors of test/vectors/baking/ (README.md there): one PNG with a Data Integrity credential whose
 * receipt rides in its proof set, one SVG with a VC-JWT and its receipt beside it. The committed files must read back
 * to what expected.json records, and baking that again must give the same files.
 * Regenerate them (after a deliberate format change) with:
 *   WRITE_BAKING_VECTORS=1 npx hardhat test --no-compile test/baking/vectors.test.ts
 */
import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import extractChunks from 'png-chunks-extract';
import { parseCredential, type JsonObject } from '../../service/credentials';
import { checkReceipt, type Receipt } from '../../service/merkle';
import { bakePng, bakeSvg, demoBadgePng, demoBadgeSvg, unbake } from '../../service/baking';
import { receiptFor, signedBadge } from './fixtures';

const DIRECTORY = path.join(__dirname, '..', 'vectors', 'baking');
const PNG_FILE = 'badge-ob3-data-integrity-with-receipt.png';
const SVG_FILE = 'badge-ob3-vc-jwt-with-receipt.svg';

interface Vector {
  file: string;
  kind: 'png' | 'svg';
  version: 'ob3';
  format: string;
  image: { label: string; size: number };
  digest: string;
  credential: string | JsonObject;
  receipt: Receipt;
}

interface Expected {
  description: string;
  vectors: Vector[];
}

const PNG_IMAGE = { label: 'Silver', size: 256 };
const SVG_IMAGE = { label: 'Gold', size: 256 };

function bakeVector(vector: Vector): Buffer {
  if (vector.kind === 'png') return bakePng({ image: demoBadgePng(vector.image), credential: vector.credential, receipt: vector.receipt });
  return Buffer.from(bakeSvg({ image: demoBadgeSvg(vector.image), credential: vector.credential, receipt: vector.receipt }), 'utf8');
}

async function generate(): Promise<Expected> {
  const credential = await signedBadge('data-integrity');
  const jwt = await signedBadge('vc-jwt');
  const credentialDigest = (await parseCredential(credential)).digest;
  const jwtDigest = (await parseCredential(jwt)).digest;
  return {
    description:
      'Baked badge vectors (docs/baking.md). Each file unbakes to this credential and receipt; digest is the credential digest (docs/credentials.md). The images are the demo badge images of service/baking/demo-image.ts.',
    vectors: [
      {
        file: PNG_FILE,
        kind: 'png',
        version: 'ob3',
        format: 'data-integrity',
        image: PNG_IMAGE,
        digest: credentialDigest,
        credential,
        receipt: await receiptFor(credentialDigest),
      },
      { file: SVG_FILE, kind: 'svg', version: 'ob3', format: 'vc-jwt', image: SVG_IMAGE, digest: jwtDigest, credential: jwt, receipt: await receiptFor(jwtDigest) },
    ],
  };
}

describe('baking: vectors in test/vectors/baking', function () {
  if (process.env.WRITE_BAKING_VECTORS === '1') {
    it('writes the vectors', async function () {
      const expected = await generate();
      mkdirSync(DIRECTORY, { recursive: true });
      for (const vector of expected.vectors) writeFileSync(path.join(DIRECTORY, vector.file), bakeVector(vector));
      writeFileSync(path.join(DIRECTORY, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
    });
    return;
  }

  const expected = JSON.parse(readFileSync(path.join(DIRECTORY, 'expected.json'), 'utf8')) as Expected;

  it('lists one PNG and one SVG', function () {
    expect(expected.vectors.map((vector) => vector.kind)).to.deep.equal(['png', 'svg']);
  });

  for (const vector of expected.vectors) {
    describe(vector.file, function () {
      const file = readFileSync(path.join(DIRECTORY, vector.file));

      it('unbakes to the recorded credential and receipt, with the recorded digest', async function () {
        const read = unbake(file);
        expect(read).to.deep.equal({ kind: vector.kind, version: vector.version, credential: vector.credential, receipt: vector.receipt });
        const parsed = await parseCredential(read.credential);
        expect(parsed.format).to.equal(vector.format);
        expect(parsed.digest).to.equal(vector.digest);
        const check = await checkReceipt(read.receipt, { digest: parsed.digest });
        expect(check.valid, check.valid ? '' : check.message).to.equal(true);
      });

      it('is what baking the recorded credential and receipt into the demo image gives', function () {
        const baked = bakeVector(vector);
        if (vector.kind === 'svg') {
          expect(baked.toString('utf8')).to.equal(file.toString('utf8'));
          return;
        }
        // Chunk by chunk; the IDAT by its inflated pixels, since another zlib may deflate the same pixels differently.
        const mine = extractChunks(baked);
        const committed = extractChunks(file);
        expect(mine.map((chunk) => chunk.name)).to.deep.equal(committed.map((chunk) => chunk.name));
        mine.forEach((chunk, i) => {
          const [a, b] = chunk.name === 'IDAT' ? [inflateSync(chunk.data), inflateSync(committed[i].data)] : [chunk.data, committed[i].data];
          expect(Buffer.from(a).equals(Buffer.from(b)), `${chunk.name} chunk ${i}`).to.equal(true);
        });
      });
    });
  }
});
