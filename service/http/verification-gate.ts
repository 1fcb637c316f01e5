/**
 * The public verification routes' share of the verifier pool. Intake (authenticated) and public verification
 * send their signature checks to the same worker threads, whose queue is first come, first served: without a
 * bound, anyone could fill it and make intake wait. Here at most `slots` public checks are on the pool at
 * once, so an intake batch waits behind no more than that many; and at most `slots + maxWaiting` public
 * verifications are admitted at once (checking on the pool, waiting for a slot, or reading the chain): one more
 * is refused at once with 503 and Retry-After rather than queued without end.
 */
import { HttpError } from './errors';

export interface VerificationGateOptions {
  /** Public offline checks on the pool at once. */
  slots: number;
  /** Admitted public verifications beyond those checking on the pool. */
  maxWaiting: number;
  /** Seconds a client refused with 503 is asked to wait. Default 1. */
  retryAfterSeconds?: number;
}

/** One admitted verification: its offline check goes through `check`; `release` when the request is done. */
export interface VerificationTicket {
  check<T>(work: () => Promise<T>): Promise<T>;
  release(): void;
}

export class VerificationGate {
  private admitted = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly slots: number;
  private readonly maxAdmitted: number;
  private readonly retryAfterSeconds: number;

  constructor(options: VerificationGateOptions) {
    this.slots = Math.max(1, Math.floor(options.slots));
    this.maxAdmitted = this.slots + Math.max(0, Math.floor(options.maxWaiting));
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }

  /** Admits one verification, or throws 503 `verification-busy` when as many as the gate takes are in progress. */
  admit(): VerificationTicket {
    if (this.admitted >= this.maxAdmitted) {
      throw new HttpError(
        503,
        'verification-busy',
        `${this.admitted} public verifications are in progress, as many as this service takes at once; try again shortly`,
        { maximum: this.maxAdmitted, headers: { 'Retry-After': String(this.retryAfterSeconds) } },
      );
    }
    this.admitted++;
    let released = false;
    return {
      check: (work) => this.inSlot(work),
      release: () => {
        if (released) return;
        released = true;
        this.admitted--;
      },
    };
  }

  private async inSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // the slot passes straight to the next waiter, so `running` never dips below the slots in use
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
