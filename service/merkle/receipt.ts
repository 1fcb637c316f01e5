import { caip10, caip2, parseCaip10, parseCaip2, type Caip10AccountId, type Caip2ChainId } from './caip';
import { ReceiptFieldError, ReceiptInputError } from './errors';
import { bytes32ToBuffer, isBytes32, isCanonicalBytes32, type Hex } from './hex';
import { loadKeccak256 } from './keccak';
import { leafOf, verifyProof, type ProofFailureReason } from './proof';
import { MAX_BATCH_SIZE, proofLength } from './shape';
import type { BatchTree } from './tree';

/** The version of the receipt format described in docs/formats.md. */
export const RECEIPT_VERSION = 'badge-notary-receipt/1';

/**
 * The inclusion receipt of one credential: digest -> leaf -> proof -> root, and where the root was anchored.
 * Standalone JSON; only hashes, numbers and identifiers. Hashes are 0x and 64 lowercase hex digits.
 */
export interface Receipt {
  version: typeof RECEIPT_VERSION;
  /** The credential digest (docs/credentials.md). */
  digest: Hex;
  /** keccak256(keccak256(digest)). */
  leaf: Hex;
  /** Siblings from the leaf layer up, folded with sorted-pair keccak256. */
  proof: Hex[];
  /** The Merkle root anchored in the registry. */
  root: Hex;
  batch: ReceiptBatch;
  anchor: ReceiptAnchor;
}

export interface ReceiptBatch {
  /** The notary's identifier of the batch: 1 to 128 of A-Z a-z 0-9 . _ : - (an identifier, not a name). */
  id: string;
  /** The number of leaves in the batch. */
  size: number;
  /** The position of this credential's leaf in the batch, from 0. */
  leafIndex: number;
}

export interface ReceiptAnchor {
  /** CAIP-2 chain identifier, eip155:CHAINID. */
  chain: Caip2ChainId;
  /** CAIP-10 identifier of the registry, eip155:CHAINID:ADDRESS (EIP-55). */
  registry: Caip10AccountId;
  /** The transaction that called anchor(root). */
  transactionHash: Hex;
  blockNumber: number;
  /** The block's time, ISO 8601 in UTC to the second: 2025-01-31T09:30:00Z. */
  blockTime: string;
  /** The block's time in Unix seconds; the registry's getAnchor(root) answers it as anchoredAt. */
  blockTimestamp: number;
  /** The member the root was anchored for; the registry's getAnchor(root) answers it as memberId. */
  memberId: number;
}

/** What the chain said about the anchoring transaction. */
export interface AnchorFacts {
  chainId: number | bigint;
  /** The registry's 0x address, in any case. */
  registry: string;
  transactionHash: string;
  blockNumber: number;
  blockTimestamp: number;
  memberId: number;
}

export interface BuildReceiptParameters {
  tree: BatchTree;
  /** The leaf's position in the tree, which is the digest's position in the batch it was built from. */
  index: number;
  /** The digest at that position: it is checked against the tree's leaf. */
  digest: Hex;
  batchId: string;
  anchor: AnchorFacts;
}

/**
 * The receipt of leaf `index` of an anchored tree. The proof is read from the tree and verified against its root
 * before the receipt is returned, so a damaged stored tree cannot hand out a receipt that fails later.
 *
 * @throws {ReceiptInputError} when the digest is not the one at `index`, or the tree's proof does not lead to its root.
 * @throws {ReceiptFieldError} naming the field when an anchor fact or the batch id is not valid.
 */
export async function buildReceipt(parameters: BuildReceiptParameters): Promise<Receipt> {
  const { tree, index, batchId, anchor } = parameters;
  const digest = parameters.digest.toLowerCase() as Hex;
  const keccak = await loadKeccak256();
  if (!isBytes32(digest) || !tree.proves(index, keccak.leaf(bytes32ToBuffer(digest)), keccak)) {
    const leaf = tree.leaf(index);
    if (!isBytes32(digest) || (await leafOf(digest)) !== leaf) {
      throw new ReceiptInputError(`digest ${parameters.digest} is not the digest of leaf ${index}`, {
        details: `leaf ${index} of this tree is ${leaf}`,
      });
    }
    const check = await verifyProof({ leaf, proof: tree.proof(index), root: tree.root, index, size: tree.size });
    throw new ReceiptInputError(`the stored tree gives a wrong proof for leaf ${index}`, { details: check.valid ? undefined : check.message });
  }
  checkBatchId(batchId, 'batch.id');
  // The leaf, proof, root and batch come from the tree just checked; the anchor facts are checked as a read
  // receipt's would be.
  return {
    version: RECEIPT_VERSION,
    digest,
    leaf: tree.leaf(index),
    proof: tree.proof(index),
    root: tree.root,
    batch: { id: batchId, size: tree.size, leafIndex: index },
    anchor: checkedAnchor(anchor),
  };
}

