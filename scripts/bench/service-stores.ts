/**
 * npm run bench:service -- --store postgres (issue #13): the two stores side by side, in one run, on one chain.
 *   a. one SQLite service process (its own data directory);
 *   b. one PostgreSQL replica;
 *   c. two PostgreSQL replicas on the same database, the load spread over both, half the connections each
 *      (intake: one autocannon instance given both URLs; lookups: one wrk process per replica).
 * Each is measured on bulk intake of VC-JWT credentials (fresh ones for every run: a resubmission is answered
 * without a signature check and would flatter the figure) and on receipt lookup of anchored credentials. Every
 * service process is scripts/start.ts on an external chain: one `hardhat node` that all share, with the registry
 * deployed, member 1's signing key registered, and one notary account per store (two stores anchoring with
 * one account would race for its nonces).
 * Server CPU per request: the CPU seconds the service processes that served the run used (all their threads,
 * from /proc) plus, on PostgreSQL, those of the whole cluster (the postmaster, every process it forked, and
 * the ones it reaped meanwhile), divided by the requests served. The Hardhat node is counted in neither; the
 * table shows it, with everything else the machine did, as the rest of the machine's cores (from /proc/stat).
 * Options (environment): BENCH_SECONDS (intake run, default 8), BENCH_CONNECTIONS (intake, default 10),
 * BENCH_LOOKUP_CONNECTIONS (lookups, default 40: see LOOKUP_CONNECTIONS), BENCH_BULK
 * (default 250), BENCH_ROUNDS (default 3), BENCH_ROUND_SECONDS (default 5), BENCH_SIGN_RATE (credentials signed
 * ahead per intake second, default 4000: a run that uses them up ends early and says so), BENCH_NODE_FLAGS,
 * BENCH_LOOKUP_LOAD (wrk or autocannon; default wrk where installed: scripts/bench/wrk-load.ts says why).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { wellKnownAccount } from '../../service/chain/well-known-accounts';
import { memberJwt } from '../../service/cli/service-commands';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { digestOf } from '../../service/credentials/digest';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { startNotaryNetwork } from '../../test/support/notary-network';
import { startPostgres } from '../../test/support/postgres-server';
import { clusterCpuSeconds, cpuSecondsOf, machineBusySeconds, postmasterPid } from './process-cpu';
import { shuffle, startProcess, untilPipelineEmpty, type Started } from './service-harness';
import { StopList } from './stop-list';
import { formatStoresReport, type LoadFigures, type LookupLoadGenerator, type LookupRound, type Measured } from './stores-report';
import { wrkAvailable, wrkLoad } from './wrk-load';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/**
 * Lookups in flight at once. A lookup costs a replica a fraction of a millisecond plus a round trip to
 * PostgreSQL: with few in flight a replica waits on the round trips, and with 10 shared over two replicas (5
 * each) both waited more than they worked (at 10: one replica 7,156 req/s, two 7,021; at 40: 8,164 and 9,701).
 * A receipt service is asked by many verifiers at once; 40 is what a replica needs to keep its event loop fed.
 */
const LOOKUP_CONNECTIONS = Number(process.env.BENCH_LOOKUP_CONNECTIONS ?? 40);
const BULK = Number(process.env.BENCH_BULK ?? 250);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
const SIGN_RATE = Number(process.env.BENCH_SIGN_RATE ?? 4000);

const MEMBER_DID = 'did:web:school-a.example';
/** Notary accounts of member 1: 9 is authorised by startNotaryNetwork, 8 here, for the SQLite process. */
const NOTARY_ACCOUNT = { postgres: 9, sqlite: 8 } as const;

/** Where a run's server CPU goes: the service processes that served it, and the database server (0 for SQLite). */
interface CpuMeter {
  service(): number;
  database(): number;
}

/** What a run sends: autocannon's options, with `urls` (one or several servers) in place of `url`. */
type LoadOptions = Omit<autocannon.Options, 'url'> & { urls: string[] };

/** An intake run's bodies and which of them the service acknowledged (202), by index. */
interface IntakeBodies {
  bodies: string[];
  acknowledged: Set<number>;
  /** Set when every body was sent and the run ended early (the bodies sent after that are not counted). */
  usedUp: boolean;
  /** The first answer other than 202, for the error message. */
  firstRefusal?: string;
}

/**
 * Runs autocannon; with `intake`, each body is sent once, the run ends early once they are used up, and the
 * bodies answered 202 are noted (a connection sends one request at a time: its context names the body in flight).
 * Several URLs: connection i goes to urls[i % urls.length] (autocannon's url list; its types only say string).
 */
