import { NotaryError, type NotaryErrorOptions } from '../errors';

/**
 * Errors of badge baking. One base class, `BakingError` (a `NotaryError`), with a stable `code`, a `shortMessage` that names what is
 * wrong and optional `details`; one subclass per kind of problem, so a caller can tell "this file is not a badge"
 * from "this badge is damaged" without reading messages.
 */

export type BakingErrorCode =
  | 'NOT_PNG'
  | 'NOT_SVG'
  | 'NOT_AN_IMAGE'
  | 'MALFORMED_PNG'
  | 'MALFORMED_SVG'
  | 'UNSUPPORTED_SVG'
  | 'NO_BAKED_CREDENTIAL'
  | 'DUPLICATE_BAKED_CREDENTIAL'
  | 'COMPRESSED_TEXT'
  | 'INVALID_UTF8'
  | 'INVALID_BAKED_CREDENTIAL'
  | 'INVALID_RECEIPT'
  | 'INVALID_BAKE_INPUT';

export type BakingErrorOptions = Pick<NotaryErrorOptions, 'details' | 'cause'>;

export class BakingError extends NotaryError {
  override name = 'BakingError';
  declare readonly code: BakingErrorCode;

  constructor(code: BakingErrorCode, shortMessage: string, options: BakingErrorOptions = {}) {
    super(code, shortMessage, options);
  }
}

/** bakePng was given something that does not start with the PNG signature. */
export class NotPngError extends BakingError {
  override name = 'NotPngError';
  constructor(options: BakingErrorOptions = {}) {
    super('NOT_PNG', 'the image is not a PNG (it does not start with the 8-byte PNG signature)', options);
  }
}

/** bakeSvg was given something whose root element is not <svg>. */
export class NotSvgError extends BakingError {
  override name = 'NotSvgError';
  constructor(options: BakingErrorOptions = {}) {
    super('NOT_SVG', 'the image is not an SVG (its root element is not <svg>)', options);
  }
}

/** unbake was given a file that is neither a PNG (by its signature) nor an SVG (by its root element). */
export class UnrecognisedImageError extends BakingError {
  override name = 'UnrecognisedImageError';
  constructor(options: BakingErrorOptions = {}) {
    super('NOT_AN_IMAGE', 'the file is neither a PNG (no PNG signature) nor an SVG (no root <svg> element)', options);
  }
}

/** A PNG whose chunk structure is damaged: truncated, a CRC that does not match, no IHDR first or no IEND. */
export class MalformedPngError extends BakingError {
  override name = 'MalformedPngError';
  constructor(
    shortMessage: string,
    /** The byte offset of the chunk at fault, when there is one. */
    readonly offset?: number,
    options: BakingErrorOptions = {},
  ) {
    super('MALFORMED_PNG', `the PNG is damaged: ${shortMessage}`, options);
  }
}

/** An SVG that is not well-formed XML (or not namespace-well-formed). */
export class MalformedSvgError extends BakingError {
  override name = 'MalformedSvgError';
  constructor(
    shortMessage: string,
    readonly line: number,
    readonly column: number,
    options: BakingErrorOptions = {},
  ) {
    super('MALFORMED_SVG', `the SVG is not well-formed XML at line ${line}, column ${column}: ${shortMessage}`, options);
  }
}

/**
 * An SVG that may be well-formed but that this reader refuses on purpose: a DTD internal subset (entity declarations
 * are never processed), an entity that only a DTD could define, an encoding other than UTF-8, a prefix conflict.
 */
export class UnsupportedSvgError extends BakingError {
  override name = 'UnsupportedSvgError';
  constructor(shortMessage: string, options: BakingErrorOptions = {}) {
    super('UNSUPPORTED_SVG', shortMessage, options);
  }
}

/** The image carries no baked credential. */
export class NoBakedCredentialError extends BakingError {
  override name = 'NoBakedCredentialError';
  constructor(readonly kind: 'png' | 'svg', options: BakingErrorOptions = {}) {
    super(
      'NO_BAKED_CREDENTIAL',
      kind === 'png'
        ? 'the PNG has no baked credential (no iTXt chunk with keyword "openbadgecredential" or "openbadges")'
        : 'the SVG has no baked credential (no <openbadges:credential> or <openbadges:assertion> element)',
      options,
    );
  }
}

/** The image carries more than one baked credential, which the baking specifications forbid. */
export class DuplicateBakedCredentialError extends BakingError {
  override name = 'DuplicateBakedCredentialError';
  constructor(
    /** Where they are, e.g. ['iTXt openbadgecredential', 'iTXt openbadgecredential']. */
    readonly found: string[],
    options: BakingErrorOptions = {},
  ) {
    super('DUPLICATE_BAKED_CREDENTIAL', `the image carries ${found.length} baked credentials (${found.join(', ')}); it must carry one`, options);
  }
}

/** An iTXt chunk of ours with its compression flag set: the baking specifications forbid compression. */
export class CompressedTextError extends BakingError {
  override name = 'CompressedTextError';
  constructor(
    readonly keyword: string,
    options: BakingErrorOptions = {},
  ) {
    super('COMPRESSED_TEXT', `the iTXt chunk "${keyword}" is compressed; Open Badges baking forbids compression`, options);
  }
}

/** Bytes that must be UTF-8 are not. */
export class InvalidUtf8Error extends BakingError {
  override name = 'InvalidUtf8Error';
  constructor(
    /** What was being read: 'the iTXt chunk "openbadgecredential"', 'the SVG file'. */
    readonly where: string,
    options: BakingErrorOptions = {},
  ) {
    super('INVALID_UTF8', `${where} is not valid UTF-8`, options);
  }
}

/** The baked text or element is there but does not hold a credential: not a compact JWS, not a JSON object. */
export class InvalidBakedCredentialError extends BakingError {
  override name = 'InvalidBakedCredentialError';
  constructor(
    shortMessage: string,
    /** A hosted-assertion URL found where a credential should be, when that is what was found. */
    readonly url?: string,
    options: BakingErrorOptions = {},
  ) {
    super('INVALID_BAKED_CREDENTIAL', shortMessage, options);
  }
}

/** A receipt (given to bake, or found in a baked image) that does not validate, or that is for another credential. */
export class InvalidReceiptError extends BakingError {
  override name = 'InvalidReceiptError';
  constructor(
    shortMessage: string,
    /** The receipt field at fault, e.g. `digest`, `anchor.registry`, `proof[1].receipt.root`, when there is one. */
    readonly field?: string,
    options: BakingErrorOptions = {},
  ) {
    super('INVALID_RECEIPT', shortMessage, options);
  }
}

/** bakePng / bakeSvg was called with an argument it cannot bake. */
export class BakeInputError extends BakingError {
  override name = 'BakeInputError';
  constructor(
    readonly field: 'image' | 'credential' | 'receipt',
    shortMessage: string,
    options: BakingErrorOptions = {},
  ) {
    super('INVALID_BAKE_INPUT', `${field}: ${shortMessage}`, options);
  }
}
