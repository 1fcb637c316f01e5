// Issue #17, point 2: one client must not stall the service. Public verification checks signatures (JSON-LD
// canonicalisation for Data Integrity credentials) on the verifier pool's threads, behind per-route limits, so
// that /health and intake stay responsive while POST /v1/verify is flooded. The structural measure is the
// service process's own event loop: prom-client's monitorEventLoopDelay histogram, read (and reset) through
// GET /metrics before and after the flood.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberJwt } from '../../service/cli/service-commands';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import type { CredentialFormat } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { call, startKillableService, type KillableService } from '../support/killable-service';
import { wellKnownAccount } from '../support/well-known-accounts';

const SCHOOL = 'did:web:school-a.example';
const FLOOD_MS = 5_000;
const CLIENTS = 3;
// The bounds allow for a shared machine (load average 20 on 2 cores when they were chosen): the event loop's
// delay counts the time the OS leaves the thread waiting too. In-thread verification measured 7,143 ms of
// event-loop block, /health answered 0 times in the 5 s flood and intake took 15.9 s; on the pool: 732 ms,
// 30 answers (slowest 969 ms), intake 1.3 s.
/** The service's longest event-loop block during the flood; in-thread verification of one heavy credential takes seconds. */
const MAX_EVENT_LOOP_BLOCK_MS = 2_000;
/** /health's slowest answer during the flood, as this (loaded, shared) machine sees it. */
const MAX_HEALTH_MS = 3_000;
/** Intake's answer during the flood. */
const MAX_INTAKE_MS = 5_000;

