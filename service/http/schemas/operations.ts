/** GET /health and GET /ready (service/http/routes/ops.ts). */
import { z } from 'zod';
import { ErrorDetail } from './errors';
import { integer, named, time } from './catalog';

export const Health = named('Health', z.strictObject({ status: z.literal('ok'), uptimeSeconds: integer }));

/** One readiness check: whether it passed, why, and the facts it found (each check adds its own). */
export const Check = named(
  'Check',
  z.strictObject({
    ok: z.boolean(),
    message: z.string(),
    writesFailing: z.boolean().optional().meta({ description: 'database: a write met a storage fault within the last minute.' }),
    fault: z.enum(['full', 'read-only', 'io', 'busy', 'unreachable']).optional().meta({ description: 'database: the last storage fault.' }),
    failedAt: time.optional().meta({ description: 'database: when that write failed.' }),
    head: integer.optional().meta({ description: 'chain: the head block.' }),
    lastBlock: integer.optional().meta({ description: 'indexer: the last block the registry mirror holds.' }),
    lagBlocks: integer.optional().meta({ description: 'indexer: how many blocks the mirror is behind the head.' }),
    leader: z.boolean().optional().meta({ description: 'anchoring: whether this process seals and anchors now (false: another process on the same PostgreSQL holds the anchorer lease).' }),
    waiting: z.boolean().optional().meta({ description: 'anchoring: it waits on fees (above BADGE_NOTARY_MAX_FEE_PER_GAS or the daily limit); message says why.' }),
    feePerGasWei: z.string().regex(/^[0-9]+$/).optional().meta({ description: 'anchoring: the fee per gas the chain asks, in wei (decimal).' }),
    since: time.optional().meta({ description: 'anchoring: when it began to wait.' }),
  }),
);

export const ReadinessChecks = named('ReadinessChecks', z.strictObject({ database: Check, chain: Check, indexer: Check, anchoring: Check }));

export const Readiness = named('Readiness', z.strictObject({ status: z.enum(['ready', 'degraded']), checks: ReadinessChecks }));

export const NotReady = named('NotReady', z.strictObject({ error: ErrorDetail, checks: ReadinessChecks }));

/** The OpenAPI document itself, described no further than its top level. */
export const OpenApiDocument = named(
  'OpenApiDocument',
  z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
);
