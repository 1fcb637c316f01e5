import { z } from 'zod';
import { requireRole } from '../auth';
import { forbidden, notFound } from '../errors';
import { clientJson } from '../presenters';
import { body, parseWith, principalOf, type Route, type RouteContext } from './route';

const newClient = z
  .object({
    role: z.enum(['admin', 'editor'], { message: 'must be "admin" or "editor"' }),
    label: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters'),
  })
  .strict();

/** The member's API clients (administrators only), and who the caller is (any role). */
export function clientRoutes(context: RouteContext): Route[] {
  const { authenticator, rateLimits, limits, store } = context;
  const admin = requireRole(authenticator, 'admin');
  return [
    {
      method: 'get',
      path: '/v1/whoami',
      handlers: [
        requireRole(authenticator, 'editor'),
        rateLimits.member,
        (req, res) => {
          res.json(principalOf(req));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/clients',
      handlers: [
        admin,
        rateLimits.member,
        (req, res) => {
          res.json({ clients: store.clients.listForMember(principalOf(req).memberId).map(clientJson) });
        },
      ],
    },
    {
      method: 'post',
      path: '/v1/clients',
      handlers: [
        admin,
        rateLimits.member,
        ...body({ limit: limits.maxJsonBodyBytes }),
        (req, res) => {
          const principal = principalOf(req);
          const input = parseWith(newClient, req.body ?? {});
          const { client, apiKey } = store.clients.create({
            memberId: principal.memberId,
            role: input.role,
            label: input.label,
            createdBy: principal.subject,
            now: context.clock(),
          });
          req.log.info({ client: client.id, role: client.role, member: client.memberId }, 'API client created');
          res.setHeader('Location', `/v1/clients/${client.id}`);
          res.status(201).json({ client: clientJson(client), apiKey });
        },
      ],
    },
    {
      method: 'delete',
      path: '/v1/clients/:id',
      handlers: [
        admin,
        rateLimits.member,
        (req, res) => {
          const principal = principalOf(req);
          const id = String(req.params.id);
          const client = /^[0-9a-f]{16}$/.test(id) ? store.clients.get(id) : undefined;
          if (!client) throw notFound(`there is no API client ${id.slice(0, 40)}`);
          if (client.memberId !== principal.memberId) throw forbidden(`API client ${id} belongs to another member`);
          if (client.revokedAt === null) {
            store.clients.revoke(id, context.clock());
            req.log.info({ client: id, member: client.memberId }, 'API client revoked');
          }
          res.json({ client: clientJson(store.clients.get(id)!) });
        },
      ],
    },
  ];
}