/** Anchor facts already checked, by their values: every receipt of a batch has the same ones. */
const checkedAnchors = new Map<string, ReceiptAnchor>();
const CHECKED_ANCHORS_KEPT = 4096;

function checkedAnchor(facts: AnchorFacts): ReceiptAnchor {
  const { chainId, registry, transactionHash, blockNumber, blockTimestamp, memberId } = facts;
  const key = `${chainId} ${registry} ${transactionHash} ${blockNumber} ${blockTimestamp} ${memberId}`;
  let anchor = checkedAnchors.get(key);
  if (anchor === undefined) {
    anchor = validateAnchor(receiptAnchor(facts), (field) => `anchor.${field}`, 'anchor');
    if (checkedAnchors.size >= CHECKED_ANCHORS_KEPT) checkedAnchors.clear();
    checkedAnchors.set(key, anchor);
  }
  // A copy each time: a caller may change the receipt it was given.
  return { ...anchor };
}

/** The batch id's rule: an identifier, not a name. @throws {ReceiptFieldError} */
function checkBatchId(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !BATCH_ID.test(value)) {
    throw new ReceiptFieldError(field, '1 to 128 of A-Z a-z 0-9 . _ : - starting with a letter or digit', value);
  }
}

/** The receipt's anchor object from the chain's facts; validateAnchor then checks every field of it. */
function receiptAnchor(facts: AnchorFacts): Record<keyof ReceiptAnchor, unknown> {
  const field = (name: keyof ReceiptAnchor, expected: string, value: unknown) =>
    new ReceiptFieldError(`anchor.${name}`, expected, value);
  let chain: Caip2ChainId;
  let registry: Caip10AccountId;
  try {
    chain = caip2(facts.chainId);
  } catch {
    throw field('chain', 'a positive chain id', facts.chainId);
  }
  try {
    registry = caip10(facts.chainId, facts.registry);
  } catch {
    throw field('registry', 'a 0x address of 20 bytes', facts.registry);
  }
  const blockTimestamp = integer(facts.blockTimestamp, 'anchor.blockTimestamp', 1, MAX_TIMESTAMP);
  const { transactionHash } = facts;
  return {
    chain,
    registry,
    transactionHash: typeof transactionHash === 'string' ? transactionHash.toLowerCase() : transactionHash,
    blockNumber: facts.blockNumber,
    blockTime: isoSeconds(blockTimestamp),
    blockTimestamp,
    memberId: facts.memberId,
  };
}

/**
 * `value` as a receipt, when it has exactly the fields of {@link RECEIPT_VERSION}, each valid, and they agree with
 * each other (the proof has the length of the leaf's position, the block time matches the timestamp, the registry is
 * on the chain). It does no hashing: {@link checkReceipt} does.
 *
 * @param path where the receipt sits, for the field names in errors: "proof[1].receipt".
 * @throws {ReceiptFieldError} naming the first field that is missing, unexpected or wrong.
 */
export function validateReceipt(value: unknown, path = ''): Receipt {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  const top = fields(value, path || 'receipt', ['version', 'digest', 'leaf', 'proof', 'root', 'batch', 'anchor'], at);
  if (top.version !== RECEIPT_VERSION) throw new ReceiptFieldError(at('version'), `"${RECEIPT_VERSION}"`, top.version);
  const digest = hash32(top.digest, at('digest'));
  const leaf = hash32(top.leaf, at('leaf'));
  const root = hash32(top.root, at('root'));
  if (!Array.isArray(top.proof)) throw new ReceiptFieldError(at('proof'), 'an array of hashes', top.proof);
  const proof = top.proof.map((element: unknown, i: number) => hash32(element, `${at('proof')}[${i}]`));

  const batch = fields(top.batch, at('batch'), ['id', 'size', 'leafIndex'], (field) => at(`batch.${field}`));
  checkBatchId(batch.id, at('batch.id'));
  const size = integer(batch.size, at('batch.size'), 1, MAX_BATCH_SIZE);
  const leafIndex = integer(batch.leafIndex, at('batch.leafIndex'), 0, size - 1);
  const want = proofLength(leafIndex, size);
  if (proof.length !== want) {
    throw new ReceiptFieldError(at('proof'), `${want} hashes, the proof length of leaf ${leafIndex} of ${size}`, proof);
  }

  const anchor = validateAnchor(top.anchor, (field) => at(`anchor.${field}`), at('anchor'));

  return {
    version: RECEIPT_VERSION,
    digest,
    leaf,
    proof,
    root,
    batch: { id: batch.id, size, leafIndex },
    anchor,
  };
}

export interface CheckReceiptOptions {
  /** The digest of the credential the receipt came with: the receipt must be for it. */
  digest?: Hex;
}

