import { expect } from 'chai';
import { Wallet, ZeroHash, hexlify, randomBytes } from 'ethers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EthersAnchorGateway } from '../../service/chain/anchor-gateway';
import { connectChain, registryAt, type ChainConnection } from '../../service/chain/connection';
import { deployRegistry } from '../../service/chain/deploy-registry';
import { startLocalNode, type LocalNode } from '../../service/chain/local-node';
import { NotaryService } from '../../service/batching';
import { checkReceipt, type Hex } from '../../service/merkle';
import type { NewCredential, NotaryStore } from '../../service/store';
import { openServiceStore, type OpenedServiceStore } from '../support/service-store';
import { wellKnownAccount } from '../support/well-known-accounts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batching: notary service against a real `hardhat node` process', function () {
  this.timeout(180_000);
  let node: LocalNode | undefined;
  let chain: ChainConnection | undefined;
  let directory: string | undefined;
  let opened: OpenedServiceStore | undefined;
  let store: NotaryStore | undefined;
  let service: NotaryService | undefined;

  after(async function () {
    await service?.stop();
    await opened?.close();
    chain?.close();
    await node?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('seals, anchors, confirms and finalises on its timers; the receipts verify; stop() ends the loops', async function () {
    node = await startLocalNode();
    const deployer = wellKnownAccount(0);
    const controller = wellKnownAccount(1);
    const notary = wellKnownAccount(10);
    chain = connectChain({ rpcUrl: node.rpcUrl, privateKey: deployer.privateKey, pollingIntervalMs: 100 });
    const deployment = await deployRegistry(chain.signer!, [{ did: 'did:web:school.example', controller: controller.address, role: 1, metadataURI: '', metadataHash: ZeroHash }], 1);
    const asController = registryAt(deployment.registry, new Wallet(controller.privateKey, chain.provider));
    await (await asController.authoriseNotary(1, notary.address)).wait();

    directory = mkdtempSync(join(tmpdir(), 'badge-notary-e2e-'));
    opened = await openServiceStore(directory);
    store = opened.store;
    const deploymentBlock = (await chain.provider.getBlock(deployment.blockNumber))!;
    await store.chainBinding.bind(
      { chainId: deployment.chainId, registry: deployment.registry, deploymentBlock: deployment.blockNumber, deploymentBlockHash: deploymentBlock.hash! },
      Date.now(),
    );
    const gateway = new EthersAnchorGateway({
      provider: chain.provider,
      wallet: new Wallet(notary.privateKey, chain.provider),
      registry: deployment.registry,
      fromBlock: deployment.blockNumber,
    });
    const pollIntervalMs = 100;
    service = new NotaryService({
      store,
      gateway,
      // Two confirmations: the anchor's block and one more, which this test mines (the node mines only on demand).
      config: { confirmations: 2, finalityDepth: undefined, batch: { maxSize: 8, maxAgeMs: 300 }, pollIntervalMs },
    });

    const credentials: NewCredential[] = Array.from({ length: 11 }, (_, i) => ({
      digest: hexlify(randomBytes(32)),
      memberId: 1,
      issuerDid: 'did:web:school.example',
      keyHash: ZeroHash,
      format: 'vc-jwt',
      artifact: `credential-${i}`,
      submittedBy: 'e2e',
      receivedAt: Date.now(),
    }));
    await store.credentials.insertMany(credentials);
    service.start();

    // A batch of 8 (size) and one of 3 (age), each to final. The deadline only stops a hung test.
    const deadline = Date.now() + 120_000;
    const done = async () => (await store!.batches.countByState()).final === 2 && (await store!.credentials.queueDepth()) === 0;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`not final in time: ${JSON.stringify(await service.metrics())}`);
      await chain.provider.send('evm_mine', []);
      await sleep(pollIntervalMs);
    }

    const metrics = await service.metrics();
    expect(metrics.batches).to.deep.equal({ sealed: 0, submitted: 0, confirmed: 0, final: 2 });
    expect(metrics.batchesSealed).to.equal(2);
    expect(metrics.transitions).to.include({ sent: 2, confirmed: 2, final: 2, dropped: 0, reorged: 0 });
    expect(metrics.anchorLatency.count).to.equal(2);
    expect(metrics.failures.rpc).to.equal(0);
    expect((await store.batches.list({ limit: 10 })).map((b) => b.size).sort()).to.deep.equal([3, 8]);

    const registry = registryAt(deployment.registry, chain.provider);
    for (const { digest } of credentials) {
      const receipt = (await service.receipts.receipt(digest))!;
      expect(receipt.anchor.chain).to.equal('eip155:31337');
      expect(await checkReceipt(receipt, { digest: digest as Hex })).to.include({ valid: true });
      const check = await registry.checkCredential(ZeroHash, ZeroHash, digest, receipt.proof, receipt.root);
      expect(check.proofValid && check.rootAnchored).to.equal(true);
      expect(Number(check.anchoredAt)).to.equal(receipt.anchor.blockTimestamp);
    }

    await service.stop();
    // Stopped: a credential old enough to seal at once stays queued.
    await store.credentials.insertMany([{ ...credentials[0], digest: hexlify(randomBytes(32)), receivedAt: 0 }]);
    await sleep(5 * pollIntervalMs);
    expect(await store.credentials.queueDepth()).to.equal(1);
  });
});
