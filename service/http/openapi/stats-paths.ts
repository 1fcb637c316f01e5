/** The OpenAPI path of the network dashboard's figures (service/stats, docs/dashboard.md). */
import { badInput, json, publicLimit, ref } from './shared';

export const statsPaths = {
  '/v1/stats': {
    get: {
      tags: ['registry'],
      operationId: 'networkStats',
      summary:
        'The network’s figures for the dashboard: members with their roles and status history, badges notarised per member per month, ' +
        'roots anchored per member per month, this service’s batches with their confirmations, revocations by reason, anchoring fees per day and month.',
      description:
        'Public and read-only, from the registry mirror and this service’s store; the same query is answered from a cache for up to 2 s. ' +
        'Months and days are UTC. `adoptedBadgeClasses` lists the badge classes members adopt (the catalogue mirror), null when the deployment names no catalogue.',
      parameters: [
        { name: 'from', in: 'query', description: 'The first month, YYYY-MM (default: 11 months before `to`).', schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } },
        { name: 'to', in: 'query', description: 'The last month, YYYY-MM (default: this month). At most 120 months from `from`.', schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' } },
        { name: 'days', in: 'query', description: 'Days of fees per day, ending today (1 to 366; default 30).', schema: { type: 'integer', minimum: 1, maximum: 366 } },
        { name: 'batches', in: 'query', description: 'This service’s newest batches to list (1 to 500; default 20).', schema: { type: 'integer', minimum: 1, maximum: 500 } },
      ],
      responses: {
        '200': json(ref('NetworkStats'), 'The figures.'),
        ...badInput,
        ...publicLimit,
      },
    },
  },
};
