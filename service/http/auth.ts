import type { RequestHandler } from 'express';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { Status, statusName } from '../registry';
import { keyHashOf, resolveKeyId, type ResolvedKeyId } from '../credentials';
import { publicKeyObject } from '../credentials/did-key';
import type { ClientRole, NotaryStore } from '../store';
import type { Principal } from './context';
import { keyProblem, type Clock, type RegistryDirectory } from '../notary';
import { HttpError } from './errors';

/** The `aud` every JWT for this API must carry. */
export const JWT_AUDIENCE = 'badge-notary';
/** The longest a JWT may live: exp - iat, in seconds. Each is also single use (its jti is remembered until exp). */
export const JWT_MAX_LIFETIME_SECONDS = 300;
/** Clock difference tolerated on exp, nbf and iat, in seconds. */
export const JWT_CLOCK_TOLERANCE_SECONDS = 30;

const ALGORITHM_OF_KEY = { Ed25519: 'EdDSA', 'P-256': 'ES256' } as const;

export interface AuthenticatorOptions {
  store: NotaryStore;
  directory: RegistryDirectory;
  clock: Clock;
}

const challenge = (error?: string) => ({ 'WWW-Authenticate': `Bearer realm="badge-notary"${error ? `, error="${error}"` : ''}` });

const unauthenticated = (code: string, message: string, error = 'invalid_token') =>
  new HttpError(401, code, message, { headers: challenge(error) });

/**
 * Who is asking, from `Authorization: Bearer <credential>`:
 * - an API key `bnk_<id>_<secret>` of a live API client (Store.clients: only its hash is stored): the client's
 *   member and role;
 * - a JWT (EdDSA or ES256) whose `kid` is a did:key verification method, signed by that key, with `iss` the
 *   member's DID, `aud` "badge-notary", a `jti` never used before (single use), and `exp` at most 5 minutes
 *   after `iat`; the key's hash must be
 *   registered to that member and valid now (the mirror first, the chain as fallback). It acts as the
 *   member's administrator.
 */
export class Authenticator {
  constructor(private readonly options: AuthenticatorOptions) {}

  /**
   * `localOnly`: the registry is read from the mirror alone, never the chain (a client past its
   * failed-authentication budget must not cost chain calls).
   */
  async authenticate(authorization: string | undefined, { localOnly = false } = {}): Promise<Principal> {
    if (authorization === undefined || authorization.trim() === '') {
      throw new HttpError(401, 'unauthenticated', 'this route needs authentication: Authorization: Bearer <API key or JWT>', {
        headers: challenge(),
      });
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('unauthenticated', 'the Authorization header must be "Bearer <API key or JWT>"', 'invalid_request');
    const token = match[1];
    if (token.startsWith('bnk_')) return this.apiKey(token);
    if (token.split('.').length === 3) return this.jwt(token, localOnly);
    throw unauthenticated('invalid-credentials', 'the bearer token is neither an API key (bnk_...) nor a JWT');
  }

  /** 403 member-not-active unless the principal's member is active in the registry. */
  async requireActive(principal: Principal): Promise<void> {
    const member = await this.options.directory.member(principal.memberId);
    if (member?.status !== Status.Active) {
      const status = member ? statusName(member.status) : 'unknown';
      throw new HttpError(403, 'member-not-active', `member ${principal.memberId} is ${status} in the registry: only an active member's keys and tokens change anything`, {
        memberStatus: status,
      });
    }
  }

  private async apiKey(token: string): Promise<Principal> {
    const client = await this.options.store.clients.authenticate(token);
    if (!client) throw unauthenticated('invalid-api-key', 'the API key is unknown, wrong or revoked');
    const member = await this.options.directory.member(client.memberId);
    if (!member) throw unauthenticated('unknown-member', `the API key belongs to member ${client.memberId}, which the registry does not list`);
    return { memberId: member.id, memberDid: member.did, role: client.role, via: 'api-key', subject: client.id };
  }

  private async jwt(token: string, localOnly: boolean): Promise<Principal> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw unauthenticated('invalid-token', 'the JWT header cannot be read');
    }
    const { alg, kid } = header;
    if (alg !== 'EdDSA' && alg !== 'ES256') throw unauthenticated('invalid-token', `the JWT alg must be EdDSA or ES256, not ${String(alg)}`);
    let keyId: ResolvedKeyId;
    try {
      keyId = resolveKeyId(kid as string, 'kid');
    } catch (error) {
      throw unauthenticated('invalid-token', `the JWT kid cannot be used: ${(error as Error).message}`);
    }
    const { key } = keyId;
    if (ALGORITHM_OF_KEY[key.type] !== alg) throw unauthenticated('invalid-token', `a ${key.type} key signs with ${ALGORITHM_OF_KEY[key.type]}, not ${alg}`);