describe('a flood of public verifications leaves /health and intake responsive (service process)', function () {
  this.timeout(300_000);
  let network: NotaryNetwork;
  let service: KillableService;
  let directory: string;
  const key = generateIssuerKey({ type: 'Ed25519' });

  /** A Data Integrity badge with `alignments` alignment entries: each adds about six JSON values to canonicalise. */
  const badge = (alignments: number, format: CredentialFormat = 'data-integrity') => {
    const input = demoBadgeInput({ issuerDid: SCHOOL });
    input.alignments = Array.from({ length: alignments }, (_, i) => ({
      framework: 'LifeComp',
      code: `S3.${i}`,
      name: `Collaboration descriptor ${i}`,
      url: `https://example.org/lifecomp/${i}`,
    }));
    return signCredential({ credential: buildAchievementCredential(input), key, format });
  };

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-flood-'));
    network = await startNotaryNetwork();
    await (await network.as(0).registerKey(1, key.keyHash, 0, 0)).wait();
    network.writeRecord(join(directory, 'deployment.json'));
    service = await startKillableService({
      BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
      BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
      BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_POLL_INTERVAL_MS: '500',
      // above the default 1,000, so that the credentials within it verifying shows the variable reaches the routes
      BADGE_NOTARY_VERIFY_MAX_VALUES: '1200',
    });
  });

  after(async function () {
    await service?.stop();
    await network?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the event loop free and answers /health and intake while heavy Data Integrity credentials are verified', async function () {
    const jwt = await memberJwt(key, SCHOOL);
    const client = await call(service.url, 'POST', '/v1/clients', { token: jwt, body: { role: 'editor', label: 'flood' } });
    expect(client.status, JSON.stringify(client.body)).to.equal(201);
    const apiKey = client.body.apiKey as string;
    // Heavy: about 7,100 JSON values (~170 KB), seconds of canonicalisation; within the limit: 1,090 values (110 + 7 per alignment).
    const heavy = JSON.stringify({ credential: await badge(1_000) });
    const withinLimit = JSON.stringify({ credential: await badge(140) });
    const intakeBody = { credential: await badge(2, 'vc-jwt') };

    // a verification first, so that both processes have loaded what verification needs
    expect((await call(service.url, 'POST', '/v1/verify', { body: { credential: await badge(1) } })).status).to.equal(200);
    await readEventLoopMaxMs(service.url); // resets the histogram

    const statuses: Record<string, number[]> = { heavy: [], withinLimit: [] };
    const floodEnds = Date.now() + FLOOD_MS;
    const flood = Array.from({ length: CLIENTS }, async (_, index) => {
      for (let round = index; Date.now() < floodEnds; round++) {
        const kind = round % 2 === 0 ? 'heavy' : 'withinLimit';
        try {
          const response = await fetch(`${service.url}/v1/verify`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: kind === 'heavy' ? heavy : withinLimit,
          });
          await response.arrayBuffer();
          statuses[kind].push(response.status);
        } catch {
          statuses[kind].push(0); // the connection failed
        }
      }
    });
    const healthLatencies: number[] = [];
    const healthFailures: string[] = [];
    const health = (async () => {
      await sleep(200);
      while (Date.now() < floodEnds) {
        const started = performance.now();
        try {
          const response = await fetch(`${service.url}/health`);
          await response.arrayBuffer();
          if (response.status === 200) healthLatencies.push(performance.now() - started);
          else healthFailures.push(`status ${response.status}`);
        } catch (error) {
          healthFailures.push(String((error as Error).cause ?? error));
        }
        await sleep(50);
      }
    })();
    const intake = (async () => {
      await sleep(1_500);
      const started = performance.now();
      try {
        const answer = await call(service.url, 'POST', '/v1/credentials', { token: apiKey, body: intakeBody });
        return { status: answer.status, body: answer.body as unknown, ms: performance.now() - started };
      } catch (error) {
        return { status: 0, body: String(error), ms: performance.now() - started };
      }
    })();
    const [intakeAnswer] = await Promise.all([intake, health, ...flood]);
    const eventLoopMaxMs = await readEventLoopMaxMs(service.url);

    const sorted = [...healthLatencies].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
    const figures = {
      eventLoopMaxMs: Math.round(eventLoopMaxMs),
      healthSamples: sorted.length,
      healthFailures,
      healthP99Ms: Math.round(p99 ?? NaN),
      healthMaxMs: Math.round(sorted.at(-1) ?? NaN),
      intakeMs: Math.round(intakeAnswer.ms),
      heavy: countOf(statuses.heavy),
      withinLimit: countOf(statuses.withinLimit),
    };
    console.log(`      flood figures: ${JSON.stringify(figures)}`);

    expect(healthFailures, '/health never failed').to.deep.equal([]);
    expect(intakeAnswer.status, JSON.stringify(intakeAnswer.body)).to.equal(202);
    expect(intakeAnswer.ms, 'intake’s answer time').to.be.below(MAX_INTAKE_MS);
    expect(statuses.heavy.length, 'heavy requests were sent').to.be.greaterThan(0);
    expect(statuses.heavy.every((status) => status === 413), 'a credential over the JSON-LD size limit is refused before any canonicalisation').to.equal(true);
    expect(statuses.withinLimit, 'credentials within the limits are verified (on the pool) or, past its queue, 503').to.include(200);
    expect(statuses.withinLimit.every((status) => status === 200 || status === 503)).to.equal(true);
    expect(eventLoopMaxMs, 'the service’s longest event-loop block during the flood').to.be.below(MAX_EVENT_LOOP_BLOCK_MS);
    expect(sorted.length, '/health answered throughout the flood (at least twice a second)').to.be.at.least((2 * FLOOD_MS) / 1_000);
    expect(sorted.at(-1), '/health’s slowest answer').to.be.below(MAX_HEALTH_MS);
  });
});

/** badge_notary_nodejs_eventloop_lag_max_seconds, in ms: the longest event-loop delay since the last scrape. */
async function readEventLoopMaxMs(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('badge_notary_nodejs_eventloop_lag_max_seconds'));
  if (!line) throw new Error('GET /metrics has no badge_notary_nodejs_eventloop_lag_max_seconds');
  return Number(line.split(' ').at(-1)) * 1_000;
}

function countOf(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
