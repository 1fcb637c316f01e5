/**
 * Benchmark of the batch tree (service/merkle) against its peers, on trees of 1,000, 100,000 and 1,000,000 leaves:
 * build (from digests), store (dump to the bytes a store writes), load, and reading proofs by index.
 *
 *   npx ts-node scripts/bench/merkle.ts            (npm run bench:merkle)
 *   npx ts-node scripts/bench/merkle.ts --quick    1,000 and 100,000 only
 *   npx ts-node scripts/bench/merkle.ts --full     also runs StandardMerkleTree on 1,000,000 (about 4 minutes)
 *
 * Our builder: the median of 3 runs. Peers: one run each. The table goes to stdout as Markdown and, with the
 * environment and memory figures, to bench-results/merkle-<time>.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { keccak256 } from 'ethers';
import { createKeccak } from 'hash-wasm';
import { MerkleTree } from 'merkletreejs';
import { BatchTree, type Hex } from '../../service/merkle';

const args = new Set(process.argv.slice(2));
const SIZES = args.has('--quick') ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];
const RUNS = 3;
/** At most this many proofs are read per tree (evenly spread over the 1,000,000-leaf tree). */
const MAX_PROOFS = 100_000;
/** StandardMerkleTree takes about 0.6 ms a proof (it hashes the value again each time): it reads fewer. */
const MAX_STANDARD_PROOFS = 10_000;
/** The target: 1,000,000 leaves built and stored in under 4 s. */
const TARGET_MS = 4_000;

interface Row {
  implementation: string;
  leaves: number;
  runs: number;
  buildMs: number;
  /** CPU time of the build, every thread of the process: less sensitive than wall time to other work on the cores. */
  buildCpuMs?: number;
  storeMs?: number;
  loadMs?: number;
  proofs: number;
  proofsMs: number;
  note?: string;
}

const rows: Row[] = [];
const memory: Record<string, number> = {};

function digestsFor(count: number): Hex[] {
  return Array.from({ length: count }, (_, i) => `0x${createHash('sha256').update(`bench:${i}`).digest('hex')}` as Hex);
}

function proofIndices(size: number, max = MAX_PROOFS): number[] {
  if (size <= max) return Array.from({ length: size }, (_, i) => i);
  const step = size / max;
  return Array.from({ length: max }, (_, i) => Math.floor(i * step));
}

