import { expect } from 'chai';
import {
  BatchTree,
  MerkleError,
  caip10,
  caip2,
  leafOf,
  parseCaip10,
  parseCaip2,
  processProof,
  verifyProof,
  type Hex,
} from '../../service/merkle';
import { digestsFor } from './fixtures';

describe('merkle: processProof and verifyProof', function () {
  let digests: Hex[];
  let tree: BatchTree;
  before(async function () {
    digests = digestsFor(10, 5);
    tree = await BatchTree.build(digests);
  });

  it('processProof folds a proof to the root, and throws on malformed input', async function () {
    expect(await processProof(tree.leaf(3), tree.proof(3))).to.equal(tree.root);
    expect(await processProof(tree.leaf(3), [])).to.equal(tree.leaf(3));
    await processProof('0x12' as Hex, []).then(
      () => expect.fail('accepted a short leaf'),
      (error: unknown) =>
        expect(error)
          .to.be.instanceOf(MerkleError)
          .with.property('message', 'cannot process the proof: the leaf is not 0x and 64 hex digits'),
    );
    const error = await processProof(tree.leaf(3), [tree.root, 'zz' as Hex]).catch((e: unknown) => e);
    expect((error as Error).message).to.equal('cannot process the proof: proof element 1 is not 0x and 64 hex digits');
  });

  it('accepts the leaf alone, the digest alone, or both when they agree; hex in either case', async function () {
    const proof = tree.proof(9);
    const root = tree.root;
    expect(await verifyProof({ leaf: tree.leaf(9), proof, root })).to.deep.equal({
      valid: true,
      leaf: tree.leaf(9),
      root,
    });
    expect(
      (await verifyProof({ digest: digests[9], leaf: tree.leaf(9), proof, root, index: 9, size: 10 })).valid,
    ).to.equal(true);
    const upper = (hex: string) => `0x${hex.slice(2).toUpperCase()}` as Hex;
    expect(
      (await verifyProof({ digest: upper(digests[9]), proof: proof.map(upper), root: upper(root) })).valid,
    ).to.equal(true);
    const mismatch = await verifyProof({ digest: digests[8], leaf: tree.leaf(9), proof, root });
    expect(mismatch).to.include({ valid: false, reason: 'leaf-mismatch' });
    expect(await leafOf(digests[9])).to.equal(tree.leaf(9));
  });

  const failures: [string, () => Parameters<typeof verifyProof>[0], string, RegExp][] = [
    [
      'no digest and no leaf',
      () => ({ proof: [], root: tree.root }) as never,
      'malformed',
      /^give the digest or the leaf$/,
    ],
    [
      'a short digest',
      () => ({ digest: '0x1234' as Hex, proof: [], root: tree.root }),
      'malformed',
      /^the digest is not/,
    ],
    [
      'a root that is not hex',
      () => ({ leaf: tree.leaf(0), proof: [], root: 'root' as Hex }),
      'malformed',
      /^the root is not/,
    ],
    [
      'a proof that is not an array',
      () => ({ leaf: tree.leaf(0), proof: 'x' as never, root: tree.root }),
      'malformed',
      /^the proof is not an array$/,
    ],
    [
      'a size of 0',
      () => ({ leaf: tree.leaf(0), proof: tree.proof(0), root: tree.root, size: 0 }),
      'malformed',
      /^the batch size 0 is not/,
    ],
    [
      'an index past the size',
      () => ({ leaf: tree.leaf(0), proof: tree.proof(0), root: tree.root, index: 10, size: 10 }),
      'index-out-of-range',
      /^leaf index 10 is outside a tree of 10 leaves \(0 to 9\)$/,
    ],
    [
      'a negative index',
      () => ({ leaf: tree.leaf(0), proof: tree.proof(0), root: tree.root, index: -1 }),
      'index-out-of-range',
      /^leaf index -1 is not a whole number from 0$/,
    ],
    [
      'a proof longer than the tree is deep',
      () => ({ leaf: tree.leaf(0), proof: [...tree.proof(0), tree.root], root: tree.root, size: 10 }),
      'proof-length',
      /^the proof has 5 elements, a tree of 10 leaves needs at most 4$/,
    ],
    [
      'a proof of the wrong length for its index',
      () => ({ leaf: tree.leaf(8), proof: tree.proof(0), root: tree.root, index: 8, size: 10 }),
      'proof-length',
      /^the proof has 4 elements, leaf 8 of 10 needs 2$/,
    ],
    [
      'a proof of another leaf',
      () => ({ leaf: tree.leaf(1), proof: tree.proof(2), root: tree.root }),
      'root-mismatch',
      /^the proof leads to 0x[0-9a-f]{64}, not to the root 0x/,
    ],
  ];
  for (const [what, parameters, reason, message] of failures) {
    it(`fails, without throwing, for ${what}: ${reason}`, async function () {
      const result = await verifyProof(parameters());
      expect(result).to.include({ valid: false, reason });
      expect(result.valid === false && result.message).to.match(message);
    });
  }
});

describe('merkle: CAIP identifiers', function () {
  it('writes eip155 chains and accounts, the address checksummed', function () {
    expect(caip2(1)).to.equal('eip155:1');
    expect(caip2(11155111n)).to.equal('eip155:11155111');
    expect(caip10(31337, '0x5fbdb2315678afecb367f032d93f642f64180aa3')).to.equal(
      'eip155:31337:0x5FbDB2315678afecb367f032d93F642f64180aa3',
    );
    expect(() => caip2(0)).to.throw(MerkleError);
    expect(() => caip10(1, '0x1234')).to.throw(MerkleError);
  });

  it('reads back only the canonical forms', function () {
    expect(parseCaip2('eip155:31337')).to.deep.equal({ chainId: 31337n });
    for (const bad of ['eip155:0', 'eip155:01', 'EIP155:1', 'cosmos:cosmoshub-4', 'eip155:', 42])
      expect(parseCaip2(bad), String(bad)).to.equal(undefined);
    const id = 'eip155:1:0x5FbDB2315678afecb367f032d93F642f64180aa3';
    expect(parseCaip10(id)).to.deep.equal({
      chain: 'eip155:1',
      chainId: 1n,
      address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    });
    expect(parseCaip10(id.toLowerCase())).to.equal(undefined);
    // A wrong checksum stays wrong when the right one was seen (and remembered) before.
    expect(parseCaip10(id.replace('5FbDB', '5fBdb'))).to.equal(undefined);
    expect(() => caip10(1, '0x5fBdb2315678afecb367f032d93F642f64180aa3')).to.throw(MerkleError);
    expect(parseCaip10(id.replace('5FbDB', '5fBDB'))).to.equal(undefined);
    expect(parseCaip10('eip155:1:0x1234')).to.equal(undefined);
  });
});
