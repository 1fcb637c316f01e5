import { NonceManager, Transaction, type Provider, type Signer, type TransactionRequest } from 'ethers';

/**
 * One sender per account: every transaction the notary account sends (anchors, revocations) goes through the
 * same queue, so that two of them never take the same nonce. The queue is an async mutex per account
 * (chain and address): inside the lock the nonce is read from the node's pending transaction count, the
 * transaction is signed with it and broadcast, and only then is the lock released, so the next sender sees
 * the pending count already raised.
 *
 * Do not mix it with ethers' NonceManager (or any other nonce source) for the same account: the queue
 * reads the node's count, the NonceManager its own.
 */

/** A transaction the queue signed and broadcast. */
export interface SentTransaction {
  hash: string;
  nonce: number;
  /** The signed transaction, as broadcast. */
  raw: string;
  from: string;
}

/** What `sign` gives the caller before anything is broadcast: record it, then return. */
export interface SignedTransaction {
  hash: string;
  nonce: number;
  raw: string;
}

export interface SendOptions {
  /**
   * Called inside the lock with the signed transaction, before it is broadcast: the place to record it
   * durably (a crash after the broadcast then still finds it). When it throws, nothing is broadcast and
   * `send` rejects with its error.
   */
  beforeBroadcast?(signed: SignedTransaction): void | Promise<void>;
  /** Extra gas over the node's estimate, in percent. Default 20. */
  gasHeadroomPercent?: number;
}

/**
 * A lock on the account shared with other processes (several service processes on one database, issue #13):
 * runs `task` while no other process runs one for `account`. The queue takes it inside its own lock, so a
 * nonce read from the pending count is never read by two processes at once.
 */
export type CrossProcessAccountLock = <T>(account: string, task: () => Promise<T>) => Promise<T>;

/** A signer that can sign a transaction without sending it (an ethers Wallet, HDNodeWallet, ...). */
export type SigningAccount = Signer & { readonly provider: Provider | null };

/** An async mutex: tasks run one at a time, in the order they asked. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  /** Tasks waiting or running. */
  pending = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => this.pending--);
  }
}

const mutexes = new Map<string, Mutex>();

function mutexFor(key: string): Mutex {
  let mutex = mutexes.get(key);
  if (!mutex) {
    mutex = new Mutex();
    mutexes.set(key, mutex);
  }
  return mutex;
}

/**
 * The serialised sender of one account.
 *
 * @example
 * const queue = await TransactionQueue.for(wallet)
 * const sent = await queue.send(() => registry.revokeCredentials.populateTransaction(1, digests, 0))
 * await provider.waitForTransaction(sent.hash)
 */
export class TransactionQueue {
  private constructor(
    private readonly signer: SigningAccount,
    private readonly provider: Provider,
    /** The account's address (EIP-55). */
    readonly address: string,
    private readonly mutex: Mutex,
    private readonly crossProcessLock: (<T>(task: () => Promise<T>) => Promise<T>) | undefined,
  ) {}

  /**
   * The queue of `signer`'s account. Every queue for the same account on the same chain, in this process,
   * shares one lock; with `crossProcessLock`, other processes sending for the account wait for it too. A
   * NonceManager is unwrapped: the queue manages nonces itself.
   */
  static async for(signer: Signer, options: { crossProcessLock?: CrossProcessAccountLock } = {}): Promise<TransactionQueue> {
    const account = (signer instanceof NonceManager ? signer.signer : signer) as SigningAccount;
    const provider = account.provider;
    if (!provider) throw new Error('the transaction queue needs a signer connected to a provider');
    const [address, network] = await Promise.all([account.getAddress(), provider.getNetwork()]);
    const key = `${network.chainId}:${address.toLowerCase()}`;
    return new TransactionQueue(account, provider, address, mutexFor(key), options.crossProcessLock && ((task) => options.crossProcessLock!(key, task)));
  }

  /** Transactions waiting for the lock or being sent now. */
  get pending(): number {
    return this.mutex.pending;
  }

  /**
   * Runs `task` alone for this account: no other send of the account starts before it ends. For senders
   * that sign and broadcast in their own steps (the anchorer): read the nonce with
   * `provider.getTransactionCount(address, 'pending')` inside the task and broadcast before returning.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const lock = this.crossProcessLock;
    return this.mutex.run(lock ? () => lock(task) : task);
  }

  /**
   * Builds the transaction with `populate` (e.g. `contract.method.populateTransaction(...)`), then, inside
   * the lock: estimates its gas (a revert throws here, before anything is signed), reads the nonce from the
   * pending transaction count, signs, calls `beforeBroadcast`, and broadcasts. Resolves once the node has
   * accepted the transaction, not when it is mined.
   */
  send(populate: () => Promise<TransactionRequest>, options: SendOptions = {}): Promise<SentTransaction> {
    const headroom = BigInt(options.gasHeadroomPercent ?? 20);
    return this.exclusive(async () => {
      const request = await populate();
      const estimate = request.gasLimit ? BigInt(request.gasLimit) : await this.provider.estimateGas({ ...request, from: this.address });
      const gasLimit = request.gasLimit ? estimate : estimate + (estimate * headroom) / 100n;
      const nonce = await this.provider.getTransactionCount(this.address, 'pending');
      const populated = await this.signer.populateTransaction({ ...request, from: this.address, gasLimit, nonce });
      const raw = await this.signer.signTransaction(populated);
      const hash = Transaction.from(raw).hash!;
      await options.beforeBroadcast?.({ hash, nonce, raw });
      await this.provider.broadcastTransaction(raw);
      return { hash, nonce, raw, from: this.address };
    });
  }
}
