/** Who the caller is, and a member's API clients (service/http/routes/clients.ts, presenters clientJson). */
import { z } from 'zod';
import { integer, named, time } from './catalog';

const clientRole = z.enum(['admin', 'editor']);

export const Principal = named(
  'Principal',
  z.strictObject({
    memberId: integer,
    memberDid: z.string(),
    role: clientRole,
    via: z.enum(['api-key', 'jwt']),
    subject: z.string().meta({ description: 'The API client id, or the JWT key’s verification method.' }),
  }),
);

export const ApiClient = named(
  'ApiClient',
  z.strictObject({
    id: z.string().regex(/^[0-9a-f]{16}$/),
    memberId: integer,
    role: clientRole,
    label: z.string(),
    createdAt: time,
    createdBy: z.string().nullable(),
    revokedAt: time.nullable(),
  }),
);

export const ClientList = named('ClientList', z.strictObject({ clients: z.array(ApiClient) }));

export const ClientAnswer = named('ClientAnswer', z.strictObject({ client: ApiClient }));

export const CreatedClient = named(
  'CreatedClient',
  z.strictObject({
    client: ApiClient,
    apiKey: z
      .string()
      .regex(/^bnk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/)
      .meta({ description: 'Shown in this answer only.' }),
  }),
);
