/**
 * The anchorer's lease (issue #13): several service processes share one database; each serves the API, and exactly
 * one at a time seals batches and anchors. The one that holds the lease is the leader. A lease has a fencing token
 * that grows by one at every change of holder, so a write made under an old token can be refused.
 */
import { NotaryError } from '../errors';

/** A lease held: its token and, by the holder's own monotonic clock, until when it may act on it. */
export interface LeaseGrant {
  /** The fencing token: larger than every token granted before it for this lease. */
  token: number;
  /** performance.now() after which the holder must act as if it had lost the lease. */
  actUntil: number;
}

/**
 * Where leases live: a row per lease in the shared database, whose clock alone judges expiry (the processes'
 * clocks may disagree).
 */
export interface LeaseStore {
  /** Takes the lease when it is free or expired: a new token. Undefined while another holder's lease runs. */
  acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined>;
  /** Extends the holder's unexpired lease of that token; false when it expired or another holder took it. */
  renew(name: string, holder: string, token: number, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (a clean shutdown), so another process need not wait for it to expire. */
  release(name: string, holder: string, token: number): Promise<void>;
}

/**
 * What a store needs to fence the leader's writes: the lease, this process as its holder, and the token it acts on
 * now (undefined when it does not lead). A fenced write checks the token in the same database transaction.
 */
export interface LeaseFence {
  lease: string;
  holder: string;
  token(): number | undefined;
}

/** A write was refused because its lease token is no longer the running one. */
export class LeaseLostError extends NotaryError {
  override name = 'LeaseLostError';
  constructor(lease: string, token: number) {
    super('lease-lost', `the ${lease} lease of token ${token} is no longer held`, {
      details: 'another process took it over, or it expired: this process must stop acting as the leader',
    });
  }
}
