/**
 * npm run soak -- --minutes N: the running notary under a mixed load for N minutes, on loopback.
 *
 * The service runs as its own process (scripts/start.ts: embedded chain, its own temporary data directory).
 * Three kinds of request loops run together until the time is up:
 *   intake   POST /v1/credentials, bulks of freshly signed VC-JWT credentials of the demo member (its key is
 *            in the data directory), each answered 202 with every credential created;
 *   lookup   GET /v1/credentials/{digest}/receipt of a credential taken earlier: 200 (anchored) or 202
 *            (pending); once a digest has answered 200 it must keep doing so;
 *   verify   POST /v1/verify of a credential whose receipt was seen: 200 and verified.
 * Anything else is an error (with its status and code). Lookups and verifications together stay under the
 * service's public rate limit (60,000 a minute per address): they are paced at 900 a second at most.
 *
 * Then it waits until the service's pipeline is empty (/metrics: nothing queued, sealed or being sent) and checks
 * that every acknowledged credential has its receipt: all of them through the service's own receipt lookup on
 * its database opened read-only (the code behind GET .../receipt; a million HTTP lookups would take 17 minutes
 * at the public rate limit), and a random thousand over HTTP too; the credentials without one are lost. A
 * sample of them is verified (POST /v1/verify). It reads the service's resident memory from /metrics (at the
 * start, every 10 s, and at the end) and prints a table: throughput, p50 and p99 per kind, errors, credentials
 * lost, memory, and the machine's load average (other work shares the machine).
 *
 * Options: --minutes N (default 1; fractions allowed) or --seconds N, --intake-workers (2), --lookup-workers
 * (2), --verify-workers (1), --bulk (50 credentials per intake request), --json (the report as JSON too).
 * The exit code is 1 when there was any error or any credential lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../service/chain/local-node';
import { buildAchievementCredential } from '../service/credentials/builder';
import { importIssuerKey, type IssuerKey } from '../service/credentials/keys';
import { signCredential } from '../service/credentials/signer';
import type { JsonObject } from '../service/credentials/types';
import { demoBadgeInput } from '../service/demo/demo-badge';
import { DEMO_MEMBER } from '../service/embedded/embedded-chain';
import { StoredReceiptLookup } from '../service/batching/receipt-lookup';
import { Store } from '../service/store';

const projectRoot = join(__dirname, '..');

export type Kind = 'intake' | 'lookup' | 'verify';
const KINDS: Kind[] = ['intake', 'lookup', 'verify'];

export interface SoakOptions {
  durationMs: number;
  intakeWorkers?: number;
  lookupWorkers?: number;
  verifyWorkers?: number;
  /** Credentials per intake request. */
  bulk?: number;
  /** How long to wait, after the load, for every acknowledged credential to be anchored. */
  drainTimeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface KindReport {
  requests: number;
  /** Credentials taken (intake), receipts answered (lookup), badges verified (verify). */
  items: number;
  errors: number;
  perSecond: number;
  itemsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface SoakReport {
  seconds: number;
  kinds: Record<Kind, KindReport>;
  errors: number;
  /** Error kinds and how often each came ("intake 503 chain-unavailable": 3). */
  errorKinds: Record<string, number>;
  errorSamples: string[];
  acknowledged: number;
  withReceipt: number;
  lost: number;
  lostSamples: string[];
  /** Seconds from the end of the load until the pipeline was empty, and until every receipt was found. */
  pipelineSeconds: number;
  drainSeconds: number;
  /** Receipts also asked over HTTP after the drain (a random sample), and how many answered 200 with the digest. */
  httpSample: number;
  httpSampleOk: number;
  /** Answers 429 (paced requests should not get any; not counted as errors). */
  rateLimited: number;
  memory: { startBytes: number; endBytes: number; peakBytes: number; heapStartBytes: number; heapEndBytes: number };
  loadAverage: { start: number[]; end: number[] };
  cores: number;
  /** Lookups answered 202 (the credential not anchored yet): not errors. */
  pendingLookups: number;
  /** After the drain: how many of a sample of the credentials taken verified, of how many. */
  finalVerified: number;
  finalSample: number;
}

// ------------------------------------------------------------------------------------------------------------
// The service process
// ------------------------------------------------------------------------------------------------------------

interface Service {
  url: string;
  dataDir: string;
  child: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

async function startService(log: (line: string) => void): Promise<Service> {
  const dataDir = mkdtempSync(join(tmpdir(), 'badge-notary-soak-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(join(projectRoot, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/start.ts'], {
    cwd: projectRoot,
    // Its own process group: stopped by its PID at the end, whatever happens.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      BADGE_NOTARY_HOST: '127.0.0.1',
      BADGE_NOTARY_PORT: String(port),
      BADGE_NOTARY_DATA_DIR: dataDir,
      BADGE_NOTARY_NODE_PORT: String(await freePort()),
      BADGE_NOTARY_LOG_LEVEL: 'warn',
      BADGE_NOTARY_BATCH_MAX_AGE_MS: '1000',
    },
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }, 20_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  log(`starting the service (pid ${child.pid}, data in ${dataDir})...`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the service exited with ${child.exitCode}:\n${output.join('')}`);
    }
    try {
      if ((await fetch(`${url}/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the service was not ready within 120 s:\n${output.join('')}`);
    }
    await sleep(250);
  }
  return { url, dataDir, child, output, stop };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The service's resident memory and heap in use, from its Prometheus metrics. */
async function serviceMemory(url: string): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (suffix: string) => {
    const line = text.split('\n').find((l) => !l.startsWith('#') && new RegExp(`(^|_)${suffix}(\\{[^}]*\\})? `).test(l));
    return line === undefined ? NaN : Number(line.trim().split(/\s+/).at(-1));
  };
  return { rss: value('process_resident_memory_bytes'), heap: value('nodejs_heap_size_used_bytes') };
}

/** What the service's batching pipeline holds, from /metrics (not rate limited). */
async function pipelineOf(url: string): Promise<{ queued: number; sealed: number; submitted: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (pattern: RegExp) => Number(text.match(pattern)?.[1] ?? NaN);
  return {
    queued: value(/^badge_notary_queue_depth (\S+)$/m),
    sealed: value(/^badge_notary_batches\{state="sealed"\} (\S+)$/m),
    submitted: value(/^badge_notary_batches\{state="submitted"\} (\S+)$/m),
  };
}

// ------------------------------------------------------------------------------------------------------------
// The load
// ------------------------------------------------------------------------------------------------------------

class Tally {
  readonly latencies: Record<Kind, number[]> = { intake: [], lookup: [], verify: [] };
  readonly items: Record<Kind, number> = { intake: 0, lookup: 0, verify: 0 };
  readonly errors: Record<Kind, number> = { intake: 0, lookup: 0, verify: 0 };
  readonly errorKinds = new Map<string, number>();
  readonly errorSamples: string[] = [];
  pendingLookups = 0;
  rateLimited = 0;

  error(kind: Kind, what: string, detail: string): void {
    this.errors[kind]++;
    const key = `${kind} ${what}`;
    this.errorKinds.set(key, (this.errorKinds.get(key) ?? 0) + 1);
    if (this.errorSamples.length < 20) this.errorSamples.push(`${key}: ${detail.slice(0, 300)}`);
  }
}

/** A request and its answer's body, timed from sending to the last byte. */
async function timed(url: string, init?: RequestInit): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  const body = await response.text();
  return { status: response.status, body, ms: performance.now() - started };
}

/** The public routes' rate limit is 60,000 a minute per client address: the soak's public requests stay below. */
const PUBLIC_REQUESTS_PER_SECOND = 900;

/** Spaces requests at most `perSecond` a second, across every loop that shares it. */
class Pacer {
  private next = 0;

  constructor(private readonly perSecond: number) {}

  async slot(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await sleep(at - now);
  }
}

/** A failed request's message with its cause (fetch says only "fetch failed"; the cause says why). */
function failure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `${(error as Error).message}${cause ? `: ${cause.code ?? ''} ${cause.message ?? ''}` : ''}`;
}

function errorCode(body: string): string {
  try {
    return (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? 'no-code';
  } catch {
    return 'not-json';
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const bulk = options.bulk ?? 50;
  const workers = { intake: options.intakeWorkers ?? 2, lookup: options.lookupWorkers ?? 2, verify: options.verifyWorkers ?? 1 };
  const service = await startService(log);
  // Interrupted (Ctrl-C, SIGTERM): the service and its chain stop with the soak.
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the service`);
    void service.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const apiKey = readFileSync(join(service.dataDir, 'demo-api-key'), 'utf8').trim();
    const key: IssuerKey = importIssuerKey(readFileSync(join(service.dataDir, 'demo-issuer-key.json'), 'utf8'));
    const template = buildAchievementCredential(demoBadgeInput({ issuerDid: DEMO_MEMBER.did, issuerName: DEMO_MEMBER.name, issuerEmail: DEMO_MEMBER.email }));
    const tally = new Tally();
    const pacer = new Pacer(PUBLIC_REQUESTS_PER_SECOND);

    // Every digest the service acknowledged, those seen anchored, and recent anchored credentials to verify.
    const acknowledged: string[] = [];
    const pendingJwts = new Map<string, string>();
    const anchored = new Set<string>();
    const verifiable: { digest: string; jwt: string }[] = [];
    const VERIFIABLE_KEPT = 2_000;
    const FINAL_SAMPLE = 20;
    const HTTP_SAMPLE = 1_000;
    const PENDING_KEPT = 5_000;

    const loadStart = loadavg();
    const memoryStart = await serviceMemory(service.url);
    let peak = memoryStart.rss;
    const started = performance.now();
    const end = started + options.durationMs;
    const running = () => performance.now() < end;
    log(`load for ${(options.durationMs / 1000).toFixed(0)} s: ${workers.intake} intake (bulks of ${bulk}), ${workers.lookup} lookup, ${workers.verify} verify loops`);

    let serial = 0;
    const intake = async () => {
      while (running()) {
        const jwts: string[] = [];
        for (let i = 0; i < bulk; i++) {
          const credential = structuredClone(template) as JsonObject;
          credential.id = `urn:uuid:${crypto.randomUUID()}`;
          (credential.credentialSubject as JsonObject).id = `did:example:soak-earner-${serial++}`;
          jwts.push(await signCredential({ credential, key, format: 'vc-jwt' }));
          // One signature at a time, so that the other loops' answers are read (and timed) without waiting.
          await new Promise((resolve) => setImmediate(resolve));
        }
        try {
          const answer = await timed(`${service.url}/v1/credentials`, {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ credentials: jwts }),
          });
          tally.latencies.intake.push(answer.ms);
          if (answer.status !== 202) {
            tally.error('intake', `${answer.status} ${errorCode(answer.body)}`, answer.body);
            continue;
          }
          const body = JSON.parse(answer.body) as { count: number; created: number; credentials: { index: number; digest: string; created: boolean }[] };
          if (body.count !== bulk || body.created !== bulk || body.credentials.length !== bulk) {
            tally.error('intake', 'not all created', `count ${body.count}, created ${body.created} of ${bulk}`);
          }
          for (const item of body.credentials) {
            acknowledged.push(item.digest);
            tally.items.intake++;
            if (pendingJwts.size < PENDING_KEPT) pendingJwts.set(item.digest, jwts[item.index]);
          }
        } catch (error) {
          tally.error('intake', 'request failed', failure(error));
        }
      }
    };

    const lookup = async () => {
      while (running()) {
        if (acknowledged.length === 0) {
          await sleep(50);
          continue;
        }
        // Half the lookups about the newest credentials (mostly pending), half about any.
        const index = Math.random() < 0.5
          ? acknowledged.length - 1 - Math.floor(Math.random() * Math.min(acknowledged.length, 5 * bulk))
          : Math.floor(Math.random() * acknowledged.length);
        const digest = acknowledged[index];
        await pacer.slot();
        try {
          const answer = await timed(`${service.url}/v1/credentials/${digest}/receipt`);
          tally.latencies.lookup.push(answer.ms);
          if (answer.status === 200) {
            const receipt = JSON.parse(answer.body) as { digest?: string };
            if (receipt.digest !== digest) tally.error('lookup', 'wrong receipt', `asked ${digest}, got ${answer.body.slice(0, 120)}`);
            tally.items.lookup++;
            if (!anchored.has(digest)) {
              anchored.add(digest);
              const jwt = pendingJwts.get(digest);
              pendingJwts.delete(digest);
              if (jwt !== undefined) {
                verifiable.push({ digest, jwt });
                if (verifiable.length > VERIFIABLE_KEPT) verifiable.splice(0, verifiable.length - VERIFIABLE_KEPT);
              }
            }
          } else if (answer.status === 202 && !anchored.has(digest)) {
            tally.pendingLookups++;
          } else if (answer.status === 429) {
            tally.rateLimited++;
          } else {
            tally.error('lookup', `${answer.status} ${errorCode(answer.body)}`, `${digest}${anchored.has(digest) ? ' (answered 200 before)' : ''}: ${answer.body}`);
          }
        } catch (error) {
          tally.error('lookup', 'request failed', failure(error));
        }
      }
    };

    /** POST /v1/verify of an anchored credential: true when answered 200 and verified; otherwise an error. */
    const verifyOne = async (digest: string, jwt: string, timing: boolean): Promise<boolean> => {
      await pacer.slot();
      try {
        const answer = await timed(`${service.url}/v1/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ credential: jwt }),
        });
        if (timing) tally.latencies.verify.push(answer.ms);
        if (answer.status === 429) {
          tally.rateLimited++;
          return false;
        }
        if (answer.status !== 200) {
          tally.error('verify', `${answer.status} ${errorCode(answer.body)}`, answer.body);
          return false;
        }
        const report = JSON.parse(answer.body) as { verified: boolean; steps: { name: string; status: string; message?: string }[] };
        if (report.verified === true) return true;
        const failed = report.steps.filter((s) => s.status !== 'passed').map((s) => `${s.name}: ${s.status} ${s.message ?? ''}`);
        tally.error('verify', 'not verified', `${digest}: ${failed.join('; ')}`);
      } catch (error) {
        tally.error('verify', 'request failed', failure(error));
      }
      return false;
    };

    const verify = async () => {
      while (running()) {
        if (verifiable.length === 0) {
          await sleep(100);
          continue;
        }
        const { digest, jwt } = verifiable[Math.floor(Math.random() * verifiable.length)];
        if (await verifyOne(digest, jwt, true)) tally.items.verify++;
      }
    };

    const sampler = async () => {
      while (running()) {
        await sleep(Math.min(10_000, Math.max(0, end - performance.now())));
        try {
          const { rss } = await serviceMemory(service.url);
          peak = Math.max(peak, rss);
          const elapsed = (performance.now() - started) / 1000;
          log(
            `  ${elapsed.toFixed(0)} s: ${tally.items.intake} credentials taken, ${tally.latencies.lookup.length} lookups, ${tally.items.verify} verified, ` +
              `${KINDS.reduce((n, k) => n + tally.errors[k], 0)} errors, RSS ${(rss / 2 ** 20).toFixed(0)} MiB`,
          );
        } catch (error) {
          log(`  memory sample failed: ${(error as Error).message}`);
        }
      }
    };

    const loops: Promise<void>[] = [sampler()];
    for (let i = 0; i < workers.intake; i++) loops.push(intake());
    for (let i = 0; i < workers.lookup; i++) loops.push(lookup());
    for (let i = 0; i < workers.verify; i++) loops.push(verify());
    await Promise.all(loops);
    const seconds = (performance.now() - started) / 1000;

    // Every acknowledged credential must come to have its receipt. First the pipeline empties...
    log(`load over after ${seconds.toFixed(1)} s; waiting for ${acknowledged.length} credentials to be anchored...`);
    const drainStarted = performance.now();
    const drainDeadline = drainStarted + (options.drainTimeoutMs ?? 600_000);
    for (;;) {
      const pipeline = await pipelineOf(service.url);
      if (pipeline.queued === 0 && pipeline.sealed === 0 && pipeline.submitted === 0) break;
      if (performance.now() > drainDeadline) {
        log(`  the pipeline is not empty after the drain timeout: ${JSON.stringify(pipeline)}`);
        break;
      }
      await sleep(500);
    }
    const pipelineSeconds = (performance.now() - drainStarted) / 1000;
    // ...then each one's receipt, from the service's own lookup on its database (read-only, beside it).
    let missing = acknowledged;
    const store = Store.open({ path: join(service.dataDir, 'notary.sqlite'), readonly: true });
    try {
      const receipts = new StoredReceiptLookup({ store });
      for (;;) {
        const still: string[] = [];
        for (const [i, digest] of missing.entries()) {
          const receipt = await receipts.receipt(digest).catch(() => undefined);
          if (receipt?.digest.toLowerCase() !== digest.toLowerCase()) still.push(digest);
          // Let the event loop run now and then: otherwise the HTTP client never sees the server close its idle
          // keep-alive connections during these minutes, and reuses a closed one afterwards ("fetch failed").
          if (i % 1_000 === 999) await new Promise((resolve) => setImmediate(resolve));
        }
        missing = still;
        log(`  ${((performance.now() - drainStarted) / 1000).toFixed(0)} s: ${acknowledged.length - missing.length} of ${acknowledged.length} have their receipt`);
        if (missing.length === 0 || performance.now() > drainDeadline) break;
        await sleep(1_000);
      }
    } finally {
      store.close();
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;

    // A random thousand of them over HTTP as well: 200 and their receipt.
    let httpSampleOk = 0;
    const httpSample = Array.from({ length: Math.min(HTTP_SAMPLE, acknowledged.length) }, () => acknowledged[Math.floor(Math.random() * acknowledged.length)]);
    for (const digest of httpSample) {
      await pacer.slot();
      try {
        const answer = await timed(`${service.url}/v1/credentials/${digest}/receipt`);
        if (answer.status === 200 && (JSON.parse(answer.body) as { digest?: string }).digest === digest) httpSampleOk++;
        else if (answer.status === 429) tally.rateLimited++;
        else tally.error('lookup', `after the drain ${answer.status} ${errorCode(answer.body)}`, `${digest}: ${answer.body}`);
      } catch (error) {
        tally.error('lookup', 'after the drain, request failed', failure(error));
      }
    }

    // Once all are anchored, a sample of the credentials taken verifies too (not timed: the load is over).
    let finalVerified = 0;
    const candidates: [string, string][] = [...pendingJwts, ...verifiable.map(({ digest, jwt }): [string, string] => [digest, jwt])];
    const lost = new Set(missing);
    const sample = candidates.filter(([digest]) => !lost.has(digest)).slice(0, FINAL_SAMPLE);
    for (const [digest, jwt] of sample) if (await verifyOne(digest, jwt, false)) finalVerified++;
    const memoryEnd = await serviceMemory(service.url);
    peak = Math.max(peak, memoryEnd.rss);
    const loadEnd = loadavg();

    const kinds = {} as Record<Kind, KindReport>;
    for (const kind of KINDS) {
      const sorted = [...tally.latencies[kind]].sort((a, b) => a - b);
      kinds[kind] = {
        requests: sorted.length,
        items: tally.items[kind],
        errors: tally.errors[kind],
        perSecond: sorted.length / seconds,
        itemsPerSecond: tally.items[kind] / seconds,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
        maxMs: sorted.at(-1) ?? NaN,
      };
    }
    return {
      seconds,
      kinds,
      errors: KINDS.reduce((n, k) => n + tally.errors[k], 0),
      errorKinds: Object.fromEntries(tally.errorKinds),
      errorSamples: tally.errorSamples,
      acknowledged: acknowledged.length,
      withReceipt: acknowledged.length - missing.length,
      lost: missing.length,
      lostSamples: missing.slice(0, 10),
      pipelineSeconds,
      drainSeconds,
      httpSample: httpSample.length,
      httpSampleOk,
      rateLimited: tally.rateLimited,
      memory: { startBytes: memoryStart.rss, endBytes: memoryEnd.rss, peakBytes: peak, heapStartBytes: memoryStart.heap, heapEndBytes: memoryEnd.heap },
      loadAverage: { start: loadStart, end: loadEnd },
      cores: cpus().length,
      pendingLookups: tally.pendingLookups,
      finalVerified,
      finalSample: sample.length,
    };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await service.stop();
  }
}

// ------------------------------------------------------------------------------------------------------------
// The report
// ------------------------------------------------------------------------------------------------------------

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '-');
const count = (value: number) => Math.round(value).toLocaleString('en-US');

export function formatReport(report: SoakReport, workers: { intake: number; lookup: number; verify: number; bulk: number }): string {
  const unit: Record<Kind, string> = { intake: 'credentials/s', lookup: 'receipts/s', verify: 'verified/s' };
  const rows = KINDS.map((kind) => {
    const k = report.kinds[kind];
    return [
      kind,
      `${workers[kind]}`,
      count(k.requests),
      `${k.perSecond.toFixed(1)} req/s`,
      `${count(k.itemsPerSecond)} ${unit[kind]}`,
      ms(k.p50Ms),
      ms(k.p99Ms),
      ms(k.maxMs),
      String(k.errors),
    ];
  });
  const header = ['kind', 'loops', 'requests', 'requests/s', 'throughput', 'p50', 'p99', 'max', 'errors'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const load = (values: number[]) => values.map((v) => v.toFixed(2)).join(' / ');
  const lines = [
    `soak: ${report.seconds.toFixed(1)} s of mixed load on loopback; the service in its own process (embedded chain); intake bulks of ${workers.bulk} VC-JWT credentials`,
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    `errors: ${report.errors}${report.errors > 0 ? ` (${Object.entries(report.errorKinds).map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`,
    `credentials: ${count(report.acknowledged)} acknowledged; the pipeline (queue, sealed, sent) was empty ${report.pipelineSeconds.toFixed(1)} s after the load; ${count(report.withReceipt)} with their receipt (checked by ${report.drainSeconds.toFixed(1)} s), ${report.lost} lost; over HTTP, ${report.httpSampleOk} of a random ${report.httpSample} answered their receipt`,
    `lookups answered 202 (not anchored yet, not errors): ${count(report.pendingLookups)}; answers 429: ${report.rateLimited}; after the drain, ${report.finalVerified} of a sample of ${report.finalSample} credentials verified`,
    `service memory (RSS): ${mib(report.memory.startBytes)} at the start, ${mib(report.memory.endBytes)} at the end, ${mib(report.memory.peakBytes)} at the peak sampled; heap used ${mib(report.memory.heapStartBytes)} -> ${mib(report.memory.heapEndBytes)}`,
    `machine: ${report.cores} cores; load average (1 / 5 / 15 min) ${load(report.loadAverage.start)} at the start, ${load(report.loadAverage.end)} at the end`,
  ];
  if (report.errorSamples.length > 0) lines.push('', 'first errors:', ...report.errorSamples.map((s) => `  ${s}`));
  if (report.lostSamples.length > 0) lines.push('', 'lost (first):', ...report.lostSamples.map((s) => `  ${s}`));
  return lines.join('\n');
}

function parseArguments(argv: string[]) {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (name === 'json') options.json = 'true';
    else options[name] = inline ?? argv[++i];
  }
  const number = (name: string, fallback: number) => {
    if (options[name] === undefined) return fallback;
    const value = Number(options[name]);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
    return value;
  };
  const known = new Set(['minutes', 'seconds', 'intake-workers', 'lookup-workers', 'verify-workers', 'bulk', 'json']);
  for (const name of Object.keys(options)) if (!known.has(name)) throw new Error(`unknown option --${name}`);
  return {
    durationMs: options.seconds !== undefined ? number('seconds', 60) * 1000 : number('minutes', 1) * 60_000,
    intakeWorkers: Math.round(number('intake-workers', 2)),
    lookupWorkers: Math.round(number('lookup-workers', 2)),
    verifyWorkers: Math.round(number('verify-workers', 1)),
    bulk: Math.round(number('bulk', 50)),
    json: options.json === 'true',
  };
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\nusage: npm run soak -- --minutes N [--intake-workers 2] [--lookup-workers 2] [--verify-workers 1] [--bulk 50] [--json]`);
    process.exitCode = 2;
    return;
  }
  const { json, ...options } = parsed;
  const report = await runSoak({ ...options, log: (line) => console.error(line) });
  console.log(formatReport(report, { intake: options.intakeWorkers, lookup: options.lookupWorkers, verify: options.verifyWorkers, bulk: options.bulk }));
  if (json) console.log(JSON.stringify(report, null, 2));
  if (report.errors > 0 || report.lost > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
