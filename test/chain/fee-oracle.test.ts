import { expect } from 'chai';
import hre from 'hardhat';
import { BrowserProvider, Transaction, Wallet, toBeHex, type Eip1193Provider, type Provider } from 'ethers';
import { FeeOracle, OP_GAS_PRICE_ORACLE } from '../../service/chain/fee-oracle';
import { wellKnownAccount } from '../support/well-known-accounts';

const GWEI = 1_000_000_000n;
const provider = () => new BrowserProvider(hre.network.provider as Eip1193Provider, undefined, { cacheTimeout: -1 });
const rpc = (method: string, params: unknown[] = []) => hre.network.provider.send(method, params);

/** Runtime code that answers every call with the 32-byte word `value` (a stand-in for the OP-stack oracle). */
const constantAnswer = (value: bigint) => `0x7f${toBeHex(value, 32).slice(2)}60005260206000f3`;

describe('chain: fee oracle (what the chain asks now)', function () {
  let snapshot: string;
  beforeEach(async function () {
    snapshot = (await rpc('evm_snapshot')) as string;
  });
  afterEach(async function () {
    await rpc('evm_revert', [snapshot]);
  });

  it('reads the next block’s base fee on an EIP-1559 chain, a spike included, and the median tip of recent blocks', async function () {
    const sender = new Wallet(wellKnownAccount(12).privateKey, provider());
    for (const tip of [1n, 3n, 2n]) {
      await (await sender.sendTransaction({ to: sender.address, value: 1n, maxPriorityFeePerGas: tip * GWEI, maxFeePerGas: 100n * GWEI })).wait();
    }
    await rpc('hardhat_setNextBlockBaseFeePerGas', [toBeHex(40n * GWEI)]);
    const market = await new FeeOracle(provider(), { historyBlocks: 3 }).market();
    expect(market).to.deep.equal({ kind: 'eip1559', baseFeePerGas: 40n * GWEI, priorityFeePerGas: 2n * GWEI });
  });

  it('reads the L1 data fee of a signed transaction from the OP-stack gas price oracle where the chain has one, and none where not', async function () {
    const wallet = new Wallet(wellKnownAccount(12).privateKey);
    const raw = await wallet.signTransaction(
      Transaction.from({ to: wallet.address, nonce: 0, gasLimit: 21000, chainId: 31337, maxFeePerGas: GWEI, maxPriorityFeePerGas: 1n, type: 2 })
    );
    expect(await new FeeOracle(provider()).l1DataFee(raw)).to.equal(undefined);
    await rpc('hardhat_setCode', [OP_GAS_PRICE_ORACLE, constantAnswer(123_456n)]);
    expect(await new FeeOracle(provider()).l1DataFee(raw)).to.equal(123_456n);
  });

  it('reads the legacy gas price (eth_gasPrice) where blocks have no base fee (a pre-London chain, answered by a stub)', async function () {
    const calls: string[] = [];
    const preLondon = {
      async send(method: string) {
        calls.push(method);
        if (method === 'eth_getBlockByNumber') return { number: '0x10', gasLimit: '0x1c9c380' };
        if (method === 'eth_gasPrice') return toBeHex(7n * GWEI);
        throw new Error(`unexpected ${method}`);
      },
    };
    expect(await new FeeOracle(preLondon as unknown as Provider).market()).to.deep.equal({ kind: 'legacy', baseFeePerGas: 7n * GWEI, priorityFeePerGas: 0n });
    expect(calls).to.deep.equal(['eth_getBlockByNumber', 'eth_gasPrice']);
  });
});
