/**
 * Credential verification throughput, per format: full verifyCredential (parse, digest, signature, schema, dates)
 * on distinct credentials signed by a few member keys, the way bulk intake sees them.
 *
 *   npx ts-node scripts/bench/signatures.ts [--seconds 3] [--runs 3]
 *
 * Single-thread rows verify one credential after another on the main thread. jose hands EdDSA/ES256 to WebCrypto,
 * which runs on libuv's thread pool, so the "cores used" column (process CPU time / wall time) says how much CPU a
 * row really took, and "checks per CPU-second" what one uncontended core would do. The pool row uses
 * service/credentials' worker pool (one worker per core). Rows are medians of the runs.
 *
 * Both Data Integrity suites are measured twice, in the same run: "reference" canonicalises every credential
 * with jsonld.js + rdf-canonize (as the libraries do by themselves), "shape-cached" through
 * service/credentials/rdf-fast-path (same N-Quads, jsonld.js's expansion once per credential shape). The
 * "signing" rows sign distinct unsigned credentials with each canonicaliser (the badge builder and `badge issue`).
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import {
  buildAchievementCredential,
  buildOb2Assertion,
  createVerifierPool,
  generateIssuerKey,
  signCredential,
  verifyCredential,
  type BadgeInput,
  type CredentialFormat,
  type CredentialInput,
  type IssuerKey,
  type KeyType,
} from '../../service/credentials';
import { useLinkedDataCanonicalisation, type LinkedDataCanonicalisation } from '../../service/credentials/data-integrity';

interface Options {
  seconds: number;
  runs: number;
}

interface Measure {
  checksPerSecond: number;
  coresUsed: number;
  /** Checks per second of process CPU time: what a core does when nothing else competes for it. */
  checksPerCpuSecond: number;
}

const NOW = new Date('2025-01-15T12:00:00Z');
const MEMBER_KEYS = 4;
/** Issue #18: eddsa-rdfc-2022 checks per second on one thread, shape-cached. */
const DATA_INTEGRITY_TARGET = 1500;
/** The environment switch that worker threads read at start (data-integrity.ts). */
const CANONICALISATION_ENV = 'BADGE_NOTARY_LD_CANONICALISATION';

function parseOptions(argv: string[]): Options {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    const parsed = index === -1 ? fallback : Number(argv[index + 1]);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
    return parsed;
  };
  return { seconds: value('seconds', 3), runs: Math.round(value('runs', 3)) };
}

