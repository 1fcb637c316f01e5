import { receiptJson } from '../../merkle';
import { revocationTextOf, statusJson } from '../presenters';
import { requireRole } from '../auth';
import { badRequest, notFound } from '../errors';
import { readIntakeBody } from '../intake-body';
import { PENDING_STATES } from '../../notary';
import { body, digestParam, idParam, isoTime, principalOf, queryText, sendJson, sendJsonText, type Route, type RouteContext } from './route';

/** ?issuer= names the issuing member of a digest this service does not hold: its id or its DID. */
function issuerQuery(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  if (/^[0-9]+$/.test(text)) return idParam(text, 'issuer');
  if (/^did:[a-z0-9]+:\S{1,2000}$/.test(text)) return text;
  throw badRequest(`issuer must be a member id or a DID, got "${text.slice(0, 80)}"`, 'issuer');
}

/**
 * Intake (POST /v1/credentials), and per digest: status with the receipt, the bare receipt, and revocation
 * status.
 */
export function credentialRoutes(context: RouteContext): Route[] {
  const { authenticator, rateLimits, limits } = context;
  return [
    {
      method: 'post',
      path: '/v1/credentials',
      handlers: [
        requireRole(authenticator, 'editor'),
        rateLimits.member,
        ...body({ limit: limits.maxIntakeBodyBytes, jws: true }),
        async (req, res) => {
          const principal = principalOf(req);
          const request = readIntakeBody(req.body, limits.maxBulk);
          let accepted;
          try {
            accepted = await context.intake.submit(principal, request);
          } catch (error) {
            context.metrics.intake({ created: 0, duplicate: 0, rejected: request.items.length });
            throw error;
          }
          const created = accepted.filter((item) => item.created).length;
          context.metrics.intake({ created, duplicate: accepted.length - created, rejected: 0 });
          req.log.debug({ member: principal.memberId, credentials: accepted.length, created }, 'credentials accepted');
          if (!request.bulk) {
            const [item] = accepted;
            res.setHeader('Location', `/v1/credentials/${item.digest}`);
            res.status(202).json({ digest: item.digest, format: item.format, created: item.created, state: item.state });
            return;
          }
          res.status(202).json({
            count: accepted.length,
            created,
            credentials: accepted.map(({ index, digest, format, created: isNew, state }) => ({ index, digest, format, created: isNew, state })),
          });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/credentials/:digest',
      handlers: [
        rateLimits.address,
        async (req, res) => {
          const digest = digestParam(req);
          const status = await context.receipts.status(digest);
          if (!status) throw notFound(`this service has no credential with digest ${digest}`);
          sendJson(res, PENDING_STATES.includes(status.state) ? 202 : 200, statusJson(status));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/credentials/:digest/receipt',
      handlers: [
        rateLimits.address,
        async (req, res) => {
          const digest = digestParam(req);
          const status = await context.receipts.status(digest);
          if (!status) throw notFound(`this service has no credential with digest ${digest}`);
          if ('receipt' in status) sendJsonText(res, 200, receiptJson(status.receipt));
          else sendJson(res, 202, statusJson(status));
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/credentials/:digest/revocation',
      handlers: [
        rateLimits.address,
        async (req, res) => {
          const digest = digestParam(req);
          const { issuerId, revoked, revocations, requests } = await context.credentialRevocations.of(digest, issuerQuery(queryText(req, 'issuer')));
          res.json({
            digest,
            issuerId,
            revoked,
            revocations: revocations.map((r) => ({
              memberId: r.memberId,
              revokedAt: isoTime(r.revokedAt),
              reason: r.reason,
              reasonText: revocationTextOf(r.reason),
              transactionHash: r.transactionHash ?? null,
              blockNumber: r.blockNumber ?? null,
              source: r.source,
            })),
            requests: requests.map((request) => ({
              id: request.id,
              state: request.state,
              transactionHash: request.txHash,
              requestedAt: isoTime(request.requestedAt, 'ms'),
            })),
          });
        },
      ],
    },
  ];
}
