import type { BatchState } from '../store';

/** A batch was sealed: `reason` says which limit was reached. */
export interface SealEvent {
  batchId: number;
  root: string;
  size: number;
  reason: 'size' | 'age';
  at: number;
}

/** A batch moved through the anchoring state machine. */
export interface TransitionEvent {
  batchId: number;
  root: string;
  from: BatchState;
  to: BatchState;
  /** What made it move ('replaced': a stuck transaction re-sent with higher fees; the batch stays submitted). */
  reason: 'sent' | 'adopted' | 'pending-again' | 'replaced' | 'confirmed' | 'final' | 'dropped' | 'failed' | 'reorged';
  at: number;
  txHash: string | null;
}

/** A batch reached confirmed: how long it took from its seal. */
export interface AnchorLatencyEvent {
  batchId: number;
  latencyMs: number;
}

/** A batch's anchor was mined and confirmed: what it cost, and how long from the seal to its block. */
export interface AnchorCostEvent {
  batchId: number;
  size: number;
  gasUsed: bigint | undefined;
  /** Wei, gas and any L1 data fee together. */
  feePaid: bigint | undefined;
  /** From the seal to the block's timestamp. */
  sealToMinedMs: number;
}

/**
 * Whether anchoring waits on fees: the chain asks more than BADGE_NOTARY_MAX_FEE_PER_GAS, or the daily
 * spending limit would be passed. Reported by every tick that had something to send or replace.
 */
export interface FeeWaitEvent {
  waiting: boolean;
  /** Why it waits; undefined when it does not. */
  reason: string | undefined;
  /** The fee per gas the chain asked (wei), when read. */
  neededPerGas: bigint | undefined;
  at: number;
}

/**
 * A step failed and will be tried again after `retryInMs`.
 * - rpc: the node or the way to it failed (connection refused, timeout, 5xx): the whole anchorer backs off.
 * - refused: the registry refused (MemberNotActive, NotANotary, ...): that batch backs off.
 * - other: anything else (a store conflict, an answer the anchorer did not expect): that batch backs off.
 */
export interface FailureEvent {
  /** undefined when the failure is not a batch's (a batcher tick). */
  batchId: number | undefined;
  kind: 'rpc' | 'refused' | 'other';
  /** What was being done: "head", "prepareAnchor", "seal", ... */
  operation: string;
  message: string;
  /** Failures in a row so far. */
  failures: number;
  retryInMs: number;
  at: number;
}

/** What the batcher and the anchorer report as they work: the HTTP layer turns it into metrics. */
export interface NotaryObserver {
  sealed?(event: SealEvent): void;
  transition?(event: TransitionEvent): void;
  anchorLatency?(event: AnchorLatencyEvent): void;
  anchorCost?(event: AnchorCostEvent): void;
  feeWait?(event: FeeWaitEvent): void;
  failure?(event: FailureEvent): void;
}

/** Calls every observer; one that throws is ignored, so that reporting never stops the work. */
export function notifyAll(observers: readonly (NotaryObserver | undefined)[]): Required<NotaryObserver> {
  const call = <K extends keyof NotaryObserver>(name: K, event: Parameters<Required<NotaryObserver>[K]>[0]) => {
    for (const observer of observers) {
      try {
        (observer?.[name] as ((e: typeof event) => void) | undefined)?.call(observer, event);
      } catch {
        // An observer's failure is its own.
      }
    }
  };
  return {
    sealed: (event) => call('sealed', event),
    transition: (event) => call('transition', event),
    anchorLatency: (event) => call('anchorLatency', event),
    anchorCost: (event) => call('anchorCost', event),
    feeWait: (event) => call('feeWait', event),
    failure: (event) => call('failure', event),
  };
}

/**
 * Logs when anchoring starts waiting on fees (warn, with the reason) and when it resumes (info); a wait
 * that goes on is not logged again every tick.
 */
export function feeWaitLogger(log: { warn(fields: object, message: string): void; info(fields: object, message: string): void }): NotaryObserver {
  let waitingFor: string | undefined;
  return {
    feeWait(event) {
      if (event.waiting && event.reason !== waitingFor) {
        log.warn({ feePerGasWei: event.neededPerGas?.toString() }, event.reason ?? 'anchoring waits on fees');
      } else if (!event.waiting && waitingFor !== undefined) {
        log.info({}, 'anchoring resumes: the fees are within the cap and the daily limit again');
      }
      waitingFor = event.waiting ? event.reason : undefined;
    },
  };
}

/** Counters and timings in plain numbers, for a metrics endpoint to publish. */
export interface NotaryStatsSnapshot {
  batchesSealed: number;
  /** Transitions by reason since start. */
  transitions: Record<TransitionEvent['reason'], number>;
  /** Failures by kind since start; `rpc` is the RPC error count. */
  failures: Record<FailureEvent['kind'], number>;
  /** Seal -> confirmed, over every batch confirmed since start. */
  anchorLatency: { count: number; totalMs: number; maxMs: number; lastMs: number | undefined };
}

/** An observer that keeps counts: the small in-process registry the metrics endpoint reads. */
export class NotaryStats implements NotaryObserver {
  private batchesSealed = 0;
  private readonly transitions: NotaryStatsSnapshot['transitions'] = {
    sent: 0,
    adopted: 0,
    'pending-again': 0,
    replaced: 0,
    confirmed: 0,
    final: 0,
    dropped: 0,
    failed: 0,
    reorged: 0,
  };
  private readonly failures: NotaryStatsSnapshot['failures'] = { rpc: 0, refused: 0, other: 0 };
  private readonly latency: NotaryStatsSnapshot['anchorLatency'] = { count: 0, totalMs: 0, maxMs: 0, lastMs: undefined };

  sealed(): void {
    this.batchesSealed++;
  }

  transition(event: TransitionEvent): void {
    this.transitions[event.reason]++;
  }

  anchorLatency(event: AnchorLatencyEvent): void {
    this.latency.count++;
    this.latency.totalMs += event.latencyMs;
    this.latency.maxMs = Math.max(this.latency.maxMs, event.latencyMs);
    this.latency.lastMs = event.latencyMs;
  }

  failure(event: FailureEvent): void {
    this.failures[event.kind]++;
  }

  snapshot(): NotaryStatsSnapshot {
    return {
      batchesSealed: this.batchesSealed,
      transitions: { ...this.transitions },
      failures: { ...this.failures },
      anchorLatency: { ...this.latency },
    };
  }
}
