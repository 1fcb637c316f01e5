import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroAddress } from 'ethers';
import { MAX_NOTARIES, Status, applicantFixture, label, notariesFixture, threeFoundersFixture, voteAll } from './helpers';

/** Distinct, deterministic addresses for notaries that never send a transaction. */
function addresses(count: number, tag: string): string[] {
  return Array.from({ length: count }, (_, i) => ethers.getAddress(ethers.dataSlice(label(`${tag} ${i}`), 12)));
}

describe('ConfederationRegistry: notaries', function () {
  describe('authoriseNotary', function () {
    it('authorises an account for the member', async function () {
      const { registry, founders, notaries } = await loadFixture(threeFoundersFixture);
      const [notary] = notaries;
      expect(await registry.notaryMember(notary.address)).to.equal(0);
      await expect(registry.connect(founders[0]).authoriseNotary(1, notary.address))
        .to.emit(registry, 'NotaryAuthorised')
        .withArgs(1, notary.address);
      expect(await registry.notaryMember(notary.address)).to.equal(1);
      expect(await registry.notariesOf(1)).to.deep.equal([notary.address]);
      expect(await registry.notariesOf(2)).to.deep.equal([]);
    });

    it('rejects an account that already notarises, for the same or another member', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      await expect(registry.connect(founders[0]).authoriseNotary(1, notaryA.address))
        .to.be.revertedWithCustomError(registry, 'NotaryAlreadyAuthorised')
        .withArgs(notaryA.address, 1);
      await expect(registry.connect(founders[2]).authoriseNotary(3, notaryA.address))
        .to.be.revertedWithCustomError(registry, 'NotaryAlreadyAuthorised')
        .withArgs(notaryA.address, 1);
      expect(await registry.notaryMember(notaryA.address)).to.equal(1);
    });

    it('rejects the zero address, other accounts and unknown members', async function () {
      const { registry, founders, notaries } = await loadFixture(threeFoundersFixture);
      await expect(registry.connect(founders[0]).authoriseNotary(1, ZeroAddress)).to.be.revertedWithCustomError(registry, 'ZeroAddress');
      await expect(registry.connect(founders[1]).authoriseNotary(1, notaries[0].address))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, founders[1].address);
      await expect(registry.connect(founders[0]).authoriseNotary(9, notaries[0].address))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(9);
    });

    it('rejects a member that is not active', async function () {
      const { registry, founders, notaries, applicant, applicantId } = await loadFixture(applicantFixture);
      const [a, b, c] = founders;
      await expect(registry.connect(applicant).authoriseNotary(applicantId, notaries[0].address))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(applicantId, Status.Pending);
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await expect(registry.connect(c).authoriseNotary(3, notaries[0].address))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(3, Status.Suspended);
      await voteAll(registry, [a, b], 'voteRemoval', 3);
      await expect(registry.connect(c).authoriseNotary(3, notaries[0].address))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(3, Status.Removed);
    });

    it(`allows ${MAX_NOTARIES} notaries per member and no more`, async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const a = registry.connect(founders[0]);
      const list = addresses(MAX_NOTARIES + 1, 'notary');
      for (const notary of list.slice(0, MAX_NOTARIES)) await a.authoriseNotary(1, notary);
      expect(await registry.notariesOf(1)).to.deep.equal(list.slice(0, MAX_NOTARIES));

      await expect(a.authoriseNotary(1, list[MAX_NOTARIES]))
        .to.be.revertedWithCustomError(registry, 'TooManyNotaries')
        .withArgs(1, MAX_NOTARIES);
      // The limit is per member.
      await expect(registry.connect(founders[1]).authoriseNotary(2, list[MAX_NOTARIES])).to.emit(registry, 'NotaryAuthorised');

      await a.deauthoriseNotary(1, list[3]);
      const extra = addresses(1, 'extra')[0];
      await expect(a.authoriseNotary(1, extra)).to.emit(registry, 'NotaryAuthorised').withArgs(1, extra);
      expect(await registry.notariesOf(1)).to.have.length(MAX_NOTARIES);
    });
  });

  describe('deauthoriseNotary', function () {
    it('withdraws the authorisation', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      await expect(registry.connect(founders[0]).deauthoriseNotary(1, notaryA.address))
        .to.emit(registry, 'NotaryDeauthorised')
        .withArgs(1, notaryA.address);
      expect(await registry.notaryMember(notaryA.address)).to.equal(0);
      expect(await registry.notariesOf(1)).to.deep.equal([]);
      await expect(registry.connect(founders[0]).deauthoriseNotary(1, notaryA.address))
        .to.be.revertedWithCustomError(registry, 'NotaryNotAuthorised')
        .withArgs(notaryA.address, 1);
    });

    it("rejects an account that is not the member's notary", async function () {
      const { registry, founders, notaryA, stranger } = await loadFixture(notariesFixture);
      await expect(registry.connect(founders[1]).deauthoriseNotary(2, notaryA.address))
        .to.be.revertedWithCustomError(registry, 'NotaryNotAuthorised')
        .withArgs(notaryA.address, 2);
      await expect(registry.connect(founders[0]).deauthoriseNotary(1, stranger.address))
        .to.be.revertedWithCustomError(registry, 'NotaryNotAuthorised')
        .withArgs(stranger.address, 1);
      await expect(registry.connect(founders[1]).deauthoriseNotary(1, notaryA.address))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, founders[1].address);
      expect(await registry.notaryMember(notaryA.address)).to.equal(1);
    });

    it('keeps the list dense and every position right (swap and pop)', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const a = registry.connect(founders[0]);
      const [n1, n2, n3, n4, n5] = addresses(5, 'swap');
      for (const notary of [n1, n2, n3, n4]) await a.authoriseNotary(1, notary);

      await a.deauthoriseNotary(1, n2);
      expect(await registry.notariesOf(1)).to.deep.equal([n1, n4, n3]);
      // n4 moved into n2's place: removing it must find it there.
      await a.deauthoriseNotary(1, n4);
      expect(await registry.notariesOf(1)).to.deep.equal([n1, n3]);
      await a.deauthoriseNotary(1, n3);
      expect(await registry.notariesOf(1)).to.deep.equal([n1]);
      await a.authoriseNotary(1, n5);
      expect(await registry.notariesOf(1)).to.deep.equal([n1, n5]);
      await a.deauthoriseNotary(1, n1);
      expect(await registry.notariesOf(1)).to.deep.equal([n5]);
      await a.deauthoriseNotary(1, n5);
      expect(await registry.notariesOf(1)).to.deep.equal([]);
      for (const notary of [n1, n2, n3, n4, n5]) expect(await registry.notaryMember(notary)).to.equal(0);
    });

    it('is allowed while the member is suspended', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      const [a, b, c] = founders;
      await voteAll(registry, [b, c], 'voteSuspension', 1);
      await expect(registry.connect(a).deauthoriseNotary(1, notaryA.address)).to.emit(registry, 'NotaryDeauthorised');
    });

    it('frees the account to notarise for another member', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      await registry.connect(founders[0]).deauthoriseNotary(1, notaryA.address);
      await registry.connect(founders[2]).authoriseNotary(3, notaryA.address);
      expect(await registry.notaryMember(notaryA.address)).to.equal(3);
      await expect(registry.connect(notaryA).anchor(label('root'))).to.emit(registry, 'RootAnchored').withArgs(label('root'), 3);
    });
  });

  describe('notaries follow their member', function () {
    it('stop anchoring while their member is suspended and resume after reinstatement', async function () {
      const { registry, founders, notaryA, notaries } = await loadFixture(notariesFixture);
      const [a, b, c] = founders;
      const second = notaries[2];
      await registry.connect(a).authoriseNotary(1, second.address);

      await voteAll(registry, [b, c], 'voteSuspension', 1);
      for (const notary of [notaryA, second]) {
        await expect(registry.connect(notary).anchor(label('root while suspended')))
          .to.be.revertedWithCustomError(registry, 'MemberNotActive')
          .withArgs(1, Status.Suspended);
      }

      await voteAll(registry, [b, c], 'voteReinstatement', 1);
      await expect(registry.connect(notaryA).anchor(label('root 1'))).to.emit(registry, 'RootAnchored').withArgs(label('root 1'), 1);
      await expect(registry.connect(second).anchor(label('root 2'))).to.emit(registry, 'RootAnchored').withArgs(label('root 2'), 1);
    });

    it('stop anchoring for good when their member is removed', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      const [, b, c] = founders;
      await voteAll(registry, [b, c], 'voteRemoval', 1);
      await expect(registry.connect(notaryA).anchor(label('root')))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(1, Status.Removed);
    });

    it('are unaffected by decisions about other members', async function () {
      const { registry, founders, notaryA, notaryB } = await loadFixture(notariesFixture);
      await voteAll(registry, [founders[0], founders[2]], 'voteSuspension', 2);
      await expect(registry.connect(notaryA).anchor(label('root'))).to.emit(registry, 'RootAnchored');
      await expect(registry.connect(notaryB).anchor(label('root b')))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(2, Status.Suspended);
    });

    it('cannot anchor once deauthorised', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      await registry.connect(founders[0]).deauthoriseNotary(1, notaryA.address);
      await expect(registry.connect(notaryA).anchor(label('root')))
        .to.be.revertedWithCustomError(registry, 'NotANotary')
        .withArgs(notaryA.address);
    });

    it("cannot revoke another member's credentials", async function () {
      const { registry, notaryB } = await loadFixture(notariesFixture);
      await expect(registry.connect(notaryB).revokeCredentials(1, [label('digest')], 1))
        .to.be.revertedWithCustomError(registry, 'NotAuthorisedForMember')
        .withArgs(notaryB.address, 1);
    });
  });
});
