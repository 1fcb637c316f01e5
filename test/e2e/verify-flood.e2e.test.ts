// Issue #17, point 2: one client must not stall the service. Public verification checks signatures (JSON-LD
// canonicalisation for Data Integrity credentials) on the verifier pool's threads, behind per-route limits, so
// that /health and intake stay responsive while POST /v1/verify is flooded. The structural check is the service
// process's own count of credentials checked on the pool's worker threads (GET /metrics,
// badge_notary_verifier_pool_credentials_total): every verification answered, and the intake, must be in it.
// The event loop's longest block and /health's and intake's answer times are printed, not asserted: they count
// the time a shared machine leaves the thread waiting too (in-thread verification measured 7,143 ms of block,
// /health answered 0 times in the 5 s flood, intake 15.9 s; on the pool: 732 ms, 30 answers, intake 1.3 s).
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
    const before = await readMetrics(service.url); // and resets the event-loop histogram

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
    const after = await readMetrics(service.url);
    const eventLoopMaxMs = after.eventLoopMaxMs;
    const checkedOnPool = after.verifiedOnPool - before.verifiedOnPool;

    const sorted = [...healthLatencies].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
    const figures = {
      eventLoopMaxMs: Math.round(eventLoopMaxMs),
      healthSamples: sorted.length,
      healthFailures,
      healthP99Ms: Math.round(p99 ?? NaN),
      healthMaxMs: Math.round(sorted.at(-1) ?? NaN),
      intakeMs: Math.round(intakeAnswer.ms),
      checkedOnPool,
      heavy: countOf(statuses.heavy),
      withinLimit: countOf(statuses.withinLimit),
    };
    console.log(`      flood figures: ${JSON.stringify(figures)}`);

    expect(healthFailures, '/health never failed').to.deep.equal([]);
    expect(sorted.length, '/health answered during the flood (in-thread verification left it silent)').to.be.greaterThan(0);
    expect(intakeAnswer.status, JSON.stringify(intakeAnswer.body)).to.equal(202);
    expect(statuses.heavy.length, 'heavy requests were sent').to.be.greaterThan(0);
    expect(statuses.heavy.every((status) => status === 413), 'a credential over the JSON-LD size limit is refused before any canonicalisation').to.equal(true);
    expect(statuses.withinLimit, 'credentials within the limits are verified (on the pool) or, past its queue, 503').to.include(200);
    expect(statuses.withinLimit.every((status) => status === 200 || status === 503)).to.equal(true);
    const verifiedAnswers = statuses.withinLimit.filter((status) => status === 200).length;
    expect(checkedOnPool, 'every verification answered 200, and the intake, was checked on the pool’s worker threads').to.be.at.least(verifiedAnswers + 1);
  });
});

/**
 * Two of GET /metrics' figures: the longest event-loop delay since the last scrape (badge_notary_nodejs_eventloop_lag_max_seconds,
 * in ms; a scrape resets it) and the credentials checked on the verifier pool's threads so far.
 */
async function readMetrics(url: string): Promise<{ eventLoopMaxMs: number; verifiedOnPool: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`GET /metrics has no ${name}`);
    return Number(line.split(' ').at(-1));
  };
  return {
    eventLoopMaxMs: value('badge_notary_nodejs_eventloop_lag_max_seconds') * 1_000,
    verifiedOnPool: value('badge_notary_verifier_pool_credentials_total'),
  };
}

function countOf(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
