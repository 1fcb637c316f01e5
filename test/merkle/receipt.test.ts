import { expect } from 'chai';
import canonicalize from 'canonicalize';
import { keccak256, toUtf8Bytes } from 'ethers';
import {
  BatchTree,
  RECEIPT_ENVELOPE_TYPE,
  RECEIPT_PROOF_TYPE,
  ReceiptFieldError,
  ReceiptInputError,
  attachReceiptToCredential,
  attachReceiptToJwt,
  buildReceipt,
  checkReceipt,
  receiptJson,
  extractReceiptFromCredential,
  extractReceiptFromEnvelope,
  validateReceipt,
  withoutReceiptEntries,
  type AnchorFacts,
  type Hex,
  type Receipt,
} from '../../service/merkle';
import { digestsFor, flipBit, receiptVectors } from './fixtures';

const ANCHOR: AnchorFacts = {
  chainId: 11155111n,
  registry: '0x00000000000000000000000000000000000000a1',
  transactionHash: `0x${'AB'.repeat(32)}`,
  blockNumber: 7_000_000,
  blockTimestamp: 1_735_689_600,
  memberId: 3,
};

/** A receipt of the vectors, deep-copied so that a test may spoil it. */
const vectorReceipt = () => structuredClone(receiptVectors.receipt) as Receipt;

/** JCS then keccak256: what docs/credentials.md makes the digest of a JSON credential. */
const jsonDigest = (credential: object) =>
  keccak256(toUtf8Bytes(canonicalize(withoutReceiptEntries(credential as Record<string, unknown>))!));

