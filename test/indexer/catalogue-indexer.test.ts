// The indexer mirrors the badge-class catalogue's events beside the registry's (issue #11): the records equal the
// contract's views, and a reorg rolls the catalogue back with the registry.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import type { BadgeClassCatalogue } from '../../typechain-types';
import { RegistryIndexer } from '../../service/indexer';
import type { BadgeClassId } from '../../service/catalogue';
import { Store } from '../../service/store';
import { label } from '../contracts/helpers';
import { mirrorFixture } from './registry-history';

const ZERO = ethers.ZeroHash;

/** Three founders (quorum 2), the registry's deployment block, and the catalogue deployed after it. */
async function catalogueMirrorFixture() {
  const base = await mirrorFixture();
  const catalogue: BadgeClassCatalogue = await (await ethers.getContractFactory('BadgeClassCatalogue')).deploy(base.address);
  await catalogue.waitForDeployment();
  return { ...base, catalogue, catalogueAddress: await catalogue.getAddress() };
}
type Fixture = Awaited<ReturnType<typeof catalogueMirrorFixture>>;

/** The mirror's record of each class equals the contract's getBadgeClass, and its adopters isAdopted for members 1-3. */
async function expectCatalogueMatchesChain(f: Fixture, store: Store, classIds: string[]): Promise<void> {
  for (const classId of classIds) {
    const mirrored = store.badgeClasses.badgeClass(classId as BadgeClassId);
    const onChain = await f.catalogue.getBadgeClass(classId).catch(() => undefined);
    if (onChain === undefined) {
      expect(mirrored, `class ${classId} is not on the chain`).to.equal(undefined);
      continue;
    }
    const adopters: number[] = [];
    for (const member of [1, 2, 3]) if (await f.catalogue.isAdopted(classId, member)) adopters.push(member);
    expect(mirrored, `class ${classId}`).to.deep.equal({
      classId,
      publisher: Number(onChain.publisher),
      publishedAt: Number(onChain.publishedAt),
      uri: onChain.uri,
      supersedes: onChain.supersedes === ZERO ? null : onChain.supersedes,
      supersededBy: onChain.supersededBy === ZERO ? null : onChain.supersededBy,
      adopters,
    });
    expect(adopters.length, `class ${classId}: adopterCount`).to.equal(Number(onChain.adopterCount));
  }
}

describe('registry indexer: the badge-class catalogue', function () {
  let directory: string;
  let store: Store;

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-catalogue-indexer-'));
    store = Store.open({ path: join(directory, 'notary.sqlite') });
  });

  afterEach(function () {
    store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const indexerFor = (f: Fixture, catalogue: string | null = f.catalogueAddress) =>
    new RegistryIndexer({
      reader: ethers.provider,
      mirror: store.registry,
      deployment: { registry: f.address, deploymentBlock: f.deploymentBlock, catalogue },
      pollIntervalMs: 10,
    });

  it('mirrors publish, supersede, adopt and withdraw: every record equals the contract’s view', async function () {
    const f = await loadFixture(catalogueMirrorFixture);
    const [f1, f2, f3] = f.founders;
    const [a, a2, b] = [label('class a'), label('class a v2'), label('class b')];
    await f.catalogue.connect(f1).publish(a, 'https://one.example/a.json');
    await f.catalogue.connect(f2).publish(b, 'ipfs://b');
    await f.catalogue.connect(f2).adopt(a);
    await f.catalogue.connect(f3).adopt(a);
    await f.catalogue.connect(f1).supersede(a, a2, 'https://one.example/a2.json');
    await f.catalogue.connect(f3).withdrawAdoption(a);
    await f.catalogue.connect(f3).adopt(a2);
    await f.catalogue.connect(f1).adopt(b);
    // A registry event in the same run, mirrored as before.
    await f.registry.connect(f1).registerKey(1, label('a key'), 0, 0);

    const result = await indexerFor(f).step();

    expect(result.events).to.equal(store.registry.eventCount() + store.badgeClasses.eventCount());
    expect(store.badgeClasses.eventCount()).to.equal(9);
    expect(store.registry.key(label('a key'))).to.not.equal(undefined);
    await expectCatalogueMatchesChain(f, store, [a, a2, b, label('never published')]);
    expect(store.badgeClasses.versionChain(a2 as BadgeClassId).map((record) => record.classId)).to.deep.equal([a, a2]);
    expect(store.badgeClasses.badgeClass(a as BadgeClassId)!.adopters, 'an adoption of a superseded version stands').to.deep.equal([2]);
  });

  it('without a catalogue in the deployment, the mirror has no classes and says it follows none', async function () {
    const f = await loadFixture(catalogueMirrorFixture);
    await f.catalogue.connect(f.founders[0]).publish(label('class a'), 'ipfs://a');
    await indexerFor(f, null).step();
    expect(store.badgeClasses.catalogueAddress()).to.equal(null);
    expect(store.badgeClasses.badgeClass(label('class a') as BadgeClassId)).to.equal(undefined);

    // The record gains the catalogue: the mirror starts over and finds the class published before.
    await indexerFor(f).step();
    expect(store.badgeClasses.catalogueAddress()).to.equal(f.catalogueAddress);
    await expectCatalogueMatchesChain(f, store, [label('class a')]);
  });

  it('a reorg rolls the catalogue back to the common ancestor, and the new chain’s events are mirrored', async function () {
    const f = await loadFixture(catalogueMirrorFixture);
    const [f1, f2, f3] = f.founders;
    const [kept, orphan, fresh] = [label('kept class'), label('orphaned class'), label('new class')];
    await f.catalogue.connect(f1).publish(kept, 'ipfs://kept');
    await f.catalogue.connect(f2).adopt(kept);
    const indexer = indexerFor(f);
    await indexer.step();
    const ancestor = await ethers.provider.getBlockNumber();
    const snapshot: string = await ethers.provider.send('evm_snapshot', []);

    // The branch that will be orphaned: a new version (two events), an adoption, a withdrawal.
    await f.catalogue.connect(f1).supersede(kept, orphan, 'ipfs://orphan');
    await f.catalogue.connect(f3).adopt(orphan);
    await f.catalogue.connect(f2).withdrawAdoption(kept);
    await indexer.step();
    expect(store.badgeClasses.badgeClass(orphan as BadgeClassId), 'the branch was indexed').to.not.equal(undefined);

    await ethers.provider.send('evm_revert', [snapshot]);
    await f.catalogue.connect(f2).publish(fresh, 'ipfs://fresh');
    await f.catalogue.connect(f3).adopt(kept);

    const result = await indexer.step();

    expect(result.reorgs).to.have.length(1);
    expect(result.reorgs[0]).to.include({ commonAncestor: ancestor, removedEvents: 4 });
    expect(store.badgeClasses.badgeClass(orphan as BadgeClassId)).to.equal(undefined);
    await expectCatalogueMatchesChain(f, store, [kept, orphan, fresh]);
    expect(store.badgeClasses.badgeClass(kept as BadgeClassId)).to.deep.include({ supersededBy: null, adopters: [2, 3] });
  });
});
