/**
 * The table of npm run bench:service -- --store postgres (scripts/bench/service-stores.ts): intake and lookup of
 * one SQLite process, one PostgreSQL replica and two, the server CPU per request of each (service + database),
 * and issue #13's two targets judged on the lookup rounds.
 */
/** What the report reads of a load generator's run (autocannon's result has these; wrk-load.ts makes them). */
export interface LoadFigures {
  requests: { total: number };
  /** Milliseconds. */
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Answers by status code, where the load generator counts them (autocannon does, wrk does not). */
  statusCodeStats?: Record<string, { count?: number }>;
}

/** The load generators the lookups can be measured with. */
export type LookupLoadGenerator = 'wrk' | 'autocannon';

/** One load run with the CPU seconds each side used meanwhile. */
export interface Measured {
  result: LoadFigures;
  /** Wall time of the run. */
  seconds: number;
  /** CPU seconds of the service processes that served the run. */
  serviceCpu: number;
  /** CPU seconds of the database server's processes (0 for SQLite, which runs inside the service). */
  databaseCpu: number;
  /** CPU seconds of the load generator (this process, or the wrk processes it ran). */
  clientCpu: number;
  /** CPU seconds the whole machine was busy meanwhile (the rest is neither server nor load: the chain node, ...). */
  machineCpu: number;
}

export interface IntakeRun extends Measured {
  /** Fresh credentials acknowledged (202). */
  credentials: number;
}

export interface LookupRound {
  sqlite: Measured;
  oneReplica: Measured;
  twoReplicas: Measured;
}

export interface StoresReportInput {
  settings: {
    /** Intake's connections. */
    connections: number;
    lookupConnections: number;
    bulk: number;
    intakeSeconds: number;
    rounds: number;
    roundSeconds: number;
    lookupLoad: LookupLoadGenerator;
  };
  intake: { sqlite: IntakeRun; oneReplica: IntakeRun; twoReplicas: IntakeRun };
  rounds: LookupRound[];
  /** Credentials looked up per store, and the stores' batches by state when the lookups began. */
  lookups: { sqlite: number; postgres: number; drainSeconds: number; batchStates?: { sqlite: string; postgres: string } };
  load: { before: number[]; after: number[]; cores: number };
  postgresVersion: string;
  notes: string[];
}

/** The targets of issue #13. */
export const TARGETS = { maxLookupCpuRatio: 2, minReplicaSpeedup: 1.5 } as const;

/** Server CPU per request served, in milliseconds, split into its two parts. */
export function cpuPerRequest(run: Measured): { service: number; database: number; total: number } {
  const requests = run.result.requests.total;
  const service = (run.serviceCpu / requests) * 1000;
  const database = (run.databaseCpu / requests) * 1000;
  return { service, database, total: service + database };
}

/** The middle item by `key` (the upper middle of an even count). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  if (items.length === 0) throw new Error('the median of nothing');
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];
}

const requestsPerSecond = (run: Measured) => run.result.requests.total / run.seconds;

/** Per round: PostgreSQL's CPU per lookup over SQLite's (1 and 2 replicas), and 2 replicas' req/s over one's. */
export function roundRatios(round: LookupRound): { cpuOneReplica: number; cpuTwoReplicas: number; speedup: number } {
  const sqliteCpu = cpuPerRequest(round.sqlite).total;
  return {
    cpuOneReplica: cpuPerRequest(round.oneReplica).total / sqliteCpu,
    cpuTwoReplicas: cpuPerRequest(round.twoReplicas).total / sqliteCpu,
    speedup: requestsPerSecond(round.twoReplicas) / requestsPerSecond(round.oneReplica),
  };
}

const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => value.toFixed(3);
const cpuCell = (run: Measured) => {
  const cpu = cpuPerRequest(run);
  return `${ms(cpu.service)} + ${ms(cpu.database)} = ${ms(cpu.total)} ms`;
};
const coresCell = (run: Measured) => {
  const server = run.serviceCpu + run.databaseCpu;
  const rest = run.machineCpu - server - run.clientCpu;
  return [server, run.clientCpu, rest].map((seconds) => (seconds / run.seconds).toFixed(2)).join(' / ');
};
/** Failed answers, with their status codes (and timeouts), so that a failing run says how it failed. */
const errorsCell = (run: Measured) => {
  const { non2xx, errors, timeouts, statusCodeStats = {} } = run.result;
  const failed = Object.entries(statusCodeStats).filter(([code]) => !code.startsWith('2'));
  const detail = [...failed.map(([code, stat]) => `${code}x${stat.count ?? 0}`), ...(timeouts ? [`timeouts x${timeouts}`] : [])];
  return `${non2xx + errors}${detail.length ? ` (${detail.join(', ')})` : ''}`;
};

