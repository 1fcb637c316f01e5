// Fault: a reorganisation drops an anchor that was confirmed too early. With BADGE_NOTARY_CONFIRMATIONS=1 and
// BADGE_NOTARY_FINALITY_DEPTH=4 a mined anchor is confirmed (its receipts are handed out) but not final. The
// test takes an evm_snapshot before the anchor, lets it be confirmed, then, with every RPC request of the
// service held at the proxy so that it sees the chain only before or after, reverts to the snapshot and mines
// two empty blocks: the anchor's block number now holds another block, and the transaction is gone (Hardhat's
// revert drops it from the mempool too). The service must notice, anchor the root again, and hand out
// receipts that carry the new anchor once it is final.
import { expect } from 'chai';
import { join } from 'node:path';
import { Transaction } from 'ethers';
import type { Receipt } from '../../service/merkle';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { verifyBadge } from '../../service/verify';
import { call, startKillableService, waitFor, type KillableService } from '../support/killable-service';
import { ANY_METHOD } from '../support/rpc-proxy';
import {
  auditChain,
  auditRun,
  batchById,
  editorKey,
  issueBadges,
  printFaultTable,
  startFaultBench,
  submit,
  waitForBatchState,
  waitForReceipt,
  type Acknowledged,
  type FaultBench,
  type FaultRow,
} from './helpers';

