import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAddress, isHexString, parseUnits } from 'ethers';
import { z } from 'zod';
import { NotaryError } from '../errors';

/**
 * The service's configuration, from environment variables with embedded defaults. With no
 * BADGE_NOTARY_RPC_URL the service runs embedded: it starts its own chain on loopback.
 */
export interface ServiceConfig {
  /** Where the API listens, and how long it waits for slow clients (ms; unset: service/notary-process's defaults). */
  http: { host: string; port: number; headersTimeoutMs?: number; requestTimeoutMs?: number; keepAliveTimeoutMs?: number };
  dataDir: string;
  /**
   * The SQLite file: the notary's records and the chain mirror, or, with `postgres` set, the chain mirror alone
   * (a cache of this process's own: BADGE_NOTARY_DATABASE, default chain-mirror.sqlite in the data directory).
   */
  databasePath: string;
  /**
   * BADGE_NOTARY_DATABASE_URL=postgres://...: the notary's records are in PostgreSQL, shared by several service
   * processes, of which the holder of the anchorer's lease seals and anchors (docs/operations.md).
   */
  postgres?: PostgresConfig;
  chain: EmbeddedChainConfig | ExternalChainConfig;
  /** Confirmations after which an anchor counts as confirmed. */
  confirmations: number;
  /** Blocks after which a confirmed anchor is final; undefined: use the chain's `finalized` block tag. */
  finalityDepth?: number;
  batch: { maxSize: number; maxAgeMs: number };
  intake: { maxBulk: number; maxBodyBytes: number };
  /** Requests per minute: per client address on the public routes, per member on the authenticated ones. */
  rateLimits: { perAddressPerMinute: number; perMemberPerMinute: number };
  /**
   * Public verification's bounds (docs/api.md, "Limits"): JSON values per JSON credential; checks on the verifier
   * pool at once (undefined: half its workers); verifications admitted beyond those.
   */
  verification: { maxCredentialValues: number; slots?: number; queue: number };
  /** How often the anchorer and the indexer look at the chain. */
  pollIntervalMs: number;
  /**
   * The chain's JSON-RPC URL that the backpack's pages may verify against without the service (docs/backpack.md):
   * BADGE_NOTARY_PUBLIC_RPC_URL. Unset, service/config/public-rpc.ts decides (the service's own URL on loopback only).
   */
  publicRpcUrl?: string;
  /** What anchoring may cost (docs/operations.md). */
  fees: FeeConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export interface PostgresConfig {
  url: string;
  /** Connections per process. */
  poolSize: number;
  /** How long the anchorer's lease runs without renewal: how soon another process takes over from a dead leader. */
  leaseTtlMs: number;
}

export interface FeeConfig {
  /** The most an anchor may offer per gas (wei); above it anchoring waits. Undefined: no cap. */
  maxFeePerGas?: bigint;
  /** The most the anchors mined in the last 24 hours may cost in all (wei). Undefined: no limit. */
  dailyLimitWei?: bigint;
  /** A pending anchor unmined for this long is replaced with higher fees. */
  replaceAfterMs: number;
  /** A replacement raises the fees by at least this (percent). */
  replacementBumpPercent: number;
  /** The least tip offered (wei per gas). */
  minPriorityFeePerGas: bigint;
}

export interface EmbeddedChainConfig {
  mode: 'embedded';
  /** Port of the local Hardhat node on 127.0.0.1. */
  nodePort: number;
}

export interface ExternalChainConfig {
  mode: 'external';
  rpcUrl: string;
  /** The deployment record to read the registry from, unless `registry` is given. */
  deploymentFile?: string;
  registry?: string;
  deploymentBlock?: number;
  /** The notary account that anchors: a 0x private key. */
  anchorKey: string;
}

export class ConfigError extends NotaryError {
  override name = 'ConfigError';

  constructor(readonly problems: { variable: string; message: string }[]) {
    const details = problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n');
    super('invalid-configuration', 'invalid configuration', { details, message: `invalid configuration:\n${details}` });
  }
}

const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, `expected a whole number from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected a whole number from ${min} to ${max}`);

