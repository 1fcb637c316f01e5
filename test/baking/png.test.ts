import { expect } from 'chai';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import { crc32 as zlibCrc32, deflateSync } from 'node:zlib';
import { parseCredential, type JsonObject } from '../../service/credentials';
import { RECEIPT_PROOF_TYPE, attachReceiptToCredential } from '../../service/merkle';
import {
  BakeInputError,
  CompressedTextError,
  DuplicateBakedCredentialError,
  InvalidBakedCredentialError,
  InvalidReceiptError,
  InvalidUtf8Error,
  MalformedPngError,
  NoBakedCredentialError,
  NotPngError,
  PNG_OB2_KEYWORD,
  PNG_OB3_KEYWORD,
  PNG_RECEIPT_KEYWORD,
  bakePng,
  crc32,
  unbake,
} from '../../service/baking';
import {
  chunkCrcs,
  chunkNames,
  demoPng,
  expectThrows,
  iTxtChunk,
  iTxtChunks,
  p256IssuerKey,
  pngWith,
  receiptFor,
  signedBadge,
} from './fixtures';

/** Expects a PNG whose every chunk CRC is right by our CRC-32 and by png-chunks-extract, IHDR first, IEND last. */
function expectValidPng(png: Buffer): void {
  const crcs = chunkCrcs(png);
  for (const { type, stored, computed } of crcs) expect(stored, `CRC of ${type}`).to.equal(computed);
  expect(crcs[0].type).to.equal('IHDR');
  expect(crcs[crcs.length - 1].type).to.equal('IEND');
  expect(() => extractChunks(png)).not.to.throw();
}

