/** The OpenAPI paths of the caller and of a member’s API clients. */
import { authenticated, authErrors, badInput, error, json, ref } from './shared';

export const accessPaths = {
  '/v1/whoami': {
    get: {
      tags: ['access'],
      operationId: 'whoami',
      summary: 'Who the caller is: member, role, and how it authenticated.',
      security: authenticated,
      responses: { '200': json(ref('Principal'), 'The caller.'), ...authErrors },
    },
  },
  '/v1/clients': {
    get: {
      tags: ['access'],
      operationId: 'listClients',
      summary: 'The member’s API clients (never their keys). Administrators.',
      security: authenticated,
      responses: {
        '200': json(ref('ClientList'), 'The clients.'),
        ...authErrors,
        '403': error('Not an administrator.'),
      },
    },
    post: {
      tags: ['access'],
      operationId: 'createClient',
      summary: 'Creates an API client; its key is in this answer only. Administrators (a member JWT makes the first one).',
      security: authenticated,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['role', 'label'],
              additionalProperties: false,
              properties: { role: { enum: ['admin', 'editor'] }, label: { type: 'string', minLength: 1, maxLength: 200 } },
            },
          },
        },
      },
      responses: {
        '201': json(ref('CreatedClient'), 'Created; keep the key: it is never shown again.'),
        ...badInput,
        ...authErrors,
        '403': error('Not an administrator, or the member is not active in the registry (member-not-active).'),
        '413': error('A body over the size limit.'),
        '415': error('A body of another media type.'),
      },
    },
  },
  '/v1/clients/{id}': {
    delete: {
      tags: ['access'],
      operationId: 'revokeClient',
      summary: 'Revokes an API client of the member (again: no change). Administrators.',
      security: authenticated,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' } }],
      responses: {
        '200': json(ref('ClientAnswer'), 'Revoked.'),
        ...authErrors,
        '403': error('Not an administrator, another member’s client, or the member is not active in the registry (member-not-active).'),
        '404': error('No such client.'),
      },
    },
  },
};
