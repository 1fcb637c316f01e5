// Fault: the service is killed with SIGKILL at each state of the anchoring state machine and restarted.
// Each kill is placed deterministically, not raced: a batch age limit of an hour keeps credentials queued;
// the RPC proxy holds eth_estimateGas (the batch stays sealed), eth_sendRawTransaction before the node sees
// it (recorded as submitted, never broadcast) or after the node mined it (the service never hears);
// automine off keeps a sent anchor in the node's mempool; a finality depth of 3 keeps a mined anchor
// confirmed until the test mines more blocks. Before each kill the test reads GET /v1/batches; after it, a
// copy of the SQLite file (database and WAL) shows what the next start will find.
import { expect } from 'chai';
import { join } from 'node:path';
import { call, startKillableService, waitFor, type KillableService } from '../support/killable-service';
import { wellKnownAccount } from '../support/well-known-accounts';
import {
  auditRun,
  batchById,
  editorKey,
  issueBadges,
  listBatches,
  printFaultTable,
  readDatabaseCopy,
  startFaultBench,
  submit,
  waitForBatchState,
  waitForReceipt,
  type Acknowledged,
  type FaultBench,
  type FaultRow,
} from './helpers';

/** Batches of 3 sealed by size only (the age limit is an hour); final 3 blocks deep. */
const HOLDING = { BADGE_NOTARY_BATCH_MAX_SIZE: '3', BADGE_NOTARY_BATCH_MAX_AGE_MS: '3600000', BADGE_NOTARY_FINALITY_DEPTH: '3' };
/** The same, with a short age limit for the last phase. */
const FLOWING = { ...HOLDING, BADGE_NOTARY_BATCH_MAX_AGE_MS: '300' };

