import { z } from 'zod';
import { readNetworkStats, statsWindow, type StatsWindow } from '../../stats';
import { networkStatsJson } from '../stats-presenter';
import { parseWith, sendJsonText, type Route, type RouteContext } from './route';

const wholeNumber = z.string().regex(/^[0-9]{1,6}$/, 'a whole number').transform(Number);

/** The query of GET /v1/stats; each parameter at most once (an array is refused with its name). Ranges: statsWindow. */
const statsQuery = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  days: wholeNumber.optional(),
  batches: wholeNumber.optional(),
});

/** GET /v1/stats: the network dashboard's figures (service/stats, docs/dashboard.md). Public and read-only. */
export function statsRoutes(context: RouteContext): Route[] {
  const { store, mirror, rateLimits, limits } = context;
  // The same query within statsCacheMs gets the same answer: the dashboard is public, its GROUP BYs are not free.
  const cache = new Map<string, { at: number; body: string }>();
  return [
    {
      method: 'get',
      path: '/v1/stats',
      handlers: [
        rateLimits.address,
        async (req, res) => {
          const now = context.clock();
          const window = statsWindow(parseWith(statsQuery, req.query, 'query'), now);
          const key = cacheKey(window);
          const cached = cache.get(key);
          if (cached && now - cached.at < limits.statsCacheMs) {
            sendJsonText(res, 200, cached.body);
            return;
          }
          const head = await chainHead(context);
          const stats = await readNetworkStats({ stats: store.stats, mirror, batches: store.batches }, window, head);
          const body = JSON.stringify(networkStatsJson(stats, now, context.badgeClasses));
          for (const [old, entry] of cache) if (now - entry.at >= limits.statsCacheMs) cache.delete(old);
          if (limits.statsCacheMs > 0) cache.set(key, { at: now, body });
          sendJsonText(res, 200, body);
        },
      ],
    },
  ];
}

function cacheKey(window: StatsWindow): string {
  return `${window.months[0]}/${window.months.length}/${window.days[0]}/${window.days.length}/${window.batches}`;
}

/** The chain's head block, or null when it does not answer within chainTimeoutMs: the figures do not need it, the confirmations do. */
async function chainHead(context: RouteContext): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), context.limits.chainTimeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([context.chain.provider.getBlockNumber(), timeout]);
  } catch {
    context.metrics.rpcError('http', 'stats');
    return null;
  } finally {
    clearTimeout(timer);
  }
}
