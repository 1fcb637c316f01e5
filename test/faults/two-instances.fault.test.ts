// Two service instances, each its own process with its own data directory and its own notary account (account
// 9 for member 1, account 8 authorised here by member 2's controller), anchor concurrently against one
// registry. The node mines a block every second (automine off), so each account has several anchors pending
// at once and the two accounts' transactions share blocks: a pending-nonce mistake, or one instance adopting
// the other's anchor, would show. Credentials of each member go to its own instance at the same time.
import { expect } from 'chai';
import { join } from 'node:path';
import { call, startKillableService, type KillableService } from '../support/killable-service';
import { wellKnownAccount } from '../support/well-known-accounts';
import {
  auditChain,
  auditRun,
  editorKey,
  issueBadges,
  listBatches,
  printFaultTable,
  startFaultBench,
  submit,
  NOTARY_ACCOUNT,
  type Acknowledged,
  type FaultBench,
  type FaultRow,
  type Member,
} from './helpers';

const MEMBERS = [1, 2] as const;
/** Bulk requests per instance, all sent at once, and credentials per request: with batches of 3, many anchors. */
const REQUESTS = 6;
const PER_REQUEST = 3;

describe('faults: two service instances with their own notary accounts anchor concurrently against one registry', function () {
  this.timeout(600_000);
  let bench: FaultBench;
  const instances: Partial<Record<Member, KillableService>> = {};
  const rows: FaultRow[] = [];

  before(async function () {
    bench = await startFaultBench({ notaryForMember2: true });
    const env = { BADGE_NOTARY_BATCH_MAX_SIZE: String(PER_REQUEST), BADGE_NOTARY_BATCH_MAX_AGE_MS: '200' };
    const started = await Promise.all(MEMBERS.map((member) => startKillableService(bench.serviceEnv(member, join(bench.directory, `data-${member}`), env))));
    MEMBERS.forEach((member, index) => (instances[member] = started[index]));
  });

  after(async function () {
    await Promise.all(MEMBERS.map((member) => instances[member]?.kill()));
    if (rows.length > 0) printFaultTable('two instances, one registry', rows);
    await bench?.close();
  });

  it('each member’s credentials, sent to its own instance at the same time, are anchored once each, by its own account, without nonce errors', async function () {
    const apiKeys = Object.fromEntries(
      await Promise.all(MEMBERS.map(async (member) => [member, await editorKey(bench, instances[member]!, member)]))
    ) as Record<Member, string>;
    const badges = Object.fromEntries(
      await Promise.all(MEMBERS.map(async (member) => [
        member, await Promise.all([...Array(REQUESTS).keys()].map(() => issueBadges(bench, member, PER_REQUEST)))
      ])),
    ) as Record<Member, (string | object)[][]>;

    // A block a second from now on, so that anchors wait in the mempool side by side.
    await bench.rpc('evm_setAutomine', [false]);
    await bench.rpc('evm_setIntervalMining', [1000]);
    const acknowledged: Record<Member, Acknowledged[]> = { 1: [], 2: [] };
    const maxPending: Record<Member, number> = { 1: 0, 2: 0 };
    let sending = true;
    const watchPending = (async () => {
      while (sending) {
        for (const member of MEMBERS) {
          const address = wellKnownAccount(NOTARY_ACCOUNT[member]).address;
          const pending = (await bench.provider.getTransactionCount(address, 'pending')) - (await bench.provider.getTransactionCount(address, 'latest'));
          maxPending[member] = Math.max(maxPending[member], pending);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      await Promise.all(
        MEMBERS.flatMap((member) =>
          badges[member].map(async (batch) => acknowledged[member].push(...(await submit(instances[member]!, apiKeys[member], member, batch)))),
        ),
      );
      const audits = [];
      for (const member of MEMBERS) audits.push(await auditRun(bench, instances[member]!, acknowledged[member], { member }));
      sending = false;
      await watchPending;

      // Each instance's roots were anchored by its own account, one transaction each, nonces 0..n-1 in order.
      const chain = await auditChain(bench);
      for (const [index, member] of MEMBERS.entries()) {
        const batches = await listBatches(instances[member]!);
        const notary = wellKnownAccount(NOTARY_ACCOUNT[member]).address;
        const transactions = batches.map((batch) => chain.transactions.get(batch.root.toLowerCase())![0]);
        expect(transactions.every((tx) => tx.from === notary && tx.succeeded)).to.equal(true);
        expect(transactions.map((tx) => tx.nonce).sort((a, b) => a - b)).to.deep.equal([...batches.keys()]);
        for (const batch of batches) {
          expect(batch, `batch ${batch.id} of member ${member}`).to.include({ state: 'final', attempts: 1, lastError: null });
          const history = (await call(instances[member]!.url, 'GET', `/v1/batches/${batch.id}`)).body.transactions as { outcome: string }[];
          expect(history.map((tx) => tx.outcome)).to.deep.equal(['mined']);
        }
        const metrics = String((await call(instances[member]!.url, 'GET', '/metrics')).body.text ?? '');
        expect(metrics, 'failed anchoring steps').to.not.match(/^badge_notary_failures_total\{component="batching"[^}]*\} [1-9]/m);
        expect(instances[member]!.output.join(''), 'nonce errors in the log').to.not.match(/nonce|underpriced|replacement/i);
        rows.push({
          fault: `instance of member ${member} (account ${NOTARY_ACCOUNT[member]}) beside the other`,
          injected: 0,
          ...audits[index],
          notes: `${REQUESTS} bulk requests of ${PER_REQUEST} at once; up to ${maxPending[member]} anchors pending at once; nonces 0..${transactions.length - 1}`,
        });
      }
      const blocksWithBoth = new Set(
        [...chain.transactions.values()].flat().filter((tx) => tx.from === wellKnownAccount(NOTARY_ACCOUNT[1]).address).map((tx) => tx.blockNumber),
      );
      const shared = [...chain.transactions.values()]
        .flat()
        .filter((tx) => tx.from === wellKnownAccount(NOTARY_ACCOUNT[2]).address && blocksWithBoth.has(tx.blockNumber)).length;
      rows[rows.length - 1].notes += `; ${shared} block(s) held anchors of both instances`;
    } finally {
      sending = false;
      await watchPending;
      await bench.rpc('evm_setIntervalMining', [0]);
      await bench.rpc('evm_setAutomine', [true]);
    }
  });
});
