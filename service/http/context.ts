import { randomUUID } from 'node:crypto';
import type { Express, Request } from 'express';
import type { Logger } from 'pino';
import type { ClientRole } from '../store';
import type { RequestStep } from './request-steps';

/** Who is asking: a member, through one of its API clients or a JWT signed with one of its keys. */
export interface Principal {
  memberId: number;
  memberDid: string;
  role: ClientRole;
  /** 'api-key': an API client; 'jwt': a short-lived token signed by a key registered on-chain. */
  via: 'api-key' | 'jwt';
  /** The API client's id, or the verification method (did:key URL) of the JWT's key. */
  subject: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id: the client's X-Request-Id when it is a sane one, otherwise a new UUID. */
    id: string;
    /** The logger of this request: every line carries its id. */
    log: Logger;
    /** Set once the request is authenticated. */
    principal?: Principal;
    /**
     * Set when the client address is past its failed-authentication budget and the request carries a JWT: the
     * JWT is then checked on local facts only (the registry mirror, no chain call), and any failure is this 429.
     */
    authenticationPastBudget?: () => Error;
  }
}

const LOG = Symbol('request logger');

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RequestLogOptions {
  /** The app whose requests get their logger. */
  app: Express;
  logger: Logger;
  /** Called once per finished request, for metrics. */
  onFinished?(info: { method: string; route: string; status: number; seconds: number }): void;
}

/**
 * Gives each request its id (accepted from X-Request-Id or generated, and always returned in X-Request-Id)
 * and a child logger, and logs one JSON line when the answer is sent: method, path, route, status, time,
 * and who asked. Secrets (Authorization, bodies) are never logged.
 */
export function requestContext(options: RequestLogOptions): RequestStep {
  // req.log is made when something first logs, from the app's request prototype (once, not per request): most
  // requests log only their answer line, and only at the info level, which production often leaves off.
  const requests = options.app.request as Request & { [LOG]?: Logger };
  Object.defineProperty(requests, 'log', {
    configurable: true,
    get(this: Request & { [LOG]?: Logger }) {
      return (this[LOG] ??= options.logger.child({ reqId: this.id }));
    },
    set(this: Request & { [LOG]?: Logger }, value: Logger) {
      this[LOG] = value;
    },
  });
  return (req, res) => {
    const given = req.headers['x-request-id'];
    req.id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(req);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (options.logger.isLevelEnabled(level)) {
        const line = {
          method: req.method,
          path: req.path,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
          member: req.principal?.memberId,
          client: req.principal?.subject,
        };
        req.log[level](line, 'request answered');
      }
      options.onFinished?.({ method: req.method, route, status: res.statusCode, seconds });
    });
  };
}

/**
 * The path pattern of the route that answered (/v1/credentials/:digest), for logs and metrics: express's router
 * keeps the last route it matched in req.route. 'unmatched' for a path no route knows, so that the label set stays small.
 */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : 'unmatched';
}
