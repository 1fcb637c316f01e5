// The wrk load generator of bench:service -- --store postgres (scripts/bench/wrk-load.ts): its figures line
// parsed and merged, and real wrk processes against two real HTTP servers, the connections shared over both.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mergeWrkFigures, parseWrkFigures, wrkAvailable, wrkLoad } from '../../scripts/bench/wrk-load';

const figures = (requests: number, p50Micros: number, p99Micros: number, errors = 0) => ({
  requests,
  durationMicros: 1_000_000,
  non2xx: errors,
  connectErrors: errors,
  readErrors: 0,
  writeErrors: 0,
  timeouts: errors,
  p50Micros,
  p99Micros,
});

/** A server answering 200 to /a and /b and 404 to anything else, counting the requests by path and by connection. */
async function countingServer(): Promise<{ server: Server; url: string; paths: Map<string, number>; connections: () => number }> {
  const paths = new Map<string, number>();
  let connections = 0;
  const server = createServer((request, response) => {
    paths.set(request.url!, (paths.get(request.url!) ?? 0) + 1);
    response.statusCode = request.url === '/a' || request.url === '/b' ? 200 : 404;
    response.end('{}');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, connections: () => connections };
}

describe('bench: the wrk load generator', function () {
  it('reads the figures line wrk-paths.lua prints among wrk’s own output, and says so when there is none', function () {
    const line = JSON.stringify(figures(1234, 800, 9100));
    expect(parseWrkFigures(`Running 5s test @ http://127.0.0.1:1\n  1 threads and 5 connections\nwrk-figures ${line}\nRequests/sec: 246.8\n`)).to.deep.equal(
      figures(1234, 800, 9100),
    );
    expect(() => parseWrkFigures('unable to connect to 127.0.0.1:1 Connection refused')).to.throw(/no figures line/);
  });

  it('adds up the requests and errors of several processes and quotes the highest percentiles, in ms', function () {
    expect(mergeWrkFigures([figures(1000, 800, 9100, 1), figures(3000, 1600, 4200, 2)])).to.deep.equal({
      requests: { total: 4000 },
      latency: { p50: 2, p99: 9 },
      non2xx: 3,
      errors: 3,
      timeouts: 3,
    });
  });

  it('runs one wrk per server with its share of the connections, each GETting the paths in turn, and counts what they used', async function () {
    if (!wrkAvailable()) {
      console.log("      skipped: wrk is missing; install Debian's wrk with: apt-get install -y wrk");
      this.skip();
    }
    this.timeout(20_000);
    const one = await countingServer();
    const two = await countingServer();
    try {
      const run = await wrkLoad({ urls: [one.url, two.url], paths: ['/a', '/b', '/missing'], connections: 3, seconds: 1 });
      const served = (server: typeof one) => [...server.paths.values()].reduce((sum, count) => sum + count, 0);
      expect(run.figures.requests.total).to.be.greaterThan(100);
      // wrk counts the answers it read; a request in flight when it stopped may have reached a server only.
      expect(run.figures.requests.total).to.be.within(served(one) + served(two) - 3, served(one) + served(two));
      // Two connections to the first server, one to the second (wrk also opens one of its own to each, to check the address).
      expect(one.connections() - two.connections()).to.equal(1);
      for (const server of [one, two]) expect([...server.paths.keys()].sort()).to.deep.equal(['/a', '/b', '/missing']);
      // Every third request asks for /missing: wrk counts those 404s as non-2xx answers.
      expect(run.figures.non2xx).to.be.closeTo(run.figures.requests.total / 3, run.figures.requests.total * 0.05);
      expect(run.figures.errors).to.equal(0);
      expect(run.clientCpu).to.be.greaterThan(0);
    } finally {
      one.server.close();
      two.server.close();
    }
  });

  it('refuses fewer connections than servers', async function () {
    let error: unknown;
    try {
      await wrkLoad({ urls: ['http://127.0.0.1:1', 'http://127.0.0.1:2'], paths: ['/'], connections: 1, seconds: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).to.contain('1 connections cannot be shared over 2 servers');
  });
});
