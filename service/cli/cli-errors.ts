import { NotaryError, type NotaryErrorOptions } from '../errors';

/** Input the user can fix: a wrong flag, a missing setting, an unreadable file. Exits with status 2. */
export class CliUsageError extends NotaryError {
  override name = 'CliUsageError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('usage', message, options);
  }
}

export const EXIT_OK = 0;
/** The operation ran and failed: the chain refused, or a check did not pass. */
export const EXIT_FAILED = 1;
/** The input could not be used. */
export const EXIT_USAGE = 2;
