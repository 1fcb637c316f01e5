// Faults of several service processes on one PostgreSQL (issue #13): two replicas run at all times, and the one
// holding the anchorer lease is SIGKILLed at each state of the anchoring state machine (the killed one comes back
// as a new replica); a leader is paused (SIGSTOP) past its lease and resumed; PostgreSQL is restarted under load.
// As in crash.fault.test.ts, each kill is placed, not raced: batches of 3 sealed by size, the RPC proxy holding
// eth_estimateGas or eth_sendRawTransaction, automine off, a finality depth of 3. The end audit verifies every
// acknowledged credential's receipt against the chain and counts one anchor per root.
import { expect } from 'chai';
import { join } from 'node:path';
import { Pool } from 'pg';
import { call, sleep, startKillableService, waitFor, type KillableService } from '../support/killable-service';
import { startPostgres, type PostgresServer } from '../support/postgres-server';
import {
  auditRun,
  batchById,
  editorKey,
  issueBadges,
  listBatches,
  printFaultTable,
  startFaultBench,
  submit,
  waitForBatchState,
  waitForReceipt,
  type Acknowledged,
  type FaultBench,
  type FaultRow,
} from './helpers';

/** Batches of 3 sealed by size only; final 3 blocks deep; a lease of 3 s (renewed every second). */
const HOLDING = { BADGE_NOTARY_BATCH_MAX_SIZE: '3', BADGE_NOTARY_BATCH_MAX_AGE_MS: '3600000', BADGE_NOTARY_FINALITY_DEPTH: '3', BADGE_NOTARY_LEASE_TTL_MS: '3000' };
const FLOWING = { ...HOLDING, BADGE_NOTARY_BATCH_MAX_AGE_MS: '300' };
/** The pause before each request of the load under which PostgreSQL restarts (per replica). */
const LOAD_PAUSE_MS = 50;

interface Replica {
  name: string;
  service: KillableService;
}

