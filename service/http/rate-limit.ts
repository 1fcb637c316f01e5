import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { HttpError } from './errors';
import type { RequestStep } from './request-steps';

export interface RateLimiters {
  /** For authenticated routes: one budget per member, shared by all its API keys and JWTs. */
  member: RequestHandler;
  /** For public routes: one budget per client address. */
  address: RequestHandler;
  /**
   * Failed authentications (401) per client address, for every request that carries an Authorization header:
   * checking a forged JWT costs a signature check and may cost registry reads on the chain, before any
   * member's budget applies. Past the budget, that address's requests are 429 until the window ends, except
   * those with a valid API key or a valid JWT: an API key is a local lookup, and a JWT is then checked on
   * local facts only (its signature and the registry mirror, no chain call). Behind a proxy one address is every
   * client, so a valid key is never refused for others' failures. A step of every request (it throws the 429).
   */
  authenticationFailures: RequestStep;
}

/**
 * The rate limits: fixed windows per key, in memory, per process. Exceeding one is 429 with the JSON error and
 * Retry-After; the budgets also answer the RateLimit and RateLimit-Policy headers of
 * draft-ietf-httpapi-ratelimit-headers (draft 7). express-rate-limit did this before, at about a sixth of a
 * receipt lookup's CPU; these few lines do the same for the three budgets the API has. Its ipKeyGenerator
 * still names the client: an IPv6 client is its /56, so one host cannot dodge the limit by changing address.
 */
export function createRateLimiters(
  limits: {
    rateLimitWindowMs: number;
    rateLimitPerMember: number;
    rateLimitPerAddress: number;
    rateLimitAuthFailuresPerAddress: number;
  },
  options: {
    trustProxy: unknown;
    /** Whether an API key (bnk_...) belongs to a live client: the local check a request past the failure budget still gets. */
    isValidApiKey: (apiKey: string) => Promise<boolean>;
  },
): RateLimiters {
  const window = limits.rateLimitWindowMs;
  const addressOf = options.trustProxy === false ? socketAddressOf : (req: Request) => ipKeyGenerator(req.ip ?? '');
  const budget = (limit: number, keyOf: (req: Request) => string): RequestHandler => {
    const counter = new WindowCounter(window);
    const policy = `${limit};w=${Math.ceil(window / 1000)}`;
    return (req, res, next) => {
      const now = Date.now();
      const { hits, resetAt } = counter.hit(keyOf(req), now);
      const secondsLeft = Math.max(1, Math.ceil((resetAt - now) / 1000));
      res.setHeader('RateLimit-Policy', policy);
      res.setHeader('RateLimit', `limit=${limit}, remaining=${Math.max(0, limit - hits)}, reset=${secondsLeft}`);
      next(hits > limit ? limited(res, limit, window, secondsLeft) : undefined);
    };
  };
  const failures = new WindowCounter(window);
  return {
    member: budget(limits.rateLimitPerMember, (req) => `member:${req.principal?.memberId ?? `anonymous:${addressOf(req)}`}`),
    address: budget(limits.rateLimitPerAddress, addressOf),
    authenticationFailures: (req, res) => {
      // Requests without credentials are cheap and not counted.
      if (req.headers.authorization === undefined) return;
      const authorization = req.headers.authorization;
      const key = addressOf(req);
      const now = Date.now();
      // Counted from the start, so that a flood of parallel forgeries is held back at once; given back when
      // the answer turns out not to be a 401.
      const { hits, resetAt } = failures.hit(key, now);
      const countUntilAnswered = (): void => {
        res.on('finish', () => {
          if (res.statusCode !== 401) failures.giveBack(key, resetAt);
        });
      };
      if (hits <= limits.rateLimitAuthFailuresPerAddress) return countUntilAnswered();
      const pastBudget = () => {
        const refusal = () => limited(res, limits.rateLimitAuthFailuresPerAddress, window, Math.max(1, Math.ceil((resetAt - now) / 1000)));
        // A JWT is checked too, but on local facts only (requireRole): a valid one passes, anything else is this 429.
        if (!carriesJwt(authorization)) throw refusal();
        req.authenticationPastBudget = refusal;
        countUntilAnswered();
      };
      const apiKey = apiKeyIn(authorization);
      if (apiKey === undefined) return pastBudget();
      // Only here, past the budget, does the step wait: for the store's answer on the key.
      return options.isValidApiKey(apiKey).then((valid) => (valid ? countUntilAnswered() : pastBudget()));
    },
  };
}

/** The API key (bnk_...) of an Authorization header "Bearer <API key>", if it is one. */
function apiKeyIn(authorization: string): string | undefined {
  return /^Bearer\s+(bnk_\S+)\s*$/i.exec(authorization)?.[1];
}

/** Whether the Authorization header is "Bearer <compact JWS>". */
function carriesJwt(authorization: string): boolean {
  return /^Bearer\s+[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\s*$/i.test(authorization);
}

const ADDRESS_KEY = Symbol('rate limit key of the client address');

/**
 * The client's key when no proxy is trusted: the connection's peer, which is the same for every request a
 * keep-alive connection carries, so it is worked out once per connection.
 */
function socketAddressOf(req: Request): string {
  const socket = req.socket as Request['socket'] & { [ADDRESS_KEY]?: string };
  return (socket[ADDRESS_KEY] ??= ipKeyGenerator(socket.remoteAddress ?? ''));
}

function limited(res: Response, limit: number, windowMs: number, secondsLeft: number): HttpError {
  res.setHeader('Retry-After', String(secondsLeft));
  return new HttpError(429, 'rate-limited', `too many requests: at most ${limit} per ${windowMs / 1000} s; try again later`);
}

/** Hits per key in fixed windows that start at a key's first hit. Keys whose window ended are swept. */
export class WindowCounter {
  private readonly windows = new Map<string, { hits: number; resetAt: number }>();
  private nextSweep = 0;

  constructor(private readonly windowMs: number) {}

  /** Counts one hit of `key` at `now` (ms): the hits in its window so far, this one included, and when it ends. */
  hit(key: string, now: number): { hits: number; resetAt: number } {
    if (now >= this.nextSweep) this.sweep(now);
    let entry = this.windows.get(key);
    if (entry === undefined || entry.resetAt <= now) {
      entry = { hits: 0, resetAt: now + this.windowMs };
      this.windows.set(key, entry);
    }
    entry.hits++;
    return entry;
  }

  /** Takes back one hit of `key`, if its window (the one ending at `resetAt`) is still the current one. */
  giveBack(key: string, resetAt: number): void {
    const entry = this.windows.get(key);
    if (entry !== undefined && entry.resetAt === resetAt && entry.hits > 0) entry.hits--;
  }

  /** How many keys are held (for tests: the sweep bounds memory to the keys seen in about one window). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.windows) if (entry.resetAt <= now) this.windows.delete(key);
    this.nextSweep = now + this.windowMs;
  }
}
