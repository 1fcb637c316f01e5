import { Transaction, type Provider, type Wallet } from 'ethers';
import { ConfederationRegistry__factory, type ConfederationRegistry } from '../../typechain-types';
import { FeeOracle } from './fee-oracle';
import type { FeeMarket, FeeSettings } from './fees';
import { withRegistryErrors } from './registry-errors';

/** What the registry says about a root: when it was anchored (block time, unix seconds) and for which member. */
export interface AnchorRecord {
  anchoredAt: number;
  memberId: number;
}

/** The RootAnchored event of a root: the transaction that anchored it and where it landed. */
export interface AnchorEvent {
  transactionHash: string;
  blockNumber: number;
  blockHash: string;
  memberId: number;
  /** The anchoring transaction's sender and nonce. */
  from: string;
  nonce: number;
}

/** A signed anchor(root) transaction, not yet broadcast. */
export interface PreparedAnchor {
  raw: string;
  hash: string;
  nonce: number;
  gasLimit: bigint;
  /** The fees it offers. */
  fees: FeeSettings;
  /** On an OP-stack chain, the L1 data fee it will pay on top of its gas (the chain's oracle's figure). */
  l1DataFee?: bigint;
}

/** How to sign an anchor: its fees, and for a replacement the nonce of the transaction it replaces. */
export interface AnchorSigning {
  fees?: FeeSettings;
  nonce?: number;
}

/** The part of a transaction receipt the anchorer needs. */
export interface AnchorTransactionReceipt {
  blockNumber: number;
  blockHash: string;
  /** false: mined but reverted. */
  succeeded: boolean;
  gasUsed?: bigint;
  /** What it cost the notary account in all: gas used times the effective gas price, plus any L1 data fee. */
  feePaid?: bigint;
}

/**
 * The chain as the anchorer sees it: a few reads and one kind of write, all plain JSON-RPC. Every method
 * either answers or throws; a registry refusal throws a RegistryRevertError (service/chain/registry-errors).
 */
export interface AnchorGateway {
  /** The notary account that signs the anchors. */
  readonly account: string;
  /** The number of the newest block. */
  head(): Promise<number>;
  /** The hash of the canonical block at `blockNumber`, or undefined when the chain has no such block. */
  blockHash(blockNumber: number): Promise<string | undefined>;
  /** The newest block the chain calls finalized (or, when it has no such tag, one a fixed depth below the head). */
  finalizedBlockNumber(): Promise<number>;
  /** The registry's anchor of `root` (getAnchor), or undefined when the root is not anchored. */
  findAnchor(root: string): Promise<AnchorRecord | undefined>;
  /** The RootAnchored event of `root` on the canonical chain, or undefined. */
  findAnchorEvent(root: string): Promise<AnchorEvent | undefined>;
  /** The fee market now: the next block's base fee and the recent tips (or the legacy gas price). */
  feeMarket(): Promise<FeeMarket>;
  /**
   * Signs anchor(root) with the notary account: gas estimated first (so a refusal such as RootAlreadyAnchored
   * or MemberNotActive throws a RegistryRevertError before anything is recorded), then the nonce from the
   * pending transaction count, read right before signing (or `signing.nonce`, to replace a transaction),
   * with `signing.fees` (or, without them, what the node suggests).
   */
  prepareAnchor(root: string, signing?: AnchorSigning): Promise<PreparedAnchor>;
  /** Sends a signed transaction to the node. */
  broadcast(raw: string): Promise<void>;
  /** The receipt of a mined transaction, or undefined while it is not mined (or unknown). */
  transactionReceipt(hash: string): Promise<AnchorTransactionReceipt | undefined>;
  /** Whether the node knows the transaction: mined, or waiting in its mempool. */
  isTransactionKnown(hash: string): Promise<boolean>;
}

export interface EthersAnchorGatewayOptions {
  provider: Provider;
  /** The notary account; it is connected to `provider`. */
  wallet: Wallet;
  /** The registry's address. */
  registry: string;
  /** The block the registry was deployed in: event searches start there. */
  fromBlock: number;
  /**
   * When the node does not know the `finalized` tag, a block this many blocks below the head counts as
   * finalized. Default 64 (two Ethereum epochs).
   */
  fallbackFinalityDepth?: number;
  /** Extra gas over the estimate, in percent. Default 20. */
  gasHeadroomPercent?: number;
}

/** The {@link AnchorGateway} over an ethers v6 provider and a Wallet holding the notary key. */
export class EthersAnchorGateway implements AnchorGateway {
  readonly account: string;
  private readonly provider: Provider;
  private readonly wallet: Wallet;
  private readonly registry: ConfederationRegistry;
  private readonly fromBlock: number;
  private readonly fallbackFinalityDepth: number;
  private readonly gasHeadroomPercent: bigint;
  private readonly fees: FeeOracle;
  /** Set once the node has refused the `finalized` tag. */
  private finalizedTagUnsupported = false;

