import { z } from 'zod';
import { requireRole } from '../auth';
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
  const { authenticator, rateLimits, limits, clients } = context;
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
        async (req, res) => {
          res.json({ clients: (await clients.list(principalOf(req))).map(clientJson) });
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
        async (req, res) => {
          const principal = principalOf(req);
          const input = parseWith(newClient, req.body ?? {});
          const { client, apiKey } = await clients.create(principal, input);
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
        async (req, res) => {
          const { client, revoked } = await clients.revoke(principalOf(req), String(req.params.id));
          if (revoked) req.log.info({ client: client.id, member: client.memberId }, 'API client revoked');
          res.json({ client: clientJson(client) });
        },
      ],
    },
  ];
}