const LOAD_SHARING: Record<LookupLoadGenerator, string> = {
  autocannon: "one autocannon instance given both replicas' URLs",
  wrk: 'one single-threaded wrk process per replica',
};

export function formatStoresReport(input: StoresReportInput): string {
  const { settings, intake, rounds } = input;
  const names = { sqlite: 'SQLite, 1 process', oneReplica: `${input.postgresVersion}, 1 replica`, twoReplicas: `${input.postgresVersion}, 2 replicas` } as const;
  const keys = ['sqlite', 'oneReplica', 'twoReplicas'] as const;
  const rows: string[][] = [];
  for (const key of keys) {
    const run = intake[key];
    rows.push([
      names[key],
      'bulk intake, VC-JWT, signatures checked',
      `${whole(run.credentials / run.seconds)} credentials/s`,
      `${whole(requestsPerSecond(run))} req/s of ${settings.bulk}`,
      `${run.result.latency.p50} ms`,
      `${run.result.latency.p99} ms`,
      errorsCell(run),
      cpuCell(run),
      coresCell(run),
    ]);
  }
  for (const key of keys) {
    // The round with the median req/s of this row is quoted; its CPU per request is that round's.
    const run = medianBy(rounds.map((round) => round[key]), requestsPerSecond);
    rows.push([
      names[key],
      'receipt lookup (anchored)',
      `${whole(requestsPerSecond(run))} req/s`,
      `rounds: ${rounds.map((round) => whole(requestsPerSecond(round[key]))).join(', ')}`,
      `${run.result.latency.p50} ms`,
      `${run.result.latency.p99} ms`,
      errorsCell(run),
      cpuCell(run),
      coresCell(run),
    ]);
  }
  const header = ['store', 'what', 'throughput', 'detail', 'p50', 'p99', 'errors', 'server CPU per request: service + database', 'CPU cores: server / load generator / rest of the machine'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;

  const ratios = rounds.map(roundRatios);
  const cpuRatio = medianBy(ratios, (r) => r.cpuOneReplica).cpuOneReplica;
  const cpuRatioTwo = medianBy(ratios, (r) => r.cpuTwoReplicas).cpuTwoReplicas;
  const speedup = medianBy(ratios, (r) => r.speedup).speedup;
  const list = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const states = input.lookups.batchStates;
  const batchStates = states ? `; batches: SQLite ${states.sqlite}, PostgreSQL ${states.postgres}` : '';
  return [
    `loopback; intake (autocannon, ${settings.connections} connections) ${settings.intakeSeconds} s per store, fresh credentials each run; lookup ` +
      `(${settings.lookupLoad}, ${settings.lookupConnections} connections) in ${settings.rounds} rounds of ${settings.roundSeconds} s, the three taking turns ` +
      `(each figure the median round); ` +
      `2 replicas: the connections shared over both, half each (${LOAD_SHARING[settings.lookupLoad]})`,
    `lookups: ${input.lookups.sqlite.toLocaleString('en-US')} (SQLite) and ${input.lookups.postgres.toLocaleString('en-US')} (PostgreSQL) anchored credentials in random order, ` +
      `after the pipelines drained (${input.lookups.drainSeconds.toFixed(1)} s${batchStates}); every service process on one external Hardhat node (not counted in the CPU); ` +
      `load average ${load(input.load.before)} before, ${load(input.load.after)} after; ${input.load.cores} cores`,
    'server CPU per request: the CPU of the service process(es) that served the run (from /proc, all threads) + the PostgreSQL cluster\'s (postmaster and its children), ' +
      'divided by the requests served (an intake request carries ' + `${settings.bulk} credentials)`,
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
    '',
    `targets: PostgreSQL CPU per lookup <= ${TARGETS.maxLookupCpuRatio}x SQLite's: ${cpuRatio.toFixed(2)}x (${cpuRatio <= TARGETS.maxLookupCpuRatio ? 'met' : 'MISSED'}; ` +
      `rounds: ${list(ratios.map((r) => r.cpuOneReplica))}; with 2 replicas ${cpuRatioTwo.toFixed(2)}x); ` +
      `2 replicas' lookup req/s >= ${TARGETS.minReplicaSpeedup}x one replica's: ${speedup.toFixed(2)}x (${speedup >= TARGETS.minReplicaSpeedup ? 'met' : 'MISSED'}; ` +
      `rounds: ${list(ratios.map((r) => r.speedup))})`,
    ...input.notes.map((note) => `note: ${note}`),
  ].join('\n');
}