  constructor(options: EthersAnchorGatewayOptions) {
    this.provider = options.provider;
    this.wallet = options.wallet.provider === options.provider ? options.wallet : options.wallet.connect(options.provider);
    this.account = this.wallet.address;
    this.registry = ConfederationRegistry__factory.connect(options.registry, options.provider);
    this.fromBlock = options.fromBlock;
    this.fallbackFinalityDepth = options.fallbackFinalityDepth ?? 64;
    this.gasHeadroomPercent = BigInt(options.gasHeadroomPercent ?? 20);
    this.fees = new FeeOracle(options.provider);
  }

  feeMarket(): Promise<FeeMarket> {
    return this.fees.market();
  }

  head(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  async blockHash(blockNumber: number): Promise<string | undefined> {
    const block = await this.provider.getBlock(blockNumber);
    return block?.hash ?? undefined;
  }

  async finalizedBlockNumber(): Promise<number> {
    if (!this.finalizedTagUnsupported) {
      try {
        const block = await this.provider.getBlock('finalized');
        // A node that knows the tag but has finalized nothing yet answers null.
        return block ? block.number : -1;
      } catch (error) {
        if (isTransientRpcError(error)) throw error;
        this.finalizedTagUnsupported = true;
      }
    }
    return (await this.head()) - this.fallbackFinalityDepth;
  }

  async findAnchor(root: string): Promise<AnchorRecord | undefined> {
    const [anchoredAt, memberId] = await this.registry.getAnchor(root);
    return anchoredAt === 0n ? undefined : { anchoredAt: Number(anchoredAt), memberId: Number(memberId) };
  }

  async findAnchorEvent(root: string): Promise<AnchorEvent | undefined> {
    const logs = await this.registry.queryFilter(this.registry.filters.RootAnchored(root), this.fromBlock, 'latest');
    const log = logs.at(-1);
    if (!log) return undefined;
    const transaction = await this.provider.getTransaction(log.transactionHash);
    if (!transaction) return undefined;
    return {
      transactionHash: log.transactionHash,
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      memberId: Number(log.args.memberId),
      from: transaction.from,
      nonce: transaction.nonce,
    };
  }

  prepareAnchor(root: string, signing: AnchorSigning = {}): Promise<PreparedAnchor> {
    return withRegistryErrors(`anchoring root ${root}`, async () => {
      const request = await this.registry.anchor.populateTransaction(root);
      const estimate = await this.provider.estimateGas({ ...request, from: this.account });
      const gasLimit = estimate + (estimate * this.gasHeadroomPercent) / 100n;
      const nonce = signing.nonce ?? (await this.provider.getTransactionCount(this.account, 'pending'));
      const priced = signing.fees ? feeFields(signing.fees) : {};
      const populated = await this.wallet.populateTransaction({ ...request, gasLimit, nonce, ...priced });
      const raw = await this.wallet.signTransaction(populated);
      const signed = Transaction.from(raw);
      const fees: FeeSettings =
        signed.type === 2
          ? { kind: 'eip1559', maxFeePerGas: signed.maxFeePerGas!, maxPriorityFeePerGas: signed.maxPriorityFeePerGas! }
          : { kind: 'legacy', gasPrice: signed.gasPrice! };
      const l1DataFee = await this.fees.l1DataFee(raw);
      return { raw, hash: signed.hash!, nonce, gasLimit, fees, ...(l1DataFee === undefined ? {} : { l1DataFee }) };
    });
  }

  async broadcast(raw: string): Promise<void> {
    await this.provider.broadcastTransaction(raw);
  }

  async transactionReceipt(hash: string): Promise<AnchorTransactionReceipt | undefined> {
    const receipt = await this.provider.getTransactionReceipt(hash);
    if (!receipt) return undefined;
    const paid = await this.fees.feePaid(hash);
    return { blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, succeeded: receipt.status === 1, ...paid };
  }

  async isTransactionKnown(hash: string): Promise<boolean> {
    return (await this.provider.getTransaction(hash)) !== null;
  }
}

/** The transaction fields that carry `fees`. */
function feeFields(fees: FeeSettings) {
  return fees.kind === 'eip1559'
    ? { type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
    : { type: 0, gasPrice: fees.gasPrice };
}

/** ethers' codes for a failed request, and Node's for a failed connection. */
const TRANSIENT_CODES = new Set([
  'NETWORK_ERROR',
  'TIMEOUT',
  'SERVER_ERROR',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * Whether an error looks like the node or the way to it failing (connection refused, timeout, HTTP 5xx),
 * which is worth retrying as it is, rather than the node answering no.
 */
export function isTransientRpcError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const { code, status, message } = current as { code?: unknown; status?: unknown; message?: unknown };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (typeof status === 'number' && status >= 500) return true;
    if (typeof message === 'string' && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up|fetch failed|request timeout/i.test(message)) return true;
    current = (current as { cause?: unknown; error?: unknown }).cause ?? (current as { error?: unknown }).error;
  }
  return false;
}
