/**
 * npm run bench:verify — badges verified per second, end to end against a local `hardhat node` process:
 * VC-JWT credentials notarised in one anchored batch, then verified with verifyBadge (signature, schema,
 * dates, receipt, and the registry over JSON-RPC), one at a time (the registry's checkCredential answers
 * everything) and in bulk (one reader: checkCredentialGroups answers the facts, the proofs are folded here).
 * Measured in the same run, to show where the time goes: bulk with every proof checked on-chain
 * (checkCredentials, the reader's bulk path before checkCredentialGroups), the offline credential check alone,
 * and the bare checkCredential and checkCredentialGroups eth_calls.
 * Data Integrity (eddsa-rdfc-2022) credentials of the same batch are verified end to end too, bulk, with the
 * shape-cached canonicaliser and with the reference one (jsonld.js on every credential).
 * Options (environment): BENCH_CREDENTIALS (default 2000), BENCH_DI_CREDENTIALS (default 300),
 * BENCH_CONCURRENCY (default 64).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, Wallet, keccak256, toUtf8Bytes } from 'ethers';
import { registryAt } from '../../service/chain/connection';
import { freePort } from '../../service/chain/local-node';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { signCredential } from '../../service/credentials/signer';
import { useLinkedDataCanonicalisation } from '../../service/credentials/data-integrity';
import type { JsonObject } from '../../service/credentials/types';
import { verifyCredential } from '../../service/credentials/verify';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { DEMO_MEMBER, startEmbeddedChain } from '../../service/embedded/embedded-chain';
import { BatchTree, buildReceipt, type Receipt } from '../../service/merkle';
import { parseCredential } from '../../service/credentials/parse';
import { JsonRpcRegistryReader, type JsonRpcRegistryReaderOptions } from '../../service/chain/json-rpc-registry-reader';
import { verifyBadge } from '../../service/verify';

const COUNT = Number(process.env.BENCH_CREDENTIALS ?? 2000);
const DI_COUNT = Number(process.env.BENCH_DI_CREDENTIALS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

async function timed(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'badge-notary-bench-verify-'));
  const chain = await startEmbeddedChain({ dataDir, nodePort: await freePort() });
  const provider = new JsonRpcProvider(chain.node.rpcUrl, undefined, { cacheTimeout: -1 });
  try {
    console.error(`signing and anchoring ${COUNT} VC-JWT credentials...`);
    const template = buildAchievementCredential(demoBadgeInput({ issuerDid: DEMO_MEMBER.did }));
    const jwts: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const credential = structuredClone(template);
      credential.id = `urn:uuid:${crypto.randomUUID()}`;
      jwts.push((await signCredential({ credential, key: chain.demoIssuerKey, format: 'vc-jwt' })) as string);
    }
    console.error(`signing ${DI_COUNT} Data Integrity (eddsa-rdfc-2022) credentials...`);
    const dataIntegrity: JsonObject[] = [];
    for (let i = 0; i < DI_COUNT; i++) {
      const credential = structuredClone(template);
      credential.id = `urn:uuid:${crypto.randomUUID()}`;
      dataIntegrity.push(await signCredential({ credential, key: chain.demoIssuerKey, format: 'data-integrity' }));
    }
    const credentials: (string | JsonObject)[] = [...jwts, ...dataIntegrity];
    const digests = await Promise.all(credentials.map(async (credential) => (await parseCredential(credential)).digest));
    const tree = await BatchTree.build(digests);
    const registry = registryAt(chain.record.registry, new Wallet(chain.anchorKey, provider));
    const mined = (await (await registry.anchor(tree.root)).wait())!;
    const block = (await provider.getBlock(mined.blockNumber))!;
    const receipts: Receipt[] = await Promise.all(
      digests.map((digest, index) =>
        buildReceipt({
          tree,
          index,
          digest,
          batchId: 'bench',
          anchor: {
            chainId: chain.record.chainId,
            registry: chain.record.registry,
            transactionHash: mined.hash,
            blockNumber: mined.blockNumber,
            blockTimestamp: block.timestamp,
            memberId: 1,
          },
        }),
      ),
    );
    const now = new Date();
    const reader = (options: JsonRpcRegistryReaderOptions = {}) =>
      new JsonRpcRegistryReader(provider, chain.record.registry, chain.record.blockNumber, options);
    const expectVerified = async (index: number, run: JsonRpcRegistryReader) => {
      const report = await verifyBadge({ credential: credentials[index], receipt: receipts[index], reader: run, now });
      if (!report.verified) throw new Error(`credential ${index} did not verify: ${JSON.stringify(report.steps)}`);
    };

    const singleCount = Math.min(COUNT, 300);
    const offline = await timed(COUNT, 1, async (i) => {
      if (!(await verifyCredential({ credential: jwts[i], now })).verified) throw new Error('offline check failed');
    });
    const didHash = keccak256(toUtf8Bytes(DEMO_MEMBER.did));
    const keyHash = chain.demoIssuerKey.keyHash;
    const callOnly = await timed(COUNT, CONCURRENCY, async (i) => {
      await registry.checkCredential(didHash, keyHash, digests[i], receipts[i].proof, tree.root);
    });
    // checkCredentialGroups as the bulk reader sends it: one group, CONCURRENCY digests per call.
    const group = [{ issuerDidHash: didHash, keyHash, root: tree.root }];
    const digestsOf = (call: number) => digests.slice(call * CONCURRENCY, (call + 1) * CONCURRENCY).map((digest) => ({ group: 0, digest }));
    const groupCalls = Math.ceil(COUNT / CONCURRENCY);
    const groupsOnly =
      (await timed(groupCalls, 4, async (call) => {
        await registry.checkCredentialGroups(group, digestsOf(call));
      })) * (COUNT / groupCalls);
    const gasPerCheck = await registry.checkCredential.estimateGas(didHash, keyHash, digests[0], receipts[0].proof, tree.root);
    const gasPerGroupCall = await registry.checkCredentialGroups.estimateGas(group, digestsOf(0));

    const single = await timed(singleCount, 1, (i) => expectVerified(i, reader()));
    const onChainReader = reader({ onChainProofs: true });
    const bulkOnChainProofs = await timed(COUNT, CONCURRENCY, (i) => expectVerified(i, onChainReader));
    const bulkReader = reader();
    const bulk = await timed(COUNT, CONCURRENCY, (i) => expectVerified(i, bulkReader));
    const dataIntegrityBulk = async () => {
      const diReader = reader();
      return timed(DI_COUNT, CONCURRENCY, (i) => expectVerified(COUNT + i, diReader));
    };
    const dataIntegrityFast = await dataIntegrityBulk();
    useLinkedDataCanonicalisation('reference');
    const dataIntegrityReference = await dataIntegrityBulk();
    useLinkedDataCanonicalisation('shape-cached');

    const rows: [string, number, string][] = [
      ['verifyBadge, one at a time (a fresh reader each: checkCredential)', single, `${singleCount} credentials`],
      [`verifyBadge, bulk (one reader, ${CONCURRENCY} in flight: checkCredentialGroups)`, bulk, `${COUNT} credentials`],
      [`verifyBadge, Data Integrity eddsa-rdfc-2022, bulk (shape-cached canonicalisation)`, dataIntegrityFast, `${DI_COUNT} credentials`],
      [`peer: verifyBadge, Data Integrity eddsa-rdfc-2022, bulk (reference canonicalisation)`, dataIntegrityReference, `${DI_COUNT} credentials`],
      [`peer: verifyBadge, bulk, proofs on-chain (checkCredentials, as before)`, bulkOnChainProofs, `${COUNT} credentials`],
      ['peer: offline credential check alone (no chain)', offline, `${COUNT} credentials, one thread`],
      [`peer: bare checkCredential eth_call (${CONCURRENCY} in flight)`, callOnly, `${COUNT} calls`],
      [`peer: bare checkCredentialGroups eth_call (${CONCURRENCY} digests each, 4 in flight)`, groupsOnly, `${COUNT} digests in ${groupCalls} calls`],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
    console.log(`badges (VC-JWT unless named) verified per second, against a hardhat node on loopback; batch of ${COUNT} (proofs of ${receipts[0].proof.length} hashes); load average ${load}`);
    console.log(`| ${'what'.padEnd(width)} | per second | run |`);
    console.log(`|${'-'.repeat(width + 2)}|------------|-----|`);
    for (const [what, rate, run] of rows) console.log(`| ${what.padEnd(width)} | ${Math.round(rate).toLocaleString('en-US').padStart(10)} | ${run} |`);
    console.log(
      `\ngas (eth_call): checkCredential ${gasPerCheck.toLocaleString('en-US')} per credential; checkCredentialGroups ${gasPerGroupCall.toLocaleString('en-US')} for one group and ${CONCURRENCY} digests (${Math.round(Number(gasPerGroupCall) / CONCURRENCY).toLocaleString('en-US')} per credential)`,
    );
    console.log(`target: bulk >= 500 per second (${bulk >= 500 ? 'met' : 'MISSED'})`);
  } finally {
    provider.destroy();
    await chain.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