async function timed<T>(work: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function benchBatchTree(size: number, digests: Hex[], parallel: boolean | undefined, label: string) {
  const runs: Omit<Row, 'implementation' | 'leaves' | 'runs'>[] = [];
  const indices = proofIndices(size);
  for (let run = 0; run < RUNS; run++) {
    const cpu = process.cpuUsage();
    const [tree, buildMs] = await timed(() => BatchTree.build(digests, { parallel }));
    const { user, system } = process.cpuUsage(cpu);
    const buildCpuMs = (user + system) / 1000;
    const [stored, storeMs] = await timed(() => tree.dump());
    const [loaded, loadMs] = await timed(() => BatchTree.load(stored));
    const [, proofsMs] = await timed(() => {
      let elements = 0;
      for (const index of indices) elements += loaded.proof(index).length;
      return elements;
    });
    runs.push({ buildMs, buildCpuMs, storeMs, loadMs, proofs: indices.length, proofsMs });
    if (size === 1_000_000 && parallel === undefined && run === RUNS - 1) {
      const usage = process.memoryUsage();
      memory.heapUsedMB = mb(usage.heapUsed);
      memory.arrayBuffersMB = mb(usage.arrayBuffers);
      memory.rssMB = mb(usage.rss);
      memory.storedTreeMB = mb(stored.length);
      memory.maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
      void tree.root; // keep both the tree and its dump alive until measured
    }
  }
  rows.push({
    implementation: label,
    leaves: size,
    runs: RUNS,
    buildMs: median(runs.map((r) => r.buildMs)),
    buildCpuMs: median(runs.map((r) => r.buildCpuMs!)),
    storeMs: median(runs.map((r) => r.storeMs!)),
    loadMs: median(runs.map((r) => r.loadMs!)),
    proofs: indices.length,
    proofsMs: median(runs.map((r) => r.proofsMs)),
  });
}

async function benchMerkletreejs(size: number, digests: Hex[], hash: 'ethers' | 'hash-wasm') {
  let hashFn: (data: Buffer | string) => Buffer | string = keccak256;
  if (hash === 'hash-wasm') {
    const hasher = await createKeccak(256);
    hashFn = (data) => {
      hasher.init();
      hasher.update(typeof data === 'string' ? Buffer.from(data.slice(2), 'hex') : data);
      return Buffer.from(hasher.digest('binary'));
    };
  }
  const [[tree, leaves], buildMs] = await timed(() => {
    const hashed = digests.map((digest) => hashFn(hashFn(digest) as Buffer));
    return [new MerkleTree(hashed, hashFn, { sortPairs: true }), hashed] as const;
  });
  const indices = proofIndices(size);
  const [, proofsMs] = await timed(() => indices.forEach((index) => tree.getHexProof(leaves[index], index)));
  rows.push({
    implementation: `merkletreejs (sortPairs), ${hash === 'ethers' ? "ethers' keccak256" : 'hash-wasm keccak256'}`,
    leaves: size,
    runs: 1,
    buildMs,
    proofs: indices.length,
    proofsMs,
  });
}

async function benchStandardMerkleTree(size: number, digests: Hex[], extrapolateFrom?: Row) {
  if (extrapolateFrom) {
    const factor = size / extrapolateFrom.leaves;
    rows.push({
      ...extrapolateFrom,
      leaves: size,
      runs: 0,
      buildMs: extrapolateFrom.buildMs * factor,
      proofsMs: extrapolateFrom.proofsMs,
      note: `extrapolated: ${factor} x the ${extrapolateFrom.leaves.toLocaleString('en')}-leaf build (run with --full to measure)`,
    });
    return;
  }
  const values = digests.map((digest) => [digest]);
  const [tree, buildMs] = await timed(() => StandardMerkleTree.of(values, ['bytes32']));
  const indices = proofIndices(size, MAX_STANDARD_PROOFS);
  const [, proofsMs] = await timed(() => indices.forEach((index) => tree.getProof(index)));
  rows.push({
    implementation: '@openzeppelin/merkle-tree StandardMerkleTree',
    leaves: size,
    runs: 1,
    buildMs,
    proofs: indices.length,
    proofsMs,
  });
}

function seconds(ms: number | undefined): string {
  if (ms === undefined) return 'n/a';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

function table(): string {
  const lines = [
    '| implementation | leaves | runs | build | build CPU | store (dump) | load | proofs read | proofs time | per proof |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const perProof = row.proofs ? `${((row.proofsMs * 1000) / row.proofs).toFixed(2)} us` : 'n/a';
    const runs =
      row.runs === 0
        ? 'est.'
        : row.runs === RUNS && row.implementation.startsWith('BatchTree')
          ? `median of ${RUNS}`
          : String(row.runs);
    lines.push(
      `| ${row.implementation}${row.note ? ` (${row.note})` : ''} | ${row.leaves.toLocaleString('en')} | ${runs} | ${seconds(row.buildMs)} | ${seconds(row.buildCpuMs)} | ${seconds(row.storeMs)} | ${seconds(row.loadMs)} | ${row.proofs.toLocaleString('en')} | ${seconds(row.proofsMs)} | ${perProof} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const environment = {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
  };
  console.log(
    `node ${environment.node}, ${environment.cores} cores (${environment.cpu}), load average ${environment.loadAverageAtStart.join(' ')}`,
  );

  // Warm-up: the first builds and proofs pay for compiling the WebAssembly and the JIT.
  for (const parallel of [false, true]) {
    const tree = BatchTree.load((await BatchTree.build(digestsFor(2_000), { parallel })).dump());
    for (let index = 0; index < tree.size; index++) tree.proof(index);
  }

  for (const size of SIZES) {
    const digests = digestsFor(size);
    console.log(`\n${size.toLocaleString('en')} leaves`);
    await benchBatchTree(size, digests, undefined, 'BatchTree (default: 2 threads from 65,536 leaves)');
    await benchBatchTree(size, digests, false, 'BatchTree (one thread)');
    console.log('  BatchTree done; merkletreejs...');
    await benchMerkletreejs(size, digests, 'hash-wasm');
    await benchMerkletreejs(size, digests, 'ethers');
    console.log('  merkletreejs done; StandardMerkleTree...');
    const previous = rows.find((row) => row.implementation.includes('StandardMerkleTree') && row.leaves === 100_000);
    await benchStandardMerkleTree(size, digests, size === 1_000_000 && !args.has('--full') ? previous : undefined);
  }

  console.log(`\n${table()}\n`);
  const million = rows.find((row) => row.implementation.startsWith('BatchTree (default') && row.leaves === 1_000_000);
  if (million) {
    const total = million.buildMs + million.storeMs!;
    console.log(
      `1,000,000 leaves built and stored: ${seconds(total)} (target: under ${seconds(TARGET_MS)}) ${total < TARGET_MS ? 'MET' : 'MISSED'}`,
    );
    console.log(
      `memory with the 1,000,000-leaf tree and its dump held: heap used ${memory.heapUsedMB} MB, array buffers ${memory.arrayBuffersMB} MB, ` +
        `RSS ${memory.rssMB} MB, peak RSS so far ${memory.maxRssMB} MB; the stored tree is ${memory.storedTreeMB} MB`,
    );
  }
  const loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  console.log(`load average at the end: ${loadAverageAtEnd.join(' ')} (above 1 means other work shared the cores)`);

  const dir = join(__dirname, '..', '..', 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `merkle-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ environment: { ...environment, loadAverageAtEnd }, rows, memory }, null, 2)}\n`,
  );
  console.log(`results: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
