/**
 * npm run bench:service — the running notary under autocannon, on loopback:
 *   1. bulk intake of VC-JWT credentials (every signature checked), in credentials per second;
 *   2. receipt lookup of anchored credentials, in requests per second with p50 and p99;
 *   3. in the same run, a bare express route answering a constant JSON: the framework's ceiling here, the
 *      issue's reference; and the same route on a server made like the notary's (expressMessageClasses), which
 *      shows what the route itself costs once express's per-request prototype swap costs nothing.
 * The service runs as its own process (scripts/start.ts, embedded chain, its own temporary data directory),
 * as does each bare route, so none shares an event loop with the load generator.
 * Lookups ask for every credential the intake run acknowledged, in random order, once all are anchored.
 * The table shows the CPU the server and the load generator used in each quoted run (from /proc, Linux): the
 * server should be the one near a whole core, or the run measured the load generator.
 * Options (environment): BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10), BENCH_BULK (default 250),
 * BENCH_ROUNDS (default 3), BENCH_ROUND_SECONDS (default 5), BENCH_NODE_FLAGS (flags for the service's node,
 * e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles" to profile it).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../../service/chain/local-node';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { importIssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import { digestOf } from '../../service/credentials/digest';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { DEMO_MEMBER } from '../../service/embedded/embedded-chain';
import { cpuSecondsOf } from './process-cpu';
import { BenchArgumentError, parseServiceBenchArguments } from './service-arguments';
import { shuffle, startProcess, untilPipelineEmpty } from './service-harness';
import { benchStores } from './service-stores';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const BULK = Number(process.env.BENCH_BULK ?? 250);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);

/** The bare route; `serverOptions` is JS for http.createServer's options ('{}' is what app.listen does). */
const bareExpress = (serverOptions: string) => `
const http = require('node:http');
const express = require('express');
const app = express();
app.get('/constant', (req, res) => res.json({ status: 'ok', answer: 42 }));
http.createServer(${serverOptions}, app).listen(Number(process.env.PORT), '127.0.0.1');
`;

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ duration: SECONDS, connections: CONNECTIONS, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

interface Measured {
  result: autocannon.Result;
  /** Cores the server process and this load generator kept busy on average: which side was the bottleneck. */
  serverCores: number;
  clientCores: number;
}

