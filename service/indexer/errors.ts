import { NotaryError, type NotaryErrorOptions } from '../errors';

/** Something went wrong while indexing; the step is retried. */
export class IndexerError extends NotaryError {
  override name = 'IndexerError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('indexer-failed', message, options);
  }
}

/**
 * The chain changed while one step was reading it (a log names a block hash that the block no longer has, or
 * consecutive blocks do not link). Nothing of the step was applied; the next step sees the new chain.
 */
export class ChainMovedError extends IndexerError {
  override name = 'ChainMovedError';
  override readonly code = 'chain-moved';
}
