// Fault: the chain's RPC endpoint goes away while credentials keep arriving. A Hardhat node loses its chain
// when its process exits, so the node is made unreachable without stopping it, two ways:
// - refused: the RPC proxy stops listening and closes its connections; the service gets ECONNREFUSED, exactly
//   what a client of a stopped node process (or a node behind a closed port) gets, while the chain survives;
// - hung: the node's process group gets SIGSTOP (and SIGCONT after); connections are accepted by the kernel
//   but never answered, as from a node that froze or a network that drops packets: only timeouts tell.
// Throughout, intake must answer 202 (the registry mirror has the member and its key), /ready must say the
// chain is unreachable, and once the node is back everything must be anchored, each root once.
import { expect } from 'chai';
import { join } from 'node:path';
import { call, sleep, startKillableService, waitFor, type KillableService } from '../support/killable-service';
import {
  auditRun,
  editorKey,
  issueBadges,
  listBatches,
  printFaultTable,
  startFaultBench,
  submit,
  waitForReceipt,
  type Acknowledged,
  type FaultBench,
  type FaultRow,
} from './helpers';

describe('faults: the chain unreachable while credentials keep arriving', function () {
  this.timeout(600_000);
  let bench: FaultBench;
  let service: KillableService | undefined;
  let apiKey: string;
  let nodeStopped = false;
  const acknowledged: Acknowledged[] = [];
  const rows: FaultRow[] = [];

  const stateOf = async (digest: string) => (await call(service!.url, 'GET', `/v1/credentials/${digest}`)).body.state as string;
  const signalNode = (signal: NodeJS.Signals) => process.kill(-bench.network.node.pid, signal);
  /** badge_notary_failures_total{component="batching",kind="rpc"} from GET /metrics. */
  const rpcFailures = async () => {
    const text = String((await call(service!.url, 'GET', '/metrics')).body.text ?? '');
    return Number(/^badge_notary_failures_total\{component="batching",kind="rpc"\} (\d+)/m.exec(text)?.[1] ?? 0);
  };

  before(async function () {
    bench = await startFaultBench();
    service = await startKillableService(bench.serviceEnv(1, join(bench.directory, 'data')));
    apiKey = await editorKey(bench, service, 1);
  });

  after(async function () {
    if (nodeStopped) signalNode('SIGCONT');
    await service?.kill();
    if (rows.length > 0) printFaultTable('RPC outage faults', rows);
    await bench?.close();
  });

  /** During an outage: `rounds` bulk requests of 2, each acknowledged; readiness checked after each. */
  const duringOutage = async (rounds: number, pauseMs: number) => {
    const taken: Acknowledged[] = [];
    const readiness: string[] = [];
    for (let round = 0; round < rounds; round++) {
      taken.push(...(await submit(service!, apiKey, 1, await issueBadges(bench, 1, 2))));
      const ready = await call(service!.url, 'GET', '/ready');
      expect(ready.status, JSON.stringify(ready.body)).to.equal(503);
      const chain = (ready.body.checks as Record<string, { ok: boolean; message: string }>).chain;
      expect(chain.ok).to.equal(false);
      expect(chain.message).to.match(/^the chain is not reachable: /);
      readiness.push(chain.message);
      expect((await call(service!.url, 'GET', '/health')).status).to.equal(200);
      await sleep(pauseMs);
    }
    // Nothing of it can be anchored while the node is out of reach.
    for (const item of taken) expect(await stateOf(item.digest)).to.be.oneOf(['queued', 'sealed']);
    return { taken, readiness };
  };

  it('anchors as usual before the outage', async function () {
    const items = await submit(service!, apiKey, 1, await issueBadges(bench, 1, 2));
    acknowledged.push(...items);
    for (const item of items) await waitForReceipt(service!, item.digest);
  });

  it('refused connections: intake acknowledges, readiness says the chain is unreachable, all is anchored once it is back', async function () {
    const started = Date.now();
    const failuresBefore = await rpcFailures();
    await bench.proxy.refuse();
    let outage;
    try {
      outage = await duringOutage(4, 500);
      expect((await listBatches(service!)).filter((batch) => batch.state === 'sealed').length, 'batches sealed during the outage').to.be.at.least(1);
      expect(await rpcFailures(), 'the anchorer’s RPC failures (metrics)').to.be.greaterThan(failuresBefore);
    } finally {
      await bench.proxy.accept();
    }
    acknowledged.push(...outage.taken);
    const outageMs = Date.now() - started;

    await waitFor('readiness after the outage', async () => ((await call(service!.url, 'GET', '/ready')).status === 200 ? true : undefined));
    for (const item of outage.taken) await waitForReceipt(service!, item.digest);
    rows.push({
      fault: 'RPC refused (proxy closed, ECONNREFUSED)',
      injected: 1,
      acknowledged: outage.taken.length,
      notes: `outage ${(outageMs / 1000).toFixed(1)} s; /ready said "${outage.readiness[0]}"`,
    });
  });

  it('a hung node (SIGSTOP): intake acknowledges, readiness times out on the chain, all is anchored after SIGCONT', async function () {
    const started = Date.now();
    signalNode('SIGSTOP');
    nodeStopped = true;
    let outage;
    try {
      outage = await duringOutage(2, 300);
    } finally {
      signalNode('SIGCONT');
      nodeStopped = false;
    }
    acknowledged.push(...outage.taken);
    expect(outage.readiness[0]).to.match(/no answer within \d+ ms/);
    const outageMs = Date.now() - started;

    await waitFor('readiness after SIGCONT', async () => ((await call(service!.url, 'GET', '/ready')).status === 200 ? true : undefined));
    for (const item of outage.taken) await waitForReceipt(service!, item.digest);
    rows.push({ fault: 'node hung (SIGSTOP/SIGCONT)', injected: 1, acknowledged: outage.taken.length, notes: `outage ${(outageMs / 1000).toFixed(1)} s; /ready said "${outage.readiness[0]}"` });
  });

  it('in the end: every acknowledged credential has a valid receipt, each root anchored once, every batch final', async function () {
    const figures = await auditRun(bench, service!, acknowledged, { member: 1 });
    rows.push({ fault: 'all of the above (audit)', injected: 2, ...figures });
    expect(figures.rootsAnchoredTwice).to.equal(0);
  });
});
