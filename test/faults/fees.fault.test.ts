// Fees on a public chain, played on a real `hardhat node` with mining paused: a base-fee spike
// (hardhat_setNextBlockBaseFeePerGas, then an empty block mined) leaves an anchor pending; the service
// replaces it (same nonce, higher fees) after BADGE_NOTARY_REPLACE_AFTER_MS. SIGKILLs are placed as in
// crash.fault.test.ts, with the RPC proxy holding eth_sendRawTransaction: before the node sees a replacement
// (signed and recorded, never broadcast) and after the node took it (the service never hears). Above
// BADGE_NOTARY_MAX_FEE_PER_GAS, or past the daily limit, anchoring waits and /ready says why.
import { expect } from 'chai';
import { join } from 'node:path';
import { parseUnits } from 'ethers';
import { call, startKillableService, waitFor, type KillableService } from '../support/killable-service';
import { readProcessStore } from '../support/service-store';
import { wellKnownAccount } from '../support/well-known-accounts';
import {
  auditRun,
  batchById,
  editorKey,
  issueBadges,
  printFaultTable,
  startFaultBench,
  submit,
  waitForBatchState,
  type Acknowledged,
  type FaultBench,
  type FaultRow,
} from './helpers';

const gwei = (n: number) => parseUnits(String(n), 'gwei');
const hex = (n: bigint) => `0x${n.toString(16)}`;

/** Batches of 2 sealed by size only; final 2 blocks deep; a stuck anchor replaced after 1 s; a cap of 50 gwei. */
const ENV = {
  BADGE_NOTARY_BATCH_MAX_SIZE: '2',
  BADGE_NOTARY_BATCH_MAX_AGE_MS: '3600000',
  BADGE_NOTARY_FINALITY_DEPTH: '2',
  BADGE_NOTARY_REPLACE_AFTER_MS: '1000',
  BADGE_NOTARY_MAX_FEE_PER_GAS: '50 gwei',
};

interface StoredTransaction {
  txHash: string;
  batchId: number;
  nonce: number;
  outcome: string | null;
  maxFee: string | null;
}

