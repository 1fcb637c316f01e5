/** Input the user can fix: a wrong flag, a missing setting, an unreadable file. Exits with status 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export const EXIT_OK = 0;
/** The operation ran and failed: the chain refused, or a check did not pass. */
export const EXIT_FAILED = 1;
/** The input could not be used. */
export const EXIT_USAGE = 2;
