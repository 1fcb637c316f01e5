import { isTransientRpcError, type AnchorGateway, type AnchorTransactionReceipt, type PreparedAnchor } from '../chain/anchor-gateway';
import { DEFAULT_FEE_POLICY, ceilingOf, chooseFees, formatGwei, replacementFees, type FeeDecision, type FeeMarket, type FeePolicy } from '../chain/fees';
import { RegistryRevertError } from '../chain/registry-errors';
import type { AnchorTransaction, Batch, BatchState, NotaryStore } from '../store';
import type { Clock } from '../clock';
import { NotaryError, sanitisedMessage } from '../errors';
import { LeaseLostError } from '../leadership';
import { ChainCallError, TickView, refusal } from './tick-view';
import { notifyAll, type FailureEvent, type NotaryObserver, type TransitionEvent } from './observer';

export interface AnchorerOptions {
  store: NotaryStore;
  gateway: AnchorGateway;
  clock: Clock;
  /** Blocks an anchor needs, its own block counted as 1, before its batch is confirmed. */
  confirmations: number;
  /** Blocks (counted the same way) after which a confirmed anchor is final; undefined: the chain's `finalized` block. */
  finalityDepth?: number;
  /**
   * How long (ms) a submitted transaction may go unseen by the node, neither mined nor pending, before it
   * counts as dropped and the batch is sealed again. Some grace, because a node behind a load balancer may
   * not know a transaction yet that another one accepted. Default 30 000.
   */
  dropAfterMs?: number;
  /** Exponential backoff after a failure: first wait, and the longest. Default 1 000 and 60 000 ms. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * The most batches in `submitted` at once: each is one pending transaction of the notary account, and
   * nodes keep only so many per account in their mempool. Default 16.
   */
  maxInFlight?: number;
  observer?: NotaryObserver;
  /**
   * Runs the nonce-to-broadcast section of a send alone among every sender of the notary account (pass the
   * account's TransactionQueue.exclusive): revocations go out from the same account, and two sends that read
   * the same pending nonce would collide. Default: no lock (the anchorer is the account's only sender).
   */
  sendLock?: <T>(task: () => Promise<T>) => Promise<T>;
  /** How fees are chosen and capped, and when a stuck transaction is replaced. */
  fees?: AnchorFeeOptions;
}

export interface AnchorFeeOptions {
  policy?: FeePolicy;
  /** A transaction neither mined nor replaced for this long (ms) is replaced with higher fees. Undefined: never. */
  replaceAfterMs?: number;
  /** The most the mined anchors of the last 24 hours may have cost in all (wei). Undefined: no limit. */
  dailyLimitWei?: bigint;
}

const DAY_MS = 86_400_000;

/** What one tick did, for tests and logs. */
export interface AnchorTickReport {
  transitions: TransitionEvent[];
  failures: FailureEvent[];
  /** True when the tick did nothing because the anchorer is backing off after an RPC failure. */
  backingOff: boolean;
  /**
   * True when a fenced write was refused: another process leads now (issue #13). The tick stopped there, and
   * the batch is left as the store has it, for the new leader.
   */
  leaseLost?: boolean;
}

/**
 * Drives every unfinished batch through the durable state machine (OpenTimestamps' stamper), one small step
 * per batch per tick, each step a single store write, so that a crash between any two steps is safe:
 *
 *   sealed     -> submitted  the root is already anchored: that transaction is adopted, not sent again;
 *                            or an earlier transaction of the batch is pending again: it is waited for;
 *                            or a new one is signed, recorded (markSubmitted) and only then broadcast.
 *   submitted  -> submitted  pending for `replaceAfterMs`: replaced (same nonce, higher fees), recorded first.
 *   submitted  -> confirmed  mined (any variant), succeeded, `confirmations` deep, its block canonical.
 *   submitted  -> sealed     unknown to the node for `dropAfterMs` (dropped), or mined but reverted (failed).
 *   confirmed  -> final      at or below the finalized block (or `finalityDepth` deep).
 *   confirmed  -> sealed     its block is no longer canonical (reorged).
 *
 * One anchorer per notary account: it sends one transaction at a time, each with the pending nonce.
 * Failures are recorded on the batch (recordError) and retried with exponential backoff; tick never throws.
 */