function load({ urls, ...options }: LoadOptions, intake?: IntakeBodies): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    let next = 0;
    const requests = intake
      ? [
          {
            setupRequest: (request: autocannon.Request, context: object) => {
              if (next >= intake.bodies.length) {
                intake.usedUp = true;
                instance.stop();
              }
              (context as { index: number }).index = next;
              return { ...request, body: intake.bodies[next++ % intake.bodies.length] };
            },
            onResponse: (status: number, body: string, context: object) => {
              const { index } = context as { index: number };
              if (status === 202 && index < intake.bodies.length) intake.acknowledged.add(index);
              if (status !== 202) intake.firstRefusal ??= `${status} ${body.slice(0, 500)}`;
            },
          },
        ]
      : options.requests;
    const url = (urls.length === 1 ? urls[0] : urls) as unknown as string;
    const instance = autocannon({ duration: SECONDS, connections: CONNECTIONS, ...options, url, requests }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/**
 * One load run with the server CPU it cost, split into service and database. `run` gives the run's figures and,
 * when the load came from other processes (wrk), their CPU; otherwise this process's CPU is the load's.
 */
async function measured(meter: CpuMeter, run: () => Promise<{ figures: LoadFigures; clientCpu?: number }>): Promise<Measured> {
  const service = meter.service();
  const database = meter.database();
  const machine = machineBusySeconds();
  const client = process.cpuUsage();
  const started = performance.now();
  const { figures, clientCpu } = await run();
  const seconds = (performance.now() - started) / 1000;
  const clientUsed = process.cpuUsage(client);
  const machineCpu = machineBusySeconds() - machine;
  return {
    result: figures,
    seconds,
    serviceCpu: meter.service() - service,
    databaseCpu: meter.database() - database,
    clientCpu: clientCpu ?? (clientUsed.user + clientUsed.system) / 1e6,
    machineCpu,
  };
}

/** The lookups' load generator: BENCH_LOOKUP_LOAD, or wrk where it is installed (its CPU per request is small). */
function lookupLoadGenerator(): { generator: LookupLoadGenerator; note?: string } {
  const asked = process.env.BENCH_LOOKUP_LOAD;
  if (asked !== undefined && asked !== 'wrk' && asked !== 'autocannon') throw new Error(`BENCH_LOOKUP_LOAD="${asked}": wrk or autocannon`);
  if (asked === 'autocannon') return { generator: 'autocannon' };
  if (wrkAvailable()) return { generator: 'wrk' };
  if (asked === 'wrk') throw new Error("BENCH_LOOKUP_LOAD=wrk but wrk is not installed: apt-get install -y wrk");
  return {
    generator: 'autocannon',
    note: "wrk is not installed, so the lookups ran under autocannon, whose own CPU (in this process) is taken from the servers: apt-get install -y wrk",
  };
}

/** `count` bulk bodies of BULK fresh VC-JWT credentials each, signed by member 1's registered key. */
async function signBodies(key: IssuerKey, count: number, tag: string): Promise<string[]> {
  const template = buildAchievementCredential(demoBadgeInput({ issuerDid: MEMBER_DID }));
  const bodies: string[] = [];
  for (let b = 0; b < count; b++) {
    const credentials = [];
    for (let i = 0; i < BULK; i++) {
      const credential = structuredClone(template);
      credential.id = `urn:uuid:${crypto.randomUUID()}`;
      (credential.credentialSubject as { id: string }).id = `did:example:earner-${tag}-${b}-${i}`;
      credentials.push(await signCredential({ credential, key, format: 'vc-jwt' }));
    }
    bodies.push(JSON.stringify({ credentials }));
  }
  return bodies;
}

/** The digests of the credentials in the bodies at `indexes`. */
async function digestsOf(bodies: string[], indexes: Iterable<number>): Promise<string[]> {
  const digests: string[] = [];
  for (const index of indexes) {
    for (const jwt of (JSON.parse(bodies[index]) as { credentials: string[] }).credentials) digests.push(await digestOf(jwt));
  }
  return digests;
}

export async function benchStores(): Promise<void> {
  const lookupLoad = lookupLoadGenerator();
  const loadBefore = loadavg();
  const stops = new StopList();
  stops.stopOnSignals();
  try {
    const directory = mkdtempSync(join(tmpdir(), 'badge-notary-bench-stores-'));
    stops.add(async () => rmSync(directory, { recursive: true, force: true }));
    console.error('starting PostgreSQL and a Hardhat node with the registry...');
    const postgres = await startPostgres();
    stops.add(() => postgres.destroy());
    const postmaster = postmasterPid(join(postgres.folder, 'data'));
    const network = await startNotaryNetwork();
    stops.add(() => network.stop());
    const key = generateIssuerKey({ type: 'Ed25519' });
    await (await network.as(0).registerKey(1, key.keyHash, 0, 0)).wait();
    await (await network.as(0).authoriseNotary(1, wellKnownAccount(NOTARY_ACCOUNT.sqlite).address)).wait();
    const deploymentFile = join(directory, 'deployment.json');
    network.writeRecord(deploymentFile);

    const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const startService = async (name: string, env: NodeJS.ProcessEnv): Promise<Started> => {
      const dataDir = join(directory, name);
      mkdirSync(dataDir);
      const service = await startProcess([process.execPath, ...nodeFlags, '-r', 'ts-node/register/transpile-only', 'scripts/start.ts'], {
        BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
        BADGE_NOTARY_DEPLOYMENT: deploymentFile,
        BADGE_NOTARY_DATA_DIR: dataDir,
        BADGE_NOTARY_CONFIRMATIONS: '1',
        // Once a second (the service's default on an external chain is 4 s): quick enough for the runs to drain. At
        // 200 ms, three processes polling the Hardhat node kept the rest of the machine at 0.19-0.27 cores during
        // the lookups; at 1 s, 0.10-0.15.
        BADGE_NOTARY_POLL_INTERVAL_MS: '1000',
        BADGE_NOTARY_BATCH_MAX_AGE_MS: '1000',
        BADGE_NOTARY_LOG_LEVEL: 'warn',
        // Every request of the run comes from 127.0.0.1 and one member: the defaults would answer 429s.
        BADGE_NOTARY_RATE_LIMIT_PER_ADDRESS: '100000000',
        BADGE_NOTARY_RATE_LIMIT_PER_MEMBER: '100000000',
        ...env,
      }, '/ready', (spawned) => stops.add(() => spawned.stop()));
      return service;
    };
    const editorKey = async (service: Started): Promise<string> => {
      const response = await fetch(`${service.url}/v1/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await memberJwt(key, MEMBER_DID)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'editor', label: 'bench:service --store postgres' }),
      });
      if (response.status !== 201) throw new Error(`POST /v1/clients answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { apiKey: string }).apiKey;
    };

    console.error('starting the SQLite process and the first PostgreSQL replica...');
    const sqlite = await startService('sqlite', { BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(NOTARY_ACCOUNT.sqlite).privateKey });
    const postgresEnv = { BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(NOTARY_ACCOUNT.postgres).privateKey, BADGE_NOTARY_DATABASE_URL: postgres.url };
    const replicaA = await startService('replica-a', postgresEnv);
    const sqliteKey = await editorKey(sqlite);
    const postgresKey = await editorKey(replicaA);
    const meters = {
      sqlite: { service: () => cpuSecondsOf(sqlite.child.pid!), database: () => 0 },
      oneReplica: { service: () => cpuSecondsOf(replicaA.child.pid!), database: () => clusterCpuSeconds(postmaster) },
    };

    const bodiesPerRun = Math.ceil((SIGN_RATE * SECONDS) / BULK) + CONNECTIONS;
    let intakeRuns = 0;
    const intakeRun = async (label: string, meter: CpuMeter, urls: string[], apiKey: string) => {
      console.error(`${label}: signing ${(bodiesPerRun * BULK).toLocaleString('en-US')} fresh VC-JWT credentials, then the intake run...`);
      const bodies: IntakeBodies = { bodies: await signBodies(key, bodiesPerRun, String(++intakeRuns)), acknowledged: new Set(), usedUp: false };
      const run = await measured(meter, async () => ({
        figures: await load(
          { urls: urls.map((url) => `${url}/v1/credentials`), method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' } },
          bodies,
        ),
      }));
      const digests = await digestsOf(bodies.bodies, bodies.acknowledged);
      if (bodies.acknowledged.size === 0) {
        const why = bodies.firstRefusal ?? `no answer within the run (p50 ${run.result.latency.p50} ms): a loaded machine, or too short a run`;
        console.error(`${label}: no intake request was acknowledged: ${why}`);
      }
      return { run: { ...run, credentials: digests.length }, usedUp: bodies.usedUp, digests };
    };

    const sqliteIntake = await intakeRun('SQLite', meters.sqlite, [sqlite.url], sqliteKey);
    const oneReplicaIntake = await intakeRun('PostgreSQL, 1 replica', meters.oneReplica, [replicaA.url], postgresKey);
    console.error('starting the second PostgreSQL replica...');
    const replicaB = await startService('replica-b', postgresEnv);
    const twoReplicas = {
      service: () => cpuSecondsOf(replicaA.child.pid!) + cpuSecondsOf(replicaB.child.pid!),
      database: () => clusterCpuSeconds(postmaster),
    };
    const twoReplicaIntake = await intakeRun('PostgreSQL, 2 replicas', twoReplicas, [replicaA.url, replicaB.url], postgresKey);

    // Lookups of every credential each store acknowledged, in random order, once every one is anchored: lookup
    // is measured on its own, not against the batching and anchoring of the intake runs.
    if (sqliteIntake.digests.length === 0 || oneReplicaIntake.digests.length + twoReplicaIntake.digests.length === 0) {
      throw new Error('a store acknowledged no credential in its intake runs: nothing to look up (raise BENCH_SECONDS on a loaded machine)');
    }
    const sqlitePaths = sqliteIntake.digests.map((digest) => `/v1/credentials/${digest}/receipt`);
    const postgresPaths = [...oneReplicaIntake.digests, ...twoReplicaIntake.digests].map((digest) => `/v1/credentials/${digest}/receipt`);
    shuffle(sqlitePaths);
    shuffle(postgresPaths);
    console.error('waiting for every acknowledged credential to be anchored...');
    const drainStarted = performance.now();
    await Promise.all([untilPipelineEmpty(sqlite.url, 600_000), untilPipelineEmpty(replicaA.url, 600_000)]);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const batchStates = { sqlite: await batchStatesOf(sqlite.url), postgres: await batchStatesOf(replicaA.url) };

    const lookupOn = (meter: CpuMeter, urls: string[], paths: string[]) => {
      let pick = 0;
      return (duration: number) =>
        measured(meter, async () =>
          lookupLoad.generator === 'wrk'
            ? await wrkLoad({ urls, paths, connections: LOOKUP_CONNECTIONS, seconds: duration })
            : {
                figures: await load({
                  urls,
                  duration,
                  connections: LOOKUP_CONNECTIONS,
                  requests: [{ setupRequest: (request) => ({ ...request, path: paths[pick++ % paths.length] }) }],
                }),
              },
        );
    };
    const contenders = [
      lookupOn(meters.sqlite, [sqlite.url], sqlitePaths),
      lookupOn(meters.oneReplica, [replicaA.url], postgresPaths),
      lookupOn(twoReplicas, [replicaA.url, replicaB.url], postgresPaths),
    ];
    // The three take turns in rounds (each round starts with the next one), after a short warm-up of each, so
    // that a change in the machine's load weighs on all alike; each figure is the median of its rounds.
    console.error(`lookup: ${ROUNDS} rounds of ${ROUND_SECONDS} s on each of the three...`);
    for (const contender of contenders) await contender(2);
    const rounds: LookupRound[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const measuredThisRound: Measured[] = [];
      for (let turn = 0; turn < contenders.length; turn++) {
        const index = (round + turn) % contenders.length;
        measuredThisRound[index] = await contenders[index](ROUND_SECONDS);
      }
      const [sqliteLookup, oneReplicaLookup, twoReplicaLookup] = measuredThisRound;
      rounds.push({ sqlite: sqliteLookup, oneReplica: oneReplicaLookup, twoReplicas: twoReplicaLookup });
    }

    const usedUp = [sqliteIntake, oneReplicaIntake, twoReplicaIntake].filter((intake) => intake.usedUp).length;
    console.log(
      formatStoresReport({
        settings: {
          connections: CONNECTIONS,
          lookupConnections: LOOKUP_CONNECTIONS,
          bulk: BULK,
          intakeSeconds: SECONDS,
          rounds: ROUNDS,
          roundSeconds: ROUND_SECONDS,
          lookupLoad: lookupLoad.generator,
        },
        intake: {
          sqlite: sqliteIntake.run,
          oneReplica: oneReplicaIntake.run,
          twoReplicas: twoReplicaIntake.run,
        },
        rounds,
        lookups: { sqlite: sqlitePaths.length, postgres: postgresPaths.length, drainSeconds, batchStates },
        load: { before: loadBefore, after: loadavg(), cores: cpus().length },
        postgresVersion: (await postgresServerVersion(postgres.url)) ?? 'PostgreSQL',
        notes: [
          ...(usedUp ? [`${usedUp} intake run(s) used up the signed credentials and ended early: raise BENCH_SIGN_RATE`] : []),
          ...(lookupLoad.note ? [lookupLoad.note] : []),
        ],
      }),
    );
  } finally {
    await stops.stopAll();
  }
}

/**
 * The service's batches by state, from /metrics, e.g. "12 final, 2 confirmed": a receipt of a final batch is
 * answered with one read of the store (the batch is kept in memory), one of a confirmed batch with two.
 */
async function batchStatesOf(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const states = [...text.matchAll(/^badge_notary_batches\{state="(\w+)"\} (\d+)$/gm)].filter((match) => match[2] !== '0');
  return states.map((match) => `${match[2]} ${match[1]}`).join(', ');
}

/** The server's version string, e.g. "PostgreSQL 15.14", for the report's header. */
async function postgresServerVersion(url: string): Promise<string | undefined> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0].server_version.split(' ')[0]}`;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