function badge(index: number): BadgeInput {
  return {
    id: `urn:uuid:00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
    badgeCode: `LC-P1-${index % 10}`,
    name: 'Self-regulation',
    description: 'Awareness and management of emotions, thoughts and behaviour (LifeComp P1).',
    image: { id: 'https://school.example/badges/lc-p1.png' },
    issuer: { did: 'did:web:school.example', name: 'Scuola Esempio', email: 'badges@school.example' },
    skill: { kind: 'soft', area: 'Personal', competence: 'Self-regulation', observedDescriptors: 4 + (index % 7) },
    criteria: { narrative: 'Observed by an independent assessor during 40 hours of volunteering.' },
    evidence: [{ name: 'Assessor report', narrative: 'Descriptors observed during the placement.' }],
    alignments: [{ framework: 'LifeComp', code: 'P1.1', name: 'Self-regulation', url: 'https://publications.jrc.ec.europa.eu/repository/handle/JRC120911' }],
    recipient: { email: `earner${index}@example.org`, salt: index.toString(16) },
    issuedOn: '2024-05-01T00:00:00Z',
    validUntil: '2029-05-01T00:00:00Z',
  };
}

async function artifacts(format: CredentialFormat, keyType: KeyType, count: number): Promise<CredentialInput[]> {
  const keys: IssuerKey[] = Array.from({ length: MEMBER_KEYS }, () => generateIssuerKey({ type: keyType }));
  const out: CredentialInput[] = [];
  for (let i = 0; i < count; i++) {
    const input = badge(i);
    const credential =
      format === 'ob2-jws'
        ? buildOb2Assertion(input)
        : buildAchievementCredential(format === 'ed25519-signature-2020' ? { ...input, vcVersion: '1.1' } : input);
    out.push(await signCredential({ credential, key: keys[i % MEMBER_KEYS] as IssuerKey, format, created: new Date('2024-05-01T09:00:00Z') }));
  }
  return out;
}

/** Verifies one after another for `seconds`; checks that every one verified. */
async function runSingle(inputs: CredentialInput[], seconds: number): Promise<Measure> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let done = 0;
  while (performance.now() < end) {
    const result = await verifyCredential({ credential: inputs[done % inputs.length] as CredentialInput, now: NOW });
    if (!result.verified) throw new Error(`benchmark credential failed: ${result.error?.message}`);
    done++;
  }
  return measure(done, start, cpuStart);
}

/** Signs distinct unsigned credentials one after another for `seconds` (issue #18: signing gets the same speed). */
async function runSigning(
  format: CredentialFormat,
  key: IssuerKey,
  credentials: ReturnType<typeof buildAchievementCredential>[],
  seconds: number,
): Promise<Measure> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  let done = 0;
  while (performance.now() < end) {
    await signCredential({ credential: credentials[done % credentials.length]!, key, format, created: new Date('2024-05-01T09:00:00Z') });
    done++;
  }
  return measure(done, start, cpuStart);
}

function measure(done: number, start: number, cpuStart: NodeJS.CpuUsage): Measure {
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { checksPerSecond: (done * 1000) / wallMs, coresUsed: cpuMs / wallMs, checksPerCpuSecond: (done * 1000) / cpuMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface Row {
  name: string;
  runs: Measure[];
}

function printTable(rows: Row[]): void {
  const header = ['format (a check, or a signing where named)', 'per second (median)', 'runs (per second)', 'cores used', 'per CPU-second'];
  const lines = rows.map((row) => {
    const rates = row.runs.map((run) => run.checksPerSecond);
    return [
      row.name,
      Math.round(median(rates)).toLocaleString('en-US'),
      rates.map((rate) => Math.round(rate)).join(' / '),
      median(row.runs.map((run) => run.coresUsed)).toFixed(2),
      Math.round(median(row.runs.map((run) => run.checksPerCpuSecond))).toLocaleString('en-US'),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] as string).length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

/** Verifies `batch` through a worker pool again and again for `seconds`, `runs` times. */
async function runPool(pool: ReturnType<typeof createVerifierPool>, batch: CredentialInput[], options: Options): Promise<Measure[]> {
  await pool.verifyMany({ credentials: batch, now: NOW }); // warm-up: JIT, key caches and shape caches in every worker
  const runs: Measure[] = [];
  for (let run = 0; run < options.runs; run++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let done = 0;
    const end = start + options.seconds * 1000;
    while (performance.now() < end) {
      const results = await pool.verifyMany({ credentials: batch, now: NOW });
      const failed = results.find((result) => !result.verified);
      if (failed) throw new Error(`benchmark credential failed in the pool: ${failed.error?.message}`);
      done += results.length;
    }
    runs.push(measure(done, start, cpuStart));
  }
  return runs;
}

/** A pool whose workers start with `canonicalisation` (they read it from the environment when they load). */
async function poolWith(canonicalisation: LinkedDataCanonicalisation, size: number) {
  const previous = process.env[CANONICALISATION_ENV];
  process.env[CANONICALISATION_ENV] = canonicalisation;
  try {
    const pool = createVerifierPool({ size });
    await pool.ready();
    return pool;
  } finally {
    if (previous === undefined) delete process.env[CANONICALISATION_ENV];
    else process.env[CANONICALISATION_ENV] = previous;
  }
}

function medianRate(row: Row | undefined): number {
  return row ? median(row.runs.map((run) => run.checksPerSecond)) : 0;
}

function medianPerCpu(row: Row | undefined): number {
  return row ? median(row.runs.map((run) => run.checksPerCpuSecond)) : 0;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cores = availableParallelism();
  console.log(`node ${process.version}, ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${options.runs} runs of ${options.seconds} s each`);
  console.log('each check: parse + digest + signature + OB schema + validity dates (verifyCredential)');
  console.log(`load average at start: ${loadavg().map((load) => load.toFixed(2)).join(' ')} (other processes on these ${cores} cores slow every row)\n`);

  const plans: { name: string; format: CredentialFormat; keyType: KeyType; count: number; canonicalisation?: LinkedDataCanonicalisation }[] = [
    { name: 'data-integrity (eddsa-rdfc-2022), reference', format: 'data-integrity', keyType: 'Ed25519', count: 100, canonicalisation: 'reference' },
    { name: 'data-integrity (eddsa-rdfc-2022), shape-cached', format: 'data-integrity', keyType: 'Ed25519', count: 100, canonicalisation: 'shape-cached' },
    { name: 'ed25519-signature-2020, reference', format: 'ed25519-signature-2020', keyType: 'Ed25519', count: 100, canonicalisation: 'reference' },
    { name: 'ed25519-signature-2020, shape-cached', format: 'ed25519-signature-2020', keyType: 'Ed25519', count: 100, canonicalisation: 'shape-cached' },
    { name: 'vc-jwt EdDSA', format: 'vc-jwt', keyType: 'Ed25519', count: 2000 },
    { name: 'vc-jwt ES256', format: 'vc-jwt', keyType: 'P-256', count: 2000 },
    { name: 'ob2-jws EdDSA', format: 'ob2-jws', keyType: 'Ed25519', count: 2000 },
    { name: 'ob2-jws ES256', format: 'ob2-jws', keyType: 'P-256', count: 2000 },
  ];

  const rows: Row[] = [];
  const inputsOf = new Map<string, CredentialInput[]>();
  for (const plan of plans) {
    const inputs = inputsOf.get(`${plan.format}/${plan.keyType}`) ?? (await artifacts(plan.format, plan.keyType, plan.count));
    inputsOf.set(`${plan.format}/${plan.keyType}`, inputs);
    useLinkedDataCanonicalisation(plan.canonicalisation ?? 'shape-cached');
    await runSingle(inputs, Math.min(1, options.seconds)); // warm-up: JIT, context cache, key cache, shape cache
    const runs: Measure[] = [];
    for (let run = 0; run < options.runs; run++) runs.push(await runSingle(inputs, options.seconds));
    rows.push({ name: `${plan.name}, 1 thread`, runs });
    console.error(`  measured ${plan.name}`);
  }
  const signingKey = generateIssuerKey({ type: 'Ed25519' });
  for (const [name, format] of [['data-integrity (eddsa-rdfc-2022)', 'data-integrity'], ['ed25519-signature-2020', 'ed25519-signature-2020']] as const) {
    const unsigned = Array.from({ length: 100 }, (_, i) => buildAchievementCredential(format === 'ed25519-signature-2020' ? { ...badge(i), vcVersion: '1.1' } : badge(i)));
    for (const choice of ['reference', 'shape-cached'] as const) {
      useLinkedDataCanonicalisation(choice);
      await runSigning(format, signingKey, unsigned, Math.min(1, options.seconds)); // warm-up
      const runs: Measure[] = [];
      for (let run = 0; run < options.runs; run++) runs.push(await runSigning(format, signingKey, unsigned, options.seconds));
      rows.push({ name: `signing: ${name}, ${choice}, 1 thread`, runs });
      console.error(`  measured signing ${name}, ${choice}`);
    }
  }
  useLinkedDataCanonicalisation('shape-cached');

  const repeat = (inputs: CredentialInput[] | undefined, count: number) =>
    Array.from({ length: count }, (_, i) => (inputs as CredentialInput[])[i % (inputs as CredentialInput[]).length] as CredentialInput);
  const poolPlans: { name: string; inputs: CredentialInput[]; canonicalisation: LinkedDataCanonicalisation }[] = [
    { name: 'vc-jwt EdDSA', inputs: repeat(inputsOf.get('vc-jwt/Ed25519'), 20_000), canonicalisation: 'shape-cached' },
    { name: 'data-integrity (eddsa-rdfc-2022), reference', inputs: repeat(inputsOf.get('data-integrity/Ed25519'), 8 * cores), canonicalisation: 'reference' },
    { name: 'data-integrity (eddsa-rdfc-2022), shape-cached', inputs: repeat(inputsOf.get('data-integrity/Ed25519'), 400), canonicalisation: 'shape-cached' },
    { name: 'ed25519-signature-2020, reference', inputs: repeat(inputsOf.get('ed25519-signature-2020/Ed25519'), 8 * cores), canonicalisation: 'reference' },
    { name: 'ed25519-signature-2020, shape-cached', inputs: repeat(inputsOf.get('ed25519-signature-2020/Ed25519'), 400), canonicalisation: 'shape-cached' },
  ];
  for (const plan of poolPlans) {
    const pool = await poolWith(plan.canonicalisation, cores);
    try {
      rows.push({ name: `${plan.name}, worker pool x${pool.size}`, runs: await runPool(pool, plan.inputs, options) });
      console.error(`  measured ${plan.name} in the pool`);
    } finally {
      await pool.close();
    }
  }

  console.log('');
  printTable(rows);
  console.log(`\nload average at end: ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);
  const row = (name: string) => rows.find((candidate) => candidate.name === name);
  const pooled = medianRate(row(`vc-jwt EdDSA, worker pool x${cores}`));
  const target = 3000;
  console.log(
    pooled >= target
      ? `\nVC-JWT EdDSA with ${cores} workers: ${Math.round(pooled)} checks/s, above the ${target}/s target.`
      : `\nVC-JWT EdDSA with ${cores} workers: ${Math.round(pooled)} checks/s, ${Math.round(target - pooled)}/s (${Math.round((1 - pooled / target) * 100)}%) short of the ${target}/s target.`,
  );
  const fast = row('data-integrity (eddsa-rdfc-2022), shape-cached, 1 thread');
  const reference = row('data-integrity (eddsa-rdfc-2022), reference, 1 thread');
  const jwt = row('vc-jwt EdDSA, 1 thread');
  const signingFast = row('signing: data-integrity (eddsa-rdfc-2022), shape-cached, 1 thread');
  const signingReference = row('signing: data-integrity (eddsa-rdfc-2022), reference, 1 thread');
  console.log(
    `eddsa-rdfc-2022 signing, shape-cached, 1 thread: ${Math.round(medianRate(signingFast))} signatures/s, ` +
      `${(medianRate(signingFast) / medianRate(signingReference)).toFixed(1)}x the reference path: ${medianRate(signingFast) >= DATA_INTEGRITY_TARGET ? 'meets' : 'MISSES'} the ${DATA_INTEGRITY_TARGET}/s target too.`,
  );
  for (const [what, rateOf] of [
    ['checks/s (wall)', medianRate],
    ['checks per CPU-second', medianPerCpu],
  ] as const) {
    const rate = rateOf(fast);
    console.log(
      `eddsa-rdfc-2022 shape-cached, 1 thread: ${Math.round(rate)} ${what}, ${(rate / rateOf(reference)).toFixed(1)}x the reference path, ` +
        `${(rate / rateOf(jwt)).toFixed(2)}x VC-JWT EdDSA: ${rate >= DATA_INTEGRITY_TARGET ? 'meets' : 'MISSES'} the ${DATA_INTEGRITY_TARGET}/s target.`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
