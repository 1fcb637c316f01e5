/**
 * The Merkle and receipt core of the notary: pure functions and one thin class, no I/O.
 * Formats: docs/formats.md. Everything that hashes is async (hash-wasm loads its WebAssembly once).
 */
export { BatchTree, STORED_TREE_HEADER_BYTES, STORED_TREE_MAGIC, STORED_TREE_VERSION } from './tree';
export { leafOf, processProof, verifyProof } from './proof';
export type { ProofFailureReason, VerifyProofParameters, VerifyProofResult } from './proof';
export { MAX_BATCH_SIZE, layerWidths, maxProofLength, nodeCount, proofLength } from './shape';
export { RECEIPT_VERSION, buildReceipt, checkReceipt, isoSeconds, validateReceipt } from './receipt';
export { receiptJson } from './receipt-json';
export type {
  AnchorFacts,
  BuildReceiptParameters,
  CheckReceiptOptions,
  Receipt,
  ReceiptAnchor,
  ReceiptBatch,
  ReceiptCheck,
} from './receipt';
export {
  RECEIPT_ENVELOPE_TYPE,
  RECEIPT_PROOF_TYPE,
  isReceiptEntry,
  attachReceiptToCredential,
  attachReceiptToJwt,
  extractReceiptFromCredential,
  extractReceiptFromEnvelope,
  withoutReceiptEntries,
} from './embed';
export type { ReceiptEnvelope, ReceiptProofEntry } from './embed';
export { caip10, caip2, parseCaip10, parseCaip2 } from './caip';
export type { Caip10AccountId, Caip2ChainId } from './caip';
export { isBytes32, type Hex } from './hex';
export {
  BatchSizeError,
  DuplicateDigestError,
  InvalidDigestError,
  LeafIndexError,
  MerkleError,
  ReceiptFieldError,
  ReceiptInputError,
  StoredTreeError,
} from './errors';
