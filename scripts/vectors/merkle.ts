/**
 * Writes the Merkle and receipt test vectors in test/vectors/merkle/ with code that shares nothing with
 * service/merkle: leaves from @openzeppelin/merkle-tree's StandardMerkleTree, everything else from ethers' keccak256
 * and plain arrays of hex strings. The tests check service/merkle against these files; docs/formats.md quotes them.
 *
 *   npx ts-node scripts/vectors/merkle.ts           write the files
 *   npx ts-node scripts/vectors/merkle.ts --check   exit 1 when a file differs from what this script writes
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { concat, getAddress, keccak256, toUtf8Bytes } from 'ethers';

const OUT = join(__dirname, '..', '..', 'test', 'vectors', 'merkle');
const SIZES = [1, 2, 3, 4, 5, 7, 8, 13, 100];
/** Sizes up to this one list every layer and the proof of every leaf. */
const FULL_DETAIL = 13;
const PROVEN_IN_100 = [0, 1, 2, 31, 32, 63, 64, 95, 96, 97, 98, 99];

type Hex = string;

/** The digests the vectors use: keccak256 of a fixed sentence, numbered from 0. */
const digestAt = (i: number): Hex => keccak256(toUtf8Bytes(`badge-notary vector digest ${i}`));
const digests = Array.from({ length: Math.max(...SIZES) }, (_, i) => digestAt(i));

// OpenZeppelin's standard leaf for one bytes32 value; the tree itself is only used for its leaf hash.
const standard = StandardMerkleTree.of([[digests[0]]], ['bytes32']);
const leafOf = (digest: Hex): Hex => standard.leafHash([digest]);

/** keccak256 of the two nodes, the smaller first. Equal-length lowercase hex sorts as the bytes do. */
const parent = (a: Hex, b: Hex): Hex => keccak256(concat(a <= b ? [a, b] : [b, a]));

function layersOf(leaves: Hex[]): Hex[][] {
  const layers = [leaves];
  while (layers[layers.length - 1].length > 1) {
    const below = layers[layers.length - 1];
    const next: Hex[] = [];
    for (let i = 0; i < below.length; i += 2)
      next.push(i + 1 < below.length ? parent(below[i], below[i + 1]) : below[i]);
    layers.push(next);
  }
  return layers;
}

function proofOf(layers: Hex[][], index: number): Hex[] {
  const proof: Hex[] = [];
  for (let layer = 0; layer < layers.length - 1; layer++, index = Math.floor(index / 2)) {
    const sibling = index % 2 === 0 ? index + 1 : index - 1;
    if (sibling < layers[layer].length) proof.push(layers[layer][sibling]);
  }
  return proof;
}

const fold = (leaf: Hex, proof: Hex[]): Hex => proof.reduce(parent, leaf);

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`vector generator self-check failed: ${what}`);
}

// ---- leaves.json: digest -> leaf, including edge values.
const leafDigests = [
  `0x${'00'.repeat(32)}`,
  `0x${'00'.repeat(31)}01`,
  `0x${'ff'.repeat(32)}`,
  `0x80${'00'.repeat(31)}`,
  keccak256(toUtf8Bytes('')),
  ...digests.slice(0, 5),
];
const leavesFile = {
  description:
    'Credential digest -> Merkle leaf. leaf = keccak256(keccak256(digest)), the 32 digest bytes hashed twice.',
  generator: 'scripts/vectors/merkle.ts (StandardMerkleTree leafHash with leaf encoding ["bytes32"])',
  vectors: leafDigests.map((digest) => {
    const leaf = leafOf(digest);
    check(leaf === keccak256(keccak256(digest)), `leaf of ${digest}`);
    return { digest, leaf };
  }),
};

// ---- trees.json: leaves -> layers, root and proofs.
const treesFile = {
  description:
    'Batches of the first `size` vector digests (digest i = keccak256 of the UTF-8 text "badge-notary vector digest i"). ' +
    'Leaf i is the leaf of digest i. A parent is keccak256 of its two children, smaller first; a last node without a ' +
    'partner moves up unchanged. Proofs list siblings from the leaf layer up.',
  generator: 'scripts/vectors/merkle.ts (ethers keccak256 over arrays of hex strings)',
  trees: SIZES.map((size) => {
    const batch = digests.slice(0, size);
    const leaves = batch.map(leafOf);
    const layers = layersOf(leaves);
    const root = layers[layers.length - 1][0];
    const indices = size <= FULL_DETAIL ? leaves.map((_, i) => i) : PROVEN_IN_100;
    const proofs = indices.map((index) => ({ index, proof: proofOf(layers, index) }));
    for (const { index, proof } of proofs) check(fold(leaves[index], proof) === root, `proof ${index} of ${size}`);
    return { size, digests: batch, leaves, ...(size <= FULL_DETAIL ? { layers } : {}), root, proofs };
  }),
};

