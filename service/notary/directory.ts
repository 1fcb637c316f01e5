import { keyValidAt, type Member, type Revocation, type SigningKey } from '../registry';
import { UseCaseError } from './errors';
import type { Clock, RegistryMirror, RegistryViews } from './ports';
import { sanitisedMessage } from '../errors';

/** A member as the API needs it. */
export type MemberInfo = Pick<Member, 'id' | 'did' | 'role' | 'status'>;

/** A revocation of a digest, from the mirror (with where it was seen) or read from the chain. */
export interface RevocationInfo extends Pick<Revocation, 'memberId' | 'digest' | 'revokedAt' | 'reason'> {
  transactionHash?: string;
  blockNumber?: number;
  source: 'mirror' | 'chain';
}

/**
 * How far ahead of this service's clock a key's validFrom may be and the key still count as valid now
 * (seconds): the chain's clock is the block time, and a local chain that mines blocks back to back runs ahead
 * of the wall (one second per block). The anchor, later, is what the registry judges.
 */
export const KEY_CLOCK_SKEW_SECONDS = 300;

/** Why a key cannot sign for `memberId` at `time` (unix seconds), allowing KEY_CLOCK_SKEW_SECONDS, or undefined when it can. */
export function keyProblem(key: SigningKey | undefined, memberId: number, time: number): { code: string; message: string } | undefined {
  const validity = keyValidAt(key, memberId, time, { skewSeconds: KEY_CLOCK_SKEW_SECONDS });
  if (validity.valid) return undefined;
  switch (validity.reason) {
    case 'unknown-key':
      return { code: 'key-not-registered', message: 'the key is not registered in the registry' };
    case 'other-member':
      return { code: 'key-not-registered', message: `the key is registered to member ${validity.memberId}, not to member ${memberId}` };
    case 'compromised':
      return { code: 'key-revoked', message: `the key was revoked (compromised from ${iso(validity.compromisedAt)})` };
    case 'not-yet-valid':
      return { code: 'key-not-valid', message: `the key is valid only from ${iso(validity.validFrom)}` };
    case 'expired':
      return { code: 'key-not-valid', message: `the key's validity ended at ${iso(validity.validUntil)}` };
  }
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');

export interface RegistryDirectoryOptions {
  mirror: RegistryMirror;
  /** The registry on the chain, asked when the mirror does not know (yet) what is asked. */
  views?: RegistryViews;
  clock: Clock;
  /** How long an answer is reused (ms). Default DIRECTORY_CACHE_MS. */
  cacheMs?: number;
  /** Told about every failed chain call. */
  onRpcError?(operation: string, error: unknown): void;
}

interface Cached<T> {
  value: Promise<T>;
  expires: number;
}

const CACHE_LIMIT = 10_000;

/** How long intake reuses what it learnt of a member or a key: a change on-chain reaches intake this much after the mirror. */
export const DIRECTORY_CACHE_MS = 5_000;

/**
 * Members, keys and revocations: from the registry mirror first, from the registry's views on the chain as
 * a fallback (the mirror lags the chain by the indexer's poll interval), with a small cache so that bulk
 * intake asks about each key once, not once per credential. A key revoked on-chain is seen at the latest
 * `cacheMs` plus the indexer's lag later; verification against the chain catches what intake let through.
 */
export class RegistryDirectory {
  private readonly mirror: RegistryMirror;
  private readonly views?: RegistryViews;
  private readonly clock: Clock;
  private readonly cacheMs: number;
  private readonly onRpcError: (operation: string, error: unknown) => void;
  private readonly cache = new Map<string, Cached<unknown>>();

  constructor(options: RegistryDirectoryOptions) {
    this.mirror = options.mirror;
    this.views = options.views;
    this.clock = options.clock;
    this.cacheMs = options.cacheMs ?? DIRECTORY_CACHE_MS;
    this.onRpcError = options.onRpcError ?? (() => undefined);
  }

  member(id: number): Promise<MemberInfo | undefined> {
    return this.cached(`member:${id}`, async () => {
      const mirrored = this.mirror.member(id);
      if (mirrored) return pickMember(mirrored);
      if (!this.views) return undefined;
      return this.chain('getMember', () => this.views!.member(id));
    });
  }

  memberByDid(did: string): Promise<MemberInfo | undefined> {
    return this.cached(`did:${did}`, async () => {
      const mirrored = this.mirror.memberByDid(did);
      if (mirrored) return pickMember(mirrored);
      if (!this.views) return undefined;
      const id = await this.chain('memberIdByDidHash', () => this.views!.memberIdByDid(did));
      return id ? this.member(id) : undefined;
    });
  }

  key(keyHash: string): Promise<SigningKey | undefined> {
    const hash = keyHash.toLowerCase();
    return this.cached(`key:${hash}`, async () => {
      const mirrored = this.mirror.key(hash);
      if (mirrored) return { ...mirrored, keyHash: hash };
      if (!this.views) return undefined;
      const key = await this.chain('getKey', () => this.views!.key(hash));
      return key && key.memberId !== 0 ? { ...key, keyHash: hash } : undefined;
    });
  }

  /**
   * The revocations of a digest: every member's, from the mirror; and, when the issuing member is known and
   * the mirror has none by it yet, the registry's own answer for that member (not cached: it is asked for
   * because it may have just changed).
   */
  async revocationsOf(digest: string, issuerId?: number): Promise<RevocationInfo[]> {
    const found: RevocationInfo[] = this.mirror.revocationsOfDigest(digest.toLowerCase()).map((r) => ({
      memberId: r.memberId,
      digest: r.digest,
      revokedAt: r.revokedAt,
      reason: r.reason,
      transactionHash: r.txHash,
      blockNumber: r.blockNumber,
      source: 'mirror',
    }));
    if (issuerId !== undefined && this.views && !found.some((r) => r.memberId === issuerId)) {
      const revocation = await this.chain('revocationOf', () => this.views!.revocationOf(issuerId, digest));
      if (revocation) found.push({ memberId: issuerId, digest: digest.toLowerCase(), ...revocation, source: 'chain' });
    }
    return found;
  }

  /** The member with this DID as the mirror has it, without asking the chain or the cache. */
  mirroredMemberByDid(did: string): MemberInfo | undefined {
    const mirrored = this.mirror.memberByDid(did);
    return mirrored ? pickMember(mirrored) : undefined;
  }

  /** The key as the mirror has it, without asking the chain or the cache. */
  mirroredKey(keyHash: string): SigningKey | undefined {
    const hash = keyHash.toLowerCase();
    const mirrored = this.mirror.key(hash);
    return mirrored ? { ...mirrored, keyHash: hash } : undefined;
  }

  /** Forgets every cached answer (after the caller changed the registry, e.g. in tests). */
  clear(): void {
    this.cache.clear();
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    const value = load();
    this.cache.set(key, { value, expires: now + this.cacheMs });
    // A failure is not remembered: the next request asks again.
    value.catch(() => this.cache.delete(key));
    return value;
  }

  /** A registry view call; its failure is the chain's, not the asker's. */
  private async chain<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      this.onRpcError(operation, error);
      throw new UseCaseError('unavailable', 'chain-unavailable', `the registry could not be read (${operation}): ${shortMessage(error)}`);
    }
  }
}

function pickMember(member: { id: number; did: string; role: number; status: number }): MemberInfo {
  return { id: member.id, did: member.did, role: member.role, status: member.status };
}

function shortMessage(error: unknown): string {
  const message = sanitisedMessage(error);
  return message.length > 200 ? `${message.slice(0, 197)}...` : message;
}