export class Anchorer {
  private readonly store: NotaryStore;
  private readonly gateway: AnchorGateway;
  private readonly clock: Clock;
  private readonly confirmations: number;
  private readonly finalityDepth: number | undefined;
  private readonly dropAfterMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly sendLock: <T>(task: () => Promise<T>) => Promise<T>;
  private readonly maxInFlight: number;
  private readonly notify: Required<NotaryObserver>;
  private readonly feePolicy: FeePolicy;
  private readonly replaceAfterMs: number | undefined;
  private readonly dailyLimitWei: bigint | undefined;
  /** Backoff of one batch after a refusal or an unexpected failure. */
  private readonly batchRetry = new Map<number, { failures: number; notBefore: number }>();
  /** Backoff of the whole anchorer after an RPC failure: the node is unreachable for every batch. */
  private rpcRetry = { failures: 0, notBefore: 0 };
  /** Whether the last fee wait reported was a wait. */
  private feeWaiting = false;
  private running: Promise<AnchorTickReport> | undefined;

  constructor(options: AnchorerOptions) {
    if (!Number.isInteger(options.confirmations) || options.confirmations < 1) {
      throw new RangeError(`confirmations must be a whole number >= 1, got ${options.confirmations}`);
    }
    this.store = options.store;
    this.gateway = options.gateway;
    this.clock = options.clock;
    this.confirmations = options.confirmations;
    this.finalityDepth = options.finalityDepth;
    this.dropAfterMs = options.dropAfterMs ?? 30_000;
    this.backoff = options.backoff ?? { initialMs: 1_000, maxMs: 60_000 };
    this.maxInFlight = options.maxInFlight ?? 16;
    this.sendLock = options.sendLock ?? ((task) => task());
    this.notify = notifyAll([options.observer]);
    this.feePolicy = options.fees?.policy ?? DEFAULT_FEE_POLICY;
    this.replaceAfterMs = options.fees?.replaceAfterMs;
    this.dailyLimitWei = options.fees?.dailyLimitWei;
  }