const url = z.string().refine((text) => {
  try {
    return ['http:', 'https:', 'ws:', 'wss:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}, 'expected an http(s) or ws(s) URL');

/** A URL a browser's fetch can call: http or https, with no user name or password in it (it is published). */
const browserUrl = z.string().refine((text) => {
  try {
    const parsed = new URL(text);
    return ['http:', 'https:'].includes(parsed.protocol) && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}, 'expected an http(s) URL without a user name or password (browsers are given it)');

/** An amount of wei: a whole number, or one with a unit ("30 gwei", "0.05 ether"). */
const wei = z.string().transform((text, context) => {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(wei|gwei|ether|eth)?\s*$/i.exec(text);
  if (match) {
    const unit = (match[2] ?? 'wei').toLowerCase();
    try {
      return parseUnits(match[1], unit === 'wei' ? 0 : unit === 'gwei' ? 9 : 18);
    } catch {
      // too many decimals for the unit: reported below
    }
  }
  context.addIssue({ code: z.ZodIssueCode.custom, message: 'expected an amount of wei: a whole number, or a number with a unit (e.g. "30 gwei", "0.05 ether")' });
  return z.NEVER;
});

const privateKey = z.string().refine((text) => isHexString(text, 32), 'expected a 0x private key (64 hex digits)');

/** Every variable the service reads, with its rule. Unset means the default. */
const variables = {
  BADGE_NOTARY_HOST: z.string().min(1),
  BADGE_NOTARY_PORT: whole(0, 65535),
  BADGE_NOTARY_HEADERS_TIMEOUT_MS: whole(100, 600_000),
  BADGE_NOTARY_REQUEST_TIMEOUT_MS: whole(100, 3_600_000),
  BADGE_NOTARY_KEEP_ALIVE_TIMEOUT_MS: whole(100, 600_000),
  BADGE_NOTARY_DATA_DIR: z.string().min(1),
  BADGE_NOTARY_DATABASE: z.string().min(1),
  BADGE_NOTARY_DATABASE_URL: z.string().refine((text) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, 'expected a postgres:// URL'),
  BADGE_NOTARY_DATABASE_POOL_SIZE: whole(1, 1_000),
  BADGE_NOTARY_LEASE_TTL_MS: whole(1_000, 600_000),
  BADGE_NOTARY_RPC_URL: url,
  BADGE_NOTARY_PUBLIC_RPC_URL: browserUrl,
  BADGE_NOTARY_NODE_PORT: whole(1, 65535),
  BADGE_NOTARY_DEPLOYMENT: z.string().min(1),
  BADGE_NOTARY_REGISTRY: z.string().refine((text) => isAddress(text), 'expected a 0x address (40 hex digits)'),
  BADGE_NOTARY_DEPLOYMENT_BLOCK: whole(0, Number.MAX_SAFE_INTEGER),
  BADGE_NOTARY_ANCHOR_KEY: privateKey,
  BADGE_NOTARY_ANCHOR_KEY_FILE: z.string().min(1),
  BADGE_NOTARY_CONFIRMATIONS: whole(1, 1000),
  BADGE_NOTARY_FINALITY_DEPTH: whole(1, 10_000),
  BADGE_NOTARY_BATCH_MAX_SIZE: whole(1, 1_000_000),
  BADGE_NOTARY_BATCH_MAX_AGE_MS: whole(10, 86_400_000),
  BADGE_NOTARY_BULK_MAX: whole(1, 10_000),
  BADGE_NOTARY_MAX_BODY_BYTES: whole(1024, 512 * 1024 * 1024),
  BADGE_NOTARY_RATE_LIMIT_PER_ADDRESS: whole(1, 100_000_000),
  BADGE_NOTARY_RATE_LIMIT_PER_MEMBER: whole(1, 100_000_000),
  BADGE_NOTARY_VERIFY_MAX_VALUES: whole(100, 10_000_000),
  BADGE_NOTARY_VERIFY_SLOTS: whole(1, 1_024),
  BADGE_NOTARY_VERIFY_QUEUE: whole(0, 100_000),
  BADGE_NOTARY_POLL_INTERVAL_MS: whole(10, 600_000),
  BADGE_NOTARY_MAX_FEE_PER_GAS: wei,
  BADGE_NOTARY_DAILY_FEE_LIMIT: wei,
  BADGE_NOTARY_REPLACE_AFTER_MS: whole(100, 86_400_000),
  BADGE_NOTARY_REPLACEMENT_BUMP_PERCENT: whole(10, 1000),
  BADGE_NOTARY_MIN_PRIORITY_FEE: wei,
  BADGE_NOTARY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
} as const;

type Variable = keyof typeof variables;
type Parsed = { [K in Variable]?: z.output<(typeof variables)[K]> };

/** Reads and checks the configuration; a wrong value throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const problems: { variable: string; message: string }[] = [];
  const parsed: Parsed = {};
  for (const [name, schema] of Object.entries(variables) as [Variable, z.ZodType][]) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const result = schema.safeParse(raw);
    if (result.success) (parsed as Record<string, unknown>)[name] = result.data;
    else problems.push({ variable: name, message: `${result.error.issues[0].message} (got "${raw}")` });
  }

  const dataDir = resolve(parsed.BADGE_NOTARY_DATA_DIR ?? 'data');
  const chain = chainConfig(parsed, dataDir, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const embedded = chain!.mode === 'embedded';
  return {
    http: {
      host: parsed.BADGE_NOTARY_HOST ?? '127.0.0.1',
      port: parsed.BADGE_NOTARY_PORT ?? 8080,
      ...definedOnly({
        headersTimeoutMs: parsed.BADGE_NOTARY_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: parsed.BADGE_NOTARY_REQUEST_TIMEOUT_MS,
        keepAliveTimeoutMs: parsed.BADGE_NOTARY_KEEP_ALIVE_TIMEOUT_MS,
      }),
    },
    dataDir,
    databasePath: resolve(parsed.BADGE_NOTARY_DATABASE ?? join(dataDir, parsed.BADGE_NOTARY_DATABASE_URL ? 'chain-mirror.sqlite' : 'notary.sqlite')),
    ...definedOnly({
      postgres: parsed.BADGE_NOTARY_DATABASE_URL === undefined ? undefined : {
        url: parsed.BADGE_NOTARY_DATABASE_URL,
        poolSize: parsed.BADGE_NOTARY_DATABASE_POOL_SIZE ?? 10,
        leaseTtlMs: parsed.BADGE_NOTARY_LEASE_TTL_MS ?? 15_000,
      },
    }),
    chain: chain!,
    // The embedded chain mines a block per transaction, so deeper confirmations would wait for traffic.
    confirmations: parsed.BADGE_NOTARY_CONFIRMATIONS ?? (embedded ? 1 : 6),
    finalityDepth: parsed.BADGE_NOTARY_FINALITY_DEPTH,
    batch: {
      maxSize: parsed.BADGE_NOTARY_BATCH_MAX_SIZE ?? 10_000,
      maxAgeMs: parsed.BADGE_NOTARY_BATCH_MAX_AGE_MS ?? (embedded ? 2_000 : 60_000),
    },
    intake: {
      maxBulk: parsed.BADGE_NOTARY_BULK_MAX ?? 1_000,
      maxBodyBytes: parsed.BADGE_NOTARY_MAX_BODY_BYTES ?? 16 * 1024 * 1024,
    },
    rateLimits: {
      perAddressPerMinute: parsed.BADGE_NOTARY_RATE_LIMIT_PER_ADDRESS ?? 60_000,
      perMemberPerMinute: parsed.BADGE_NOTARY_RATE_LIMIT_PER_MEMBER ?? 300_000,
    },
    verification: {
      maxCredentialValues: parsed.BADGE_NOTARY_VERIFY_MAX_VALUES ?? 1_000,
      ...definedOnly({ slots: parsed.BADGE_NOTARY_VERIFY_SLOTS }),
      queue: parsed.BADGE_NOTARY_VERIFY_QUEUE ?? 16,
    },
    pollIntervalMs: parsed.BADGE_NOTARY_POLL_INTERVAL_MS ?? (embedded ? 200 : 4_000),
    ...definedOnly({ publicRpcUrl: parsed.BADGE_NOTARY_PUBLIC_RPC_URL }),
    fees: {
      ...definedOnly({ maxFeePerGas: parsed.BADGE_NOTARY_MAX_FEE_PER_GAS, dailyLimitWei: parsed.BADGE_NOTARY_DAILY_FEE_LIMIT }),
      replaceAfterMs: parsed.BADGE_NOTARY_REPLACE_AFTER_MS ?? 180_000,
      replacementBumpPercent: parsed.BADGE_NOTARY_REPLACEMENT_BUMP_PERCENT ?? 10,
      minPriorityFeePerGas: parsed.BADGE_NOTARY_MIN_PRIORITY_FEE ?? 1_000_000n,
    },
    logLevel: parsed.BADGE_NOTARY_LOG_LEVEL ?? 'info',
  };
}

/** The entries of `values` that are set. */
function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function chainConfig(
  parsed: Parsed,
  dataDir: string,
  problems: { variable: string; message: string }[],
): EmbeddedChainConfig | ExternalChainConfig | undefined {
  if (parsed.BADGE_NOTARY_RPC_URL === undefined) {
    for (const name of ['BADGE_NOTARY_REGISTRY', 'BADGE_NOTARY_ANCHOR_KEY', 'BADGE_NOTARY_ANCHOR_KEY_FILE'] as const) {
      if (parsed[name] !== undefined) {
        problems.push({ variable: name, message: 'only used with BADGE_NOTARY_RPC_URL (without it the service runs its own local chain)' });
      }
    }
    return { mode: 'embedded', nodePort: parsed.BADGE_NOTARY_NODE_PORT ?? 8545 };
  }

  let anchorKey = parsed.BADGE_NOTARY_ANCHOR_KEY;
  if (parsed.BADGE_NOTARY_ANCHOR_KEY_FILE !== undefined) {
    try {
      const fromFile = readFileSync(parsed.BADGE_NOTARY_ANCHOR_KEY_FILE, 'utf8').trim();
      if (isHexString(fromFile, 32)) anchorKey = fromFile;
      else problems.push({ variable: 'BADGE_NOTARY_ANCHOR_KEY_FILE', message: 'the file must hold a 0x private key (64 hex digits)' });
    } catch (cause) {
      problems.push({ variable: 'BADGE_NOTARY_ANCHOR_KEY_FILE', message: `cannot read it: ${(cause as Error).message}` });
    }
  }
  if (anchorKey === undefined && parsed.BADGE_NOTARY_ANCHOR_KEY_FILE === undefined) {
    problems.push({ variable: 'BADGE_NOTARY_ANCHOR_KEY', message: 'required with BADGE_NOTARY_RPC_URL: the notary account’s private key (or BADGE_NOTARY_ANCHOR_KEY_FILE)' });
  }
  if (parsed.BADGE_NOTARY_REGISTRY !== undefined && parsed.BADGE_NOTARY_DEPLOYMENT_BLOCK === undefined) {
    problems.push({ variable: 'BADGE_NOTARY_DEPLOYMENT_BLOCK', message: 'required with BADGE_NOTARY_REGISTRY: the block the registry was deployed in (the indexer starts there)' });
  }
  return {
    mode: 'external',
    rpcUrl: parsed.BADGE_NOTARY_RPC_URL,
    registry: parsed.BADGE_NOTARY_REGISTRY,
    deploymentBlock: parsed.BADGE_NOTARY_DEPLOYMENT_BLOCK,
    deploymentFile:
      parsed.BADGE_NOTARY_REGISTRY === undefined ? resolve(parsed.BADGE_NOTARY_DEPLOYMENT ?? join(dataDir, 'deployment.json')) : undefined,
    anchorKey: anchorKey ?? '',
  };
}
