import type { ApiClient, ClientRole, Store } from '../store';

export interface CreateApiClientParameters {
  memberId: number;
  role: ClientRole;
  label: string;
  /** Who creates it, for the record; default "bootstrap". */
  createdBy?: string;
  /** ms since the epoch; default now. */
  now?: number;
}

/**
 * Creates an API client of a member and returns its API key, which exists in clear only here: print it once
 * and keep it; the store holds only its hash. For the first administrator key of a member (`npm start`, the
 * CLI); afterwards administrators create keys through POST /v1/clients.
 *
 * @example
 * const { apiKey } = createApiClient(store, { memberId: 1, role: 'admin', label: 'first administrator' })
 */
export function createApiClient(store: Store, parameters: CreateApiClientParameters): { client: ApiClient; apiKey: string } {
  if (!Number.isSafeInteger(parameters.memberId) || parameters.memberId < 1) {
    throw new RangeError(`memberId must be a whole number from 1, got ${parameters.memberId}`);
  }
  if (parameters.role !== 'admin' && parameters.role !== 'editor') throw new RangeError(`role must be "admin" or "editor", got ${String(parameters.role)}`);
  const label = parameters.label.trim();
  if (label === '' || label.length > 200) throw new RangeError('label must have 1 to 200 characters');
  return store.clients.create({
    memberId: parameters.memberId,
    role: parameters.role,
    label,
    createdBy: parameters.createdBy ?? 'bootstrap',
    now: parameters.now ?? Date.now(),
  });
}