describe('faults: fees on a public chain (base-fee spikes, replacements, the cap)', function () {
  this.timeout(600_000);
  let bench: FaultBench;
  let service: KillableService | undefined;
  let apiKey: string;
  const acknowledged: Acknowledged[] = [];
  const rows: FaultRow[] = [];
  const notary = wellKnownAccount(9).address;

  const start = async (env: NodeJS.ProcessEnv = ENV) => {
    service = await startKillableService(bench.serviceEnv(1, join(bench.directory, 'data'), env));
    return service;
  };
  const kill = async () => {
    await service!.kill();
    service = undefined;
  };
  /** The anchor transactions as stored, in the order they were recorded (SQLite's rowid, PostgreSQL's seq). */
  const stored = async (): Promise<StoredTransaction[]> => {
    const store = await readProcessStore(join(bench.directory, 'data'));
    try {
      const rows = await store.rows(
        `SELECT tx_hash AS "txHash", batch_id AS "batchId", nonce, outcome, max_fee_per_gas AS "maxFee" FROM anchor_transactions ORDER BY ${store.kind === 'sqlite' ? 'rowid' : 'seq'}`,
      );
      return rows.map((row) => ({ ...row, batchId: Number(row.batchId), nonce: Number(row.nonce) }) as StoredTransaction);
    } finally {
      await store.close();
    }
  };
  /** Mines one empty-of-ours block at `baseFee`: a spike (or its end) the pending anchors see. */
  const mineAtBaseFee = async (baseFee: bigint) => {
    await bench.rpc('hardhat_setNextBlockBaseFeePerGas', [hex(baseFee)]);
    await bench.rpc('evm_mine');
  };
  const pendingOf = async (hash: string) => {
    const tx = await bench.provider.getTransaction(hash);
    return tx !== null && tx.blockNumber === null;
  };
  /** Waits until batch `id` has a live variant the node holds pending, other than `besides`. */
  const waitForPendingVariant = (id: number, besides: readonly string[] = []) =>
    waitFor(`a pending anchor of batch ${id} other than ${besides.join(', ') || 'none'}`, async () => {
      // The batch may not be sealed yet: the batcher's next tick seals it.
      const { status, body } = await call(service!.url, 'GET', `/v1/batches/${id}`);
      if (status !== 200) return undefined;
      for (const tx of body.transactions as { transactionHash: string; outcome: string | null }[]) {
        if (tx.outcome === null && !besides.includes(tx.transactionHash) && (await pendingOf(tx.transactionHash))) return tx.transactionHash;
      }
      return undefined;
    });
  const ready = async () => (await call(service!.url, 'GET', '/ready')).body as { status: string; checks: { anchoring: Record<string, unknown> } };
  const metric = async (name: string) => {
    const text = String((await call(service!.url, 'GET', '/metrics')).body.text ?? '');
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  };

  before(async function () {
    bench = await startFaultBench();
    await start();
    apiKey = await editorKey(bench, service!, 1);
    await bench.rpc('evm_setAutomine', [false]);
  });

  after(async function () {
    await service?.kill();
    if (rows.length > 0) printFaultTable('fee faults', rows);
    await bench?.close();
  });

  it('a base-fee spike leaves the first anchor pending; the service replaces it with higher fees (same nonce) and the replacement is mined', async function () {
    acknowledged.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 2))));
    const first = await waitForPendingVariant(1);
    const firstTx = (await bench.provider.getTransaction(first))!;
    expect(firstTx.type, 'an EIP-1559 transaction').to.equal(2);
    // The spike: blocks now cost 20 gwei, more than the first anchor offers; it stays in the mempool.
    expect(firstTx.maxFeePerGas! < gwei(20)).to.equal(true);
    await mineAtBaseFee(gwei(20));
    expect(await pendingOf(first), 'the first anchor is left pending by the spike').to.equal(true);

    const replacement = await waitForPendingVariant(1, [first]);
    const replacementTx = (await bench.provider.getTransaction(replacement))!;
    expect(replacementTx.nonce).to.equal(firstTx.nonce);
    expect(replacementTx.maxFeePerGas! >= (firstTx.maxFeePerGas! * 110n) / 100n).to.equal(true);
    expect(replacementTx.maxPriorityFeePerGas! >= (firstTx.maxPriorityFeePerGas! * 110n) / 100n).to.equal(true);
    expect(replacementTx.maxFeePerGas! <= gwei(50), 'within the cap').to.equal(true);

    await bench.rpc('evm_mine');
    const confirmed = await waitForBatchState(service!, 1, 'confirmed');
    const minedTx = (await bench.provider.getTransaction(confirmed.transactionHash!))!;
    expect(minedTx.nonce).to.equal(firstTx.nonce);
    expect(confirmed.transactionHash).to.not.equal(first);
    const transactions = (await stored()).filter((tx) => tx.batchId === 1);
    expect(transactions.length).to.be.at.least(2);
    expect(transactions.filter((tx) => tx.outcome === 'mined').map((tx) => tx.txHash)).to.deep.equal([confirmed.transactionHash]);
    expect(transactions.filter((tx) => tx.outcome !== 'mined').every((tx) => tx.outcome === 'replaced')).to.equal(true);
    expect(await metric('badge_notary_anchor_replacements_total')).to.be.at.least(1);
    expect(await metric('badge_notary_anchor_gas_used_total')).to.be.greaterThan(0);
    expect(await metric('badge_notary_anchor_fees_paid_wei_total')).to.be.greaterThan(0);
    expect(await metric('badge_notary_anchor_seal_to_mined_seconds_count')).to.equal(1);
    rows.push({ fault: 'base-fee spike to 20 gwei', injected: 1, notes: `${transactions.length} variants of nonce ${firstTx.nonce} recorded, one mined` });
  });

  it('SIGKILL between signing a replacement (recorded) and its broadcast: after the restart a variant is mined, the root anchored once', async function () {
    await mineAtBaseFee(gwei(1)); // the spike is over for now
    acknowledged.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 2))));
    const first = await waitForPendingVariant(2);
    // Every broadcast from now on stops before the node: the next one is the replacement.
    bench.proxy.hold('eth_sendRawTransaction', 'request');
    await mineAtBaseFee(gwei(20));
    await bench.proxy.waitForHeld('eth_sendRawTransaction');
    const recorded = await waitFor('the replacement recorded', async () => {
      const live = (await stored()).filter((tx) => tx.batchId === 2 && tx.outcome === null);
      return live.length >= 2 ? live : undefined;
    });
    await kill();
    expect(bench.proxy.discard('eth_sendRawTransaction')).to.be.at.least(1);
    const unsent = recorded.at(-1)!;
    expect(await bench.provider.getTransaction(unsent.txHash), 'the node never saw the replacement').to.equal(null);
    expect(await pendingOf(first)).to.equal(true);
    expect(new Set(recorded.map((tx) => tx.nonce)).size, 'every variant has the same nonce').to.equal(1);

    await start();
    await waitForPendingVariant(2, [first, unsent.txHash]);
    await bench.rpc('evm_mine');
    const confirmed = await waitForBatchState(service!, 2, 'confirmed');
    expect(confirmed.transactionHash).to.not.equal(first);
    const after = (await stored()).filter((tx) => tx.batchId === 2);
    expect(after.filter((tx) => tx.outcome === 'mined')).to.have.length(1);
    expect(after.filter((tx) => tx.outcome === null)).to.deep.equal([]);
    rows.push({ fault: 'SIGKILL after a replacement is recorded, before its broadcast', injected: 1, notes: `${after.length} variants recorded` });
  });

  it('SIGKILL between a replacement’s broadcast and the service hearing of it: the recorded replacement is found mined, nothing sent twice', async function () {
    await mineAtBaseFee(gwei(1));
    acknowledged.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 2))));
    const first = await waitForPendingVariant(3);
    // The node takes the replacement; its answer never reaches the service.
    bench.proxy.hold('eth_sendRawTransaction', 'response');
    await mineAtBaseFee(gwei(20));
    await bench.proxy.waitForHeld('eth_sendRawTransaction');
    const replacement = await waitForPendingVariant(3, [first]);
    await kill();
    bench.proxy.discard('eth_sendRawTransaction');
    expect((await stored()).some((tx) => tx.txHash === replacement && tx.outcome === null), 'recorded before it was broadcast').to.equal(true);

    await bench.rpc('evm_mine');
    expect((await bench.provider.getTransactionReceipt(replacement))?.status).to.equal(1);
    const sendsBefore = bench.proxy.forwarded('eth_sendRawTransaction');
    await start();
    const confirmed = await waitForBatchState(service!, 3, 'confirmed');
    expect(confirmed.transactionHash).to.equal(replacement);
    expect(bench.proxy.forwarded('eth_sendRawTransaction'), 'no send after the restart').to.equal(sendsBefore);
    rows.push({ fault: 'SIGKILL after a replacement reached the node, before the answer', injected: 1 });
  });

  it('above BADGE_NOTARY_MAX_FEE_PER_GAS anchoring waits, /ready and the metrics say why; after the spike the batches are anchored in order', async function () {
    await mineAtBaseFee(gwei(100)); // the next block costs 87.5 gwei: above the 50 gwei cap
    const pendingBefore = await bench.provider.getTransactionCount(notary, 'pending');
    acknowledged.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 4))));
    const waiting = await waitFor('/ready to say anchoring waits', async () => {
      const body = await ready();
      return body.checks.anchoring.waiting === true ? body : undefined;
    });
    expect(waiting.status).to.equal('degraded');
    expect(String(waiting.checks.anchoring.message)).to.match(/BADGE_NOTARY_MAX_FEE_PER_GAS \(50 gwei\)/);
    expect(await metric('badge_notary_anchoring_fee_wait')).to.equal(1);
    const [b4, b5] = [(await batchById(service!, 4)).batch, (await batchById(service!, 5)).batch];
    expect([b4.state, b5.state]).to.deep.equal(['sealed', 'sealed']);
    expect(b4.lastError).to.match(/above BADGE_NOTARY_MAX_FEE_PER_GAS/);
    expect(await bench.provider.getTransactionCount(notary, 'pending'), 'nothing sent at the cap').to.equal(pendingBefore);
    expect(service!.output.join(''), 'the log says why').to.match(/"level":40.*above BADGE_NOTARY_MAX_FEE_PER_GAS/);

    // The spike ends.
    await mineAtBaseFee(gwei(2));
    await bench.rpc('evm_setAutomine', [true]);
    const anchored = (id: number) =>
      waitFor(`batch ${id} confirmed or final`, async () => {
        const { batch } = await batchById(service!, id);
        return batch.state === 'confirmed' || batch.state === 'final' ? batch : undefined;
      });
    const [c4, c5] = [await anchored(4), await anchored(5)];
    const [t4, t5] = await Promise.all([c4, c5].map((b) => bench.provider.getTransaction(b.transactionHash!)));
    expect(t4!.nonce + 1, 'batch 4 first, then batch 5').to.equal(t5!.nonce);
    expect(c4.blockNumber! <= c5.blockNumber!).to.equal(true);
    const resumed = await waitFor('/ready to say anchoring no longer waits', async () => ((await ready()).checks.anchoring.waiting ? undefined : ready()));
    expect(resumed.status).to.equal('ready');
    expect(await metric('badge_notary_anchoring_fee_wait')).to.equal(0);
    rows.push({ fault: 'base fee 87.5 gwei above a 50 gwei cap', injected: 1, notes: 'waited, then anchored batches 4 and 5 in order' });
  });

  it('past the daily fee limit anchoring waits and /ready says why; without the limit it resumes', async function () {
    await kill();
    await start({ ...ENV, BADGE_NOTARY_DAILY_FEE_LIMIT: '1 gwei' });
    acknowledged.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 2))));
    const waiting = await waitFor('/ready to say the daily limit is reached', async () => {
      const body = await ready();
      return body.checks.anchoring.waiting === true ? body : undefined;
    });
    expect(String(waiting.checks.anchoring.message)).to.match(/BADGE_NOTARY_DAILY_FEE_LIMIT \(1 gwei\)/);
    expect((await batchById(service!, 6)).batch.state).to.equal('sealed');
    await kill();
    await start();
    await waitForBatchState(service!, 6, 'confirmed', 90_000);
    rows.push({ fault: 'daily fee limit of 1 gwei', injected: 1, notes: 'waited until restarted without the limit' });
  });

  it('in the end: every acknowledged credential has a receipt verifyBadge accepts, each root is anchored once, every batch is final', async function () {
    const figures = await auditRun(bench, service!, acknowledged, { member: 1 });
    expect(figures.receiptsValid).to.equal(acknowledged.length);
    expect(figures.rootsAnchoredTwice).to.equal(0);
    rows.push({ fault: 'all of the above', injected: rows.length, ...figures });
  });
});