describe('merkle: receipts', function () {
  let digests: Hex[];
  let tree: BatchTree;
  before(async function () {
    digests = digestsFor(10, 77);
    tree = await BatchTree.build(digests);
  });

  describe('buildReceipt', function () {
    it('gives the versioned receipt of a leaf, with CAIP identifiers and the block time twice', async function () {
      const receipt = await buildReceipt({
        tree,
        index: 9,
        digest: digests[9],
        batchId: 'b-2025.01:9',
        anchor: ANCHOR,
      });
      expect(receipt).to.deep.equal({
        version: 'badge-notary-receipt/1',
        digest: digests[9],
        leaf: tree.leaf(9),
        proof: tree.proof(9),
        root: tree.root,
        batch: { id: 'b-2025.01:9', size: 10, leafIndex: 9 },
        anchor: {
          chain: 'eip155:11155111',
          registry: 'eip155:11155111:0x00000000000000000000000000000000000000A1',
          transactionHash: `0x${'ab'.repeat(32)}`,
          blockNumber: 7_000_000,
          blockTime: '2025-01-01T00:00:00Z',
          blockTimestamp: 1_735_689_600,
          memberId: 3,
        },
      });
      expect((await checkReceipt(receipt, { digest: digests[9] })).valid).to.equal(true);
    });

    it('refuses a digest that is not the one at that index', async function () {
      const error = await buildReceipt({ tree, index: 2, digest: digests[3], batchId: 'b', anchor: ANCHOR }).catch(
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ReceiptInputError);
      expect((error as Error).message).to.include(
        `is not the digest of leaf 2: leaf 2 of this tree is ${tree.leaf(2)}`,
      );
    });

    it('refuses a stored tree whose proof does not lead to its root', async function () {
      const damaged = tree.dump();
      damaged[damaged.length - 40] ^= 1; // a node of the layer below the root
      const error = await buildReceipt({
        tree: BatchTree.load(damaged),
        index: 0,
        digest: digests[0],
        batchId: 'b',
        anchor: ANCHOR,
      }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ReceiptInputError);
      expect((error as Error).message).to.match(
        /^the stored tree gives a wrong proof for leaf 0: the proof leads to 0x/,
      );
    });

    const badFacts: [string, Partial<AnchorFacts> | { batchId: string }, string][] = [
      ['chain id 0', { chainId: 0 }, 'anchor.chain'],
      ['a registry that is not an address', { registry: '0x1234' }, 'anchor.registry'],
      ['a short transaction hash', { transactionHash: '0x1234' }, 'anchor.transactionHash'],
      ['a negative block number', { blockNumber: -1 }, 'anchor.blockNumber'],
      [
        'a timestamp in milliseconds past year 9999',
        { blockTimestamp: 1_735_689_600_000_000 },
        'anchor.blockTimestamp',
      ],
      ['member 0', { memberId: 0 }, 'anchor.memberId'],
      ['a batch id with a space', { batchId: 'batch one' }, 'batch.id'],
    ];
    for (const [what, change, field] of badFacts) {
      it(`refuses ${what}, naming ${field}`, async function () {
        const batchId = 'batchId' in change ? change.batchId : 'b1';
        const anchor = { ...ANCHOR, ...('batchId' in change ? {} : change) };
        const error = await buildReceipt({ tree, index: 0, digest: digests[0], batchId, anchor }).catch(
          (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(ReceiptFieldError).and.include({ field });
      });
    }
  });

  describe('receiptJson', function () {
    it('writes what JSON.stringify writes, for every leaf of trees of many shapes and for read receipts', async function () {
      const anchors: AnchorFacts[] = [
        ANCHOR,
        { chainId: 1, registry: '0x5fbdb2315678afecb367f032d93f642f64180aa3', transactionHash: `0x${'0'.repeat(64)}`, blockNumber: 0, blockTimestamp: 1, memberId: 4_294_967_295 },
      ];
      let compared = 0;
      for (const [size, batchId] of [[1, '1'], [2, 'b-2'], [7, 'batch:2025.01_x'], [33, 'Z'.repeat(128)]] as const) {
        const digests = digestsFor(size, size);
        const tree = await BatchTree.build(digests);
        for (let index = 0; index < size; index++) {
          const receipt = await buildReceipt({ tree, index, digest: digests[index], batchId, anchor: anchors[index % 2] });
          expect(receiptJson(receipt)).to.equal(JSON.stringify(receipt));
          expect(receiptJson(validateReceipt(JSON.parse(JSON.stringify(receipt))))).to.equal(JSON.stringify(receipt));
          compared++;
        }
      }
      expect(compared).to.equal(43);
      expect(receiptJson(vectorReceipt())).to.equal(JSON.stringify(receiptVectors.receipt));
    });
  });

  describe('checkReceipt', function () {
    it('passes the vector receipt, for its own digest', async function () {
      const receipt = vectorReceipt();
      expect(await checkReceipt(receipt)).to.deep.equal({ valid: true, receipt });
      expect(
        (await checkReceipt(receipt, { digest: receipt.digest.toUpperCase().replace('0X', '0x') as Hex })).valid,
      ).to.equal(true);
    });

    it("fails for another credential's digest", async function () {
      const other = keccak256(toUtf8Bytes('another credential')) as Hex;
      expect(await checkReceipt(vectorReceipt(), { digest: other })).to.deep.include({
        valid: false,
        reason: 'digest-mismatch',
        field: 'digest',
      });
    });

    it('fails a receipt whose digest was swapped for another (its leaf no longer matches)', async function () {
      const receipt = { ...vectorReceipt(), digest: keccak256(toUtf8Bytes('forged')) as Hex };
      expect(await checkReceipt(receipt)).to.include({ valid: false, reason: 'leaf-mismatch', field: 'leaf' });
    });

    it('fails a receipt whose digest and leaf were swapped together', async function () {
      const other = receiptVectors.inputs.index + 1;
      const tree13 = await BatchTree.build(
        Array.from({ length: 13 }, (_, i) => keccak256(toUtf8Bytes(`badge-notary vector digest ${i}`))),
      );
      const receipt = {
        ...vectorReceipt(),
        leaf: tree13.leaf(other),
        digest: keccak256(toUtf8Bytes(`badge-notary vector digest ${other}`)) as Hex,
      };
      expect(await checkReceipt(receipt)).to.include({ valid: false, reason: 'root-mismatch', field: 'root' });
    });

    it('fails a changed proof element or root', async function () {
      const proof = vectorReceipt();
      proof.proof[2] = flipBit(proof.proof[2], 31, 0);
      expect(await checkReceipt(proof)).to.include({ valid: false, reason: 'root-mismatch' });
      const root = { ...vectorReceipt(), root: flipBit(receiptVectors.receipt.root, 0, 7) };
      expect(await checkReceipt(root)).to.include({ valid: false, reason: 'root-mismatch' });
    });

    it('reports a malformed receipt with the field instead of throwing', async function () {
      expect(await checkReceipt({ ...vectorReceipt(), version: 'badge-notary-receipt/2' })).to.include({
        valid: false,
        reason: 'malformed',
        field: 'version',
      });
      expect(await checkReceipt('not a receipt')).to.include({ valid: false, reason: 'malformed', field: 'receipt' });
    });
  });

  describe('validateReceipt names the field at fault, with ReceiptFieldError', function () {
    type Spoil = (receipt: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
    const cases: [string, Spoil, string][] = [
      ['version', (r) => (r.version = 'badge-notary-receipt/0'), 'version'],
      ['a missing digest', (r) => delete r.digest, 'digest'],
      ['an uppercase digest', (r) => (r.digest = r.digest.toUpperCase().replace('0X', '0x')), 'digest'],
      ['a leaf of 31 bytes', (r) => (r.leaf = r.leaf.slice(0, 64)), 'leaf'],
      ['a root that is a number', (r) => (r.root = 1), 'root'],
      ['a proof that is a string', (r) => (r.proof = r.proof[0]), 'proof'],
      ['a bad proof element', (r) => (r.proof[3] = '0x12'), 'proof[3]'],
      ['a proof one element short', (r) => r.proof.pop(), 'proof'],
      ['a proof one element long', (r) => r.proof.push(r.root), 'proof'],
      ['an extra top-level field (no personal data rides along)', (r) => (r.holderName = 'Ada'), 'holderName'],
      ['a batch that is an array', (r) => (r.batch = []), 'batch'],
      ['a batch id with a slash', (r) => (r.batch.id = 'a/b'), 'batch.id'],
      ['an empty batch id', (r) => (r.batch.id = ''), 'batch.id'],
      ['a batch of size 0', (r) => (r.batch.size = 0), 'batch.size'],
      ['a leaf index outside the batch', (r) => (r.batch.leafIndex = 13), 'batch.leafIndex'],
      ['a fractional leaf index', (r) => (r.batch.leafIndex = 1.5), 'batch.leafIndex'],
      ['an extra batch field', (r) => (r.batch.note = 'x'), 'batch.note'],
      ['a missing anchor', (r) => delete r.anchor, 'anchor'],
      [
        'a chain that is not CAIP-2 eip155',
        (r) => (r.anchor.chain = 'bip122:000000000019d6689c085ae165831e93'),
        'anchor.chain',
      ],
      ['a chain id with a leading zero', (r) => (r.anchor.chain = 'eip155:031337'), 'anchor.chain'],
      [
        'a registry on another chain',
        (r) => (r.anchor.registry = r.anchor.registry.replace('31337', '1')),
        'anchor.registry',
      ],
      [
        'a registry address not checksummed',
        (r) => (r.anchor.registry = r.anchor.registry.toLowerCase()),
        'anchor.registry',
      ],
      [
        'a transaction hash without 0x',
        (r) => (r.anchor.transactionHash = r.anchor.transactionHash.slice(2)),
        'anchor.transactionHash',
      ],
      ['a block number as a string', (r) => (r.anchor.blockNumber = '42'), 'anchor.blockNumber'],
      [
        'a block time that disagrees with the timestamp',
        (r) => (r.anchor.blockTime = '2026-01-01T00:00:01Z'),
        'anchor.blockTime',
      ],
      ['a block time with milliseconds', (r) => (r.anchor.blockTime = '2026-01-01T00:00:00.000Z'), 'anchor.blockTime'],
      ['a block timestamp of 0', (r) => (r.anchor.blockTimestamp = 0), 'anchor.blockTimestamp'],
      ['a member id above uint32', (r) => (r.anchor.memberId = 2 ** 32), 'anchor.memberId'],
      ['an extra anchor field', (r) => (r.anchor.gasUsed = 45000), 'anchor.gasUsed'],
    ];
    for (const [what, spoil, field] of cases) {
      it(`${what}: ${field}`, function () {
        const receipt = vectorReceipt() as unknown as Record<string, unknown>;
        spoil(receipt);
        expect(() => validateReceipt(receipt))
          .to.throw(ReceiptFieldError)
          .with.property('field', field);
      });
    }

    it('the message says what was expected and what was found', function () {
      const receipt = { ...vectorReceipt(), batch: { id: 'b', size: 13, leafIndex: 99 } };
      expect(() => validateReceipt(receipt)).to.throw(
        'the receipt field batch.leafIndex is not valid: expected a whole number from 0 to 12, got 99',
      );
    });
  });

  describe('embedded in a Data Integrity proof set', function () {
    const issuerProof = receiptVectors.dataIntegrity.credential.proof;
    const single = () => structuredClone(receiptVectors.dataIntegrity.credential) as Record<string, unknown>;
    const twoProofs = () => ({ ...single(), proof: [issuerProof, { ...issuerProof, cryptosuite: 'ecdsa-rdfc-2019' }] });

    it('adds one entry of type BadgeNotaryReceipt and leaves the issuer entry and the credential as they were', function () {
      const credential = single();
      const before = structuredClone(credential);
      const attached = attachReceiptToCredential(credential, vectorReceipt());
      expect(credential).to.deep.equal(before);
      expect(attached.proof).to.have.length(2);
      expect(attached.proof[0]).to.deep.equal(issuerProof);
      expect(attached.proof[1]).to.deep.equal({ type: RECEIPT_PROOF_TYPE, receipt: vectorReceipt() });
    });

    for (const [shape, make] of [
      ['one proof object', single],
      ['a set of two proofs', twoProofs],
    ] as const) {
      it(`round-trips with ${shape}: extract gives the receipt and the credential as issued, with the same digest`, function () {
        const credential = make();
        const attached = attachReceiptToCredential(credential, vectorReceipt());
        const { credential: issued, receipt } = extractReceiptFromCredential(JSON.parse(JSON.stringify(attached)));
        expect(receipt).to.deep.equal(vectorReceipt());
        expect(issued).to.deep.equal(credential);
        expect(jsonDigest(attached)).to.equal(jsonDigest(credential));
      });
    }

    it('gives {proof: [P]} the digest of {proof: P}, so attaching cannot change a digest', function () {
      const wrapped = { ...single(), proof: [issuerProof] };
      expect(withoutReceiptEntries(wrapped)).to.deep.equal(single());
      expect(jsonDigest(attachReceiptToCredential(wrapped, vectorReceipt()))).to.equal(jsonDigest(wrapped));
    });

    it('replaces a receipt already there rather than adding a second', async function () {
      const first = attachReceiptToCredential(twoProofs(), vectorReceipt());
      const newer = await buildReceipt({ tree, index: 0, digest: digests[0], batchId: 'b2', anchor: ANCHOR });
      const again = attachReceiptToCredential(first, newer);
      expect(again.proof).to.have.length(3);
      expect(extractReceiptFromCredential(again).receipt).to.deep.equal(newer);
    });

    it('says when there is no receipt, and refuses a credential without an issuer proof', function () {
      expect(extractReceiptFromCredential(single()).receipt).to.equal(undefined);
      const { proof: _proof, ...unsigned } = single();
      expect(() => attachReceiptToCredential(unsigned, vectorReceipt())).to.throw(
        ReceiptInputError,
        'the credential has no issuer proof',
      );
    });

    it('names the field of a bad entry: a spoiled receipt, an extra field, two receipt entries', function () {
      const attached = attachReceiptToCredential(single(), vectorReceipt());
      const spoiled = structuredClone(attached) as { proof: { receipt: Receipt }[] };
      spoiled.proof[1].receipt.root = '0x00' as Hex;
      expect(() => extractReceiptFromCredential(spoiled))
        .to.throw(ReceiptFieldError)
        .with.property('field', 'proof[1].receipt.root');
      const extra = {
        ...attached,
        proof: [issuerProof, { type: RECEIPT_PROOF_TYPE, receipt: vectorReceipt(), note: 'x' }],
      };
      expect(() => extractReceiptFromCredential(extra))
        .to.throw(ReceiptFieldError)
        .with.property('field', 'proof[1].note');
      const two = { ...attached, proof: [...attached.proof, attached.proof[1]] };
      expect(() => extractReceiptFromCredential(two))
        .to.throw(ReceiptFieldError)
        .with.property('field', 'proof');
    });

    it('refuses to attach a receipt that is not valid', function () {
      const receipt = { ...vectorReceipt(), leaf: 'nope' } as unknown as Receipt;
      expect(() => attachReceiptToCredential(single(), receipt))
        .to.throw(ReceiptFieldError)
        .with.property('field', 'leaf');
    });
  });

  describe('beside a JWT, in an envelope', function () {
    const jws = receiptVectors.jwt.credential;

    it('round-trips: the JWS comes back exactly, with the receipt', function () {
      const envelope = attachReceiptToJwt(jws, vectorReceipt());
      expect(envelope.type).to.equal(RECEIPT_ENVELOPE_TYPE);
      expect(extractReceiptFromEnvelope(JSON.parse(JSON.stringify(envelope)))).to.deep.equal({
        credential: jws,
        receipt: vectorReceipt(),
      });
    });

    const cases: [string, (envelope: Record<string, unknown>) => void, string][] = [
      ['another type', (e) => (e.type = 'application/json'), 'type'],
      ['a credential that is not a compact JWS', (e) => (e.credential = 'a.b'), 'credential'],
      ['a credential with JSON serialisation', (e) => (e.credential = { payload: 'x' }), 'credential'],
      ['a spoiled receipt', (e) => ((e.receipt as Receipt).anchor.memberId = -1), 'receipt.anchor.memberId'],
      ['an extra field', (e) => (e.holder = 'Ada'), 'holder'],
    ];
    for (const [what, spoil, field] of cases) {
      it(`names ${field} for ${what}`, function () {
        const envelope = structuredClone(receiptVectors.jwt.envelope) as Record<string, unknown>;
        spoil(envelope);
        expect(() => extractReceiptFromEnvelope(envelope))
          .to.throw(ReceiptFieldError)
          .with.property('field', field);
      });
    }

    it('refuses to wrap something that is not a compact JWS', function () {
      expect(() => attachReceiptToJwt('{"not":"a jws"}', vectorReceipt()))
        .to.throw(ReceiptFieldError)
        .with.property('field', 'credential');
    });
  });
});
