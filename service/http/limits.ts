/** Request limits; every one has a default (docs/api.md, "Limits"). */
export interface HttpLimits {
  /** Credentials in one bulk request; more is 413. Default: config.intake.maxBulk (1,000). */
  maxBulk: number;
  /** Bytes of an intake body; more is 413. Default: config.intake.maxBodyBytes (16 MiB). */
  maxIntakeBodyBytes: number;
  /** Bytes of any other JSON body (revocations, clients); more is 413. Default 1 MiB. */
  maxJsonBodyBytes: number;
  /** Bytes of a JSON (or JWS) body of the public verification routes, POST /v1/verify and /credentials/verify; more is 413. Default 512 KiB. */
  maxVerifyBodyBytes: number;
  /**
   * JSON values (objects, arrays, their members and items) of a JSON credential sent for public verification;
   * more is 413 `credential-too-large`. Its JSON-LD canonicalisation grows with them. Default 1,000 (a demo badge holds 110).
   */
  maxCredentialValues: number;
  /** Public verifications whose offline check (signature, canonicalisation) runs on the verifier pool at once. Default half the pool's workers, at least 1. */
  publicVerificationSlots: number;
  /** Public verifications admitted beyond those slots (waiting, or reading the chain); one more is 503 `verification-busy`. Default 16. */
  publicVerificationQueue: number;
  /** Bytes of a baked badge image sent to POST /v1/verify (image/png, image/svg+xml); more is 413. Default 4 MiB. */
  maxImageBodyBytes: number;
  /** Digests in one revocation request (one transaction); more is 413. Default 200. */
  maxRevocationDigests: number;
  /** The rate limit's window, ms. Default 60,000. */
  rateLimitWindowMs: number;
  /** Requests per window per authenticated member (all its API keys and JWTs together). Default 300,000. */
  rateLimitPerMember: number;
  /** Requests per window per client address on the public routes. Default 60,000. */
  rateLimitPerAddress: number;
  /** Failed authentications (401) per window per client address; past it, its authenticated requests are 429. Default 600. */
  rateLimitAuthFailuresPerAddress: number;
  /** How long a member or key looked up in the registry is reused, ms. Default 5,000. */
  registryCacheMs: number;
  /** How long GET /v1/stats answers the same figures to the same query, ms (0: never reused). Default 2,000. */
  statsCacheMs: number;
  /** Readiness fails when the registry mirror is more blocks than this behind the chain head. Default 10. */
  maxIndexerLagBlocks: number;
  /** Readiness waits this long for the chain, ms. Default 3,000. */
  chainTimeoutMs: number;
}
