// Slow and broken clients against a real listening server: the notary's own createHttpServer
// (service/notary-process.ts) around the API on Hardhat's in-process chain. Slowloris clients that trickle their
// headers or their body are cut off with a JSON 408; one that says nothing is cut off too; an idle keep-alive
// connection is closed; requests Node cannot parse are a JSON 400 / 431. Short timeouts are set for the test;
// the defaults are checked apart.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../service/config/config';
import { createHttpServer, DEFAULT_HTTP_TIMEOUTS, httpTimeoutsOf } from '../../service/notary-process';
import { deployNetwork, makeEnv, type Env } from '../http/helpers';
import { openRawSocket, parseRawResponse, rawExchange, snapshotStore } from './support';

const TIMEOUTS = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 500, checkIntervalMs: 100 };
/** The slow client sends one piece every this many ms, for at most MAX_PIECES pieces (40 s): far past every timeout. */
const PIECE_EVERY_MS = 200;
const MAX_PIECES = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('security: slow and broken clients against the listening server', function () {
  this.timeout(120_000);
  let env: Env;
  let server: Server;
  let port: number;
  let initial: string;

  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    server = createHttpServer(env.app, TIMEOUTS);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    initial = await snapshotStore(env.store);
  });

  after(async function () {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    if (env) {
      expect((await snapshotStore(env.store)), 'the store after the slow clients').to.equal(initial);
      await env.close();
    }
  });

  /** Trickles `pieces` one by one until the server closes the connection; returns how many it took. */
  async function trickle(prefix: string, piece: (i: number) => string): Promise<{ sent: number; response: ReturnType<typeof parseRawResponse> }> {
    const client = await openRawSocket(port);
    let closed = false;
    void client.closed.then(() => (closed = true));
    client.socket.write(prefix);
    let sent = 0;
    while (!closed && sent < MAX_PIECES) {
      await sleep(PIECE_EVERY_MS);
      if (closed || client.socket.destroyed) break;
      client.socket.write(piece(sent));
      sent++;
    }
    client.socket.destroy();
    await client.closed;
    return { sent, response: parseRawResponse(client.received(), closed) };
  }

  function expectTimeoutAnswer(response: ReturnType<typeof parseRawResponse>) {
    expect(response.closed, 'the server closed the connection').to.equal(true);
    expect(response.status).to.equal(408);
    expect(response.headers['content-type']).to.match(/^application\/json/);
    expect(JSON.parse(response.text).error.code).to.equal('request-timeout');
  }

  it('cuts off a slowloris that trickles its headers (408, JSON) long before it is done', async function () {
    const { sent, response } = await trickle('POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\n', (i) => `X-Slow-${i}: ${'a'.repeat(8)}\r\n`);
    expectTimeoutAnswer(response);
    expect(sent, 'header lines the client got to send').to.be.lessThan(MAX_PIECES);
  });

  it('cuts off a client that trickles its body (408, JSON) long before it is done', async function () {
    const length = MAX_PIECES * 4;
    const { sent, response } = await trickle(
      `POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`,
      () => '    ',
    );
    expectTimeoutAnswer(response);
    expect(sent, 'body pieces the client got to send').to.be.lessThan(MAX_PIECES);
  });

  it('cuts off a client that connects and says nothing', async function () {
    const client = await openRawSocket(port);
    const outcome = await Promise.race([client.closed.then(() => 'closed'), sleep(MAX_PIECES * PIECE_EVERY_MS).then(() => 'still open')]);
    client.socket.destroy();
    expect(outcome).to.equal('closed');
  });

  it('closes an idle keep-alive connection after an answered request', async function () {
    const client = await openRawSocket(port);
    client.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    const outcome = await Promise.race([client.closed.then(() => 'closed'), sleep(MAX_PIECES * PIECE_EVERY_MS).then(() => 'still open')]);
    client.socket.destroy();
    expect(outcome).to.equal('closed');
    const response = parseRawResponse(client.received(), true);
    expect(response.status).to.equal(200);
    expect(response.headers['keep-alive'], 'the server announces its keep-alive timeout').to.match(/^timeout=\d+$/);
  });

  it('still serves a client that is slow but within the limits', async function () {
    const body = JSON.stringify({ credential: 'not a badge' });
    const client = await openRawSocket(port);
    client.socket.write(`POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    for (const part of [body.slice(0, 10), body.slice(10, 20), body.slice(20)]) {
      await sleep(50);
      client.socket.write(part);
    }
    await client.closed;
    const response = parseRawResponse(client.received(), true);
    expect(response.status, response.text).to.equal(200);
    expect(JSON.parse(response.text).verified).to.equal(false);
  });

  it('answers a request Node cannot parse with a JSON 400, and oversize headers with a JSON 431', async function () {
    for (const garbage of ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n', 'GET /health HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello']) {
      const response = await rawExchange(port, garbage);
      expect(response.status, JSON.stringify(garbage)).to.equal(400);
      expect(response.headers['content-type']).to.match(/^application\/json/);
      expect(JSON.parse(response.text).error.code).to.equal('malformed-request');
    }
    const huge = await rawExchange(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Huge: ${'h'.repeat(20_000)}\r\n\r\n`);
    expect(huge.status).to.equal(431);
    expect(JSON.parse(huge.text).error.code).to.equal('headers-too-large');
  });

  it('has sensible defaults when none are given', function () {
    const plain = createHttpServer(env.app);
    expect(plain.headersTimeout).to.equal(DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs);
    expect(plain.requestTimeout).to.equal(DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs);
    expect(plain.keepAliveTimeout).to.equal(DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs);
    expect(DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs).to.be.within(1_000, 60_000);
    expect(DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs).to.be.within(DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs, 300_000);
  });

  it('takes the timeouts the environment sets, and the defaults for the rest', function () {
    const config = loadConfig({ BADGE_NOTARY_HEADERS_TIMEOUT_MS: '1500', BADGE_NOTARY_KEEP_ALIVE_TIMEOUT_MS: '700' });
    const server = createHttpServer(env.app, httpTimeoutsOf(config));
    expect(server.headersTimeout).to.equal(1500);
    expect(server.keepAliveTimeout).to.equal(700);
    expect(server.requestTimeout).to.equal(DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs);
    expect(() => loadConfig({ BADGE_NOTARY_REQUEST_TIMEOUT_MS: '5' })).to.throw(/BADGE_NOTARY_REQUEST_TIMEOUT_MS: expected a whole number from 100/);
  });
});
