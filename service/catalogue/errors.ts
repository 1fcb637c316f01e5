/** The badge-class document's errors: each names the field (a JSON path such as `score.bands[1].from`) and why. */
import { NotaryError } from '../errors';

export interface BadgeClassErrorDetails {
  field: string;
  reason: string;
}

/** A badge-class document, or a credential issued against one, is wrong in `field` for `reason`. */
export class BadgeClassError extends NotaryError<BadgeClassErrorDetails> {
  override name = 'BadgeClassError';
  constructor(field: string, reason: string) {
    super('invalid-badge-class', `Invalid badge class field ${field}`, {
      details: { field, reason },
      message: `Invalid badge class field ${field}: ${reason}`,
    });
  }
}

/** The credential does not match the badge class it is issued against (the level, the score, the class id). */
export class ClassMismatchError extends NotaryError<BadgeClassErrorDetails> {
  override name = 'ClassMismatchError';
  constructor(field: string, reason: string) {
    super('class-mismatch', `The credential does not match its badge class in ${field}`, {
      details: { field, reason },
      message: `The credential does not match its badge class in ${field}: ${reason}`,
    });
  }
}
