import { NotaryError, type NotaryErrorOptions } from '../errors';

/**
 * Errors of the Merkle and receipt core. Each says what was expected and what was found, so that the caller can
 * act on it without reading this code; `shortMessage` is the sentence without the details.
 */
export class MerkleError extends NotaryError {
  override name = 'MerkleError';

  constructor(shortMessage: string, options: Pick<NotaryErrorOptions, 'details' | 'cause'> = {}) {
    super('merkle-error', shortMessage, options);
  }
}

/** Thrown when a credential digest is not 32 bytes written as 0x followed by 64 hex digits. */
export class InvalidDigestError extends MerkleError {
  override name = 'InvalidDigestError';
  override readonly code = 'invalid-digest';
  constructor(
    readonly index: number | undefined,
    readonly value: unknown,
  ) {
    super(`${index === undefined ? 'the digest' : `digest ${index}`} is not a 32-byte hash`, {
      details: `expected 0x followed by 64 hex digits, got ${describeValue(value)}`,
    });
  }
}

/** Thrown when a batch holds the same digest twice; the submission path should have made it one entry. */
export class DuplicateDigestError extends MerkleError {
  override name = 'DuplicateDigestError';
  override readonly code = 'duplicate-digest';
  constructor(
    readonly digest: string,
    readonly firstIndex: number,
    readonly secondIndex: number,
  ) {
    super(`digest ${digest} is in the batch twice`, {
      details: `at indices ${firstIndex} and ${secondIndex}; a batch must hold each digest once`,
    });
  }
}

/** Thrown when a batch is empty or larger than a stored tree can describe. */
export class BatchSizeError extends MerkleError {
  override name = 'BatchSizeError';
  override readonly code = 'invalid-batch-size';
  constructor(
    readonly size: number,
    readonly max: number,
  ) {
    super(size === 0 ? 'a batch needs at least one digest' : `a batch of ${size} digests is too large`, {
      details: `a batch holds 1 to ${max} digests`,
    });
  }
}

/** Thrown when a leaf index is not an integer inside the tree. */
export class LeafIndexError extends MerkleError {
  override name = 'LeafIndexError';
  override readonly code = 'invalid-leaf-index';
  constructor(
    readonly index: unknown,
    readonly size: number,
  ) {
    super(`there is no leaf ${describeValue(index)}`, {
      details: `a tree of ${size} leaves has indices 0 to ${size - 1}`,
    });
  }
}

/** Thrown when bytes given to BatchTree.load are not a stored tree of this format. */
export class StoredTreeError extends MerkleError {
  override name = 'StoredTreeError';
  override readonly code = 'invalid-stored-tree';
}

/** Thrown when a receipt, or the credential or envelope that carries one, has a field that is missing or wrong. */
export class ReceiptFieldError extends MerkleError {
  override name = 'ReceiptFieldError';
  override readonly code = 'invalid-receipt-field';
  constructor(
    /** Where the field is, as a path: `anchor.registry`, `proof[2]`, `proof[1].receipt.root`. */
    readonly field: string,
    /** What the field must be. */
    readonly expected: string,
    readonly value: unknown,
  ) {
    super(`the receipt field ${field} is not valid`, { details: `expected ${expected}, got ${describeValue(value)}` });
  }
}

/** Thrown when a receipt cannot be made because the facts given to it disagree with each other. */
export class ReceiptInputError extends MerkleError {
  override name = 'ReceiptInputError';
  override readonly code = 'invalid-receipt-input';
}

/** A short, safe rendering of any value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return value.length > 80 ? `"${value.slice(0, 77)}..." (${value.length} characters)` : `"${value}"`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return `a ${typeof value}`;
}
