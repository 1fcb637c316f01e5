import { NotaryError, type NotaryErrorOptions } from '../errors';

/** A status list or status entry that cannot be read or made; `field` names the property at fault, when one is. */
export class StatusListError extends NotaryError<{ field?: string }> {
  override name = 'StatusListError';
  constructor(code: string, message: string, options: NotaryErrorOptions<{ field?: string }> & { field?: string } = {}) {
    super(code, message, { ...options, details: { field: options.field } });
  }

  get field(): string | undefined {
    return this.details.field;
  }
}