/** `value` as a receipt's anchor, each field valid and agreeing with the others. @throws {ReceiptFieldError} */
function validateAnchor(value: unknown, at: (field: string) => string, where: string): ReceiptAnchor {
  const anchorFields = [
    'chain',
    'registry',
    'transactionHash',
    'blockNumber',
    'blockTime',
    'blockTimestamp',
    'memberId',
  ];
  const anchor = fields(value, where, anchorFields, at);
  if (!parseCaip2(anchor.chain)) throw new ReceiptFieldError(at('chain'), 'CAIP-2 eip155:CHAINID', anchor.chain);
  const chain = anchor.chain as Caip2ChainId;
  const registry = parseCaip10(anchor.registry);
  if (!registry || registry.chain !== chain) {
    throw new ReceiptFieldError(
      at('registry'),
      `CAIP-10 ${chain}:ADDRESS with the address EIP-55 checksummed`,
      anchor.registry,
    );
  }
  const transactionHash = hash32(anchor.transactionHash, at('transactionHash'));
  const blockNumber = integer(anchor.blockNumber, at('blockNumber'), 0, Number.MAX_SAFE_INTEGER);
  const blockTimestamp = integer(anchor.blockTimestamp, at('blockTimestamp'), 1, MAX_TIMESTAMP);
  const blockTime = isoSeconds(blockTimestamp);
  if (anchor.blockTime !== blockTime) {
    throw new ReceiptFieldError(
      at('blockTime'),
      `"${blockTime}", anchor.blockTimestamp in ISO 8601`,
      anchor.blockTime,
    );
  }
  const memberId = integer(anchor.memberId, at('memberId'), 1, 2 ** 32 - 1);

  return {
    chain,
    registry: anchor.registry as Caip10AccountId,
    transactionHash,
    blockNumber,
    blockTime,
    blockTimestamp,
    memberId,
  };
}

export type ReceiptCheck =
  | { valid: true; receipt: Receipt }
  | {
      valid: false;
      reason: 'malformed' | 'digest-mismatch' | ProofFailureReason;
      message: string;
      /** The field at fault, when one is. */
      field?: string;
    };

/**
 * Checks a receipt offline: its shape, that it is for `options.digest` when given, and digest -> leaf -> proof ->
 * root. It never throws. Whether the root is anchored, and when, is the chain's to say: see docs/formats.md,
 * "Verifying against the registry".
 *
 * @example
 * const check = await checkReceipt(JSON.parse(text), { digest: credentialDigest });
 * if (!check.valid) console.log(`${check.reason}: ${check.message}`);
 */
export async function checkReceipt(value: unknown, options: CheckReceiptOptions = {}): Promise<ReceiptCheck> {
  let receipt: Receipt;
  try {
    receipt = validateReceipt(value);
  } catch (error) {
    if (!(error instanceof ReceiptFieldError)) throw error;
    return { valid: false, reason: 'malformed', message: error.message, field: error.field };
  }
  if (options.digest !== undefined) {
    if (!isBytes32(options.digest)) {
      return {
        valid: false,
        reason: 'malformed',
        message: `the credential digest ${options.digest} is not 0x and 64 hex digits`,
      };
    }
    if (options.digest.toLowerCase() !== receipt.digest) {
      return {
        valid: false,
        reason: 'digest-mismatch',
        message: `the receipt is for digest ${receipt.digest}, not for this credential's digest ${options.digest.toLowerCase()}`,
        field: 'digest',
      };
    }
  }
  const { digest, leaf, proof, root, batch } = receipt;
  const result = await verifyProof({ digest, leaf, proof, root, index: batch.leafIndex, size: batch.size });
  if (!result.valid) {
    const field = result.reason === 'leaf-mismatch' ? 'leaf' : result.reason === 'root-mismatch' ? 'root' : 'proof';
    return { valid: false, reason: result.reason, message: result.message, field };
  }
  return { valid: true, receipt };
}

/** Unix seconds as ISO 8601 in UTC, to the second. */
export function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** 9999-12-31T23:59:59Z: the last second ISO 8601 writes with four year digits. */
const MAX_TIMESTAMP = 253_402_300_799;

type Fields = Record<string, unknown>;

/** `value` as an object with exactly `names` as its fields. */
function fields(value: unknown, where: string, names: readonly string[], at: (field: string) => string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReceiptFieldError(where, `an object with the fields ${names.join(', ')}`, value);
  }
  const object = value as Fields;
  const missing = names.find((name) => !(name in object));
  if (missing) throw new ReceiptFieldError(at(missing), `a value (the field is required)`, undefined);
  const extra = Object.keys(object).find((name) => !names.includes(name));
  if (extra)
    throw new ReceiptFieldError(at(extra), `no such field (${RECEIPT_VERSION} has ${names.join(', ')})`, object[extra]);
  return object;
}

function hash32(value: unknown, field: string): Hex {
  if (!isCanonicalBytes32(value)) throw new ReceiptFieldError(field, '0x and 64 lowercase hex digits', value);
  return value;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ReceiptFieldError(field, `a whole number from ${min} to ${max}`, value);
  }
  return value;
}
