import type { ChainBlock, ChainLog, ChainReader, LogFilter } from '../../service/indexer';

type Method = 'getBlockNumber' | 'getBlock' | 'getLogs';

/** Decides whether a call fails; `nth` counts the calls of that method from 1. */
export type FailureRule = (call: { method: Method; nth: number; filter?: LogFilter; blockNumber?: number }) => boolean;

/**
 * A ChainReader over a real provider that records the logs it was asked for and fails the calls a rule picks,
 * the way a flaky RPC endpoint does. The only stand-in in these tests: everything else is a real chain.
 */
export class FlakyReader implements ChainReader {
  readonly logFilters: LogFilter[] = [];
  failures = 0;
  private rule: FailureRule | undefined;
  private budget = 0;
  private counts: Record<Method, number> = { getBlockNumber: 0, getBlock: 0, getLogs: 0 };
  private gate: Promise<void> | undefined;
  private gateReached: (() => void) | undefined;

  constructor(private readonly inner: ChainReader) {}

  /** The next `count` calls that `rule` picks (all calls by default) fail with a connection error. */
  failNext(count: number, rule: FailureRule = () => true): void {
    this.budget = count;
    this.rule = rule;
  }

  /** getLogs waits for `gate` before answering; the promise returned resolves when one is waiting. */
  holdLogsUntil(gate: Promise<void>): Promise<void> {
    this.gate = gate;
    return new Promise((resolve) => (this.gateReached = resolve));
  }

  async getBlockNumber(): Promise<number> {
    this.maybeFail({ method: 'getBlockNumber', nth: ++this.counts.getBlockNumber });
    return this.inner.getBlockNumber();
  }

  async getBlock(blockNumber: number): Promise<ChainBlock | null> {
    this.maybeFail({ method: 'getBlock', nth: ++this.counts.getBlock, blockNumber });
    return this.inner.getBlock(blockNumber);
  }

  async getLogs(filter: LogFilter): Promise<readonly ChainLog[]> {
    this.maybeFail({ method: 'getLogs', nth: ++this.counts.getLogs, filter });
    this.logFilters.push({ ...filter });
    if (this.gate) {
      const gate = this.gate;
      this.gate = undefined;
      this.gateReached?.();
      await gate;
    }
    return this.inner.getLogs(filter);
  }

  private maybeFail(call: Parameters<FailureRule>[0]): void {
    if (this.budget > 0 && this.rule?.(call)) {
      this.budget -= 1;
      this.failures += 1;
      throw Object.assign(new Error(`connect ECONNRESET (injected failure of ${call.method})`), { code: 'ECONNRESET' });
    }
  }
}
