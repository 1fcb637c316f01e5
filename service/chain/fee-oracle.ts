import { Interface, type Provider } from 'ethers';
import type { FeeMarket } from './fees';

/** The OP-stack's GasPriceOracle predeploy (Optimism, Base, and every OP-stack chain). */
export const OP_GAS_PRICE_ORACLE = '0x420000000000000000000000000000000000000F';
const oracleAbi = new Interface(['function getL1Fee(bytes) view returns (uint256)']);

/** A provider that passes raw JSON-RPC calls (JsonRpcProvider, BrowserProvider). */
type RawRpc = { send(method: string, params: unknown[]): Promise<unknown> };

export interface FeeOracleOptions {
  /** Blocks of fee history read for the tip. Default 10. */
  historyBlocks?: number;
  /** The percentile of each block's tips taken (the median of them is offered). Default 50. */
  rewardPercentile?: number;
}

/**
 * Reads what the chain's fees are now: eth_feeHistory for EIP-1559 chains (the next block's base fee, and
 * the median over recent blocks of the tip at a percentile), eth_gasPrice where blocks have no base fee;
 * and, on OP-stack chains, the L1 data fee of a transaction from the GasPriceOracle predeploy.
 */
export class FeeOracle {
  private readonly historyBlocks: number;
  private readonly rewardPercentile: number;
  /** Whether the chain has the OP-stack oracle: looked up once. */
  private opStack: Promise<boolean> | undefined;

  constructor(
    private readonly provider: Provider,
    options: FeeOracleOptions = {},
  ) {
    this.historyBlocks = options.historyBlocks ?? 10;
    this.rewardPercentile = options.rewardPercentile ?? 50;
  }

  async market(): Promise<FeeMarket> {
    // Read raw: some nodes give the pending block no number, which ethers' Block refuses.
    const pendingBlock = (await this.rpc().send('eth_getBlockByNumber', ['pending', false])) as { baseFeePerGas?: string | null } | null;
    const pendingBaseFee = pendingBlock?.baseFeePerGas ? BigInt(pendingBlock.baseFeePerGas) : undefined;
    if (pendingBaseFee === undefined) {
      const gasPrice = BigInt((await this.rpc().send('eth_gasPrice', [])) as string);
      return { kind: 'legacy', baseFeePerGas: gasPrice, priorityFeePerGas: 0n };
    }
    const history = (await this.rpc().send('eth_feeHistory', [`0x${this.historyBlocks.toString(16)}`, 'latest', [this.rewardPercentile]])) as {
      baseFeePerGas: string[];
      reward?: string[][];
    };
    const nextFromHistory = BigInt(history.baseFeePerGas.at(-1) ?? '0x0');
    // The pending block knows a base fee the node was told to use (hardhat_setNextBlockBaseFeePerGas, and
    // some L2 sequencers); the history extrapolates one. The higher of the two is the one to meet.
    const baseFeePerGas = pendingBaseFee > nextFromHistory ? pendingBaseFee : nextFromHistory;
    const tips = (history.reward ?? []).map((r) => BigInt(r[0] ?? '0x0')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const priorityFeePerGas = tips.length === 0 ? 0n : tips[Math.floor(tips.length / 2)];
    return { kind: 'eip1559', baseFeePerGas, priorityFeePerGas };
  }

  /** The L1 data fee of the signed transaction `raw` on an OP-stack chain; undefined on other chains. */
  async l1DataFee(raw: string): Promise<bigint | undefined> {
    this.opStack ??= this.provider.getCode(OP_GAS_PRICE_ORACLE).then((code) => code !== '0x');
    if (!(await this.opStack)) return undefined;
    const data = oracleAbi.encodeFunctionData('getL1Fee', [raw]);
    const [fee] = oracleAbi.decodeFunctionResult('getL1Fee', await this.provider.call({ to: OP_GAS_PRICE_ORACLE, data }));
    return fee as bigint;
  }

  /**
   * What a mined transaction paid in all: gas used times its effective gas price, plus the L1 data fee
   * that OP-stack receipts carry (l1Fee).
   */
  async feePaid(hash: string): Promise<{ gasUsed: bigint; feePaid: bigint } | undefined> {
    const receipt = (await this.rpc().send('eth_getTransactionReceipt', [hash])) as {
      gasUsed: string;
      effectiveGasPrice?: string;
      l1Fee?: string;
    } | null;
    if (!receipt) return undefined;
    const gasUsed = BigInt(receipt.gasUsed);
    const l2 = gasUsed * BigInt(receipt.effectiveGasPrice ?? '0x0');
    return { gasUsed, feePaid: l2 + BigInt(receipt.l1Fee ?? '0x0') };
  }

  private rpc(): RawRpc {
    const candidate = this.provider as unknown as Partial<RawRpc>;
    if (typeof candidate.send !== 'function') throw new Error('the fee oracle needs a provider that passes raw JSON-RPC calls');
    return candidate as RawRpc;
  }
}