  /** One step for every unfinished batch. A tick asked for while one runs gets that one's report. */
  tick(): Promise<AnchorTickReport> {
    this.running ??= this.runTick().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runTick(): Promise<AnchorTickReport> {
    const report: AnchorTickReport = { transitions: [], failures: [], backingOff: false };
    if (this.clock() < this.rpcRetry.notBefore) return { ...report, backingOff: true };
    const chain = new TickView(this.gateway);
    // Confirmed first, then submitted, then sealed: the sends come last, once the in-flight count is known.
    const batches: Batch[] = [];
    for (const state of ['confirmed', 'submitted', 'sealed'] as const) batches.push(...(await this.store.batches.inState(state)));
    let sendsLeft = this.maxInFlight - (await this.store.batches.countByState()).submitted;
    for (const [position, batch] of batches.entries()) {
      const wait = this.batchRetry.get(batch.id);
      if (wait && this.clock() < wait.notBefore) continue;
      try {
        const transition = await this.step(batch, chain, sendsLeft > 0);
        this.batchRetry.delete(batch.id);
        this.rpcRetry.failures = 0;
        if (transition) {
          report.transitions.push(transition);
          if (transition.reason === 'sent' || transition.reason === 'adopted' || transition.reason === 'pending-again') sendsLeft--;
        }
      } catch (error) {
        if (error instanceof LeaseLostError) {
          report.leaseLost = true;
          break;
        }
        const failure = await this.failed(batch, error);
        report.failures.push(failure);
        // The node is unreachable: the next batches would fail the same way. They are not tried, but each says
        // why it waits, so that a status lookup of any of them tells the outage rather than nothing.
        if (failure.kind === 'rpc') {
          await this.recordWaiting(batches.slice(position + 1), failure.message);
          break;
        }
      }
    }
    // A tick that read no fees held nothing: a wait reported before is over (say, the stuck anchor was mined).
    if (chain.feeChecked || this.feeWaiting) {
      this.feeWaiting = chain.feeHold !== undefined;
      this.notify.feeWait({ waiting: this.feeWaiting, reason: chain.feeHold, neededPerGas: chain.neededPerGas, at: this.clock() });
    }
    return report;
  }

  private step(batch: Batch, chain: TickView, maySend: boolean): Promise<TransitionEvent | undefined> {
    switch (batch.state) {
      case 'sealed':
        return this.stepSealed(batch, chain, maySend);
      case 'submitted':
        // A replacement adds no transaction in flight: it is not bound by maxInFlight.
        return this.stepSubmitted(batch, chain);
      case 'confirmed':
        return this.stepConfirmed(batch, chain);
      default:
        return Promise.resolve(undefined);
    }
  }

  /** sealed -> submitted: adopt an existing anchor, wait for a pending transaction again, or send one. */
  private async stepSealed(batch: Batch, chain: TickView, maySend: boolean): Promise<TransitionEvent | undefined> {
    if (await chain.call('findAnchor', (g) => g.findAnchor(batch.root))) return this.adopt(batch, chain);

    const previous = (await this.store.batches.transactions(batch.id)).at(-1);
    if (previous && previous.outcome !== 'failed' && (await chain.call('isTransactionKnown', (g) => g.isTransactionKnown(previous.txHash)))) {
      // A transaction of ours that was dropped or reorged out is pending again (a reorg puts it back in the
      // mempool): wait for it rather than send a second one.
      const receipt = await chain.call('transactionReceipt', (g) => g.transactionReceipt(previous.txHash));
      if (!receipt) {
        await this.store.batches.adoptTransaction(batch.id, { hash: previous.txHash, nonce: previous.nonce, at: this.clock() });
        return this.moved(batch, 'sealed', 'submitted', 'pending-again', previous.txHash);
      }
    }
    // A batch ahead of this one waits on fees: this one waits too, so that anchors keep their order.
    if (!maySend || chain.feeHold !== undefined) return undefined;
    const decision = await this.decide(batch, chain, (market) => chooseFees(market, this.feePolicy));
    if (!decision) return undefined;
    return this.sendLock(() => this.send(batch, chain, decision));
  }

  /**
   * The fees the market asks for now, through `choose`; undefined, with the reason recorded on the batch and
   * the tick's fee hold set, when the cap refuses them.
   */
  private async decide(batch: Batch, chain: TickView, choose: (market: FeeMarket) => FeeDecision): Promise<FeeDecision & { ok: true } | undefined> {
    const market = await chain.market();
    const decision = choose(market);
    if (decision.ok) return decision;
    await this.hold(batch, chain, decision.reason, decision.neededPerGas);
    return undefined;
  }

  /** Anchoring waits on fees: the batch says why, and the rest of the tick sends nothing. */
  private async hold(batch: Batch, chain: TickView, reason: string, neededPerGas?: bigint): Promise<void> {
    chain.feeHold ??= reason;
    chain.neededPerGas ??= neededPerGas;
    await this.store.batches.recordError(batch.id, reason);
  }

  /** Whether the daily spending limit leaves room for `prepared` at its worst (all its gas at its highest fee). */
  private async withinDailyLimit(batch: Batch, chain: TickView, prepared: PreparedAnchor): Promise<boolean> {
    if (this.dailyLimitWei === undefined) return true;
    const spent = await this.store.batches.feesPaidSince(this.clock() - DAY_MS);
    const worst = prepared.gasLimit * ceilingOf(prepared.fees) + (prepared.l1DataFee ?? 0n);
    if (spent + worst <= this.dailyLimitWei) return true;
    await this.hold(batch, chain, `the anchors of the last 24 hours cost ${formatGwei(spent)} and this one may cost up to ${formatGwei(worst)}, above BADGE_NOTARY_DAILY_FEE_LIMIT (${formatGwei(this.dailyLimitWei)}): anchoring waits`);
    return false;
  }

  /** Signs, records and broadcasts the anchor of a sealed batch (inside the account's send lock). */
  private async send(batch: Batch, chain: TickView, decision: FeeDecision & { ok: true }): Promise<TransitionEvent | undefined> {
    let prepared: PreparedAnchor;
    try {
      prepared = await chain.call('prepareAnchor', (g) => g.prepareAnchor(batch.root, { fees: decision.fees }));
    } catch (error) {
      // Anchored between the check above and the estimate (or pending in the mempool): adopt it, never send twice.
      if (refusal(error)?.errorName === 'RootAlreadyAnchored') return this.adopt(batch, chain);
      throw error;
    }
    if (!(await this.withinDailyLimit(batch, chain, prepared))) return undefined;
    // Recorded before it is broadcast: after a crash here, the submitted step finds out what became of it.
    const at = this.clock();
    if ((await this.store.batches.transactions(batch.id)).some((tx) => tx.txHash === prepared.hash)) {
      // The very same signed transaction as an earlier attempt (same nonce, same fees): reopen its record.
      await this.store.batches.adoptTransaction(batch.id, { hash: prepared.hash, nonce: prepared.nonce, at });
    } else {
      await this.store.batches.markSubmitted(batch.id, signedRecord(prepared, at));
    }
    const transition = this.moved(batch, 'sealed', 'submitted', 'sent', prepared.hash);
    await chain.call('broadcast', (g) => g.broadcast(prepared.raw));
    return transition;
  }

  /** The root is anchored already (we sent it before a crash, or someone else did): take that transaction. */
  private async adopt(batch: Batch, chain: TickView): Promise<TransitionEvent | undefined> {
    const event = await chain.call('findAnchorEvent', (g) => g.findAnchorEvent(batch.root));
    if (!event) return undefined; // Pending in the mempool, or the node does not show the log yet: next tick.
    await this.store.batches.adoptTransaction(batch.id, { hash: event.transactionHash, nonce: event.nonce, at: this.clock() });
    return this.moved(batch, 'sealed', 'submitted', 'adopted', event.transactionHash);
  }

  /**
   * submitted -> confirmed when deep enough; -> sealed when dropped or reverted. Every live variant of the
   * batch's nonce is looked at, newest first: whichever the chain mined is the batch's transaction. One
   * pending for `replaceAfterMs` is replaced with higher fees.
   */
  private async stepSubmitted(batch: Batch, chain: TickView): Promise<TransitionEvent | undefined> {
    const live = (await this.store.batches.liveTransactions(batch.id)).reverse();
    if (!live.some((tx) => tx.txHash === batch.txHash))
      live.unshift({ txHash: batch.txHash!, batchId: batch.id, nonce: batch.txNonce!, sentAt: batch.stateChangedAt, outcome: null });
    let hash = batch.txHash!;
    let receipt: AnchorTransactionReceipt | undefined;
    for (const variant of live) {
      receipt = await chain.call('transactionReceipt', (g) => g.transactionReceipt(variant.txHash));
      if (receipt) {
        if (variant.txHash !== hash) await this.store.batches.useVariant(batch.id, variant.txHash);
        hash = variant.txHash;
        break;
      }
    }
    if (!receipt) {
      let known = false;
      for (const variant of live) if (!known) known = await chain.call('isTransactionKnown', (g) => g.isTransactionKnown(variant.txHash));
      if (known) return this.replaceIfStuck(batch, chain, live[0]); // pending
      if (this.clock() - batch.stateChangedAt < this.dropAfterMs) return undefined;
      const reason = `transaction ${hash} is neither mined nor pending: dropped, to be anchored again`;
      await this.store.batches.returnToSealed(batch.id, 'submitted', 'dropped', reason, this.clock());
      return this.moved(batch, 'submitted', 'sealed', 'dropped', hash);
    }
    if (!receipt.succeeded) {
      const reason = `transaction ${hash} was mined in block ${receipt.blockNumber} but reverted`;
      await this.store.batches.returnToSealed(batch.id, 'submitted', 'failed', reason, this.clock());
      return this.moved(batch, 'submitted', 'sealed', 'failed', hash);
    }
    const depth = (await chain.head()) - receipt.blockNumber + 1;
    if (depth < this.confirmations) return undefined;
    // The receipt and the chain are read separately: both must name the same block.
    if ((await chain.blockHash(receipt.blockNumber)) !== receipt.blockHash) return undefined;
    const anchor = await chain.call('findAnchor', (g) => g.findAnchor(batch.root));
    if (!anchor) return undefined;
    const at = this.clock();
    const paid = receipt.gasUsed !== undefined && receipt.feePaid !== undefined ? { gasUsed: receipt.gasUsed, feePaid: receipt.feePaid } : undefined;
    await this.store.batches.markConfirmed(
      batch.id,
      { blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, anchoredAt: anchor.anchoredAt, anchoredBy: anchor.memberId },
      at,
      paid,
    );
    this.notify.anchorLatency({ batchId: batch.id, latencyMs: at - batch.sealedAt });
    this.notify.anchorCost({
      batchId: batch.id,
      size: batch.size,
      gasUsed: paid?.gasUsed,
      feePaid: paid?.feePaid,
      sealToMinedMs: Math.max(0, anchor.anchoredAt * 1000 - batch.sealedAt),
    });
    return this.moved(batch, 'submitted', 'confirmed', 'confirmed', hash);
  }

  /**
   * The newest variant of a pending anchor, unmined for `replaceAfterMs`, is replaced: same nonce, fees
   * raised by at least the replacement bump and to what the market asks now, within the cap and the daily
   * limit. The new variant is recorded before it is broadcast; whichever variant is mined wins.
   */
  private async replaceIfStuck(batch: Batch, chain: TickView, newest: AnchorTransaction): Promise<TransitionEvent | undefined> {
    if (this.replaceAfterMs === undefined || !newest.fees) return undefined;
    if (this.clock() - newest.sentAt < this.replaceAfterMs) return undefined;
    const previous = newest.fees;
    const decision = await this.decide(batch, chain, (market) => replacementFees(previous, market, this.feePolicy));
    if (!decision) return undefined;
    return this.sendLock(async () => {
      let prepared: PreparedAnchor;
      try {
        prepared = await chain.call('prepareAnchor', (g) => g.prepareAnchor(batch.root, { fees: decision.fees, nonce: newest.nonce }));
      } catch (error) {
        // One of the variants was mined since the receipts were read: the next tick finds it.
        if (refusal(error)?.errorName === 'RootAlreadyAnchored') return undefined;
        throw error;
      }
      if (!(await this.withinDailyLimit(batch, chain, prepared))) return undefined;
      await this.store.batches.recordReplacement(batch.id, signedRecord(prepared, this.clock()));
      const transition = this.moved(batch, 'submitted', 'submitted', 'replaced', prepared.hash);
      await chain.call('broadcast', (g) => g.broadcast(prepared.raw));
      return transition;
    });
  }

  /** confirmed -> sealed when its block left the canonical chain; -> final when deep enough. */
  private async stepConfirmed(batch: Batch, chain: TickView): Promise<TransitionEvent | undefined> {
    const blockNumber = batch.blockNumber!;
    const canonical = await chain.blockHash(blockNumber);
    if (canonical !== batch.blockHash) {
      const reason = `block ${blockNumber} (${batch.blockHash}) with transaction ${batch.txHash} left the canonical chain: to be anchored again`;
      await this.store.batches.returnToSealed(batch.id, 'confirmed', 'reorged', reason, this.clock());
      return this.moved(batch, 'confirmed', 'sealed', 'reorged', batch.txHash);
    }
    const final =
      this.finalityDepth !== undefined
        ? (await chain.head()) - blockNumber + 1 >= this.finalityDepth
        : blockNumber <= (await chain.finalized());
    if (!final) return undefined;
    await this.store.batches.markFinal(batch.id, this.clock());
    return this.moved(batch, 'confirmed', 'final', 'final', batch.txHash);
  }

  private moved(batch: Batch, from: BatchState, to: BatchState, reason: TransitionEvent['reason'], txHash: string | null): TransitionEvent {
    const event: TransitionEvent = { batchId: batch.id, root: batch.root, from, to, reason, at: this.clock(), txHash };
    this.notify.transition(event);
    return event;
  }

  /** Records a failed step on its batch and sets when to try again. */
  private async failed(batch: Batch, error: unknown): Promise<FailureEvent> {
    const now = this.clock();
    const chainError = error instanceof ChainCallError ? error : undefined;
    const cause = chainError ? chainError.cause : error;
    const kind: FailureEvent['kind'] =
      cause instanceof RegistryRevertError ? 'refused' : chainError && isTransientRpcError(cause) ? 'rpc' : 'other';
    let failures: number;
    let retryInMs: number;
    if (kind === 'rpc') {
      failures = ++this.rpcRetry.failures;
      retryInMs = this.delay(failures);
      this.rpcRetry.notBefore = now + retryInMs;
    } else {
      failures = (this.batchRetry.get(batch.id)?.failures ?? 0) + 1;
      retryInMs = this.delay(failures);
      this.batchRetry.set(batch.id, { failures, notBefore: now + retryInMs });
    }
    const message = cause instanceof RegistryRevertError ? cause.message : error instanceof NotaryError ? error.message : sanitisedMessage(error);
    this.store.health.noteFailure(cause, now);
    try {
      await this.store.batches.recordError(batch.id, message);
    } catch {
      // The store itself failing is reported below; the loop goes on.
    }
    const event: FailureEvent = { batchId: batch.id, kind, operation: chainError?.operation ?? batch.state, message, failures, retryInMs, at: now };
    this.notify.failure(event);
    return event;
  }

  /** Records an error that stopped the tick before these batches' turn, as each one's last error. */
  private async recordWaiting(batches: readonly Batch[], message: string): Promise<void> {
    for (const batch of batches) {
      try {
        await this.store.batches.recordError(batch.id, message);
      } catch {
        // As in failed(): the store failing does not stop the loop.
      }
    }
  }

  private delay(failures: number): number {
    return Math.min(this.backoff.initialMs * 2 ** Math.min(failures - 1, 30), this.backoff.maxMs);
  }
}

/** The store's record of a signed anchor. */
function signedRecord(prepared: PreparedAnchor, sentAt: number) {
  return { hash: prepared.hash, nonce: prepared.nonce, sentAt, raw: prepared.raw, fees: prepared.fees, gasLimit: prepared.gasLimit };
}
