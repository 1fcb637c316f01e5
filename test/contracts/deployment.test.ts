import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroAddress } from 'ethers';
import { Role, Status, didHash, founderDid, founderList, label, threeFoundersFixture } from './helpers';

describe('ConfederationRegistry: deployment', function () {
  async function factoryFixture() {
    const base = await threeFoundersFixture();
    const addresses = base.founders.map((s) => s.address);
    return { ...base, addresses, founders3: founderList(base.founders.slice(0, 3), addresses) };
  }

  describe('founders', function () {
    it('makes every founder an Active member, numbered from 1 in order', async function () {
      const { registry, founderRecords: founders, deployedAt } = await loadFixture(threeFoundersFixture);
      expect(await registry.memberCount()).to.equal(3);
      expect(await registry.activeMemberCount()).to.equal(3);
      expect(await registry.quorum()).to.equal(2);
      for (let i = 0; i < 3; i++) {
        const id = i + 1;
        const member = await registry.getMember(id);
        expect(member.id).to.equal(id);
        expect(member.did).to.equal(founders[i].did);
        expect(member.controller).to.equal(founders[i].controller);
        expect(member.role).to.equal(Role.IssuingPoint);
        expect(member.status).to.equal(Status.Active);
        expect(member.statusSince).to.equal(deployedAt);
        expect(member.metadataURI).to.equal(founders[i].metadataURI);
        expect(member.metadataHash).to.equal(founders[i].metadataHash);
        expect(await registry.memberIdByDidHash(didHash(founderDid(id)))).to.equal(id);
        expect(await registry.memberIdByController(founders[i].controller)).to.equal(id);
        const history = await registry.statusHistory(id);
        expect(history.map((h) => [Number(h.since), Number(h.status)])).to.deep.equal([[deployedAt, Status.Active]]);
      }
    });

    it('emits MemberApplied, MemberStatusChanged and QuorumChanged', async function () {
      const { registry, founderRecords: founders } = await loadFixture(threeFoundersFixture);
      const tx = registry.deploymentTransaction()!;
      for (let i = 0; i < 3; i++) {
        const f = founders[i];
        await expect(tx)
          .to.emit(registry, 'MemberApplied')
          .withArgs(i + 1, f.did, f.controller, f.role, f.metadataURI, f.metadataHash);
        await expect(tx)
          .to.emit(registry, 'MemberStatusChanged')
          .withArgs(i + 1, Status.None, Status.Active);
      }
      await expect(tx).to.emit(registry, 'QuorumChanged').withArgs(0, 2);
    });
  });

  describe('quorum', function () {
    for (const quorum of [1, 2, 3]) {
      it(`accepts quorum ${quorum} with 3 founders`, async function () {
        const { factory, founders3 } = await loadFixture(factoryFixture);
        const registry = await factory.deploy(founders3, quorum);
        expect(await registry.quorum()).to.equal(quorum);
      });
    }

    it('rejects quorum 0', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      await expect(factory.deploy(founders3, 0)).to.be.revertedWithCustomError(factory, 'QuorumOutOfRange').withArgs(0, 3);
    });

    it('rejects a quorum above the number of founders', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      await expect(factory.deploy(founders3, 4)).to.be.revertedWithCustomError(factory, 'QuorumOutOfRange').withArgs(4, 3);
    });

    it('rejects a deployment without founders', async function () {
      const { factory } = await loadFixture(factoryFixture);
      await expect(factory.deploy([], 1)).to.be.revertedWithCustomError(factory, 'QuorumOutOfRange').withArgs(1, 0);
    });
  });

  describe('founder validation', function () {
    it('rejects two founders with the same DID', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      const founders = [founders3[0], { ...founders3[1], did: founders3[0].did }];
      await expect(factory.deploy(founders, 1))
        .to.be.revertedWithCustomError(factory, 'DidAlreadyRegistered')
        .withArgs(founders3[0].did, 1);
    });

    it('rejects two founders with the same controller', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      const founders = [founders3[0], founders3[1], { ...founders3[2], controller: founders3[1].controller }];
      await expect(factory.deploy(founders, 1))
        .to.be.revertedWithCustomError(factory, 'ControllerAlreadyInUse')
        .withArgs(founders3[1].controller, 2);
    });

    it('rejects a founder with the zero address as controller', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      const founders = [founders3[0], { ...founders3[1], controller: ZeroAddress }];
      await expect(factory.deploy(founders, 1)).to.be.revertedWithCustomError(factory, 'ZeroAddress');
    });

    it('rejects a founder with role None', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      const founders = [founders3[0], { ...founders3[1], role: Role.None }];
      await expect(factory.deploy(founders, 1)).to.be.revertedWithCustomError(factory, 'InvalidRole');
    });

    it('rejects an empty DID', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      const founders = [{ ...founders3[0], did: '' }];
      await expect(factory.deploy(founders, 1)).to.be.revertedWithCustomError(factory, 'InvalidDid').withArgs('');
    });

    it('accepts a DID of 256 bytes and rejects one of 257', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      const longest = 'did:web:' + 'a'.repeat(248);
      expect(ethers.toUtf8Bytes(longest).length).to.equal(256);
      const ok = await factory.deploy([{ ...founders3[0], did: longest }], 1);
      expect((await ok.getMember(1)).did).to.equal(longest);

      const tooLong = longest + 'a';
      await expect(factory.deploy([{ ...founders3[0], did: tooLong }], 1))
        .to.be.revertedWithCustomError(factory, 'InvalidDid')
        .withArgs(tooLong);
    });

    it('measures the DID length in UTF-8 bytes, not characters', async function () {
      const { factory, founders3 } = await loadFixture(factoryFixture);
      // 'é' takes two bytes: 8 + 2 * 125 = 258 bytes in 133 characters.
      const did = 'did:web:' + 'é'.repeat(125);
      expect(did.length).to.be.below(256);
      await expect(factory.deploy([{ ...founders3[0], did }], 1))
        .to.be.revertedWithCustomError(factory, 'InvalidDid')
        .withArgs(did);
    });

    it('keeps the metadata of each founder as given', async function () {
      const { factory, addresses } = await loadFixture(factoryFixture);
      const founders = [
        { did: 'did:web:x.example', controller: addresses[0], role: Role.InformationPoint, metadataURI: '', metadataHash: label('x') },
      ];
      const registry = await factory.deploy(founders, 1);
      const member = await registry.getMember(1);
      expect(member.role).to.equal(Role.InformationPoint);
      expect(member.metadataURI).to.equal('');
      expect(member.metadataHash).to.equal(label('x'));
    });
  });
});
