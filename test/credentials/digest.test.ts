import { expect } from 'chai';
import canonicalize from 'canonicalize';
import { keccak256, toUtf8Bytes } from 'ethers';
import { loadDigester } from '../../service/credentials/digest';
import {
  canonicalJson,
  digestOf,
  digestInput,
  digestOfInput,
  readSignedArtifact,
  parseCredential,
  verifyCredential,
  type JsonObject,
  type JsonValue,
} from '../../service/credentials';
import { RECEIPT_PROOF_TYPE, withoutReceiptEntries } from '../../service/merkle';
import { edKey, NOW, p256Key, signed } from './fixtures';

/** The same JSON with the members of every object in reverse order. */
function reverseKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]));
  }
  return value;
}

const receipt = { type: RECEIPT_PROOF_TYPE, receipt: { version: 1, root: `0x${'ab'.repeat(32)}`, proof: [] } };

describe('credentials: digest', function () {
  for (const format of ['data-integrity', 'ed25519-signature-2020'] as const) {
    describe(`a JSON credential (${format})`, function () {
      let credential: JsonObject;
      before(async function () {
        credential = (await signed(format)) as JsonObject;
      });

      it('is keccak256 of the UTF-8 bytes of its RFC 8785 canonical form, proof included', async function () {
        const { digest } = await parseCredential(credential);
        expect(digest).to.equal(keccak256(toUtf8Bytes(canonicalize(credential) as string)));
        expect(canonicalJson(credential)).to.contain('"proof":{');
      });

      it('is the same for the same credential twice', async function () {
        const first = await parseCredential(credential);
        const second = await parseCredential(structuredClone(credential));
        expect(second.digest).to.equal(first.digest);
      });

      it('does not depend on the order of members or on whitespace', async function () {
        const reordered = reverseKeys(credential) as JsonObject;
        expect(Object.keys(reordered)[0]).to.not.equal(Object.keys(credential)[0]);
        const original = await verifyCredential({ credential, now: NOW });
        const result = await verifyCredential({ credential: reordered, now: NOW });
        expect(result.verified, result.error?.message).to.equal(true);
        expect(result.digest).to.equal(original.digest);
        expect((await parseCredential(JSON.stringify(credential, null, 4))).digest).to.equal(original.digest);
      });

      it('leaves out notarisation receipts: the digest is the same before and after one rides along', async function () {
        const { digest } = await parseCredential(credential);
        const withReceipt = { ...credential, proof: [credential.proof as JsonObject, receipt] };
        const receiptFirst = { ...credential, proof: [{ ...receipt, type: [RECEIPT_PROOF_TYPE, 'Other'] }, credential.proof as JsonObject] };
        const oneElementArray = { ...credential, proof: [credential.proof as JsonObject] };
        for (const variant of [withReceipt, receiptFirst, oneElementArray]) {
          expect((await parseCredential(variant)).digest).to.equal(digest);
        }
        const result = await verifyCredential({ credential: withReceipt, now: NOW });
        expect(result.verified, result.error?.message).to.equal(true);
        expect(result.digest).to.equal(digest);
        expect(await digestOf(withReceipt)).to.equal(digest);
      });

      it('changes with any content change', async function () {
        const { digest } = await parseCredential(credential);
        const changed = structuredClone(credential);
        (changed.issuer as JsonObject).name = 'Scuola Esempio ';
        expect((await parseCredential(changed)).digest).to.not.equal(digest);
      });
    });
  }

  for (const [format, key] of [
    ['vc-jwt', edKey],
    ['vc-jwt', p256Key],
    ['ob2-jws', edKey],
  ] as const) {
    it(`${format} (${key.type}): keccak256 of the UTF-8 bytes of the compact string, surrounding whitespace trimmed`, async function () {
      const token = (await signed(format, key)) as string;
      const expected = keccak256(toUtf8Bytes(token));
      expect((await parseCredential(token)).digest).to.equal(expected);
      expect((await parseCredential(`  ${token}\r\n`)).digest).to.equal(expected);
      expect((await parseCredential(Buffer.from(token))).digest).to.equal(expected);
      expect(await digestOf(token)).to.equal(expected);
    });
  }

  it('hashes non-ASCII text as UTF-8', async function () {
    const credential = (await signed('data-integrity', edKey, {
      name: 'Università: capacità di autoregolazione',
      description: 'Consapevolezza ed espressione di emozioni, pensieri e comportamenti — livello €',
    })) as JsonObject;
    const text = canonicalJson(credential);
    expect(text).to.contain('Università');
    expect((await parseCredential(credential)).digest).to.equal(keccak256(Buffer.from(text, 'utf8')));
  });

  describe('one rule: digestOfInput (intake\'s fast path) equals parseCredential\'s digest for every form of input', function () {
    for (const [format, key] of [
      ['data-integrity', edKey],
      ['ed25519-signature-2020', edKey],
      ['vc-jwt', edKey],
      ['vc-jwt', p256Key],
      ['ob2-jws', edKey],
    ] as const) {
      it(`${format} (${key.type}): object or text, with a byte-order mark, white space, a JSON string, a receipt entry`, async function () {
        const hasher = await loadDigester();
        const artifact = await signed(format, key);
        const forms: unknown[] =
          typeof artifact === 'string'
            ? [artifact, ` ${artifact}\n`, `\uFEFF${artifact}`, JSON.stringify(artifact), ` ${JSON.stringify(` ${artifact} `)} `]
            : [
                artifact,
                JSON.stringify(artifact),
                `\uFEFF${JSON.stringify(artifact, null, 2)}`,
                { ...(artifact as JsonObject), proof: [(artifact as JsonObject).proof as JsonObject, receipt] },
              ];
        const expected = (await parseCredential(artifact as never)).digest;
        for (const form of forms) {
          expect(digestOfInput(hasher, form as never), JSON.stringify(form).slice(0, 60)).to.equal(expected);
          expect((await parseCredential(form as never)).digest).to.equal(expected);
          expect(keccak256(toUtf8Bytes(digestInput(readSignedArtifact(form as never))))).to.equal(expected);
        }
      });
    }

    it('is undefined for what is neither a compact JWS nor a JSON object, where parseCredential throws', async function () {
      const hasher = await loadDigester();
      for (const input of ['not a credential', '[1, 2]', '42', '{"unterminated": ']) {
        expect(digestOfInput(hasher, input)).to.equal(undefined);
        let threw = false;
        await parseCredential(input).catch(() => (threw = true));
        expect(threw, input).to.equal(true);
      }
    });
  });

  it('withoutReceiptEntries keeps a credential without receipts as it is and drops a lone receipt', function () {
    const credential = { '@context': [], proof: { type: 'DataIntegrityProof' } } as JsonObject;
    expect(withoutReceiptEntries(credential)).to.deep.equal(credential);
    expect(withoutReceiptEntries({ a: 1, proof: receipt })).to.deep.equal({ a: 1 });
    expect(withoutReceiptEntries({ a: 1, proof: [receipt, receipt] })).to.deep.equal({ a: 1 });
  });
});
