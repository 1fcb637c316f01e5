import type { LeaseFence, LeaseGrant, LeaseStore } from './lease';

export interface LeadershipOptions {
  /** The lease's name, e.g. "anchorer". */
  lease: string;
  /** Unique per process incarnation: a restarted process is a new holder and waits for the old lease to end. */
  holder: string;
  /** How long a grant runs without renewal. */
  ttlMs: number;
  /**
   * How much earlier than the lease's end the holder stops acting on it: the time a request to the database
   * may take to come back, so the holder's view never outlives the database's. Default a third of ttlMs.
   */
  safetyMarginMs?: number;
  /** Monotonic milliseconds; default performance.now. */
  now?: () => number;
}

/**
 * One process's view of a lease: `step()` takes or renews it (call it every ttl/3 or so), `current()` says whether
 * the process may act as the leader now. The process's own deadline is counted from BEFORE the request that got
 * the grant, minus a margin, so it ends before the database's: a process paused (SIGSTOP, a long GC, a VM
 * migration) past its lease finds `current()` undefined when it resumes, before it could ask anything, and every
 * write it still makes is fenced by its token in the database.
 */
export class Leadership {
  private grant: LeaseGrant | undefined;
  private readonly now: () => number;
  private readonly margin: number;

  /** How often step() should run: a third of the lease's time to live, so two renewals may fail before it ends. */
  readonly stepIntervalMs: number;

  constructor(
    private readonly store: LeaseStore,
    private readonly options: LeadershipOptions,
  ) {
    this.stepIntervalMs = Math.max(1, Math.floor(options.ttlMs / 3));
    this.now = options.now ?? (() => performance.now());
    this.margin = options.safetyMarginMs ?? Math.floor(options.ttlMs / 3);
    if (!(this.margin >= 0 && this.margin < options.ttlMs)) throw new RangeError('safetyMarginMs must be at least 0 and below ttlMs');
  }

  /** The grant this process may act on now; undefined when it does not lead (or no longer may). */
  current(): LeaseGrant | undefined {
    if (this.grant && this.now() >= this.grant.actUntil) this.grant = undefined;
    return this.grant;
  }

  /** The fence of this process's writes as the leader: the token of the grant it may act on now, if any. */
  fence(): LeaseFence {
    return { lease: this.options.lease, holder: this.options.holder, token: () => this.current()?.token };
  }

  /** Renews the held lease, or tries to take it; the grant to act on afterwards. */
  async step(): Promise<LeaseGrant | undefined> {
    const { lease, holder, ttlMs } = this.options;
    const asked = this.now();
    const held = this.current();
    if (held) {
      const renewed = await this.store.renew(lease, holder, held.token, ttlMs);
      // A grant replaced while the request ran (stepDown) is not revived.
      if (this.grant?.token !== held.token) return this.current();
      this.grant = renewed ? { token: held.token, actUntil: asked + ttlMs - this.margin } : undefined;
      return this.current();
    }
    const token = await this.store.acquire(lease, holder, ttlMs);
    this.grant = token === undefined ? undefined : { token, actUntil: asked + ttlMs - this.margin };
    return this.current();
  }

  /** Stops leading and frees the lease for the others. */
  async stepDown(): Promise<void> {
    const held = this.grant;
    this.grant = undefined;
    if (held) await this.store.release(this.options.lease, this.options.holder, held.token);
  }
}
