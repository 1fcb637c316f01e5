import { InvalidDigestError, MerkleError } from './errors';
import { bytes32ToBuffer, isBytes32, toHex, type Hex } from './hex';
import { loadKeccak256, type Keccak256 } from './keccak';
import { MAX_BATCH_SIZE, maxProofLength, proofLength } from './shape';

/**
 * The Merkle leaf of a credential digest: keccak256(keccak256(digest)), which is OpenZeppelin's "standard" leaf
 * keccak256(bytes.concat(keccak256(abi.encode(digest)))) and the registry's leafOf(digest).
 * @throws {InvalidDigestError} when `digest` is not 0x and 64 hex digits.
 */
export async function leafOf(digest: Hex): Promise<Hex> {
  if (!isBytes32(digest)) throw new InvalidDigestError(undefined, digest);
  const keccak = await loadKeccak256();
  return toHex(keccak.leaf(bytes32ToBuffer(digest)));
}

/**
 * The root that `proof` leads to from `leaf`, folding with sorted-pair keccak256 like OpenZeppelin's
 * MerkleProof.processProof. It checks nothing about the tree: see {@link verifyProof}.
 * @throws {MerkleError} when the leaf or an element of the proof is not 0x and 64 hex digits.
 */
export async function processProof(leaf: Hex, proof: readonly Hex[]): Promise<Hex> {
  const problem = isBytes32(leaf) ? proofProblem(proof) : 'the leaf is not 0x and 64 hex digits';
  if (problem) throw new MerkleError('cannot process the proof', { details: problem });
  return fold(await loadKeccak256(), leaf, proof);
}

/** What {@link verifyProof} checks. Give the digest, the leaf, or both (then they must agree). */
export type VerifyProofParameters = ({ digest: Hex; leaf?: Hex } | { digest?: undefined; leaf: Hex }) & {
  proof: readonly Hex[];
  root: Hex;
  /** The leaf's position in its batch: with `size`, the proof must have exactly the length of that position. */
  index?: number;
  /** The number of leaves in the batch: the proof may be no longer than the tree is deep. */
  size?: number;
};

/** Why a proof did not verify. */
export type ProofFailureReason =
  'malformed' | 'leaf-mismatch' | 'index-out-of-range' | 'proof-length' | 'root-mismatch';

export type VerifyProofResult =
  | { valid: true; leaf: Hex; root: Hex }
  | {
      valid: false;
      reason: ProofFailureReason;
      /** A sentence a person can read, with what was expected and what was found. */
      message: string;
      /** Where the proof led, when it was folded. */
      computedRoot?: Hex;
    };

/**
 * Whether `proof` leads from the leaf (of the digest) to `root`. It never throws: a malformed input is a failed
 * result with a reason. The bounds are checked before any hashing, as transparency-dev/merkle does.
 *
 * @example
 * const result = await verifyProof({ digest, proof, root, index: 5, size: 13 });
 * if (!result.valid) console.log(result.reason, result.message);
 */
export async function verifyProof(parameters: VerifyProofParameters): Promise<VerifyProofResult> {
  const { digest, proof, root, index, size } = parameters;
  const fail = (reason: ProofFailureReason, message: string, computedRoot?: Hex): VerifyProofResult => ({
    valid: false,
    reason,
    message,
    ...(computedRoot ? { computedRoot } : {}),
  });

  if (digest !== undefined && !isBytes32(digest)) return fail('malformed', 'the digest is not 0x and 64 hex digits');
  if (parameters.leaf !== undefined && !isBytes32(parameters.leaf)) {
    return fail('malformed', 'the leaf is not 0x and 64 hex digits');
  }
  if (digest === undefined && parameters.leaf === undefined) return fail('malformed', 'give the digest or the leaf');
  if (!isBytes32(root)) return fail('malformed', 'the root is not 0x and 64 hex digits');
  const problem = proofProblem(proof);
  if (problem) return fail('malformed', problem);

  if (size !== undefined) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
      return fail('malformed', `the batch size ${size} is not a whole number from 1 to ${MAX_BATCH_SIZE}`);
    }
    if (index !== undefined && (!Number.isInteger(index) || index < 0 || index >= size)) {
      return fail('index-out-of-range', `leaf index ${index} is outside a tree of ${size} leaves (0 to ${size - 1})`);
    }
    const max = maxProofLength(size);
    if (index !== undefined) {
      const want = proofLength(index, size);
      if (proof.length !== want) {
        return fail('proof-length', `the proof has ${proof.length} elements, leaf ${index} of ${size} needs ${want}`);
      }
    } else if (proof.length > max) {
      return fail(
        'proof-length',
        `the proof has ${proof.length} elements, a tree of ${size} leaves needs at most ${max}`,
      );
    }
  } else if (index !== undefined && (!Number.isInteger(index) || index < 0)) {
    return fail('index-out-of-range', `leaf index ${index} is not a whole number from 0`);
  }

  const keccak = await loadKeccak256();
  const given = parameters.leaf?.toLowerCase() as Hex | undefined;
  const leaf = digest === undefined ? (given as Hex) : toHex(keccak.leaf(bytes32ToBuffer(digest)));
  if (given !== undefined && given !== leaf) {
    return fail('leaf-mismatch', `the leaf ${parameters.leaf} is not the leaf of digest ${digest}, which is ${leaf}`);
  }
  const computed = fold(keccak, leaf, proof);
  if (computed !== root.toLowerCase()) {
    return fail('root-mismatch', `the proof leads to ${computed}, not to the root ${root}`, computed);
  }
  return { valid: true, leaf, root: computed };
}

/** Folds checked hex inputs into the root they lead to. */
function fold(keccak: Keccak256, leaf: Hex, proof: readonly Hex[]): Hex {
  let node: Uint8Array = bytes32ToBuffer(leaf);
  for (const element of proof) node = keccak.pair(node, bytes32ToBuffer(element));
  return toHex(node);
}

function proofProblem(proof: unknown): string | undefined {
  if (!Array.isArray(proof)) return 'the proof is not an array';
  const bad = proof.findIndex((element) => !isBytes32(element));
  return bad === -1 ? undefined : `proof element ${bad} is not 0x and 64 hex digits`;
}