describe('faults: a reorganisation drops a confirmed, not yet final, anchor', function () {
  this.timeout(600_000);
  let bench: FaultBench;
  let service: KillableService | undefined;
  let apiKey: string;
  const acknowledged: Acknowledged[] = [];
  const rows: FaultRow[] = [];

  before(async function () {
    bench = await startFaultBench();
    service = await startKillableService(
      bench.serviceEnv(1, join(bench.directory, 'data'), { BADGE_NOTARY_FINALITY_DEPTH: '4', BADGE_NOTARY_BATCH_MAX_SIZE: '3', BADGE_NOTARY_BATCH_MAX_AGE_MS: '3600000' }),
    );
    apiKey = await editorKey(bench, service, 1);
  });

  after(async function () {
    bench?.proxy.release(ANY_METHOD);
    await service?.kill();
    if (rows.length > 0) printFaultTable('reorg faults', rows);
    await bench?.close();
  });

  it('notices the dropped anchor, anchors again, and its receipts carry the new anchor once final', async function () {
    const snapshot = await bench.rpc<string>('evm_snapshot');
    const items = await submit(service!, apiKey, 1, await issueBadges(bench, 1, 3));
    acknowledged.push(...items);
    const confirmed = await waitForBatchState(service!, 1, 'confirmed');
    const handedOut: Receipt[] = await Promise.all(items.map((item) => waitForReceipt(service!, item.digest)));
    expect(handedOut.map((receipt) => receipt.anchor.transactionHash)).to.deep.equal(items.map(() => confirmed.transactionHash));
    const dropped = { tx: confirmed.transactionHash!, block: confirmed.blockNumber! };
    const droppedBlock = await bench.provider.getBlock(dropped.block);

    // The reorg, seen by the service all at once.
    bench.proxy.hold(ANY_METHOD);
    try {
      expect(await bench.rpc('evm_revert', [snapshot])).to.equal(true);
      await bench.rpc('hardhat_mine', ['0x2']);
    } finally {
      bench.proxy.release(ANY_METHOD);
    }
    expect(await bench.provider.getTransaction(dropped.tx), 'the anchor is gone, mempool included').to.equal(null);
    expect((await bench.provider.getBlock(dropped.block))!.hash).to.not.equal(droppedBlock!.hash);
    expect((await auditChain(bench)).events.size, 'no root is anchored on the new chain').to.equal(0);

    // It goes back to sealed, is anchored again, confirmed, and (with blocks mined for depth) final.
    await waitFor('the reorged transaction in the batch’s history', async () => {
      const { transactions } = await batchById(service!, 1);
      return transactions.some((tx) => tx.transactionHash === dropped.tx && tx.outcome === 'reorged') ? true : undefined;
    });
    const figures = await auditRun(bench, service!, acknowledged, { member: 1 });
    const { batch, transactions } = await batchById(service!, 1);
    expect(batch.state).to.equal('final');
    expect(batch.blockNumber).to.not.equal(dropped.block);
    expect(transactions.map((tx) => tx.outcome)).to.deep.equal(['reorged', 'mined']);

    // The same credentials' receipts now: the same proof and root, the new anchor.
    const [event] = (await auditChain(bench)).events.get(batch.root.toLowerCase())!;
    const reader = new JsonRpcRegistryReader(bench.provider, bench.network.record.registry, bench.network.record.blockNumber);
    for (const [index, item] of items.entries()) {
      const now = figures.receipts.get(item.digest)!;
      expect({ root: now.root, proof: now.proof, leaf: now.leaf })
        .to.deep.equal({ root: handedOut[index].root, proof: handedOut[index].proof, leaf: handedOut[index].leaf });
      expect(now.anchor).to.include({ transactionHash: event.transactionHash, blockNumber: event.blockNumber });
      expect(now.anchor.blockNumber).to.not.equal(handedOut[index].anchor.blockNumber);
      const report = await verifyBadge({ credential: item.artifact, receipt: now, reader, now: new Date() });
      expect(report.verified).to.equal(true);
      // A receipt kept from before the reorg still proves the credential: the verifier finds the new anchor.
      const kept = await verifyBadge({ credential: item.artifact, receipt: handedOut[index], reader, now: new Date() });
      expect(kept.verified, JSON.stringify(kept.steps)).to.equal(true);
      expect(kept.anchor).to.include({ transactionHash: event.transactionHash, blockNumber: event.blockNumber });
      expect(kept.steps.find((step) => step.name === 'anchor')!.message).to.contain(`re-anchored: the receipt names ${dropped.tx}`);
    }
    const metrics = String((await call(service!.url, 'GET', '/metrics')).body.text ?? '');
    expect(metrics).to.match(/^badge_notary_batch_transitions_total\{from="confirmed",to="sealed",reason="reorged"\} 1$/m);
    rows.push({ fault: 'reorg (evm_revert + 2 empty blocks) under a confirmed anchor', injected: 1, ...figures, notes: `anchor moved from block ${dropped.block} to ${event.blockNumber}` });
  });

  it('when the new chain holds the same anchor transaction in another block, adopts it without sending another', async function () {
    const snapshot = await bench.rpc<string>('evm_snapshot');
    const items = await submit(service!, apiKey, 1, await issueBadges(bench, 1, 3));
    acknowledged.push(...items);
    const confirmed = await waitForBatchState(service!, 2, 'confirmed');
    const raw = Transaction.from((await bench.provider.getTransaction(confirmed.transactionHash!))!).serialized;
    const sendsBefore = bench.proxy.forwarded('eth_sendRawTransaction');

    // The reorg: one other block at the anchor's height, then the same signed transaction mined above it.
    bench.proxy.hold(ANY_METHOD);
    try {
      await bench.rpc('evm_revert', [snapshot]);
      await bench.rpc('hardhat_mine', ['0x1']);
      expect(await bench.rpc('eth_sendRawTransaction', [raw])).to.equal(confirmed.transactionHash);
    } finally {
      bench.proxy.release(ANY_METHOD);
    }
    const moved = (await bench.provider.getTransactionReceipt(confirmed.transactionHash!))!;
    expect(moved.blockNumber).to.equal(confirmed.blockNumber! + 1);

    await waitFor('batch 2 on its moved anchor', async () => {
      const { batch } = await batchById(service!, 2);
      return batch.blockNumber === moved.blockNumber && (batch.state === 'confirmed' || batch.state === 'final') ? batch : undefined;
    });
    const figures = await auditRun(bench, service!, acknowledged, { member: 1 });
    const { batch } = await batchById(service!, 2);
    expect(batch).to.include({ state: 'final', transactionHash: confirmed.transactionHash, blockNumber: moved.blockNumber, attempts: 1 });
    expect(bench.proxy.forwarded('eth_sendRawTransaction'), 'sends by the service').to.equal(sendsBefore);
    for (const item of items) expect(figures.receipts.get(item.digest)!.anchor).to.include({ transactionHash: moved.hash, blockNumber: moved.blockNumber });
    const metrics = String((await call(service!.url, 'GET', '/metrics')).body.text ?? '');
    expect(metrics).to.match(/^badge_notary_batch_transitions_total\{from="sealed",to="submitted",reason="adopted"\} 1$/m);
    rows.push({ fault: 'reorg moving the anchor transaction to another block', injected: 1, ...figures, notes: `anchor moved from block ${confirmed.blockNumber} to ${moved.blockNumber}, same transaction adopted` });
  });
});
