import { openApiDocument } from '../openapi';
import type { Route, RouteContext } from './route';

interface Check {
  ok: boolean;
  message: string;
  [fact: string]: unknown;
}

/** /health, /ready, /metrics and /openapi.json: unauthenticated, not rate limited. */
export function opsRoutes(context: RouteContext): Route[] {
  const started = context.clock();
  return [
    {
      method: 'get',
      path: '/health',
      handlers: [
        (_req, res) => {
          res.json({ status: 'ok', uptimeSeconds: Math.round((context.clock() - started) / 1000) });
        },
      ],
    },
    {
      method: 'get',
      path: '/ready',
      handlers: [
        async (_req, res) => {
          const database = checkDatabase(context);
          const chain = await checkChain(context);
          const indexer = checkIndexer(context, chain.head as number | undefined);
          const checks = { database, chain, indexer };
          const failed = Object.entries(checks).filter(([, check]) => !check.ok);
          if (failed.length === 0) {
            res.json({ status: 'ready', checks });
            return;
          }
          res.status(503).json({
            error: { code: 'not-ready', message: failed.map(([name, check]) => `${name}: ${check.message}`).join('; ') },
            checks,
          });
        },
      ],
    },
    {
      method: 'get',
      path: '/metrics',
      handlers: [
        async (_req, res) => {
          const text = await context.metrics.render();
          res.setHeader('Content-Type', context.metrics.contentType);
          res.send(text);
        },
      ],
    },
    {
      method: 'get',
      path: '/openapi.json',
      handlers: [
        (_req, res) => {
          res.json(openApiDocument);
        },
      ],
    },
  ];
}

/** The database is open, writable, and its write lock can be taken (and is released at once). */
function checkDatabase(context: RouteContext): Check {
  const { db } = context.store;
  if (!db.open) return { ok: false, message: 'the database is closed' };
  if (db.readonly) return { ok: false, message: 'the database is open read-only' };
  // Taking the write lock waits for another writer (another process) at most briefly: the probe blocks the thread.
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 200');
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return { ok: true, message: 'writable' };
  } catch (error) {
    return { ok: false, message: `cannot write: ${(error as Error).message}` };
  } finally {
    db.pragma(`busy_timeout = ${Number(busyTimeout)}`);
  }
}

async function checkChain(context: RouteContext): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${context.limits.chainTimeoutMs} ms`)), context.limits.chainTimeoutMs);
    timer.unref();
  });
  try {
    const head = await Promise.race([context.chain.provider.getBlockNumber(), timeout]);
    return { ok: true, message: `head block ${head}`, head };
  } catch (error) {
    context.metrics.rpcError('http', 'ready');
    return { ok: false, message: `the chain is not reachable: ${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

function checkIndexer(context: RouteContext, head: number | undefined): Check {
  const cursor = context.mirror.cursor();
  if (!cursor || cursor.lastBlockHash === null) return { ok: false, message: 'the registry mirror is empty: the indexer has not indexed any block yet' };
  if (head === undefined) return { ok: false, message: `indexed to block ${cursor.lastBlock}; the chain head is unknown`, lastBlock: cursor.lastBlock };
  const lagBlocks = Math.max(0, head - cursor.lastBlock);
  const facts = { lastBlock: cursor.lastBlock, lagBlocks };
  if (lagBlocks > context.limits.maxIndexerLagBlocks) {
    return { ok: false, message: `the registry mirror is ${lagBlocks} blocks behind the chain (at most ${context.limits.maxIndexerLagBlocks})`, ...facts };
  }
  return { ok: true, message: `indexed to block ${cursor.lastBlock}`, ...facts };
}
