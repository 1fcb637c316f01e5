/**
 * The fee of an anchor, chosen rather than left to the node's default: what to offer (EIP-1559 or legacy),
 * how much to raise it by to replace a stuck transaction, and whether the cap allows it. Pure arithmetic
 * in wei; reading the chain is fee-oracle.ts's job.
 */

/** What a transaction offers per gas. */
export type FeeSettings =
  | { kind: 'eip1559'; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  | { kind: 'legacy'; gasPrice: bigint };

/** The chain's fee market as read now: the next block's base fee (EIP-1559) or the node's gas price (legacy). */
export interface FeeMarket {
  kind: 'eip1559' | 'legacy';
  /** EIP-1559: the base fee of the next block. Legacy: the node's eth_gasPrice. */
  baseFeePerGas: bigint;
  /** EIP-1559: the tip (priority fee) the chosen percentile of recent blocks paid. Legacy: 0. */
  priorityFeePerGas: bigint;
  /**
   * The L1 data fee of one anchor transaction on an OP-stack chain, in wei, read from its gas price oracle;
   * undefined elsewhere (on Arbitrum the L1 part is in the gas used already).
   */
  l1DataFee?: bigint;
}

export interface FeePolicy {
  /** The most a transaction may offer per gas (BADGE_NOTARY_MAX_FEE_PER_GAS); undefined: no cap. */
  maxFeePerGas?: bigint;
  /** The least tip offered, however low the recent blocks' tips. */
  minPriorityFeePerGas: bigint;
  /** A replacement raises both fees by at least this (percent): nodes refuse less (geth: 10). */
  replacementBumpPercent: number;
}

export const DEFAULT_FEE_POLICY: FeePolicy = { minPriorityFeePerGas: 1_000_000n, replacementBumpPercent: 10 };

/** What the anchorer may do with the fees the market asks for now. */
export type FeeDecision = { ok: true; fees: FeeSettings } | { ok: false; reason: string; neededPerGas: bigint };

/** The fee a transaction needs to be mined in the next block: base fee plus tip (or the gas price). */
export function neededPerGas(market: FeeMarket, policy: FeePolicy): bigint {
  if (market.kind === 'legacy') return market.baseFeePerGas;
  return market.baseFeePerGas + tipOf(market, policy);
}

/** The largest fee per gas a transaction with `fees` may pay. */
export function ceilingOf(fees: FeeSettings): bigint {
  return fees.kind === 'eip1559' ? fees.maxFeePerGas : fees.gasPrice;
}

/**
 * The fees of a new transaction: EIP-1559 offers twice the next base fee plus the tip (room for six full
 * blocks of base fee rises), clipped to the cap; legacy offers the node's gas price. When even the next
 * block's fee is above the cap, anchoring waits.
 */
export function chooseFees(market: FeeMarket, policy: FeePolicy): FeeDecision {
  const needed = neededPerGas(market, policy);
  const cap = policy.maxFeePerGas;
  if (cap !== undefined && needed > cap) {
    return { ok: false, neededPerGas: needed, reason: `the chain asks ${formatGwei(needed)} per gas, above BADGE_NOTARY_MAX_FEE_PER_GAS (${formatGwei(cap)}): anchoring waits` };
  }
  if (market.kind === 'legacy') return { ok: true, fees: { kind: 'legacy', gasPrice: needed } };
  const tip = tipOf(market, policy);
  const offered = 2n * market.baseFeePerGas + tip;
  return { ok: true, fees: { kind: 'eip1559', maxFeePerGas: cap !== undefined && offered > cap ? cap : offered, maxPriorityFeePerGas: tip } };
}

/**
 * The fees of a replacement of a transaction that offered `previous`: each at least `bump` percent over
 * the previous one (rounded up), and at least what the market asks now. Above the cap it is refused: the
 * stuck transaction keeps waiting.
 */
export function replacementFees(previous: FeeSettings, market: FeeMarket, policy: FeePolicy): FeeDecision {
  // One wei over the bump: nodes differ on whether exactly 10% is enough.
  const raise = (value: bigint) => value + ceilDiv(value * BigInt(policy.replacementBumpPercent), 100n) + 1n;
  const fresh = chooseFees(market, { ...policy, maxFeePerGas: undefined });
  if (!fresh.ok) throw new Error('unreachable: no cap');
  let fees: FeeSettings;
  if (previous.kind === 'legacy') {
    fees = { kind: 'legacy', gasPrice: max(raise(previous.gasPrice), ceilingOf(fresh.fees)) };
  } else {
    const freshTip = fresh.fees.kind === 'eip1559' ? fresh.fees.maxPriorityFeePerGas : 0n;
    const tip = max(raise(previous.maxPriorityFeePerGas), freshTip);
    fees = { kind: 'eip1559', maxPriorityFeePerGas: tip, maxFeePerGas: max(raise(previous.maxFeePerGas), ceilingOf(fresh.fees), tip) };
  }
  const cap = policy.maxFeePerGas;
  if (cap !== undefined && ceilingOf(fees) > cap) {
    return {
      ok: false,
      neededPerGas: ceilingOf(fees),
      reason: `a replacement of the stuck transaction would offer ${formatGwei(ceilingOf(fees))} per gas, above BADGE_NOTARY_MAX_FEE_PER_GAS (${formatGwei(cap)}): it waits as it is`,
    };
  }
  return { ok: true, fees };
}

/** Wei per gas in gwei, for people: "31.5 gwei". */
export function formatGwei(wei: bigint): string {
  const whole = wei / 1_000_000_000n;
  const fraction = (wei % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} gwei`;
}

function tipOf(market: FeeMarket, policy: FeePolicy): bigint {
  return max(market.priorityFeePerGas, policy.minPriorityFeePerGas);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function max(...values: bigint[]): bigint {
  return values.reduce((a, b) => (a > b ? a : b));
}