    const now = this.options.clock();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, publicKeyObject(key), {
        algorithms: [alg],
        audience: JWT_AUDIENCE,
        currentDate: new Date(now),
        clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['iss', 'iat', 'exp'],
      }));
    } catch (error) {
      throw unauthenticated(error instanceof joseErrors.JWTExpired ? 'token-expired' : 'invalid-token', `the JWT is refused: ${joseMessage(error)}`);
    }
    const { iss, iat, exp, jti } = payload as { iss: unknown; iat: number; exp: number; jti: unknown };
    if (typeof iss !== 'string' || iss === '') throw unauthenticated('invalid-token', 'the JWT iss must be the member’s DID, as text');
    // A member key id names its DID: it must be the issuer's (a did:key or did:jwk id names only the key).
    if (keyId.method === 'did:web' && keyId.controller !== iss) {
      throw unauthenticated('invalid-token', `the JWT kid ${kid} is a key id of ${keyId.controller}, not of the issuer ${iss}`);
    }
    if (typeof jti !== 'string' || jti === '' || jti.length > 200) throw unauthenticated('invalid-token', 'the JWT jti must be a unique id of 1 to 200 characters');
    if (exp - iat > JWT_MAX_LIFETIME_SECONDS) {
      throw unauthenticated('invalid-token', `the JWT lives ${exp - iat} s (exp - iat); at most ${JWT_MAX_LIFETIME_SECONDS} s are accepted`);
    }
    if (iat > now / 1000 + JWT_CLOCK_TOLERANCE_SECONDS) throw unauthenticated('invalid-token', 'the JWT was issued in the future (iat)');

    const { directory } = this.options;
    const member = localOnly ? directory.mirroredMemberByDid(iss) : await directory.memberByDid(iss);
    if (!member) throw unauthenticated('unknown-member', `the JWT issuer ${iss} is not a member of the network`);
    const signingKey = localOnly ? directory.mirroredKey(keyHashOf(key)) : await directory.key(keyHashOf(key));
    const problem = keyProblem(signingKey, member.id, Math.floor(now / 1000));
    if (problem) throw unauthenticated(problem.code, `the JWT key ${kid} cannot act for ${iss}: ${problem.message}`);
    // Only a token that passed every check uses up its jti: a forged one cannot burn a member's id.
    if (!(await this.options.store.usedJwts.claim(iss, jti, exp + JWT_CLOCK_TOLERANCE_SECONDS, Math.floor(now / 1000)))) {
      throw unauthenticated('token-replayed', `the JWT with jti "${jti.slice(0, 80)}" was already used: a member-signed JWT authenticates one request`);
    }
    return { memberId: member.id, memberDid: member.did, role: 'admin', via: 'jwt', subject: key.verificationMethod };
  }
}

function joseMessage(error: unknown): string {
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim "${error.claim}" ${error.reason === 'check_failed' ? 'is wrong' : error.reason}: ${error.message}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature does not verify with the kid key';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Authenticates the request and checks the role: an administrator does everything an editor does, and also
 * manages the member's API clients. A write (any method but GET and HEAD) also needs the member to be
 * active in the registry (as the mirror sees it): a suspended or removed member's keys and JWTs still
 * read, but change nothing (403 member-not-active), not even its own API clients.
 */
export function requireRole(authenticator: Authenticator, role: ClientRole): RequestHandler {
  return async (req, _res, next) => {
    const pastBudget = req.authenticationPastBudget;
    let principal: Principal;
    try {
      principal = await authenticator.authenticate(req.get('authorization'), { localOnly: pastBudget !== undefined });
    } catch (error) {
      throw pastBudget ? pastBudget() : error;
    }
    req.principal = principal;
    if (role === 'admin' && principal.role !== 'admin') {
      throw new HttpError(403, 'insufficient-role', 'only an administrator of the member can do this; this API key is an editor’s');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') await authenticator.requireActive(principal);
    next();
  };
}