describe('faults: the service killed with SIGKILL at each state of the anchoring state machine', function () {
  this.timeout(600_000);
  let bench: FaultBench;
  let service: KillableService | undefined;
  let apiKey: string;
  let databasePath: string;
  const acknowledged: Acknowledged[] = [];
  const rows: FaultRow[] = [];
  const killedAt: string[] = [];
  const notary = wellKnownAccount(9).address;

  const start = async (env: NodeJS.ProcessEnv = HOLDING) => {
    service = await startKillableService(bench.serviceEnv(1, join(bench.directory, 'data'), env));
    return service;
  };
  const kill = async (state: string) => {
    await service!.kill();
    service = undefined;
    killedAt.push(state);
  };
  const stateOf = async (digest: string) => (await call(service!.url, 'GET', `/v1/credentials/${digest}`)).body.state;
  const dbBatches = () =>
    readDatabaseCopy(databasePath, (db) => ({
      batches: db.prepare('SELECT id, state, tx_hash AS txHash FROM batches ORDER BY id').all() as { id: number; state: string; txHash: string | null }[],
      transactions: db.prepare('SELECT tx_hash AS txHash, batch_id AS batchId, outcome FROM anchor_transactions ORDER BY rowid').all() as {
        txHash: string;
        batchId: number;
        outcome: string | null;
      }[],
      queued: (db.prepare('SELECT count(*) AS n FROM credentials WHERE batch_id IS NULL').get() as { n: number }).n,
    }));

  before(async function () {
    bench = await startFaultBench();
    databasePath = join(bench.directory, 'data', 'notary.sqlite');
    await start();
    apiKey = await editorKey(bench, service!, 1);
  });

  after(async function () {
    await service?.kill();
    if (rows.length > 0) printFaultTable('crash faults (SIGKILL)', rows);
    await bench?.close();
  });

  it('after intake: credentials acknowledged with 202 are durable at the kill and still queued after the restart', async function () {
    const items = await submit(service!, apiKey, 1, await issueBadges(bench, 1, 2));
    acknowledged.push(...items);
    for (const item of items) expect(await stateOf(item.digest)).to.equal('queued');
    expect(await listBatches(service!)).to.deep.equal([]);
    await kill('queued');

    expect(dbBatches()).to.deep.include({ batches: [], queued: 2 });
    await start();
    for (const item of items) expect(await stateOf(item.digest)).to.equal('queued');
  });

  it('after sealing: a batch sealed but never sent is sent once after the restart', async function () {
    // The third credential fills a batch of 3; its anchor stops at the gas estimate, before any nonce or record.
    bench.proxy.hold('eth_estimateGas');
    acknowledged.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 1))));
    await bench.proxy.waitForHeld('eth_estimateGas');
    const [batch] = await listBatches(service!);
    expect(batch).to.include({ id: 1, size: 3, state: 'sealed', transactionHash: null, attempts: 0 });
    await kill('sealed');
    bench.proxy.discard('eth_estimateGas');

    const stored = dbBatches();
    expect(stored.batches).to.deep.equal([{ id: 1, state: 'sealed', txHash: null }]);
    expect(stored.transactions).to.deep.equal([]);
    expect(stored.queued).to.equal(0);
  });

  it('after the anchor is recorded as submitted but before the node has it: sent again after the restart, once', async function () {
    // The proxy keeps the broadcast from the node: the transaction exists only in the service's database.
    bench.proxy.hold('eth_sendRawTransaction', 'request');
    await start();
    await bench.proxy.waitForHeld('eth_sendRawTransaction');
    const batch = await waitForBatchState(service!, 1, 'submitted');
    expect(batch.transactionHash).to.match(/^0x[0-9a-f]{64}$/);
    await kill('submitted (not broadcast)');
    expect(bench.proxy.discard('eth_sendRawTransaction')).to.be.at.least(1);

    expect(await bench.provider.getTransaction(batch.transactionHash!), 'the node never saw it').to.equal(null);
    const stored = dbBatches();
    expect(stored.batches).to.deep.equal([{ id: 1, state: 'submitted', txHash: batch.transactionHash }]);
    expect(stored.transactions).to.deep.equal([{ txHash: batch.transactionHash, batchId: 1, outcome: null }]);
  });

  it('after sending: killed while its anchor waits in the mempool, it waits for that one and sends no other', async function () {
    await bench.rpc('evm_setAutomine', [false]);
    await start();
    // The restarted service finds its transaction unknown to the node, sends it again; it stays pending.
    const pending = await waitFor('the anchor of batch 1 pending in the node’s mempool', async () => {
      const { batch } = await batchById(service!, 1);
      if (batch.state !== 'submitted' || !batch.transactionHash) return undefined;
      const tx = await bench.provider.getTransaction(batch.transactionHash);
      return tx && tx.blockNumber === null ? batch : undefined;
    });
    expect(await bench.provider.getTransactionCount(notary, 'pending')).to.equal((await bench.provider.getTransactionCount(notary, 'latest')) + 1);
    await kill('submitted (in the mempool)');
    expect(dbBatches().batches).to.deep.equal([{ id: 1, state: 'submitted', txHash: pending.transactionHash }]);

    // Any second send would wait here, held before the node, and show.
    const sendsBefore = bench.proxy.forwarded('eth_sendRawTransaction');
    bench.proxy.hold('eth_sendRawTransaction', 'request');
    await start();
    await bench.rpc('evm_mine');
    await bench.rpc('evm_setAutomine', [true]);
    const confirmed = await waitForBatchState(service!, 1, 'confirmed');
    expect(confirmed.transactionHash).to.equal(pending.transactionHash);
    expect(bench.proxy.heldCount('eth_sendRawTransaction'), 'sends tried after the restart').to.equal(0);
    expect(bench.proxy.forwarded('eth_sendRawTransaction')).to.equal(sendsBefore);
    bench.proxy.release('eth_sendRawTransaction');
  });

  it('after confirmation: killed with its batch confirmed (not final), the batch is final after the restart, receipts unchanged', async function () {
    const [batch] = await listBatches(service!);
    expect(batch).to.include({ id: 1, state: 'confirmed' });
    const before = await Promise.all(acknowledged.map((item) => waitForReceipt(service!, item.digest)));
    await kill('confirmed');
    expect(dbBatches().batches).to.deep.equal([{ id: 1, state: 'confirmed', txHash: batch.transactionHash }]);

    // The chain moves on while the service is down: 2 more blocks make the anchor 3 deep, final.
    await bench.rpc('hardhat_mine', ['0x2']);
    await start();
    await waitForBatchState(service!, 1, 'final');
    const after = await Promise.all(acknowledged.map((item) => waitForReceipt(service!, item.digest)));
    expect(after).to.deep.equal(before);
  });

  it('after the anchor is mined but before the service hears back: confirmed after the restart without a second send', async function () {
    bench.proxy.hold('eth_sendRawTransaction', 'response');
    acknowledged.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 3))));
    await bench.proxy.waitForHeld('eth_sendRawTransaction');
    const batch = await waitForBatchState(service!, 2, 'submitted');
    const mined = await bench.provider.getTransactionReceipt(batch.transactionHash!);
    expect(mined?.status, 'the node mined it').to.equal(1);
    await kill('submitted (mined, answer lost)');
    bench.proxy.discard('eth_sendRawTransaction');

    const sendsBefore = bench.proxy.forwarded('eth_sendRawTransaction');
    await start(FLOWING);
    const confirmed = await waitFor('batch 2 confirmed or final', async () => {
      const { batch: now } = await batchById(service!, 2);
      return now.state === 'confirmed' || now.state === 'final' ? now : undefined;
    });
    expect(confirmed).to.include({ transactionHash: batch.transactionHash, blockNumber: mined!.blockNumber, attempts: 1 });
    expect(bench.proxy.forwarded('eth_sendRawTransaction')).to.equal(sendsBefore);
  });

  it('in the end: every acknowledged credential has a receipt verifyBadge accepts, each root is anchored once, every batch is final', async function () {
    // The restarted service takes new credentials as usual.
    acknowledged.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 2))));
    const figures = await auditRun(bench, service!, acknowledged, { member: 1 });
    const transactions = dbBatches().transactions;
    rows.push({
      fault: 'SIGKILL at: ' + killedAt.join(', '),
      injected: killedAt.length,
      ...figures,
      notes: `${transactions.length} anchor transactions recorded (${transactions.filter((t) => t.outcome === 'dropped').length} dropped unsent), ${bench.proxy.forwarded('eth_sendRawTransaction')} broadcasts reached the node`,
    });
    expect(killedAt).to.have.length(6);
    expect(figures.receiptsValid).to.equal(acknowledged.length);
  });
});
