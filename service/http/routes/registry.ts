import { ROLES, STATUSES } from '../../registry';
import { badRequest, notFound } from '../errors';
import { anchorTransactionJson, batchJson, endorsementJson, keyJson, memberJson } from '../presenters';
import { pageSize } from './revocations';
import { idParam, isoTime, queryText, type Route, type RouteContext } from './route';

/** Batches (this service's) and members (the registry's, from the mirror): public reads. */
export function registryRoutes(context: RouteContext): Route[] {
  const { store, mirror, rateLimits } = context;
  return [
    {
      method: 'get',
      path: '/v1/batches',
      handlers: [
        rateLimits.address,
        async (req, res) => {
          const limit = pageSize(queryText(req, 'limit'));
          const before = queryText(req, 'before');
          const batches = await store.batches.list({ limit, beforeId: before === undefined ? undefined : idParam(before, 'before') });
          res.json({ batches: batches.map(batchJson), next: batches.length === limit ? batches[batches.length - 1].id : null });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/batches/:id',
      handlers: [
        rateLimits.address,
        async (req, res) => {
          const id = idParam(req.params.id, 'id');
          const batch = await store.batches.get(id);
          if (!batch) throw notFound(`there is no batch ${id}`);
          const transactions = await store.batches.transactions(id);
          res.json({ batch: batchJson(batch), transactions: transactions.map(anchorTransactionJson) });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/members',
      handlers: [
        rateLimits.address,
        (req, res) => {
          const did = queryText(req, 'did');
          const status = queryText(req, 'status');
          const role = queryText(req, 'role');
          if (status !== undefined && !STATUSES.includes(status as never)) throw badRequest(`status must be one of ${STATUSES.slice(1).join(', ')}`, 'status');
          if (role !== undefined && !ROLES.includes(role as never)) throw badRequest(`role must be one of ${ROLES.slice(1).join(', ')}`, 'role');
          const members = (did !== undefined ? [mirror.memberByDid(did)].filter((m) => m !== undefined) : mirror.members())
            .map(memberJson)
            .filter((member) => (status === undefined || member.status === status) && (role === undefined || member.role === role));
          res.json({ asOfBlock: asOfBlock(context), members });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/members/:id',
      handlers: [
        rateLimits.address,
        (req, res) => {
          const id = idParam(req.params.id, 'id');
          const member = mirror.member(id);
          if (!member) throw notFound(`the registry mirror has no member ${id}`);
          const now = Math.floor(context.clock() / 1000);
          res.json({
            asOfBlock: asOfBlock(context),
            member: {
              ...memberJson(member),
              statusHistory: mirror.statusHistory(id).map((change) => ({ since: isoTime(change.since), status: STATUSES[change.status] ?? 'none' })),
              keys: mirror.keysOf(id).map((key) => keyJson(key, now)),
              notaries: mirror.notariesOf(id),
              revokers: mirror.revokersOf(id),
              endorsements: {
                given: mirror.endorsementsGiven(id).map(endorsementJson),
                received: mirror.endorsementsReceived(id).map(endorsementJson),
              },
            },
          });
        },
      ],
    },
  ];
}

/** The last block the mirror holds, or null before the indexer ran. */
function asOfBlock(context: RouteContext): number | null {
  const cursor = context.mirror.cursor();
  return cursor && cursor.lastBlockHash !== null ? cursor.lastBlock : null;
}