describe('faults: two service processes on one PostgreSQL', function () {
  this.timeout(900_000);
  let bench: FaultBench;
  let postgres: PostgresServer;
  let pool: Pool;
  let apiKey: string;
  let env: NodeJS.ProcessEnv = HOLDING;
  const replicas: Replica[] = [];
  const acknowledged: Acknowledged[] = [];
  const rows: FaultRow[] = [];
  const killedAt: string[] = [];
  let started = 0;

  const startReplica = async () => {
    const name = `replica-${++started}`;
    const service = await startKillableService(
      bench.serviceEnv(1, join(bench.directory, name), { BADGE_NOTARY_DATABASE_URL: postgres.url, ...env }),
    );
    replicas.push({ name, service });
  };
  const leadsNow = async (replica: Replica) => {
    if (replica.service.exited()) throw new Error(`${replica.name} exited:\n${replica.service.output.join('').slice(-3000)}`);
    const { body } = await call(replica.service.url, 'GET', '/ready');
    return (body.checks as { anchoring?: { leader?: boolean } } | undefined)?.anchoring?.leader === true;
  };
  /** The one replica that says it holds the lease, once exactly one does. */
  const leader = () =>
    waitFor(
      'exactly one replica to hold the anchorer lease',
      async () => {
        const leading = [];
        for (const replica of replicas) if (await leadsNow(replica)) leading.push(replica);
        return leading.length === 1 ? leading[0] : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  const other = (replica: Replica) => replicas.find((r) => r !== replica)!;
  /** SIGKILLs the leader; the survivor goes on alone until the killed one's place is taken by a new replica. */
  const killLeader = async (state: string) => {
    const current = await leader();
    await current.service.kill();
    replicas.splice(replicas.indexOf(current), 1);
    killedAt.push(state);
    return current;
  };
  const anchorRows = async (batchId: number) =>
    (await pool.query<{ tx_hash: string; outcome: string | null }>('SELECT tx_hash, outcome FROM anchor_transactions WHERE batch_id = $1 ORDER BY seq', [batchId])).rows;

  before(async function () {
    bench = await startFaultBench();
    postgres = await startPostgres();
    pool = new Pool({ connectionString: postgres.url, max: 2 });
    // The restart below ends the test's idle connections too.
    pool.on('error', () => undefined);
    await startReplica();
    await startReplica();
    apiKey = await editorKey(bench, replicas[0].service, 1);
  });

  after(async function () {
    for (const replica of replicas) await replica.service.kill();
    if (rows.length > 0) printFaultTable('replica faults (two processes, one PostgreSQL)', rows);
    await pool?.end();
    await postgres?.destroy();
    await bench?.close();
  });

  it('both processes take credentials and answer for them; exactly one holds the anchorer lease', async function () {
    const first = await submit(replicas[0].service, apiKey, 1, await issueBadges(bench, 1, 1));
    const second = await submit(replicas[1].service, apiKey, 1, await issueBadges(bench, 1, 1));
    acknowledged.push(...first, ...second);
    for (const item of [...first, ...second]) {
      for (const replica of replicas) {
        const { status, body } = await call(replica.service.url, 'GET', `/v1/credentials/${item.digest}`);
        expect(status, 'pending: 202').to.equal(202);
        expect(body.state, `${item.digest} on ${replica.name}`).to.equal('queued');
      }
    }
    const current = await leader();
    expect(await leadsNow(other(current))).to.equal(false);
  });

  it('the leader killed after sealing (its anchor held at the gas estimate): the other takes over and sends it', async function () {
    bench.proxy.hold('eth_estimateGas');
    acknowledged.push(...(await submit(replicas[0].service, apiKey, 1, await issueBadges(bench, 1, 1))));
    await bench.proxy.waitForHeld('eth_estimateGas');
    const [batch] = await listBatches(replicas[0].service);
    expect(batch).to.include({ id: 1, size: 3, state: 'sealed', transactionHash: null });
    const killed = await killLeader('sealed');
    // The next leader's broadcast is kept from the node: the following kill finds it submitted, not broadcast.
    bench.proxy.hold('eth_sendRawTransaction', 'request');
    bench.proxy.discard('eth_estimateGas');
    await startReplica();
    const next = await leader();
    expect(next.name, 'the survivor took the lease').to.not.equal(killed.name);
    await bench.proxy.waitForHeld('eth_sendRawTransaction');
  });

  it('the leader killed with its anchor recorded as submitted but not broadcast: the next leader broadcasts it, once', async function () {
    const batch = await waitForBatchState(replicas[0].service, 1, 'submitted');
    expect(await anchorRows(1)).to.deep.equal([{ tx_hash: batch.transactionHash, outcome: null }]);
    await killLeader('submitted (not broadcast)');
    expect(bench.proxy.discard('eth_sendRawTransaction')).to.be.at.least(1);
    expect(await bench.provider.getTransaction(batch.transactionHash!), 'the node never saw it').to.equal(null);
    await bench.rpc('evm_setAutomine', [false]);
    await startReplica();
    await leader();
    await waitFor('the anchor of batch 1 pending in the node’s mempool', async () => {
      const tx = await bench.provider.getTransaction(batch.transactionHash!);
      return tx && tx.blockNumber === null ? tx : undefined;
    });
    expect(await anchorRows(1), 'the same transaction, not a second one').to.deep.equal([{ tx_hash: batch.transactionHash, outcome: null }]);
  });

  it('the leader killed while its anchor waits in the mempool: the next leader waits for that one and sends no other', async function () {
    await killLeader('submitted (in the mempool)');
    const sendsBefore = bench.proxy.forwarded('eth_sendRawTransaction');
    bench.proxy.hold('eth_sendRawTransaction', 'request');
    await startReplica();
    await leader();
    await bench.rpc('evm_mine');
    await bench.rpc('evm_setAutomine', [true]);
    const confirmed = await waitForBatchState(replicas[0].service, 1, 'confirmed');
    expect(bench.proxy.heldCount('eth_sendRawTransaction'), 'sends tried by the next leader').to.equal(0);
    expect(bench.proxy.forwarded('eth_sendRawTransaction')).to.equal(sendsBefore);
    bench.proxy.release('eth_sendRawTransaction');
    expect((await anchorRows(1)).map((row) => row.tx_hash)).to.deep.equal([confirmed.transactionHash]);
  });

  it('the leader killed with its batch confirmed (not final): final under the next leader, receipts unchanged', async function () {
    const receipts = await Promise.all(acknowledged.map((item) => waitForReceipt(replicas[0].service, item.digest)));
    await killLeader('confirmed');
    await bench.rpc('hardhat_mine', ['0x2']);
    await startReplica();
    await leader();
    await waitForBatchState(replicas[0].service, 1, 'final');
    for (const replica of replicas) {
      expect(await Promise.all(acknowledged.map((item) => waitForReceipt(replica.service, item.digest))), replica.name).to.deep.equal(receipts);
    }
  });

  it('the leader killed after its anchor was mined but before it heard back: confirmed by the next leader without a second send', async function () {
    bench.proxy.hold('eth_sendRawTransaction', 'response');
    acknowledged.push(...(await submit(replicas[1].service, apiKey, 1, await issueBadges(bench, 1, 3))));
    await bench.proxy.waitForHeld('eth_sendRawTransaction');
    const batch = await waitForBatchState(replicas[0].service, 2, 'submitted');
    const mined = await bench.provider.getTransactionReceipt(batch.transactionHash!);
    expect(mined?.status, 'the node mined it').to.equal(1);
    await killLeader('submitted (mined, answer lost)');
    bench.proxy.discard('eth_sendRawTransaction');
    const sendsBefore = bench.proxy.forwarded('eth_sendRawTransaction');
    env = FLOWING;
    await startReplica();
    await leader();
    const confirmed = await waitFor('batch 2 confirmed or final', async () => {
      const { batch: now } = await batchById(replicas[0].service, 2);
      return now.state === 'confirmed' || now.state === 'final' ? now : undefined;
    });
    expect(confirmed).to.include({ transactionHash: batch.transactionHash, blockNumber: mined!.blockNumber, attempts: 1 });
    expect(bench.proxy.forwarded('eth_sendRawTransaction')).to.equal(sendsBefore);
  });

  it('a leader paused (SIGSTOP) past its lease and resumed does not anchor: the one that took over does, once', async function () {
    // Both replicas flow now (age limit 300 ms); a new batch's anchor is held at the gas estimate, mid-tick.
    for (const replica of [...replicas]) {
      await replica.service.stop();
      replicas.splice(replicas.indexOf(replica), 1);
      await startReplica();
    }
    const paused = await leader();
    bench.proxy.hold('eth_estimateGas');
    acknowledged.push(...(await submit(paused.service, apiKey, 1, await issueBadges(bench, 1, 2))));
    await bench.proxy.waitForHeld('eth_estimateGas');
    const [batch] = await listBatches(paused.service);
    expect(batch.state).to.equal('sealed');
    const sendsBefore = bench.proxy.forwarded('eth_sendRawTransaction');
    paused.service.pause();
    // The other takes the lease once it runs out (3 s), and its own attempt at the batch waits at the estimate too.
    const successor = other(paused);
    await waitFor('the other replica to take the lease', () => leadsNow(successor).then((leads) => leads || undefined), { timeoutMs: 30_000 });
    await bench.proxy.waitForHeld('eth_estimateGas', { count: 2 });
    paused.service.resume();
    // The paused leader's tick goes on from its estimate: its record of the transaction is refused by the fence.
    bench.proxy.release('eth_estimateGas');
    const anchored = await waitForBatchState(successor.service, batch.id, 'confirmed');
    expect(await leadsNow(paused), 'the resumed process knows it no longer leads').to.equal(false);
    expect((await anchorRows(batch.id)).map((row) => row.tx_hash), 'one anchor transaction recorded').to.deep.equal([anchored.transactionHash]);
    expect(bench.proxy.forwarded('eth_sendRawTransaction') - sendsBefore, 'broadcasts').to.equal(1);
    killedAt.push('paused past its lease');
  });

  it('PostgreSQL restarted under load: what was acknowledged is kept, the rest is refused with 503 and taken after', async function () {
    const statuses = new Map<number, number>();
    const timeline: string[] = [];
    const began = Date.now();
    let running = true;
    // Paced: as fast as the machine goes, the load acknowledged ~1,000 credentials (330 batches of 3, anchored one
    // by one) on a fast run, more than the audit's 90 s could see final; 20 requests a second per replica keep it
    // under ~200 on any machine, with the database's downtime still refusing dozens.
    const load = async (replica: Replica) => {
      while (running) {
        await sleep(LOAD_PAUSE_MS);
        const badges = await issueBadges(bench, 1, 1);
        const answer = await call(replica.service.url, 'POST', '/v1/credentials', { token: apiKey, body: { credentials: badges } }).catch(() => undefined);
        if (!answer) continue;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        timeline.push(`${Date.now() - began}:${answer.status}`);
        if (answer.status === 202) {
          const [item] = answer.body.credentials as { digest: string }[];
          acknowledged.push({ digest: item.digest, artifact: badges[0], member: 1 });
        }
      }
    };
    const loads = replicas.map((replica) => load(replica));
    await sleep(1_500);
    timeline.push(`${Date.now() - began}:stop`);
    await postgres.stop();
    timeline.push(`${Date.now() - began}:stopped`);
    await sleep(2_000);
    await postgres.start();
    timeline.push(`${Date.now() - began}:started`);
    await sleep(3_000);
    running = false;
    await Promise.all(loads);
    killedAt.push('PostgreSQL restarted');
    const summary = Object.fromEntries(statuses);
    // The answers in time, runs of one status folded: e.g. "0-1500 ms 202 x40, stop, ...".
    const runs: string[] = [];
    for (const entry of timeline) {
      const [at, what] = entry.split(':');
      const last = runs.at(-1)?.split(' ');
      if (last && last[2] === what) runs[runs.length - 1] = `${last[0].split('-')[0]}-${at} ms ${what} x${Number(last[3].slice(1)) + 1}`;
      else runs.push(`${at}-${at} ms ${what} x1`);
    }
    console.log(`    answers in time: ${runs.join(', ')}`);
    expect(summary[202], JSON.stringify(summary)).to.be.greaterThan(0);
    expect(summary[503], `refused while the database was down: ${JSON.stringify(summary)}`).to.be.greaterThan(0);
    expect(Object.keys(summary).map(Number).filter((status) => status !== 202 && status !== 503), JSON.stringify(summary)).to.deep.equal([]);
    rows.push({ fault: 'PostgreSQL restarted under load', injected: 1, notes: `answers: ${JSON.stringify(summary)}` });
  });

  it('in the end: every acknowledged credential has a receipt verifyBadge accepts, each root is anchored once, every batch is final', async function () {
    await leader();
    const figures = await auditRun(bench, replicas[0].service, acknowledged, { member: 1 });
    rows.push({ fault: `leader SIGKILLed at: ${killedAt.slice(0, 5).join(', ')}; then ${killedAt.slice(5).join(', ')}`, injected: killedAt.length, ...figures });
    expect(killedAt).to.have.length(7);
    expect(figures.receiptsValid).to.equal(acknowledged.length);
  });
});
