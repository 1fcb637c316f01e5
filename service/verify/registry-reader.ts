import { Interface, type Provider } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import type { IConfederationRegistry } from '../../typechain-types/contracts/ConfederationRegistry';

export type CredentialCheck = IConfederationRegistry.CredentialCheckStructOutput;

export interface CheckCredentialQuery {
  issuerDidHash: string;
  keyHash: string;
  digest: string;
  proof: readonly string[];
  root: string;
}

/** Where a root's anchoring transaction landed, as the chain says. */
export interface AnchorLanding {
  transactionHash: string;
  blockNumber: number;
}

/**
 * What the verifier asks of the chain: plain JSON-RPC calls to one registry, no explorer, no API key. A reader
 * serves ONE verification run (one credential or thousands): it remembers the chain id, the head and the
 * landings it has looked up, so a bulk run makes few round trips. Take a new reader for each run, so that
 * confirmations are counted from a fresh head.
 */
export interface RegistryReader {
  readonly registry: string;
  chainId(): Promise<number>;
  headBlockNumber(): Promise<number>;
  /** The registry's one-call verification view. */
  checkCredential(query: CheckCredentialQuery): Promise<CredentialCheck>;
  /** The transaction's block, when it is mined and it anchored `root` in this registry. */
  landingOfTransaction(transactionHash: string, root: string): Promise<AnchorLanding | undefined>;
  /** Where `root` was anchored, found from the registry's RootAnchored event. */
  findLanding(root: string): Promise<AnchorLanding | undefined>;
  /** A signing key's record (memberId 0 when unknown); times in unix seconds. */
  getKey(keyHash: string): Promise<KeyRecord>;
}

export interface KeyRecord {
  memberId: number;
  validFrom: number;
  validUntil: number;
  revoked: boolean;
  compromisedAt: number;
}

const registryInterface = new Interface(ConfederationRegistry__factory.abi);

/** Most credentials one checkCredentials call carries (about 60,000 gas each, well inside an eth_call's gas). */
const MAX_CHECKS_PER_CALL = 100;
/** How long checks asked for at about the same time are collected into one call, ms. */
const CHECK_WINDOW_MS = 2;

interface PendingCheck {
  query: CheckCredentialQuery;
  resolve(check: CredentialCheck): void;
  reject(error: unknown): void;
}
const ROOT_ANCHORED = registryInterface.getEvent('RootAnchored')!;

/** A {@link RegistryReader} over an ethers provider. */
export class JsonRpcRegistryReader implements RegistryReader {
  private chainIdValue?: Promise<number>;
  private head?: Promise<number>;
  private readonly landings = new Map<string, Promise<AnchorLanding | undefined>>();
  private readonly contract;
  private pendingChecks: PendingCheck[] = [];
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly provider: Provider,
    readonly registry: string,
    /** The block the registry was deployed in, when known: event searches start there. */
    private readonly fromBlock = 0,
  ) {
    this.contract = ConfederationRegistry__factory.connect(registry, provider);
  }

  chainId(): Promise<number> {
    this.chainIdValue ??= this.provider.getNetwork().then((network) => Number(network.chainId));
    return this.chainIdValue;
  }

  headBlockNumber(): Promise<number> {
    this.head ??= this.provider.getBlockNumber();
    return this.head;
  }

  /**
   * Checks asked for within a couple of milliseconds of each other go to the registry together, in one
   * checkCredentials call per hundred: a bulk run makes a hundred times fewer eth_calls.
   */
  checkCredential(query: CheckCredentialQuery): Promise<CredentialCheck> {
    return new Promise((resolve, reject) => {
      this.pendingChecks.push({ query, resolve, reject });
      if (this.pendingChecks.length >= MAX_CHECKS_PER_CALL) this.flushChecks();
      else this.flushTimer ??= setTimeout(() => this.flushChecks(), CHECK_WINDOW_MS);
    });
  }

  private flushChecks(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    while (this.pendingChecks.length > 0) {
      const batch = this.pendingChecks.splice(0, MAX_CHECKS_PER_CALL);
      const queries = batch.map(({ query }) => ({ ...query, proof: [...query.proof] }));
      this.contract.checkCredentials(queries).then(
        (checks) => batch.forEach((pending, i) => pending.resolve(checks[i])),
        // One query the node cannot take must not fail the others: ask for each alone.
        () => {
          for (const { query, resolve, reject } of batch) {
            this.contract.checkCredential(query.issuerDidHash, query.keyHash, query.digest, [...query.proof], query.root).then(resolve, reject);
          }
        },
      );
    }
  }

  landingOfTransaction(transactionHash: string, root: string): Promise<AnchorLanding | undefined> {
    const key = `${transactionHash.toLowerCase()}:${root.toLowerCase()}`;
    let landing = this.landings.get(key);
    if (!landing) {
      landing = this.readLanding(transactionHash, root);
      this.landings.set(key, landing);
    }
    return landing;
  }

  async findLanding(root: string): Promise<AnchorLanding | undefined> {
    const logs = await this.provider.getLogs({
      address: this.registry,
      topics: [ROOT_ANCHORED.topicHash, root],
      fromBlock: this.fromBlock,
      toBlock: 'latest',
    });
    const log = logs.at(-1);
    return log && { transactionHash: log.transactionHash, blockNumber: log.blockNumber };
  }

  async getKey(keyHash: string): Promise<KeyRecord> {
    const key = await this.contract.getKey(keyHash);
    return {
      memberId: Number(key.memberId),
      validFrom: Number(key.validFrom),
      validUntil: Number(key.validUntil),
      revoked: key.revoked,
      compromisedAt: Number(key.compromisedAt),
    };
  }

  private async readLanding(transactionHash: string, root: string): Promise<AnchorLanding | undefined> {
    const receipt = await this.provider.getTransactionReceipt(transactionHash);
    if (!receipt || receipt.status !== 1) return undefined;
    const anchored = receipt.logs.some(
      (log) =>
        log.address.toLowerCase() === this.registry.toLowerCase() &&
        log.topics[0] === ROOT_ANCHORED.topicHash &&
        log.topics[1]?.toLowerCase() === root.toLowerCase(),
    );
    return anchored ? { transactionHash: receipt.hash, blockNumber: receipt.blockNumber } : undefined;
  }
}
