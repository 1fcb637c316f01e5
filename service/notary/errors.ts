import { NotaryError } from '../errors';

/**
 * What went wrong in a use case, in the domain's words. The HTTP layer maps `kind` to a status
 * (http/errors.ts) and answers `code`, `message` and `details` as the error body; the CLI prints the message.
 */
export type UseCaseErrorKind =
  /** The input is malformed or out of range. */
  | 'invalid-input'
  /** More items than one request may carry. */
  | 'too-many'
  /** The asker may not do this (another member's thing, a member that cannot issue). */
  | 'forbidden'
  /** No such thing. */
  | 'not-found'
  /** Well-formed, but the credentials fail their checks. */
  | 'unprocessable'
  /** The registry refused the transaction. */
  | 'refused'
  /** A part the use case needs (the chain, the revocation account) is missing or failing. */
  | 'unavailable';

/** Facts that go with a use case's error: the field at fault, the items refused, ... */
export interface UseCaseErrorDetails {
  field?: string;
  [extra: string]: unknown;
}

export class UseCaseError extends NotaryError<UseCaseErrorDetails> {
  override name = 'UseCaseError';

  constructor(
    readonly kind: UseCaseErrorKind,
    /** Stable, lower-case kebab: clients branch on it. */
    code: string,
    message: string,
    details: UseCaseErrorDetails = {},
    cause?: unknown,
  ) {
    super(code, message, { details, cause });
  }
}
