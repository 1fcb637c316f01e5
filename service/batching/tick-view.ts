import { NotaryError, sanitisedMessage } from '../errors';
import type { AnchorGateway } from '../chain/anchor-gateway';
import type { FeeMarket } from '../chain/fees';
import { RegistryRevertError } from '../chain/registry-errors';

/** A failed chain call, with what was being done. */
export class ChainCallError extends NotaryError {
  override name = 'ChainCallError';
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super('chain-call-failed', operation, { details: describeError(cause), cause });
  }
}

/** The chain as one tick sees it: the head, the finalized block and the fees read once, and every failure named. */
export class TickView {
  /** Set when anchoring waits on fees: why. The batches after it in the tick send nothing. */
  feeHold: string | undefined;
  neededPerGas: bigint | undefined;
  /** Whether the tick read the fees (it had something to send or replace). */
  feeChecked = false;
  private fees: Promise<FeeMarket> | undefined;
  private headNumber: Promise<number> | undefined;
  private finalizedNumber: Promise<number> | undefined;
  private readonly hashes = new Map<number, Promise<string | undefined>>();

  constructor(private readonly gateway: AnchorGateway) {}

  async call<T>(operation: string, run: (gateway: AnchorGateway) => Promise<T>): Promise<T> {
    try {
      return await run(this.gateway);
    } catch (error) {
      throw new ChainCallError(operation, error);
    }
  }

  market(): Promise<FeeMarket> {
    this.feeChecked = true;
    return (this.fees ??= this.call('feeMarket', (g) => g.feeMarket()));
  }

  head(): Promise<number> {
    return (this.headNumber ??= this.call('head', (g) => g.head()));
  }

  finalized(): Promise<number> {
    return (this.finalizedNumber ??= this.call('finalizedBlockNumber', (g) => g.finalizedBlockNumber()));
  }

  blockHash(blockNumber: number): Promise<string | undefined> {
    let hash = this.hashes.get(blockNumber);
    if (!hash) {
      hash = this.call('blockHash', (g) => g.blockHash(blockNumber));
      this.hashes.set(blockNumber, hash);
    }
    return hash;
  }
}

/** The registry's refusal inside a failed chain call, if that is what it was. */
export function refusal(error: unknown): RegistryRevertError | undefined {
  return error instanceof ChainCallError && error.cause instanceof RegistryRevertError ? error.cause : undefined;
}

/** A short sentence for an error: ethers' shortMessage when there is one, never the provider's URL. */
function describeError(error: unknown): string {
  return sanitisedMessage(error);
}
