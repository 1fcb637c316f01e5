import { expect } from 'chai';
import { loadFixture, mine } from '@nomicfoundation/hardhat-network-helpers';
import { toBeHex } from 'ethers';
import type { FeeWaitEvent } from '../../service/batching/observer';
import { makeEnv, oneFounderRegistry, recordingObserver, rpc, type TestEnv } from './helpers';

const GWEI = 1_000_000_000n;

describe('batching: anchorer fees (replacements, the wait)', function () {
  let env: TestEnv;

  beforeEach(async function () {
    env = await makeEnv(await loadFixture(oneFounderRegistry));
  });

  afterEach(async function () {
    await rpc('evm_setAutomine', [true]);
    await env.close();
  });

  it('replaces a stuck anchor even with maxInFlight anchors already in flight: a replacement adds none', async function () {
    const { events, observer } = recordingObserver();
    const anchorer = env.anchorer({ maxInFlight: 1, observer, fees: { replaceAfterMs: 1_000 } });
    await rpc('evm_setAutomine', [false]);
    await env.queue(2);
    const batch = await env.sealAll();
    await anchorer.tick();
    const [first] = await env.store.batches.transactions(batch.id);
    await rpc('hardhat_setNextBlockBaseFeePerGas', [toBeHex(50n * GWEI)]);
    await mine(1);
    env.clock.advance(1_000);
    await anchorer.tick();
    const variants = await env.store.batches.transactions(batch.id);
    expect(variants).to.have.length(2);
    expect(variants[1].nonce).to.equal(first.nonce);
    expect(events.transitions.map((t) => t.reason)).to.deep.equal(['sent', 'replaced']);
    await mine(1);
    await anchorer.tick();
    const confirmed = (await env.store.batches.get(batch.id))!;
    expect(confirmed).to.include({ state: 'confirmed', txHash: variants[1].txHash });
    expect((await env.store.batches.transactions(batch.id)).map((tx) => tx.outcome)).to.deep.equal(['replaced', 'mined']);
    expect((await env.store.batches.feesPaidSince(0)) > 0n).to.equal(true);
  });

  it('says the wait is over once a stuck anchor, left as it is at the cap, is mined', async function () {
    const waits: FeeWaitEvent[] = [];
    const anchorer = env.anchorer({
      observer: { feeWait: (e) => waits.push(e) },
      fees: { replaceAfterMs: 1_000, policy: { maxFeePerGas: 10n * GWEI, minPriorityFeePerGas: 1n, replacementBumpPercent: 10 } }
    });
    await rpc('evm_setAutomine', [false]);
    await env.queue(1);
    const batch = await env.sealAll();
    await anchorer.tick();
    await rpc('hardhat_setNextBlockBaseFeePerGas', [toBeHex(40n * GWEI)]);
    await mine(1);
    env.clock.advance(1_000);
    await anchorer.tick();
    expect(waits.at(-1)).to.include({ waiting: true });
    expect((await env.store.batches.get(batch.id))!.lastError).to.match(/a replacement of the stuck transaction would offer .* above BADGE_NOTARY_MAX_FEE_PER_GAS \(10 gwei\): it waits as it is/);
    // The fees fall back; the first anchor is mined as it was, and no tick needs to read the fees again.
    await rpc('hardhat_setNextBlockBaseFeePerGas', [toBeHex(GWEI)]);
    await mine(1);
    await anchorer.tick();
    expect((await env.store.batches.get(batch.id))!.state).to.equal('confirmed');
    expect(waits.at(-1)).to.include({ waiting: false });
  });
});