// ---- stored-tree.json: the stored form of the 5-leaf tree.
const storedSize = 5;
const storedLayers = layersOf(digests.slice(0, storedSize).map(leafOf));
const header = Buffer.alloc(12);
header.write('BNMT', 0, 'ascii');
header.writeUInt32BE(1, 4);
header.writeUInt32BE(storedSize, 8);
const storedFile = {
  description:
    'The stored form of the 5-leaf tree of trees.json: "BNMT", version 1 and the leaf count as big-endian uint32, ' +
    'then every layer from the leaves up to the root, 32 bytes per node.',
  size: storedSize,
  nodes: storedLayers.flat().length,
  bytes: `0x${header.toString('hex')}${storedLayers
    .flat()
    .map((node) => node.slice(2))
    .join('')}`,
};

// ---- receipt.json: one full receipt, and the same receipt carried by a credential and by a JWT envelope.
const receiptSize = 13;
const receiptIndex = 5;
const receiptLayers = layersOf(digests.slice(0, receiptSize).map(leafOf));
const blockTimestamp = 1_767_225_600;
const anchorFacts = {
  chainId: 31337,
  registry: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
  transactionHash: keccak256(toUtf8Bytes('badge-notary vector transaction')),
  blockNumber: 42,
  blockTimestamp,
  memberId: 1,
};
const receipt = {
  version: 'badge-notary-receipt/1',
  digest: digests[receiptIndex],
  leaf: receiptLayers[0][receiptIndex],
  proof: proofOf(receiptLayers, receiptIndex),
  root: receiptLayers[receiptLayers.length - 1][0],
  batch: { id: 'vector-batch-13', size: receiptSize, leafIndex: receiptIndex },
  anchor: {
    chain: `eip155:${anchorFacts.chainId}`,
    registry: `eip155:${anchorFacts.chainId}:${getAddress(anchorFacts.registry)}`,
    transactionHash: anchorFacts.transactionHash,
    blockNumber: anchorFacts.blockNumber,
    blockTime: new Date(blockTimestamp * 1000).toISOString().replace('.000Z', 'Z'),
    blockTimestamp,
    memberId: anchorFacts.memberId,
  },
};
const issuerProof = {
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-rdfc-2022',
  created: '2026-01-01T00:00:00Z',
  verificationMethod: 'did:example:issuer#key-1',
  proofPurpose: 'assertionMethod',
  proofValue: 'z3vectorSignatureNotARealOne',
};
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: 'did:example:issuer', type: ['Profile'] },
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: {
    type: ['AchievementSubject'],
    achievement: { id: 'urn:example:achievement', type: ['Achievement'] },
  },
  proof: issuerProof,
};
const jws = 'eyJhbGciOiJFZERTQSJ9.eyJ2ZWN0b3IiOnRydWV9.dmVjdG9yLXNpZ25hdHVyZQ';
const receiptFile = {
  description:
    'Leaf 5 of the 13-leaf batch of trees.json, anchored with the facts below; then that receipt attached to a Data ' +
    'Integrity credential (one more proof-set entry) and to a JWT credential (an envelope).',
  inputs: { batchId: receipt.batch.id, index: receiptIndex, anchor: anchorFacts },
  receipt,
  dataIntegrity: {
    credential,
    withReceipt: { ...credential, proof: [issuerProof, { type: 'BadgeNotaryReceipt', receipt }] },
  },
  jwt: {
    credential: jws,
    envelope: { type: 'application/vnd.badge-notary.receipt-envelope+json', credential: jws, receipt },
  },
};
check(fold(receipt.leaf, receipt.proof) === receipt.root, 'the receipt proof');

const files: Record<string, unknown> = {
  'leaves.json': leavesFile,
  'trees.json': treesFile,
  'stored-tree.json': storedFile,
  'receipt.json': receiptFile,
};
const checking = process.argv.includes('--check');
let stale = 0;
mkdirSync(OUT, { recursive: true });
for (const [name, content] of Object.entries(files)) {
  const text = `${JSON.stringify(content, null, 2)}\n`;
  const path = join(OUT, name);
  if (!checking) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
    continue;
  }
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing: stale
  }
  if (current !== text) {
    console.error(`${path} differs from what scripts/vectors/merkle.ts writes`);
    stale++;
  }
}
if (stale > 0) process.exit(1);
