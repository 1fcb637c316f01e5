import { expect } from 'chai';
import { chooseFees, formatGwei, replacementFees, type FeeMarket, type FeePolicy } from '../../service/chain/fees';
import { loadConfig } from '../../service/config/config';

const GWEI = 1_000_000_000n;
const policy: FeePolicy = { minPriorityFeePerGas: GWEI / 1000n, replacementBumpPercent: 10 };
const eip1559 = (baseFeePerGas: bigint, priorityFeePerGas = 2n * GWEI): FeeMarket => ({ kind: 'eip1559', baseFeePerGas, priorityFeePerGas });

describe('chain: fees chosen, replaced and capped', function () {
  it('offers twice the next base fee plus the recent tip on an EIP-1559 chain', function () {
    expect(chooseFees(eip1559(10n * GWEI), policy)).to.deep.equal({
      ok: true,
      fees: { kind: 'eip1559', maxFeePerGas: 22n * GWEI, maxPriorityFeePerGas: 2n * GWEI },
    });
  });

  it('offers at least the minimum tip when recent blocks paid none', function () {
    const decision = chooseFees(eip1559(GWEI, 0n), policy);
    expect(decision.ok && decision.fees.kind === 'eip1559' && decision.fees.maxPriorityFeePerGas).to.equal(GWEI / 1000n);
  });

  it('offers the node’s gas price on a chain without EIP-1559', function () {
    expect(chooseFees({ kind: 'legacy', baseFeePerGas: 7n * GWEI, priorityFeePerGas: 0n }, policy)).to.deep.equal({ ok: true, fees: { kind: 'legacy', gasPrice: 7n * GWEI } });
  });

  it('clips the offer to the cap while the next block fits under it, and waits, saying why, once it does not', function () {
    const capped = { ...policy, maxFeePerGas: 15n * GWEI };
    expect(chooseFees(eip1559(10n * GWEI), capped)).to.deep.equal({
      ok: true,
      fees: { kind: 'eip1559', maxFeePerGas: 15n * GWEI, maxPriorityFeePerGas: 2n * GWEI },
    });
    const refused = chooseFees(eip1559(14n * GWEI), capped);
    expect(refused).to.deep.include({ ok: false, neededPerGas: 16n * GWEI });
    expect(!refused.ok && refused.reason).to.equal('the chain asks 16 gwei per gas, above BADGE_NOTARY_MAX_FEE_PER_GAS (15 gwei): anchoring waits');
  });

  it('raises both fees of a replacement by more than the bump, or to what the market asks when that is more', function () {
    const previous = { kind: 'eip1559' as const, maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI };
    const calm = replacementFees(previous, eip1559(GWEI, GWEI), policy);
    expect(calm).to.deep.equal({ ok: true, fees: { kind: 'eip1559', maxFeePerGas: 11n * GWEI + 1n, maxPriorityFeePerGas: (11n * GWEI) / 10n + 1n } });
    const spike = replacementFees(previous, eip1559(40n * GWEI, 3n * GWEI), policy);
    expect(spike).to.deep.equal({ ok: true, fees: { kind: 'eip1559', maxFeePerGas: 83n * GWEI, maxPriorityFeePerGas: 3n * GWEI } });
    const legacy = replacementFees({ kind: 'legacy', gasPrice: 100n }, { kind: 'legacy', baseFeePerGas: 50n, priorityFeePerGas: 0n }, policy);
    expect(legacy).to.deep.equal({ ok: true, fees: { kind: 'legacy', gasPrice: 111n } });
  });

  it('refuses a replacement above the cap: the stuck transaction waits as it is', function () {
    const previous = { kind: 'eip1559' as const, maxFeePerGas: 48n * GWEI, maxPriorityFeePerGas: GWEI };
    const decision = replacementFees(previous, eip1559(GWEI), { ...policy, maxFeePerGas: 50n * GWEI });
    expect(decision.ok).to.equal(false);
    expect(!decision.ok && decision.reason).to.match(/^a replacement of the stuck transaction would offer 52\.8\d* gwei per gas, above BADGE_NOTARY_MAX_FEE_PER_GAS \(50 gwei\)/);
  });

  it('writes wei per gas in gwei', function () {
    expect([formatGwei(0n), formatGwei(GWEI), formatGwei(1_500_000_000n), formatGwei(1n)]).to.deep.equal(['0 gwei', '1 gwei', '1.5 gwei', '0.000000001 gwei']);
  });

  it('reads the fee settings from the environment, amounts in wei or with a unit, and names a wrong one', function () {
    const config = loadConfig({
      BADGE_NOTARY_MAX_FEE_PER_GAS: '30 gwei',
      BADGE_NOTARY_DAILY_FEE_LIMIT: '0.05 ether',
      BADGE_NOTARY_REPLACE_AFTER_MS: '60000',
      BADGE_NOTARY_REPLACEMENT_BUMP_PERCENT: '15',
      BADGE_NOTARY_MIN_PRIORITY_FEE: '1000',
    });
    expect(config.fees).to.deep.equal({
      maxFeePerGas: 30n * GWEI,
      dailyLimitWei: 50_000_000n * GWEI,
      replaceAfterMs: 60_000,
      replacementBumpPercent: 15,
      minPriorityFeePerGas: 1000n,
    });
    expect(loadConfig({}).fees).to.deep.equal({ replaceAfterMs: 180_000, replacementBumpPercent: 10, minPriorityFeePerGas: GWEI / 1000n });
    expect(() => loadConfig({ BADGE_NOTARY_MAX_FEE_PER_GAS: 'thirty', BADGE_NOTARY_REPLACEMENT_BUMP_PERCENT: '5' }))
      .to.throw(/BADGE_NOTARY_MAX_FEE_PER_GAS: expected an amount of wei[^\n]*\(got "thirty"\)[\s\S]*BADGE_NOTARY_REPLACEMENT_BUMP_PERCENT: expected a whole number from 10 to 1000/);
  });
});
