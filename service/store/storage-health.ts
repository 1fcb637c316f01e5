import { storageFaultOf, type StorageFault } from './database';

/** A storage fault a write met: which, SQLite's words, and when (ms since the epoch). */
export interface StorageFaultSeen {
  fault: StorageFault;
  message: string;
  at: number;
}

/**
 * The last storage fault the writes of this process met: a full or read-only disk, failing I/O, another
 * writer holding the lock. Readiness cannot find a full disk by probing: SQLite writes into WAL space it
 * already has, so a probe passes while the next write that needs one more page fails. The writers (intake,
 * the batcher, the anchorer) tell it what they met instead.
 */
export class StorageHealth {
  private last: StorageFaultSeen | undefined;

  /** Notes a failed operation; the storage fault behind it, or undefined when the disk was not at fault. */
  noteFailure(error: unknown, at: number): StorageFault | undefined {
    const fault = storageFaultOf(error);
    if (fault) this.last = { fault, message: error instanceof Error ? error.message : String(error), at };
    return fault;
  }

  /** The last storage fault, when it happened at `since` (ms) or later. */
  lastFaultSince(since: number): StorageFaultSeen | undefined {
    return this.last !== undefined && this.last.at >= since ? this.last : undefined;
  }
}
