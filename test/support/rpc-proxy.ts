import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Where a held JSON-RPC request waits: `request` before it is forwarded (the node never sees it while held;
 * discarded, it never will), `response` after the node answered (the node acted; the caller does not know).
 */
export type HoldPoint = 'request' | 'response';

/** Every method: hold or count everything. */
export const ANY_METHOD = '*';

interface HeldExchange {
  methods: string[];
  point: HoldPoint;
  /** Lets the exchange go on: forward the request, or write the response. */
  proceed(): void;
  /** Never forwards or answers it: the caller's connection is closed. */
  drop(): void;
  /** The caller's connection closed while it was held. */
  callerGone(): boolean;
}

/**
 * A JSON-RPC proxy on 127.0.0.1 between a client (the notary service) and a node, for fault tests. It forwards
 * each HTTP request (a single call or a JSON-RPC batch) as it is; on demand it holds the requests that carry
 * chosen methods, before or after the node saw them, refuses connections altogether (as a stopped node does),
 * and counts what passed. Holding is deterministic: the test sees a held request (waitForHeld) and then knows
 * exactly where the client stands.
 */
export class RpcProxy {
  private readonly holds = new Map<string, HoldPoint>();
  private held: HeldExchange[] = [];
  private readonly counts = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private refusing = false;

  private constructor(
    private server: Server,
    readonly port: number,
    readonly upstream: URL,
  ) {}

  /** Starts a proxy on a free loopback port in front of `upstreamUrl` (http only). */
  static async start(upstreamUrl: string): Promise<RpcProxy> {
    const upstream = new URL(upstreamUrl);
    if (upstream.protocol !== 'http:') throw new Error(`the proxy forwards to http only, not ${upstreamUrl}`);
    const server = createServer();
    await listen(server, 0);
    const proxy = new RpcProxy(server, (server.address() as AddressInfo).port, upstream);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => proxy.handle(req, res));
    proxy.track(server);
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** From now on, requests carrying `method` (ANY_METHOD: every request) wait at `point`. */
  hold(method: string, point: HoldPoint = 'request'): void {
    this.holds.set(method, point);
  }

  /** Stops holding `method` and lets what it holds go on (what was dropped or whose caller left is not sent). */
  release(method: string): void {
    this.holds.delete(method);
    this.take(method).forEach((exchange) => exchange.proceed());
  }

  /** Stops holding `method` and drops what it holds: never forwarded (or never answered). Returns how many. */
  discard(method: string): number {
    this.holds.delete(method);
    const dropped = this.take(method);
    dropped.forEach((exchange) => exchange.drop());
    return dropped.length;
  }

  /** Held exchanges carrying `method` whose caller still waits. */
  heldCount(method: string): number {
    return this.held.filter((exchange) => matches(exchange.methods, method) && !exchange.callerGone()).length;
  }

  /** Waits (polling, bounded) until at least `count` exchanges carrying `method` are held. */
  async waitForHeld(method: string, options: { count?: number; timeoutMs?: number } = {}): Promise<void> {
    const count = options.count ?? 1;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (this.heldCount(method) < count) {
      if (Date.now() > deadline) throw new Error(`the proxy held ${this.heldCount(method)} request(s) with ${method}, not ${count}, within the time given`);
      await sleep(20);
    }
  }

  /** How many calls of `method` were forwarded to the node (a batch counts each of its calls). */
  forwarded(method: string): number {
    return this.counts.get(method) ?? 0;
  }

  /**
   * Stops listening and closes every open connection, held ones included: clients now get ECONNREFUSED, as
   * from a node whose process stopped, while the node itself keeps its chain.
   */
  async refuse(): Promise<void> {
    if (this.refusing) return;
    this.refusing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const exchange of this.held) exchange.drop();
    this.held = [];
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Listens again on the same port after refuse(). */
  async accept(): Promise<void> {
    if (!this.refusing) return;
    const server = createServer((req, res) => this.handle(req, res));
    await listen(server, this.port);
    this.server = server;
    this.track(server);
    this.refusing = false;
  }

  /** Drops everything held and stops the proxy. */
  async close(): Promise<void> {
    this.holds.clear();
    await this.refuse();
  }

  private track(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  private take(method: string): HeldExchange[] {
    const taken = this.held.filter((exchange) => matches(exchange.methods, method));
    this.held = this.held.filter((exchange) => !taken.includes(exchange));
    return taken;
  }

  /** The point at which one of `methods` is held, if any is. */
  private holdPoint(methods: string[]): HoldPoint | undefined {
    const any = this.holds.get(ANY_METHOD);
    if (any) return any;
    for (const method of methods) {
      const point = this.holds.get(method);
      if (point) return point;
    }
    return undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const methods = methodsOf(body);
      let gone = false;
      res.once('close', () => {
        if (!res.writableFinished) gone = true;
      });
      const callerGone = () => gone || res.destroyed;
      const drop = () => {
        gone = true;
        res.destroy();
      };

      const answer = (status: number, headers: Record<string, string>, payload: Buffer) => {
        if (callerGone()) return;
        res.writeHead(status, headers).end(payload);
      };
      const forward = () => {
        if (callerGone()) return; // the caller left (it was killed): the node never sees the request
        for (const method of methods) this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
        this.forward(body, req.headers['content-type'], (status, headers, payload) => {
          if (this.holdPoint(methods) === 'response') {
            this.held.push({ methods, point: 'response', proceed: () => answer(status, headers, payload), drop, callerGone });
          } else {
            answer(status, headers, payload);
          }
        }, drop);
      };

      if (this.holdPoint(methods) === 'request') this.held.push({ methods, point: 'request', proceed: forward, drop, callerGone });
      else forward();
    });
  }

  private forward(
    body: Buffer,
    contentType: string | undefined,
    onAnswer: (status: number, headers: Record<string, string>, payload: Buffer) => void,
    onFailure: () => void,
  ): void {
    const upstream = httpRequest(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        path: this.upstream.pathname,
        method: 'POST',
        headers: { 'content-type': contentType ?? 'application/json', 'content-length': String(body.length) },
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (chunk: Buffer) => parts.push(chunk));
        response.on('end', () =>
          onAnswer(response.statusCode ?? 502, { 'content-type': String(response.headers['content-type'] ?? 'application/json') }, Buffer.concat(parts)),
        );
        response.on('error', onFailure);
      },
    );
    // The node is unreachable (or stopped): the caller sees its connection close, as with the node itself.
    upstream.on('error', onFailure);
    upstream.end(body);
  }
}

/** The JSON-RPC methods of a request body: one call or a batch. Unreadable bodies have none. */
function methodsOf(body: Buffer): string[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    return calls.map((call) => (call as { method?: unknown })?.method).filter((method): method is string => typeof method === 'string');
  } catch {
    return [];
  }
}

const matches = (methods: string[], method: string) => method === ANY_METHOD || methods.includes(method);

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
