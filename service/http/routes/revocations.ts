import { z } from 'zod';
import { RevocationNotSent } from '../../notary';
import { requireRole } from '../auth';
import { HttpError, fromUseCaseError } from '../errors';
import { revocationRequestJson } from '../presenters';
import { body, idParam, parseWith, principalOf, queryText, type Route, type RouteContext } from './route';

const digest = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'a digest is 0x and 64 hex digits')
  .transform((text) => text.toLowerCase());

const revocationBody = z
  .object({
    digests: z.array(digest).min(1, 'at least one digest').optional(),
    digest: digest.optional(),
    reason: z.number().int('a whole number').min(0).max(255).default(0),
  })
  .strict()
  .refine((value) => (value.digests === undefined) !== (value.digest === undefined), {
    message: 'give either "digest" or "digests", not both and not neither',
    path: ['digests'],
  });

/**
 * Revocation requests: send one (issuer only), list them, read one. A read never moves a request: the
 * service's RevocationFollower takes it from submitted to mined or failed.
 */
export function revocationRoutes(context: RouteContext): Route[] {
  const { authenticator, rateLimits, limits, revocations } = context;
  return [
    {
      method: 'post',
      path: '/v1/revocations',
      handlers: [
        requireRole(authenticator, 'editor'),
        rateLimits.member,
        ...body({ limit: limits.maxJsonBodyBytes }),
        async (req, res) => {
          const input = parseWith(revocationBody, req.body ?? {});
          let sent;
          try {
            sent = await revocations.send(principalOf(req), { digests: input.digests ?? [input.digest!], reason: input.reason });
          } catch (error) {
            if (!(error instanceof RevocationNotSent)) throw error;
            if (error.kind === 'unavailable') {
              context.metrics.rpcError('http', 'revokeCredentials');
              req.log.warn({ err: error.cause, revocation: error.request.id }, 'revocation not sent');
            }
            throw fromUseCaseError(error, { revocation: revocationRequestJson(error.request) });
          }
          res.setHeader('Location', `/v1/revocations/${sent.id}`);
          res.status(202).json({ revocation: revocationRequestJson(sent) });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/revocations',
      handlers: [
        requireRole(authenticator, 'editor'),
        rateLimits.member,
        async (req, res) => {
          const principal = principalOf(req);
          const limit = pageSize(queryText(req, 'limit'));
          const before = queryText(req, 'before');
          const requests = await revocations.list(principal, { limit, beforeId: before === undefined ? undefined : idParam(before, 'before') });
          res.json({
            revocations: requests.map(revocationRequestJson),
            next: requests.length === limit ? requests[requests.length - 1].id : null,
          });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/revocations/:id',
      handlers: [
        requireRole(authenticator, 'editor'),
        rateLimits.member,
        async (req, res) => {
          const request = await revocations.get(principalOf(req), idParam(req.params.id, 'id'));
          res.json({ revocation: revocationRequestJson(request) });
        },
      ],
    },
  ];
}

export function pageSize(text: string | undefined, fallback = 50, maximum = 500): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,4}$/.test(text) || Number(text) < 1 || Number(text) > maximum) {
    throw new HttpError(400, 'invalid-request', `limit must be a whole number from 1 to ${maximum}`, { field: 'limit' });
  }
  return Number(text);
}
