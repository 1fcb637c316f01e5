import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroAddress } from 'ethers';
import { Status, label, notariesFixture, voteAll } from './helpers';

const D1 = label('digest 1');
const D2 = label('digest 2');

describe('ConfederationRegistry: revokers', function () {
  describe('authoriseRevoker and deauthoriseRevoker', function () {
    it("lets a member's controller authorise an account to revoke for it, and withdraw it", async function () {
      const { registry, founders, notaries } = await loadFixture(notariesFixture);
      // notaries[0] notarises for member 1: it may also revoke for member 2 once member 2 says so.
      await expect(registry.connect(founders[1]).authoriseRevoker(2, notaries[0].address))
        .to.emit(registry, 'RevokerAuthorised')
        .withArgs(2, notaries[0].address);
      expect(await registry.isRevoker(2, notaries[0].address)).to.equal(true);
      expect(await registry.isRevoker(1, notaries[0].address)).to.equal(false);
      await expect(registry.connect(founders[1]).deauthoriseRevoker(2, notaries[0].address))
        .to.emit(registry, 'RevokerDeauthorised')
        .withArgs(2, notaries[0].address);
      expect(await registry.isRevoker(2, notaries[0].address)).to.equal(false);
    });

    it('lets one account revoke for several members', async function () {
      const { registry, founders, notaries } = await loadFixture(notariesFixture);
      await registry.connect(founders[1]).authoriseRevoker(2, notaries[0].address);
      await registry.connect(founders[2]).authoriseRevoker(3, notaries[0].address);
      expect(await registry.isRevoker(2, notaries[0].address)).to.equal(true);
      expect(await registry.isRevoker(3, notaries[0].address)).to.equal(true);
    });

    it('refuses anyone but the controller, a second authorisation, the zero address, and an unknown revoker', async function () {
      const { registry, founders, notaries, stranger } = await loadFixture(notariesFixture);
      await expect(registry.connect(stranger).authoriseRevoker(2, stranger.address))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(2, stranger.address);
      await registry.connect(founders[1]).authoriseRevoker(2, notaries[0].address);
      await expect(registry.connect(founders[1]).authoriseRevoker(2, notaries[0].address))
        .to.be.revertedWithCustomError(registry, 'RevokerAlreadyAuthorised')
        .withArgs(2, notaries[0].address);
      await expect(registry.connect(founders[1]).authoriseRevoker(2, ZeroAddress)).to.be.revertedWithCustomError(registry, 'ZeroAddress');
      await expect(registry.connect(founders[1]).deauthoriseRevoker(2, stranger.address))
        .to.be.revertedWithCustomError(registry, 'RevokerNotAuthorised')
        .withArgs(2, stranger.address);
      await expect(registry.connect(founders[0]).deauthoriseRevoker(2, notaries[0].address))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(2, founders[0].address);
    });

    it('refuses an authorisation from a suspended member, but lets it withdraw one', async function () {
      const { registry, founders, notaries } = await loadFixture(notariesFixture);
      await registry.connect(founders[1]).authoriseRevoker(2, notaries[0].address);
      await voteAll(registry, [founders[0], founders[2]], 'voteSuspension', 2);
      await expect(registry.connect(founders[1]).authoriseRevoker(2, notaries[2].address))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(2, Status.Suspended);
      await expect(registry.connect(founders[1]).deauthoriseRevoker(2, notaries[0].address)).to.emit(registry, 'RevokerDeauthorised');
    });
  });

  describe('revoking as a revoker', function () {
    it('revokes for the members that authorised it, and for no other', async function () {
      const { registry, founders, notaries } = await loadFixture(notariesFixture);
      await registry.connect(founders[1]).authoriseRevoker(2, notaries[0].address);
      await expect(registry.connect(notaries[0]).revokeCredentials(2, [D1], 1)).to.emit(registry, 'CredentialRevoked').withArgs(2, D1, 1);
      expect((await registry.revocationOf(2, D1)).reason).to.equal(1);
      await expect(registry.connect(notaries[0]).revokeCredentials(3, [D2], 1))
        .to.be.revertedWithCustomError(registry, 'NotAuthorisedForMember')
        .withArgs(notaries[0].address, 3);
    });

    it('stops revoking once deauthorised', async function () {
      const { registry, founders, notaries } = await loadFixture(notariesFixture);
      await registry.connect(founders[1]).authoriseRevoker(2, notaries[0].address);
      await registry.connect(founders[1]).deauthoriseRevoker(2, notaries[0].address);
      await expect(registry.connect(notaries[0]).revokeCredentials(2, [D1], 1))
        .to.be.revertedWithCustomError(registry, 'NotAuthorisedForMember')
        .withArgs(notaries[0].address, 2);
    });

    it('gives a revoker no right to anchor for the member', async function () {
      const { registry, founders, stranger } = await loadFixture(notariesFixture);
      await registry.connect(founders[1]).authoriseRevoker(2, stranger.address);
      await expect(registry.connect(stranger).anchor(label('root'))).to.be.revertedWithCustomError(registry, 'NotANotary').withArgs(stranger.address);
    });
  });
});
