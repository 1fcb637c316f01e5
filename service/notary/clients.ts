import type { ApiClient, ClientRole } from '../store';
import { UseCaseError } from './errors';
import type { Actor, ClientStore, Clock } from './ports';

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
 * CLI); afterwards administrators create keys through POST /v1/clients (ApiClients.create).
 *
 * @example
 * const { apiKey } = createApiClient(store, { memberId: 1, role: 'admin', label: 'first administrator' })
 */
export async function createApiClient(store: { clients: ClientStore }, parameters: CreateApiClientParameters): Promise<{ client: ApiClient; apiKey: string }> {
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

/** A member's API clients, as its administrators manage them: each acts only on its own member's. */
export class ApiClients {
  constructor(private readonly options: { store: { clients: ClientStore }; clock: Clock }) {}

  list(actor: Actor): Promise<ApiClient[]> {
    return this.options.store.clients.listForMember(actor.memberId);
  }

  create(actor: Actor, input: { role: ClientRole; label: string }): Promise<{ client: ApiClient; apiKey: string }> {
    return createApiClient(this.options.store, { memberId: actor.memberId, ...input, createdBy: actor.subject, now: this.options.clock() });
  }

  /** Revokes one of the actor's member's clients; revoking it again changes nothing. `revoked` says whether this call did. */
  async revoke(actor: Actor, id: string): Promise<{ client: ApiClient; revoked: boolean }> {
    const { clients } = this.options.store;
    const client = /^[0-9a-f]{16}$/.test(id) ? await clients.get(id) : undefined;
    if (!client) throw new UseCaseError('not-found', 'not-found', `there is no API client ${id.slice(0, 40)}`);
    if (client.memberId !== actor.memberId) throw new UseCaseError('forbidden', 'forbidden', `API client ${id} belongs to another member`);
    if (client.revokedAt !== null) return { client, revoked: false };
    await clients.revoke(id, this.options.clock());
    return { client: (await clients.get(id))!, revoked: true };
  }
}
