import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { HttpError } from './errors';

export interface RateLimiters {
  /** For authenticated routes: one budget per member, shared by all its API keys and JWTs. */
  member: RequestHandler;
  /** For public routes: one budget per client address. */
  address: RequestHandler;
  /**
   * Failed authentications (401) per client address, for every request that carries an Authorization header:
   * checking a forged JWT costs a signature check and may cost registry reads on the chain, before any
   * member's budget applies. Past the budget, that address's authenticated requests are 429 until the window ends.
   */
  authenticationFailures: RequestHandler;
}

/**
 * The rate limits (express-rate-limit, in memory, per process). Exceeding one is 429 with the JSON error,
 * Retry-After and the RateLimit headers of draft-ietf-httpapi-ratelimit-headers (draft 7).
 */
export function createRateLimiters(limits: {
  rateLimitWindowMs: number;
  rateLimitPerMember: number;
  rateLimitPerAddress: number;
  rateLimitAuthFailuresPerAddress: number;
}): RateLimiters {
  const common = {
    windowMs: limits.rateLimitWindowMs,
    standardHeaders: 'draft-7' as const,
    legacyHeaders: false,
    handler: (_req: unknown, _res: unknown, next: (error: unknown) => void, options: { windowMs: number; limit: unknown }) =>
      next(
        new HttpError(429, 'rate-limited', `too many requests: at most ${String(options.limit)} per ${options.windowMs / 1000} s; try again later`),
      ),
  };
  return {
    member: rateLimit({
      ...common,
      limit: limits.rateLimitPerMember,
      keyGenerator: (req) => `member:${req.principal?.memberId ?? `anonymous:${ipKeyGenerator(req.ip ?? '')}`}`,
      identifier: 'per-member',
    }),
    address: rateLimit({
      ...common,
      limit: limits.rateLimitPerAddress,
      keyGenerator: (req) => `address:${ipKeyGenerator(req.ip ?? '')}`,
      identifier: 'per-address',
    }),
    authenticationFailures: rateLimit({
      ...common,
      limit: limits.rateLimitAuthFailuresPerAddress,
      keyGenerator: (req) => `auth-failures:${ipKeyGenerator(req.ip ?? '')}`,
      identifier: 'authentication-failures-per-address',
      // Counted only when the answer is a 401; requests without credentials are cheap and not counted.
      skip: (req) => req.get('authorization') === undefined,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    }),
  };
}
