/** The OpenAPI path of the members' W3C Bitstring Status Lists (docs/status-list.md). */
import { badInput, error, json, publicLimit, ref } from './shared';

export const statusListPaths = {
  '/v1/status-lists/{member}/{list}': {
    get: {
      tags: ['status-lists'],
      operationId: 'statusList',
      summary:
        'A member’s revocation list as a W3C BitstringStatusListCredential (VC 2.0), rebuilt from the registry mirror and signed by the notary. ' +
        'A revocation mined on-chain shows after the indexer’s next poll; registryBlock says which block the list mirrors.',
      parameters: [
        { name: 'member', in: 'path', required: true, description: 'The member’s number.', schema: { type: 'integer', minimum: 1 } },
        {
          name: 'list',
          in: 'path',
          required: true,
          description: 'The list’s name, chosen by the issuer: letters, digits, dots, dashes, underscores (1-64).',
          schema: { type: 'string', pattern: '^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$' },
        },
      ],
      responses: {
        '200': json(ref('StatusListCredential'), 'The signed list credential.'),
        ...badInput,
        '404': error('The mirror has no such member.'),
        ...publicLimit,
        '503': error('The registry mirror has indexed no block yet.'),
      },
    },
  },
};