/** Runs autocannon against the process `serverPid`, with the CPU both sides used meanwhile. */
async function measured(serverPid: number, options: autocannon.Options): Promise<Measured> {
  const serverBefore = cpuSecondsOf(serverPid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run(options);
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  return {
    result,
    serverCores: (cpuSecondsOf(serverPid) - serverBefore) / seconds,
    clientCores: (client.user + client.system) / 1e6 / seconds,
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const dataDir = mkdtempSync(join(tmpdir(), 'badge-notary-bench-'));
  // BENCH_NODE_FLAGS passes flags to the service's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles".
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const service = await startProcess([process.execPath, ...nodeFlags, '-r', 'ts-node/register/transpile-only', 'scripts/start.ts'], {
    BADGE_NOTARY_DATA_DIR: dataDir,
    BADGE_NOTARY_NODE_PORT: String(await freePort()),
    BADGE_NOTARY_LOG_LEVEL: 'warn',
    BADGE_NOTARY_BATCH_MAX_AGE_MS: '1000',
    // Every request of the run comes from 127.0.0.1: the default 60,000 per minute would answer 429s.
    BADGE_NOTARY_RATE_LIMIT_PER_ADDRESS: '100000000',
  }, '/ready');
  const started = [service];
  try {
    const bare = await startProcess([process.execPath, '-e', bareExpress('{}')], {}, '/constant');
    started.push(bare);
    const bareWithClasses = await startProcess(
      [process.execPath, '-r', 'ts-node/register/transpile-only', '-e', bareExpress("require('./service/http/message-classes').expressMessageClasses(app)")],
      {},
      '/constant',
    );
    started.push(bareWithClasses);
    const apiKey = readFileSync(join(dataDir, 'demo-api-key'), 'utf8').trim();
    const key = importIssuerKey(readFileSync(join(dataDir, 'demo-issuer-key.json'), 'utf8'));
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };

    // Fresh credentials for every request: a resubmission would be answered without a new signature check.
    const expected = Math.ceil((8_000 * SECONDS) / BULK) + CONNECTIONS;
    console.error(`signing ${(expected * BULK).toLocaleString('en-US')} VC-JWT credentials for the intake run...`);
    const template = buildAchievementCredential(demoBadgeInput({ issuerDid: DEMO_MEMBER.did, issuerName: DEMO_MEMBER.name, issuerEmail: DEMO_MEMBER.email }));
    const bodies: string[] = [];
    for (let b = 0; b < expected; b++) {
      const credentials = [];
      for (let i = 0; i < BULK; i++) {
        const credential = structuredClone(template);
        credential.id = `urn:uuid:${crypto.randomUUID()}`;
        (credential.credentialSubject as { id: string }).id = `did:example:earner-${b}-${i}`;
        credentials.push(await signCredential({ credential, key, format: 'vc-jwt' }));
      }
      bodies.push(JSON.stringify({ credentials }));
    }

    let next = 0;
    const digests: string[] = [];
    const intake = await run({
      url: `${service.url}/v1/credentials`,
      method: 'POST',
      headers,
      requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
    });
    if (next > bodies.length) console.error(`warning: ${next - bodies.length} intake requests resent earlier bodies (duplicates)`);
    const accepted = intake['2xx'];
    const intakeErrors = intake.non2xx + intake.errors;

    // Receipt lookups of every credential the intake run acknowledged, in random order (so across every batch
    // and its tree, not one warm batch), once the pipeline is empty: lookup is measured on its own, not
    // against the batching and anchoring of the intake run in the same process.
    const acknowledgedBodies = bodies.slice(0, Math.max(0, accepted - CONNECTIONS));
    for (const body of acknowledgedBodies) {
      for (const jwt of (JSON.parse(body) as { credentials: string[] }).credentials) digests.push(await digestOf(jwt));
    }
    // The signed bodies (over 100 MB) are not needed any more: the load generator's own GC should not weigh on
    // the lookup rounds.
    bodies.length = 0;
    acknowledgedBodies.length = 0;
    shuffle(digests);
    const paths = digests.map((digest) => `/v1/credentials/${digest}/receipt`);
    console.error(`waiting for the ${digests.length.toLocaleString('en-US')} credentials to be anchored...`);
    const drainStarted = performance.now();
    await untilPipelineEmpty(service.url, 600_000);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    // Lookup and the bare routes take turns in rounds (each round starts with the next one), each preceded by a
    // short warm-up, so that a change in the machine's load weighs on all alike; the round with the median
    // ratio to the bare route is quoted, and every round's ratio is shown.
    let pick = 0;
    const lookupRun = (duration: number) =>
      measured(service.child.pid!, {
        url: service.url,
        duration,
        requests: [{ setupRequest: (request) => ({ ...request, path: paths[pick++ % paths.length] }) }],
      });
    const bareRun = (duration: number) => measured(bare.child.pid!, { url: `${bare.url}/constant`, duration });
    const bareWithClassesRun = (duration: number) => measured(bareWithClasses.child.pid!, { url: `${bareWithClasses.url}/constant`, duration });
    const contenders = [lookupRun, bareRun, bareWithClassesRun];
    for (const run of contenders) await run(2);
    const rounds: { lookup: Measured; ceiling: Measured; withClasses: Measured; ratio: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const measuredThisRound: Measured[] = [];
      for (let turn = 0; turn < contenders.length; turn++) {
        const index = (round + turn) % contenders.length;
        measuredThisRound[index] = await contenders[index](ROUND_SECONDS);
      }
      const [roundLookup, roundCeiling, roundWithClasses] = measuredThisRound;
      rounds.push({
        lookup: roundLookup, ceiling: roundCeiling, withClasses: roundWithClasses,
        ratio: roundLookup.result.requests.average / roundCeiling.result.requests.average
      });
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(ROUNDS / 2)];
    const { result: lookup } = median.lookup;
    const { result: ceiling } = median.ceiling;
    const { result: withClasses } = median.withClasses;
    const ratios = rounds.map((r) => `${(r.ratio * 100).toFixed(0)}%`).join(', ');
    const percentOf = (part: autocannon.Result, whole: autocannon.Result) => `${((part.requests.average / whole.requests.average) * 100).toFixed(0)}%`;
    const loadAfter = loadavg();
    const cores = (m: Measured) => `${m.serverCores.toFixed(2)} / ${m.clientCores.toFixed(2)}`;
    const reqPerSecond = (result: autocannon.Result) => `${Math.round(result.requests.average).toLocaleString('en-US')} req/s`;

    const credentialsPerSecond = (accepted * BULK) / SECONDS;
    const rows = [
      ['bulk intake, VC-JWT, signatures checked', `${Math.round(credentialsPerSecond).toLocaleString('en-US')} credentials/s`, `${intake.requests.average} req/s of ${BULK}`, `${intake.latency.p50} ms`, `${intake.latency.p99} ms`, String(intakeErrors), '-'],
      ['receipt lookup (anchored)', reqPerSecond(lookup), `${percentOf(lookup, ceiling)} of bare (rounds: ${ratios})`, `${lookup.latency.p50} ms`, `${lookup.latency.p99} ms`, String(lookup.non2xx + lookup.errors), cores(median.lookup)],
      ['bare express route (constant JSON)', reqPerSecond(ceiling), '100%', `${ceiling.latency.p50} ms`, `${ceiling.latency.p99} ms`, String(ceiling.non2xx + ceiling.errors), cores(median.ceiling)],
      ['the same, server with the app classes', reqPerSecond(withClasses), `lookup is ${percentOf(lookup, withClasses)} of it`, `${withClasses.latency.p50} ms`, `${withClasses.latency.p99} ms`, String(withClasses.non2xx + withClasses.errors), cores(median.withClasses)],
    ];
    const headersRow = ['what', 'throughput', 'detail', 'p50', 'p99', 'errors', 'CPU cores: server / load generator'];
    const widths = headersRow.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log(
      `autocannon, ${CONNECTIONS} connections, loopback; intake ${SECONDS} s; lookup and the bare routes in ${ROUNDS} rounds of ${ROUND_SECONDS} s each, taking turns (the median round quoted); the service and each bare route in their own process; "app classes": http.createServer({ ...expressMessageClasses(app) }, app), as the service's server`,
    );
    console.log(
      `lookups: ${digests.length.toLocaleString('en-US')} anchored credentials in random order, after the pipeline drained (${drainSeconds.toFixed(1)} s); ` +
        `per-address rate limit raised for the run (one client address); load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after; ${cpus().length} cores`,
    );
    console.log(line(headersRow));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const row of rows) console.log(line(row));
    console.log(
      `\ntargets: intake >= 2,000 credentials/s (${credentialsPerSecond >= 2000 ? 'met' : 'MISSED'}); lookup >= 70% of bare (${lookup.requests.average >= 0.7 * ceiling.requests.average ? 'met' : 'MISSED'}) with p99 < 10 ms (${lookup.latency.p99 < 10 ? 'met' : 'MISSED'}); ` +
        `against the bare route on a server with the app classes, lookup is ${percentOf(lookup, withClasses)}`,
    );
  } finally {
    for (const running of started) await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

let store;
try {
  ({ store } = parseServiceBenchArguments(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof BenchArgumentError)) throw error;
  console.error(error.message);
  process.exit(2);
}
(store === 'postgres' ? benchStores() : main()).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