describe('baking: PNG', function () {
  describe('CRC-32', function () {
    it('gives the check value of the CRC-32 of PNG and zlib, and the CRC of an empty IEND', function () {
      expect(crc32(Buffer.from('123456789'))).to.equal(0xcbf43926);
      expect(crc32(Buffer.from('IEND'))).to.equal(0xae426082);
      const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff));
      expect(crc32(bytes)).to.equal(zlibCrc32(bytes));
      expect(crc32(bytes.subarray(0, 300), bytes.subarray(300))).to.equal(zlibCrc32(bytes));
    });
  });

  describe('OB 3.0 round trips', function () {
    it('a Data Integrity credential: one uncompressed iTXt "openbadgecredential" holding its JSON, before IEND', async function () {
      const credential = await signedBadge('data-integrity');
      const baked = bakePng({ image: demoPng, credential });
      expectValidPng(baked);
      const [chunk, ...others] = iTxtChunks(baked);
      expect(others).to.have.length(0);
      expect(chunk).to.include({ keyword: 'openbadgecredential', compression: 0, method: 0, language: '', translated: '' });
      expect(JSON.parse(chunk.text)).to.deep.equal(credential);
      expect(chunkNames(baked).slice(-2)).to.deep.equal(['iTXt', 'IEND']);

      const read = unbake(baked);
      expect(read).to.deep.equal({ kind: 'png', version: 'ob3', credential });
      expect((await parseCredential(read.credential)).digest).to.equal((await parseCredential(credential)).digest);
    });

    it('a Data Integrity credential with its receipt: the receipt rides in the baked JSON proof set', async function () {
      const credential = await signedBadge('data-integrity');
      const { digest } = await parseCredential(credential);
      const receipt = await receiptFor(digest);
      const baked = bakePng({ image: demoPng, credential, receipt });
      expectValidPng(baked);
      const chunks = iTxtChunks(baked);
      expect(chunks.map((chunk) => chunk.keyword)).to.deep.equal([PNG_OB3_KEYWORD]);
      const bakedJson = JSON.parse(chunks[0].text) as JsonObject;
      expect(bakedJson).to.deep.equal(attachReceiptToCredential(credential, receipt));
      expect((bakedJson.proof as JsonObject[]).map((proof) => proof.type)).to.deep.equal(['DataIntegrityProof', RECEIPT_PROOF_TYPE]);

      const read = unbake(baked);
      expect(read.version).to.equal('ob3');
      expect(read.receipt).to.deep.equal(receipt);
      expect(read.credential).to.deep.equal(credential);
      expect((await parseCredential(read.credential)).digest).to.equal(digest);
      // the baked JSON itself, receipt included, has the credential's digest too
      expect((await parseCredential(bakedJson)).digest).to.equal(digest);
    });

    it('an Ed25519Signature2020 credential with its receipt', async function () {
      const credential = await signedBadge('ed25519-signature-2020');
      const { digest } = await parseCredential(credential);
      const receipt = await receiptFor(digest);
      const read = unbake(bakePng({ image: demoPng, credential, receipt }));
      expect(read).to.deep.equal({ kind: 'png', version: 'ob3', credential, receipt });
    });

    for (const key of ['Ed25519', 'P-256'] as const) {
      it(`a VC-JWT (${key}): the chunk text is the bare compact JWS`, async function () {
        const jwt = await signedBadge('vc-jwt', key === 'P-256' ? p256IssuerKey : undefined);
        const baked = bakePng({ image: demoPng, credential: jwt });
        expectValidPng(baked);
        const chunks = iTxtChunks(baked);
        expect(chunks).to.have.length(1);
        expect(chunks[0]).to.deep.equal({ keyword: PNG_OB3_KEYWORD, compression: 0, method: 0, language: '', translated: '', text: jwt });
        const read = unbake(baked);
        expect(read).to.deep.equal({ kind: 'png', version: 'ob3', credential: jwt });
        expect((await parseCredential(read.credential)).digest).to.equal((await parseCredential(jwt)).digest);
      });
    }

    it('a VC-JWT with its receipt: the JWS stays bare and the receipt is a second iTXt "badgenotaryreceipt"', async function () {
      const jwt = await signedBadge('vc-jwt');
      const { digest } = await parseCredential(jwt);
      const receipt = await receiptFor(digest);
      const baked = bakePng({ image: demoPng, credential: jwt, receipt });
      expectValidPng(baked);
      const chunks = iTxtChunks(baked);
      expect(chunks.map((chunk) => chunk.keyword)).to.deep.equal([PNG_OB3_KEYWORD, PNG_RECEIPT_KEYWORD]);
      expect(chunks[0].text).to.equal(jwt);
      expect(chunks[1]).to.include({ compression: 0, method: 0, language: '', translated: '' });
      expect(JSON.parse(chunks[1].text)).to.deep.equal(receipt);
      expect(chunkNames(baked).slice(-3)).to.deep.equal(['iTXt', 'iTXt', 'IEND']);

      const read = unbake(baked);
      expect(read).to.deep.equal({ kind: 'png', version: 'ob3', credential: jwt, receipt });
      expect((await parseCredential(read.credential)).digest).to.equal(digest);
    });

    it('takes JSON text as well as the object, and a JWS with surrounding whitespace', async function () {
      const credential = await signedBadge('data-integrity');
      expect(unbake(bakePng({ image: demoPng, credential: JSON.stringify(credential, null, 2) })).credential).to.deep.equal(credential);
      const jwt = await signedBadge('vc-jwt');
      expect(unbake(bakePng({ image: demoPng, credential: `\n ${jwt} \n` })).credential).to.equal(jwt);
    });
  });

  describe('OB 2.0', function () {
    it('a signed assertion: iTXt "openbadges" holding the compact JWS, with and without its receipt', async function () {
      const jws = await signedBadge('ob2-jws');
      const baked = bakePng({ image: demoPng, credential: jws });
      expectValidPng(baked);
      expect(iTxtChunks(baked)).to.deep.equal([{ keyword: PNG_OB2_KEYWORD, compression: 0, method: 0, language: '', translated: '', text: jws }]);
      const read = unbake(baked);
      expect(read).to.deep.equal({ kind: 'png', version: 'ob2', credential: jws });
      expect((await parseCredential(read.credential)).digest).to.equal((await parseCredential(jws)).digest);

      const receipt = await receiptFor((await parseCredential(jws)).digest);
      const withReceipt = bakePng({ image: demoPng, credential: jws, receipt });
      expect(iTxtChunks(withReceipt).map((chunk) => chunk.keyword)).to.deep.equal([PNG_OB2_KEYWORD, PNG_RECEIPT_KEYWORD]);
      expect(unbake(withReceipt)).to.deep.equal({ kind: 'png', version: 'ob2', credential: jws, receipt });
    });

    it('a hosted assertion (JSON): its JSON in iTXt "openbadges"; it takes no receipt', async function () {
      const jws = await signedBadge('ob2-jws');
      const assertion = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as JsonObject;
      const hosted = { ...assertion, id: 'https://school.example/assertions/1', verification: { type: 'hosted' } };
      const baked = bakePng({ image: demoPng, credential: hosted });
      expect(JSON.parse(iTxtChunks(baked)[0].text)).to.deep.equal(hosted);
      expect(unbake(baked)).to.deep.equal({ kind: 'png', version: 'ob2', credential: hosted });
      const receipt = await receiptFor((await parseCredential(jws)).digest);
      const error = expectThrows(() => bakePng({ image: demoPng, credential: hosted, receipt }), BakeInputError);
      expect(error.field).to.equal('receipt');
    });
  });

  describe('the rest of the image', function () {
    it('is kept byte for byte: the baked PNG is the original with the chunks inserted before IEND', async function () {
      const jwt = await signedBadge('vc-jwt');
      const receipt = await receiptFor((await parseCredential(jwt)).digest);
      const baked = bakePng({ image: demoPng, credential: jwt, receipt });
      const iend = demoPng.length - 12;
      expect(baked.subarray(0, iend).equals(demoPng.subarray(0, iend))).to.equal(true);
      expect(baked.subarray(baked.length - 12).equals(demoPng.subarray(iend))).to.equal(true);
    });

    it('keeps other text chunks, their order, and bytes after IEND', async function () {
      const withText = pngWith([iTxtChunk('Description', 'a badge, described'), { name: 'tEXt', data: Buffer.from('Author\0Scuola Demo', 'latin1') }]);
      const trailer = Buffer.from('trailing bytes some tools leave');
      const image = Buffer.concat([withText, trailer]);
      const baked = bakePng({ image, credential: await signedBadge('vc-jwt') });
      expect(chunkNames(baked)).to.deep.equal(['IHDR', 'IDAT', 'iTXt', 'tEXt', 'iTXt', 'IEND']);
      expect(iTxtChunks(baked).map((chunk) => chunk.keyword)).to.deep.equal(['Description', PNG_OB3_KEYWORD]);
      expect(baked.subarray(baked.length - trailer.length).equals(trailer)).to.equal(true);
      expect(unbake(baked).version).to.equal('ob3');
    });
  });

  describe('baking again', function () {
    it('replaces the credential chunk: never more than one, and the same bytes as baking once', async function () {
      const first = await signedBadge('vc-jwt');
      const second = await signedBadge('data-integrity');
      const once = bakePng({ image: demoPng, credential: second });
      const twice = bakePng({ image: bakePng({ image: demoPng, credential: first }), credential: second });
      expect(twice.equals(once)).to.equal(true);
      expect(iTxtChunks(twice).filter((chunk) => chunk.keyword === PNG_OB3_KEYWORD)).to.have.length(1);
      expect(unbake(twice).credential).to.deep.equal(second);
    });

    it('drops the receipt chunk of the previous bake, and an OB 2.0 chunk when baking OB 3.0', async function () {
      const jwt = await signedBadge('vc-jwt');
      const ob2 = await signedBadge('ob2-jws');
      const receipt = await receiptFor((await parseCredential(jwt)).digest);
      const withReceipt = bakePng({ image: demoPng, credential: jwt, receipt });
      const rebaked = bakePng({ image: withReceipt, credential: jwt });
      expect(iTxtChunks(rebaked).map((chunk) => chunk.keyword)).to.deep.equal([PNG_OB3_KEYWORD]);
      expect(unbake(rebaked)).to.deep.equal({ kind: 'png', version: 'ob3', credential: jwt });

      const overOb2 = bakePng({ image: bakePng({ image: demoPng, credential: ob2 }), credential: jwt });
      expect(iTxtChunks(overOb2).map((chunk) => chunk.keyword)).to.deep.equal([PNG_OB3_KEYWORD]);
    });

    it('removes legacy tEXt "openbadges" chunks (pre-2.0 hosted URLs) so the image carries one badge', async function () {
      const legacy = pngWith([{ name: 'tEXt', data: Buffer.from('openbadges\0https://example.org/assertion/1', 'latin1') }]);
      expect(chunkNames(legacy)).to.include('tEXt');
      const baked = bakePng({ image: legacy, credential: await signedBadge('vc-jwt') });
      expect(chunkNames(baked)).to.deep.equal(['IHDR', 'IDAT', 'iTXt', 'IEND']);
    });
  });

  describe('errors', function () {
    it('not a PNG: NotPngError from bakePng', async function () {
      const credential = await signedBadge('vc-jwt');
      expectThrows(() => bakePng({ image: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), credential }), NotPngError);
      expectThrows(() => bakePng({ image: Buffer.alloc(0), credential }), NotPngError);
    });

    it('a damaged PNG: MalformedPngError for a bad CRC, a cut file, a damaged signature, no IHDR first', async function () {
      const credential = await signedBadge('vc-jwt');
      const badCrc = Buffer.from(demoPng);
      badCrc[50] ^= 0xff; // inside the IDAT data (IHDR ends at byte 33)
      expect(expectThrows(() => bakePng({ image: badCrc, credential }), MalformedPngError).message).to.match(/CRC of the IDAT chunk/);
      expect(expectThrows(() => unbake(badCrc), MalformedPngError).offset).to.equal(33);
      expectThrows(() => bakePng({ image: demoPng.subarray(0, demoPng.length - 12), credential }), MalformedPngError);
      expectThrows(() => bakePng({ image: demoPng.subarray(0, 50), credential }), MalformedPngError);
      const dosLineEnds = Buffer.concat([demoPng.subarray(0, 4), Buffer.from('\r\r\n'), demoPng.subarray(6)]);
      expect(expectThrows(() => unbake(dosLineEnds), MalformedPngError).message).to.match(/signature/);
      const chunks = extractChunks(demoPng);
      const noIhdr = Buffer.from(encodeChunks(chunks.slice(1)));
      expect(expectThrows(() => unbake(noIhdr), MalformedPngError).message).to.match(/IHDR/);
    });

    it('no baked credential: NoBakedCredentialError, naming a legacy tEXt chunk when there is one', function () {
      expect(expectThrows(() => unbake(demoPng), NoBakedCredentialError).kind).to.equal('png');
      const legacy = pngWith([{ name: 'tEXt', data: Buffer.from('openbadges\0https://example.org/assertion/1', 'latin1') }]);
      expect(expectThrows(() => unbake(legacy), NoBakedCredentialError).message).to.match(/tEXt "openbadges".*pre-2\.0/);
      // a receipt without a credential is no badge either
      expectThrows(() => unbake(pngWith([iTxtChunk(PNG_RECEIPT_KEYWORD, '{}')])), NoBakedCredentialError);
    });

    it('two credential chunks: DuplicateBakedCredentialError (two OB 3.0, or OB 3.0 and OB 2.0)', async function () {
      const jwt = await signedBadge('vc-jwt');
      const ob2 = await signedBadge('ob2-jws');
      const two = pngWith([iTxtChunk(PNG_OB3_KEYWORD, jwt), iTxtChunk(PNG_OB3_KEYWORD, jwt)]);
      expect(expectThrows(() => unbake(two), DuplicateBakedCredentialError).found).to.deep.equal([
        'iTXt "openbadgecredential"',
        'iTXt "openbadgecredential"',
      ]);
      const mixed = pngWith([iTxtChunk(PNG_OB2_KEYWORD, ob2), iTxtChunk(PNG_OB3_KEYWORD, jwt)]);
      expectThrows(() => unbake(mixed), DuplicateBakedCredentialError);
      // and baking over such an image leaves exactly one
      expect(iTxtChunks(bakePng({ image: two, credential: jwt }))).to.have.length(1);
    });

    it('a compressed iTXt: CompressedTextError, even though its text inflates to a valid credential', async function () {
      const jwt = await signedBadge('vc-jwt');
      const compressed = pngWith([iTxtChunk(PNG_OB3_KEYWORD, deflateSync(Buffer.from(jwt)), { compression: 1 })]);
      expect(expectThrows(() => unbake(compressed), CompressedTextError).keyword).to.equal(PNG_OB3_KEYWORD);
      const receipt = await receiptFor((await parseCredential(jwt)).digest);
      const compressedReceipt = pngWith([
        iTxtChunk(PNG_OB3_KEYWORD, jwt),
        iTxtChunk(PNG_RECEIPT_KEYWORD, deflateSync(Buffer.from(JSON.stringify(receipt))), { compression: 1 }),
      ]);
      expect(expectThrows(() => unbake(compressedReceipt), CompressedTextError).keyword).to.equal(PNG_RECEIPT_KEYWORD);
      const badMethod = pngWith([iTxtChunk(PNG_OB3_KEYWORD, jwt, { method: 3 })]);
      expectThrows(() => unbake(badMethod), MalformedPngError);
    });

    it('text that is not UTF-8: InvalidUtf8Error', async function () {
      const jwt = await signedBadge('vc-jwt');
      const bad = pngWith([iTxtChunk(PNG_OB3_KEYWORD, Buffer.concat([Buffer.from(jwt.slice(0, 10)), Buffer.from([0xc3, 0x28]), Buffer.from(jwt.slice(10))]))]);
      expect(expectThrows(() => unbake(bad), InvalidUtf8Error).where).to.equal('the text of the iTXt chunk "openbadgecredential"');
    });

    it('a chunk that holds no credential: InvalidBakedCredentialError (a URL is named, and not fetched)', function () {
      const url = pngWith([iTxtChunk(PNG_OB2_KEYWORD, 'https://example.org/assertion/1')]);
      expect(expectThrows(() => unbake(url), InvalidBakedCredentialError).url).to.equal('https://example.org/assertion/1');
      expectThrows(() => unbake(pngWith([iTxtChunk(PNG_OB3_KEYWORD, '{"not": "a credential"')])), InvalidBakedCredentialError);
      expectThrows(() => unbake(pngWith([iTxtChunk(PNG_OB3_KEYWORD, '{"name": "no context"}')])), InvalidBakedCredentialError);
      expectThrows(() => unbake(pngWith([iTxtChunk(PNG_OB3_KEYWORD, '')])), InvalidBakedCredentialError);
    });

    it('a receipt that does not validate, or is for another credential: InvalidReceiptError, when baking and reading', async function () {
      const jwt = await signedBadge('vc-jwt');
      const credential = await signedBadge('data-integrity');
      const receipt = await receiptFor((await parseCredential(jwt)).digest);
      const otherReceipt = await receiptFor((await parseCredential(credential)).digest);

      // baking
      expect(expectThrows(() => bakePng({ image: demoPng, credential: jwt, receipt: otherReceipt }), InvalidReceiptError).field).to.equal('digest');
      expect(expectThrows(() => bakePng({ image: demoPng, credential, receipt }), InvalidReceiptError).field).to.equal('digest');
      const broken = { ...receipt, root: 'not a hash' } as unknown as typeof receipt;
      expect(expectThrows(() => bakePng({ image: demoPng, credential: jwt, receipt: broken }), InvalidReceiptError).field).to.equal('receipt.root');

      // reading: a receipt chunk for another credential, one that is not a receipt, one that is not JSON, two of them
      const wrong = pngWith([iTxtChunk(PNG_OB3_KEYWORD, jwt), iTxtChunk(PNG_RECEIPT_KEYWORD, JSON.stringify(otherReceipt))]);
      expect(expectThrows(() => unbake(wrong), InvalidReceiptError).field).to.equal('digest');
      const shapeless = pngWith([iTxtChunk(PNG_OB3_KEYWORD, jwt), iTxtChunk(PNG_RECEIPT_KEYWORD, JSON.stringify({ ...receipt, extra: 1 }))]);
      expect(expectThrows(() => unbake(shapeless), InvalidReceiptError).field).to.equal('extra');
      expectThrows(() => unbake(pngWith([iTxtChunk(PNG_OB3_KEYWORD, jwt), iTxtChunk(PNG_RECEIPT_KEYWORD, 'receipt?')])), InvalidReceiptError);
      const twoReceipts = pngWith([
        iTxtChunk(PNG_OB3_KEYWORD, jwt),
        iTxtChunk(PNG_RECEIPT_KEYWORD, JSON.stringify(receipt)),
        iTxtChunk(PNG_RECEIPT_KEYWORD, JSON.stringify(receipt)),
      ]);
      expectThrows(() => unbake(twoReceipts), InvalidReceiptError);

      // reading: a JSON credential whose proof-set receipt is for another credential, or whose receipt is also beside it
      const mismatched = attachReceiptToCredential(credential, receipt);
      expect(expectThrows(() => unbake(pngWith([iTxtChunk(PNG_OB3_KEYWORD, JSON.stringify(mismatched))])), InvalidReceiptError).field).to.equal('digest');
      const doubled = pngWith([
        iTxtChunk(PNG_OB3_KEYWORD, JSON.stringify(attachReceiptToCredential(credential, otherReceipt))),
        iTxtChunk(PNG_RECEIPT_KEYWORD, JSON.stringify(otherReceipt)),
      ]);
      expect(expectThrows(() => unbake(doubled), InvalidReceiptError).message).to.match(/baked twice/);
      const beside = pngWith([iTxtChunk(PNG_OB3_KEYWORD, JSON.stringify(credential)), iTxtChunk(PNG_RECEIPT_KEYWORD, JSON.stringify(otherReceipt))]);
      expect(expectThrows(() => unbake(beside), InvalidReceiptError).message).to.match(/proof set/);
      const badEntry = { ...credential, proof: [credential.proof, { type: RECEIPT_PROOF_TYPE, receipt: { ...otherReceipt, leaf: '0x00' } }] };
      expect(expectThrows(() => unbake(pngWith([iTxtChunk(PNG_OB3_KEYWORD, JSON.stringify(badEntry))])), InvalidReceiptError).field).to.equal(
        'proof[1].receipt.leaf',
      );
    });

    it('a credential that cannot be baked: BakeInputError', async function () {
      const credential = await signedBadge('data-integrity');
      const { proof: _proof, ...unsigned } = credential;
      expect(expectThrows(() => bakePng({ image: demoPng, credential: unsigned }), BakeInputError).field).to.equal('credential');
      expectThrows(() => bakePng({ image: demoPng, credential: 'not a credential' }), BakeInputError);
      expectThrows(() => bakePng({ image: demoPng, credential: '{"broken": ' }), BakeInputError);
      expectThrows(() => bakePng({ image: demoPng, credential: { name: 'a JSON object that is no credential' } }), BakeInputError);
      expectThrows(() => bakePng({ image: demoPng, credential: 42 as unknown as string }), BakeInputError);
      expectThrows(() => bakePng({ image: demoPng, credential: { ...credential, big: 10n } }), BakeInputError);
      const notJsonPayload = `${Buffer.from('{"alg":"EdDSA"}').toString('base64url')}.${Buffer.from('hello').toString('base64url')}.c2ln`;
      expectThrows(() => bakePng({ image: demoPng, credential: notJsonPayload }), BakeInputError);
      expect(expectThrows(() => bakePng({ image: 'a string' as unknown as Buffer, credential }), BakeInputError).field).to.equal('image');
    });
  });
});
