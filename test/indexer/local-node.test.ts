import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NonceManager } from 'ethers';
import { connectChain, registryAt, type ChainConnection } from '../../service/chain/connection';
import { deployRegistry } from '../../service/chain/deploy-registry';
import { startLocalNode, type LocalNode } from '../../service/chain/local-node';
import { RegistryIndexer } from '../../service/indexer';
import { Store } from '../../service/store';
import { EndorsementKind, label } from '../contracts/helpers';
import { wellKnownAccount } from '../support/well-known-accounts';
import { expectEventsMatchLogs } from './mirror-assertions';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('registry indexer against a hardhat node process', function () {
  this.timeout(180_000);
  let node: LocalNode | undefined;
  let directory: string;
  let store: Store | undefined;
  const connections: ChainConnection[] = [];

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-indexer-node-'));
    node = await startLocalNode();
  });

  after(async function () {
    for (const connection of connections) connection.close();
    store?.close();
    await node?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('mirrors over JSON-RPC, follows a reorg made with evm_snapshot and evm_revert, and the node stops by its PID', async function () {
    const founder = wellKnownAccount(0);
    const notary = wellKnownAccount(1);
    const admin = connectChain({ rpcUrl: node!.rpcUrl, privateKey: founder.privateKey });
    const asNotaryConnection = connectChain({ rpcUrl: node!.rpcUrl, privateKey: notary.privateKey });
    connections.push(admin, asNotaryConnection);
    const record = await deployRegistry(
      admin.signer!,
      [{ did: 'did:web:school.example', controller: founder.address, role: 1, metadataURI: 'https://school.example/org.json', metadataHash: label('school') }],
      1,
    );
    const registry = registryAt(record.registry, admin.signer!);
    const asNotary = registryAt(record.registry, asNotaryConnection.signer!);
    await (await registry.registerKey(1, label('school key'), 0, 0)).wait();
    await (await registry.authoriseNotary(1, notary.address)).wait();
    const anchored = await (await asNotary.anchor(label('root one'))).wait();
    await (await registry.revokeCredentials(1, [label('digest one')], 4)).wait();

    store = Store.open({ path: join(directory, 'notary.sqlite') });
    const reader = admin.provider;
    const indexer = new RegistryIndexer({
      reader,
      mirror: store.registry,
      deployment: { registry: record.registry, deploymentBlock: record.blockNumber },
      pollIntervalMs: 20,
    });
    indexer.start();
    await indexer.waitForBlock(await reader.getBlockNumber());
    await indexer.stop();

    const anchorBlock = await reader.getBlock(anchored!.blockNumber);
    expect(store.registry.anchor(label('root one'))).to.include({ memberId: 1, anchoredAt: anchorBlock!.timestamp, txHash: anchored!.hash });
    expect(store.registry.key(label('school key'))).to.include({ memberId: 1, revoked: false });
    expect(store.registry.notariesOf(1)).to.deep.equal([notary.address]);
    expect(store.registry.revocation(1, label('digest one'))?.reason).to.equal(4);
    expect(store.registry.member(1)).to.include({ did: 'did:web:school.example', status: 2 });
    await expectEventsMatchLogs(registry, store.registry, reader);

    // A reorg on the node: a branch with an anchor is indexed, then replaced by one with other events.
    const snapshot: string = await reader.send('evm_snapshot', []);
    await (await asNotary.anchor(label('orphaned root'))).wait();
    await indexer.step();
    expect(store.registry.anchor(label('orphaned root'))).to.not.equal(undefined);
    await reader.send('evm_revert', [snapshot]);
    (asNotaryConnection.signer as NonceManager).reset();
    await (await registry.endorse(1, EndorsementKind.BadgeClass, label('badge class'), 'ipfs://claim')).wait();
    await (await asNotary.anchor(label('root two'))).wait();

    const result = await indexer.step();

    expect(result.reorgs).to.have.length(1);
    expect(store.registry.anchor(label('orphaned root'))).to.equal(undefined);
    expect(store.registry.anchor(label('root two'))?.memberId).to.equal(1);
    expect(store.registry.endorsementsGiven(1).map((e) => e.claimURI)).to.deep.equal(['ipfs://claim']);
    await expectEventsMatchLogs(registry, store.registry, reader);

    const pid = node!.pid;
    await node!.stop();
    expect(isAlive(pid), `the node process ${pid} is gone`).to.equal(false);
  });
});
