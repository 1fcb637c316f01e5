// The RPC URL of a hosted provider carries its API key (in the path or the query). Provider errors must not
// carry it to anyone: not in a verification report, not in any HTTP body, not in a log line at info level.
import { expect } from 'chai';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { call, startKillableService, waitFor, type KillableService } from '../support/killable-service';
import { editorKey, issueBadges, startFaultBench, submit, waitForReceipt, type FaultBench } from '../faults/helpers';

const SECRET = 'sk-live-0f9e8d7c6b5a';

/** badge_notary_failures_total{component="batching",kind="rpc"} from GET /metrics. */
async function rpcFailures(service: KillableService): Promise<number> {
  const text = String((await call(service.url, 'GET', '/metrics')).body.text ?? '');
  return Number(/^badge_notary_failures_total\{component="batching",kind="rpc"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

/**
 * A JSON-RPC endpoint in front of the node, as a hosted provider is: it forwards while `failing` is false and
 * otherwise answers 500 with a body that echoes the request's path and query, as providers' error pages do.
 */
async function startFailingFront(upstream: string): Promise<{ url: string; server: Server; setFailing(on: boolean): void }> {
  let failing = false;
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    if (failing) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error while serving ${req.url}`);
      return;
    }
    const forward = httpRequest({ host: target.hostname, port: target.port, path: '/', method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/v3/${SECRET}?apikey=${SECRET}`, server, setFailing: (on) => (failing = on) };
}

describe('security: the RPC URL never leaks', function () {
  this.timeout(300_000);
  let bench: FaultBench;
  let front: Awaited<ReturnType<typeof startFailingFront>>;
  let service: KillableService | undefined;

  before(async function () {
    bench = await startFaultBench();
    front = await startFailingFront(bench.network.node.rpcUrl);
    service = await startKillableService(bench.serviceEnv(1, join(bench.directory, 'data'), { BADGE_NOTARY_RPC_URL: front.url, BADGE_NOTARY_LOG_LEVEL: 'info' }));
  });

  after(async function () {
    await service?.kill();
    front?.server.close();
    await bench?.close();
  });

  it('a provider error shows in no report, no revocation’s failure, no HTTP body and no info-level log line with the URL or its key', async function () {
    const apiKey = await editorKey(bench, service!, 1);
    const [badge] = await issueBadges(bench, 1, 1);
    const [item] = await submit(service!, apiKey, 1, [badge]);
    await waitForReceipt(service!, item.digest);

    front.setFailing(true);
    const answers = [
      await call(service!.url, 'POST', '/v1/verify', { body: { credential: badge } }),
      await call(service!.url, 'POST', '/credentials/verify', { body: { verifiableCredential: badge } }),
      await call(service!.url, 'GET', '/ready'),
      await call(service!.url, 'GET', `/v1/credentials/${item.digest}`),
    ];
    // The provider's failure did reach the verifier: the report is not verified, and says the chain failed.
    expect(answers[0].body.verified, JSON.stringify(answers[0].body)).to.equal(false);
    // A revocation sent while the provider fails is refused and recorded as failed, with the reason in words.
    const revocation = await call(service!.url, 'POST', '/v1/revocations', { token: apiKey, body: { digest: item.digest, reason: 4 } });
    expect(revocation.status, JSON.stringify(revocation.body)).to.equal(503);
    const revocations = await call(service!.url, 'GET', '/v1/revocations', { token: apiKey });
    const [failed] = revocations.body.revocations as { state: string; error: string | null }[];
    expect(failed?.state, JSON.stringify(revocations.body)).to.equal('failed');
    expect(failed.error, 'the failure is recorded with its reason').to.be.a('string').and.not.equal('');
    answers.push(revocation, revocations);
    // Anchoring meets the failure too while the front fails: the batch records it, and GET /v1/batches shows it.
    const [more] = await submit(service!, apiKey, 1, await issueBadges(bench, 1, 1));
    await waitFor('an anchoring failure', async () => ((await rpcFailures(service!)) > 0 ? true : undefined), { timeoutMs: 60_000 });
    answers.push(await call(service!.url, 'GET', '/v1/batches'), await call(service!.url, 'GET', `/v1/credentials/${more.digest}`));
    front.setFailing(false);
    await waitForReceipt(service!, more.digest);

    for (const answer of answers) expect(JSON.stringify(answer.body), JSON.stringify(answer.body)).not.to.contain(SECRET);
    const lines = service!.output.join('').split('\n').filter((line) => line.trim() !== '');
    const leaking = lines.filter((line) => line.includes(SECRET));
    expect(leaking, 'log lines that carry the RPC key').to.deep.equal([]);
  });
});
