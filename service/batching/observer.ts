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
  /** What made it move. */
  reason: 'sent' | 'adopted' | 'pending-again' | 'confirmed' | 'final' | 'dropped' | 'failed' | 'reorged';
  at: number;
  txHash: string | null;
}

/** A batch reached confirmed: how long it took from its seal. */
export interface AnchorLatencyEvent {
  batchId: number;
  latencyMs: number;
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
    failure: (event) => call('failure', event),
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
