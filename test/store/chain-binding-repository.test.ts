import { expect } from 'chai';
import { sameChain, type ChainBinding } from '../../service/store';
import { describeOnEveryStore } from '../support/store-kinds';

// The chain a database belongs to, on both stores (issue #13).

const binding: ChainBinding = {
  chainId: 31337,
  registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  deploymentBlock: 1,
  deploymentBlockHash: `0x${'ab'.repeat(32)}`,
};

describeOnEveryStore('store: chain binding', function (current) {
  it('is unbound at first, then keeps the first binding', async function () {
    expect(await current().chainBinding.get()).to.equal(undefined);
    await current().chainBinding.bind(binding, 1_000);
    expect(await current().chainBinding.get()).to.deep.equal(binding);
    const other = { ...binding, chainId: 1, deploymentBlockHash: `0x${'cd'.repeat(32)}` };
    await current().chainBinding.bind(other, 2_000);
    const stored = (await current().chainBinding.get())!;
    expect(stored).to.deep.equal(binding);
    expect(sameChain(stored, other)).to.equal(false);
    expect(await current().rows('chain_binding')).to.deep.equal([
      { id: 1, chain_id: 31337, registry: binding.registry, deployment_block: 1, deployment_block_hash: binding.deploymentBlockHash, bound_at: 1_000 },
    ]);
  });
});
