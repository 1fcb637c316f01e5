import { z } from 'zod';
import { RegistryRevertError } from '../../chain/registry-errors';
import { requireRole } from '../auth';
import { HttpError, forbidden, notFound } from '../errors';
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

/** Revocation requests: send one (issuer only), list them, follow one to its block. */
export function revocationRoutes(context: RouteContext): Route[] {
  const { authenticator, rateLimits, limits, store } = context;
  return [
    {
      method: 'post',
      path: '/v1/revocations',
      handlers: [
        requireRole(authenticator, 'editor'),
        rateLimits.member,
        ...body({ limit: limits.maxJsonBodyBytes }),
        async (req, res) => {
          const principal = principalOf(req);
          const input = parseWith(revocationBody, req.body ?? {});
          const digests = [...new Set(input.digests ?? [input.digest!])];
          if (digests.length > limits.maxRevocationDigests) {
            throw new HttpError(413, 'too-many-digests', `${digests.length} digests in one revocation; at most ${limits.maxRevocationDigests} go in one transaction`, {
              field: 'digests',
              maximum: limits.maxRevocationDigests,
            });
          }
          const foreign = digests.filter((d) => {
            const stored = store.credentials.get(d);
            return stored !== undefined && stored.memberId !== principal.memberId;
          });
          if (foreign.length > 0) {
            throw forbidden(`${foreign.length} of the digests are credentials of another member: a member revokes only its own`, { field: 'digests', digests: foreign });
          }
          const sender = context.revocations;
          if (!sender) throw new HttpError(503, 'revocations-unavailable', 'this service has no account to send revocations with');

          const request = store.revocations.create({
            memberId: principal.memberId,
            digests,
            reason: input.reason,
            requestedBy: principal.subject,
            requestedAt: context.clock(),
          });
          try {
            await sender.send({ memberId: principal.memberId, digests, reason: input.reason }, ({ hash }) => {
              store.revocations.markSubmitted(request.id, hash);
            });
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            const current = store.revocations.get(request.id)!;
            if (current.state === 'pending' || current.state === 'submitted') store.revocations.markFailed(request.id, message);
            if (error instanceof RegistryRevertError) {
              throw new HttpError(409, 'registry-refused', message, { revocation: revocationRequestJson(store.revocations.get(request.id)!) });
            }
            context.metrics.rpcError('http', 'revokeCredentials');
            req.log.warn({ err: error, revocation: request.id }, 'revocation not sent');
            throw new HttpError(503, 'chain-unavailable', `the revocation could not be sent: ${message}`, {
              revocation: revocationRequestJson(store.revocations.get(request.id)!),
            });
          }
          const sent = store.revocations.get(request.id)!;
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
        (req, res) => {
          const principal = principalOf(req);
          const limit = pageSize(queryText(req, 'limit'));
          const before = queryText(req, 'before');
          const requests = store.revocations.listForMember(principal.memberId, { limit, beforeId: before === undefined ? undefined : idParam(before, 'before') });
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
          const principal = principalOf(req);
          const id = idParam(req.params.id, 'id');
          let request = store.revocations.get(id);
          if (!request) throw notFound(`there is no revocation request ${id}`);
          if (request.memberId !== principal.memberId) throw forbidden(`revocation request ${id} is another member's`);
          if (request.state === 'submitted' && request.txHash && context.revocations) {
            const receipt = await context.revocations.receipt(request.txHash).catch((error: unknown) => {
              context.metrics.rpcError('http', 'getTransactionReceipt');
              req.log.warn({ err: error }, 'revocation receipt not read');
              return undefined;
            });
            if (receipt?.succeeded) request = store.revocations.markMined(id, receipt.blockNumber);
            else if (receipt) request = store.revocations.markFailed(id, 'the transaction was mined but reverted', receipt.blockNumber);
          }
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
