import { STORAGE_FAULTS } from '../errors';
import { openApiDocument } from '../openapi';
import type { Route, RouteContext } from './route';
import { sanitisedMessage } from '../../errors';

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
          const [database, chain] = await Promise.all([checkDatabase(context), checkChain(context)]);
          const indexer = checkIndexer(context, chain.head as number | undefined);
          const anchoring = checkAnchoring(context);
          const checks = { database, chain, indexer, anchoring };
          const failed = Object.entries(checks).filter(([, check]) => !check.ok);
          if (failed.length === 0) {
            // Degraded: ready to serve reads and take credentials, while writes have lately been refused by
            // the disk, or anchoring waits on fees.
            res.json({ status: database.writesFailing || anchoring.waiting ? 'degraded' : 'ready', checks });
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

/**
 * How long a write refused by the disk keeps the service degraded: a minute, twice the Retry-After that
 * intake answers then, so that a client told to come back finds the readiness still saying why.
 */
const STORAGE_FAULT_MEMORY_MS = 60_000;

/**
 * The database is open and writable (NotaryStore.writeProblem). When a write
 * met a storage fault within the last minute the check still passes, since reads are served, but says so
 * (writesFailing) and /ready answers "degraded".
 */
async function checkDatabase(context: RouteContext): Promise<Check> {
  const problem = await context.store.writeProblem();
  if (problem) return { ok: false, message: problem };
  // The lock says nothing of the disk's space: what the last writes met does.
  const now = context.clock();
  const fault = context.store.health.lastFaultSince(now - STORAGE_FAULT_MEMORY_MS);
  if (fault) {
    const secondsAgo = Math.max(0, Math.round((now - fault.at) / 1000));
    return {
      ok: true,
      writesFailing: true,
      message: `reads are served, but a write failed ${secondsAgo} s ago: ${STORAGE_FAULTS[fault.fault]} (${fault.message})`,
      fault: fault.fault,
      failedAt: new Date(fault.at).toISOString(),
    };
  }
  return { ok: true, message: 'writable' };
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
    return { ok: false, message: `the chain is not reachable: ${sanitisedMessage(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Anchoring waits while the chain asks more than BADGE_NOTARY_MAX_FEE_PER_GAS, or the daily fee limit is
 * reached: the service still takes credentials (they queue and are sealed), so the check passes, but says
 * why and /ready answers "degraded".
 */
function checkAnchoring(context: RouteContext): Check {
  // Several processes on one database: the others serve the API while the lease's holder anchors.
  if (!context.anchorer.leads()) return { ok: true, leader: false, message: 'another process holds the anchorer lease: this one serves the API only' };
  const wait = context.metrics.anchoringWait();
  if (!wait?.waiting) return { ok: true, leader: true, message: 'anchoring is not waiting on fees' };
  return {
    ok: true,
    leader: true,
    waiting: true,
    message: wait.reason ?? 'anchoring waits on fees',
    ...(wait.neededPerGas === undefined ? {} : { feePerGasWei: wait.neededPerGas.toString() }),
    since: new Date(wait.at).toISOString(),
  };
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
