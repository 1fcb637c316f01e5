/**
 * GET /v1/status-lists/{member}/{list}: a member's W3C Bitstring Status List (docs/status-list.md), public. The
 * list's id is the URL it was asked at, as the credentials' statusListCredential names it.
 */
import type { Request } from 'express';
import { idParam, type Route, type RouteContext } from './route';

export function statusListRoutes(context: RouteContext): Route[] {
  const { rateLimits, statusLists } = context;
  return [
    {
      method: 'get',
      path: '/v1/status-lists/:member/:list',
      handlers: [
        rateLimits.address,
        async (req, res) => {
          const memberId = idParam(req.params.member, 'member');
          const list = String(req.params.list);
          const credential = await statusLists.credential(memberId, list, requestUrl(req));
          // A list is current for one indexer poll: caches must ask again.
          res.set('Cache-Control', 'no-cache').json(credential);
        },
      ],
    },
  ];
}

/** The URL this request was made at, without its query (behind a proxy, with express's "trust proxy" set). */
function requestUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}`;
}
