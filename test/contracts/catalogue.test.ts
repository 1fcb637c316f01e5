import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import type { BadgeClassCatalogue } from '../../typechain-types';
import { Status, applicantFixture, label, voteAll } from './helpers';

const CLASS = label('welding level 2, version 1');
const CLASS_V2 = label('welding level 2, version 2');
const CLASS_V3 = label('welding level 2, version 3');
const OTHER = label('team work');
const URI = 'https://founder1.example.org/classes/welding-2-v1.json';
const URI_V2 = 'https://founder1.example.org/classes/welding-2-v2.json';
const ZERO = ethers.ZeroHash;

/** Three founders (quorum 2), a pending applicant (member 4), and the catalogue bound to the registry. */
async function catalogueFixture() {
  const base = await applicantFixture();
  const factory = await ethers.getContractFactory('BadgeClassCatalogue');
  const catalogue: BadgeClassCatalogue = await factory.deploy(await base.registry.getAddress());
  await catalogue.waitForDeployment();
  return { ...base, catalogue };
}

/** As catalogueFixture, with CLASS published by member 1. */
async function publishedFixture() {
  const base = await catalogueFixture();
  await base.catalogue.connect(base.founders[0]).publish(CLASS, URI);
  return base;
}

async function classOf(catalogue: BadgeClassCatalogue, classId: string) {
  const c = await catalogue.getBadgeClass(classId);
  return {
    publisher: Number(c.publisher),
    publishedAt: Number(c.publishedAt),
    supersedes: c.supersedes,
    supersededBy: c.supersededBy,
    uri: c.uri,
    adopterCount: Number(c.adopterCount),
  };
}

describe('BadgeClassCatalogue', function () {
  it('names the registry it asks', async function () {
    const { catalogue, registry } = await loadFixture(catalogueFixture);
    expect(await catalogue.registry()).to.equal(await registry.getAddress());
  });

  describe('publish', function () {
    it('records the publisher, the time and the URI, and emits BadgeClassPublished', async function () {
      const { catalogue, founders } = await loadFixture(catalogueFixture);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(catalogue.connect(founders[1]).publish(CLASS, URI)).to.emit(catalogue, 'BadgeClassPublished').withArgs(CLASS, 2, URI);
      expect(await classOf(catalogue, CLASS)).to.deep.equal({
        publisher: 2,
        publishedAt: at,
        supersedes: ZERO,
        supersededBy: ZERO,
        uri: URI,
        adopterCount: 0,
      });
      // Publishing is not adopting.
      expect(await catalogue.isAdopted(CLASS, 2)).to.equal(false);
    });

    it('reverts ClassAlreadyPublished for a content id already published, by anyone', async function () {
      const { catalogue, founders } = await loadFixture(publishedFixture);
      await expect(catalogue.connect(founders[1]).publish(CLASS, URI_V2))
        .to.be.revertedWithCustomError(catalogue, 'ClassAlreadyPublished')
        .withArgs(CLASS, 1);
      await expect(catalogue.connect(founders[0]).publish(CLASS, URI))
        .to.be.revertedWithCustomError(catalogue, 'ClassAlreadyPublished')
        .withArgs(CLASS, 1);
    });

    it('reverts ZeroClassId and EmptyURI', async function () {
      const { catalogue, founders } = await loadFixture(catalogueFixture);
      await expect(catalogue.connect(founders[0]).publish(ZERO, URI)).to.be.revertedWithCustomError(catalogue, 'ZeroClassId');
      await expect(catalogue.connect(founders[0]).publish(CLASS, '')).to.be.revertedWithCustomError(catalogue, 'EmptyURI');
    });

    it('reverts NotAMember for an account that controls no member', async function () {
      const { catalogue, stranger } = await loadFixture(catalogueFixture);
      await expect(catalogue.connect(stranger).publish(CLASS, URI))
        .to.be.revertedWithCustomError(catalogue, 'NotAMember')
        .withArgs(stranger.address);
    });

    it('reverts MemberNotActive for a pending applicant', async function () {
      const { catalogue, applicant, applicantId } = await loadFixture(catalogueFixture);
      await expect(catalogue.connect(applicant).publish(CLASS, URI))
        .to.be.revertedWithCustomError(catalogue, 'MemberNotActive')
        .withArgs(applicantId, Status.Pending);
    });
  });

  describe('supersede', function () {
    it('publishes the new version, links both ways, keeps the old one readable', async function () {
      const { catalogue, founders } = await loadFixture(publishedFixture);
      const before = await classOf(catalogue, CLASS);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(catalogue.connect(founders[0]).supersede(CLASS, CLASS_V2, URI_V2))
        .to.emit(catalogue, 'BadgeClassPublished')
        .withArgs(CLASS_V2, 1, URI_V2)
        .and.to.emit(catalogue, 'BadgeClassSuperseded')
        .withArgs(CLASS, CLASS_V2, 1);
      expect(await classOf(catalogue, CLASS)).to.deep.equal({
        ...before,
        supersededBy: CLASS_V2,
      });
      expect(await classOf(catalogue, CLASS_V2)).to.deep.equal({
        publisher: 1,
        publishedAt: at,
        supersedes: CLASS,
        supersededBy: ZERO,
        uri: URI_V2,
        adopterCount: 0,
      });
      // The chain goes on from the current version.
      await catalogue.connect(founders[0]).supersede(CLASS_V2, CLASS_V3, URI_V2 + '3');
      expect((await classOf(catalogue, CLASS_V3)).supersedes).to.equal(CLASS_V2);
    });

    it('reverts ClassSuperseded for a version already superseded (never rewritten)', async function () {
      const { catalogue, founders } = await loadFixture(publishedFixture);
      await catalogue.connect(founders[0]).supersede(CLASS, CLASS_V2, URI_V2);
      await expect(catalogue.connect(founders[0]).supersede(CLASS, CLASS_V3, URI_V2))
        .to.be.revertedWithCustomError(catalogue, 'ClassSuperseded')
        .withArgs(CLASS, CLASS_V2);
    });

    it('reverts NotPublisher when another member supersedes', async function () {
      const { catalogue, founders } = await loadFixture(publishedFixture);
      await expect(catalogue.connect(founders[1]).supersede(CLASS, CLASS_V2, URI_V2))
        .to.be.revertedWithCustomError(catalogue, 'NotPublisher')
        .withArgs(CLASS, 1, 2);
    });

    it('reverts UnknownClass for a class never published', async function () {
      const { catalogue, founders } = await loadFixture(catalogueFixture);
      await expect(catalogue.connect(founders[0]).supersede(CLASS, CLASS_V2, URI_V2))
        .to.be.revertedWithCustomError(catalogue, 'UnknownClass')
        .withArgs(CLASS);
    });

    it('reverts ClassAlreadyPublished, ZeroClassId and EmptyURI for a bad new version, leaving the old one current', async function () {
      const { catalogue, founders } = await loadFixture(publishedFixture);
      await catalogue.connect(founders[0]).publish(OTHER, URI_V2);
      await expect(catalogue.connect(founders[0]).supersede(CLASS, OTHER, URI_V2))
        .to.be.revertedWithCustomError(catalogue, 'ClassAlreadyPublished')
        .withArgs(OTHER, 1);
      await expect(catalogue.connect(founders[0]).supersede(CLASS, CLASS, URI_V2))
        .to.be.revertedWithCustomError(catalogue, 'ClassAlreadyPublished')
        .withArgs(CLASS, 1);
      await expect(catalogue.connect(founders[0]).supersede(CLASS, ZERO, URI_V2)).to.be.revertedWithCustomError(catalogue, 'ZeroClassId');
      await expect(catalogue.connect(founders[0]).supersede(CLASS, CLASS_V2, '')).to.be.revertedWithCustomError(catalogue, 'EmptyURI');
      expect((await classOf(catalogue, CLASS)).supersededBy).to.equal(ZERO);
    });

    it('reverts NotAMember and MemberNotActive', async function () {
      const { catalogue, stranger, applicant, applicantId } = await loadFixture(publishedFixture);
      await expect(catalogue.connect(stranger).supersede(CLASS, CLASS_V2, URI_V2))
        .to.be.revertedWithCustomError(catalogue, 'NotAMember')
        .withArgs(stranger.address);
      await expect(catalogue.connect(applicant).supersede(CLASS, CLASS_V2, URI_V2))
        .to.be.revertedWithCustomError(catalogue, 'MemberNotActive')
        .withArgs(applicantId, Status.Pending);
    });
  });

  describe('adopt and withdrawAdoption', function () {
    it('adopts, counts adopters, and withdraws', async function () {
      const { catalogue, founders } = await loadFixture(publishedFixture);
      await expect(catalogue.connect(founders[1]).adopt(CLASS)).to.emit(catalogue, 'BadgeClassAdopted').withArgs(CLASS, 2);
      await expect(catalogue.connect(founders[0]).adopt(CLASS)).to.emit(catalogue, 'BadgeClassAdopted').withArgs(CLASS, 1);
      expect(await catalogue.isAdopted(CLASS, 2)).to.equal(true);
      expect(await catalogue.isAdopted(CLASS, 3)).to.equal(false);
      expect(await catalogue.adopterCount(CLASS)).to.equal(2);
      expect((await classOf(catalogue, CLASS)).adopterCount).to.equal(2);
      await expect(catalogue.connect(founders[1]).withdrawAdoption(CLASS))
        .to.emit(catalogue, 'BadgeClassAdoptionWithdrawn')
        .withArgs(CLASS, 2);
      expect(await catalogue.isAdopted(CLASS, 2)).to.equal(false);
      expect(await catalogue.adopterCount(CLASS)).to.equal(1);
      // Adopting again after withdrawing is allowed.
      await catalogue.connect(founders[1]).adopt(CLASS);
      expect(await catalogue.adopterCount(CLASS)).to.equal(2);
    });

    it('reverts AlreadyAdopted and NotAdopted', async function () {
      const { catalogue, founders } = await loadFixture(publishedFixture);
      await catalogue.connect(founders[1]).adopt(CLASS);
      await expect(catalogue.connect(founders[1]).adopt(CLASS))
        .to.be.revertedWithCustomError(catalogue, 'AlreadyAdopted')
        .withArgs(CLASS, 2);
      await expect(catalogue.connect(founders[2]).withdrawAdoption(CLASS))
        .to.be.revertedWithCustomError(catalogue, 'NotAdopted')
        .withArgs(CLASS, 3);
      await expect(catalogue.connect(founders[2]).withdrawAdoption(OTHER))
        .to.be.revertedWithCustomError(catalogue, 'NotAdopted')
        .withArgs(OTHER, 3);
    });

    it('reverts UnknownClass for a class never published, and ClassSuperseded for an old version', async function () {
      const { catalogue, founders } = await loadFixture(publishedFixture);
      await expect(catalogue.connect(founders[1]).adopt(OTHER)).to.be.revertedWithCustomError(catalogue, 'UnknownClass').withArgs(OTHER);
      await catalogue.connect(founders[1]).adopt(CLASS);
      await catalogue.connect(founders[0]).supersede(CLASS, CLASS_V2, URI_V2);
      await expect(catalogue.connect(founders[2]).adopt(CLASS))
        .to.be.revertedWithCustomError(catalogue, 'ClassSuperseded')
        .withArgs(CLASS, CLASS_V2);
      // An adoption of the old version stands (old badges cite it) and can be withdrawn.
      expect(await catalogue.isAdopted(CLASS, 2)).to.equal(true);
      await catalogue.connect(founders[1]).withdrawAdoption(CLASS);
      expect(await catalogue.adopterCount(CLASS)).to.equal(0);
    });

    it('reverts NotAMember and MemberNotActive', async function () {
      const { catalogue, stranger, applicant, applicantId } = await loadFixture(publishedFixture);
      await expect(catalogue.connect(stranger).adopt(CLASS))
        .to.be.revertedWithCustomError(catalogue, 'NotAMember')
        .withArgs(stranger.address);
      await expect(catalogue.connect(stranger).withdrawAdoption(CLASS))
        .to.be.revertedWithCustomError(catalogue, 'NotAMember')
        .withArgs(stranger.address);
      await expect(catalogue.connect(applicant).adopt(CLASS))
        .to.be.revertedWithCustomError(catalogue, 'MemberNotActive')
        .withArgs(applicantId, Status.Pending);
    });
  });

  describe('views', function () {
    it('getBadgeClass reverts UnknownClass; adopterCount is 0 for an unknown class', async function () {
      const { catalogue } = await loadFixture(catalogueFixture);
      await expect(catalogue.getBadgeClass(CLASS)).to.be.revertedWithCustomError(catalogue, 'UnknownClass').withArgs(CLASS);
      expect(await catalogue.adopterCount(CLASS)).to.equal(0);
    });
  });

  describe('with the registry', function () {
    it('a member suspended after publishing: its class stays readable; it cannot publish, supersede or adopt; reinstated, it can', async function () {
      const { catalogue, registry, founders } = await loadFixture(publishedFixture);
      await catalogue.connect(founders[0]).adopt(CLASS);
      const before = await classOf(catalogue, CLASS);
      await voteAll(registry, [founders[1], founders[2]], 'voteSuspension', 1);
      expect((await registry.getMember(1)).status).to.equal(Status.Suspended);
      expect(await classOf(catalogue, CLASS)).to.deep.equal(before);
      expect(await catalogue.isAdopted(CLASS, 1)).to.equal(true);
      await catalogue.connect(founders[1]).publish(OTHER, URI_V2);
      for (const attempt of [
        () => catalogue.connect(founders[0]).publish(CLASS_V3, URI),
        () => catalogue.connect(founders[0]).supersede(CLASS, CLASS_V2, URI_V2),
        () => catalogue.connect(founders[0]).adopt(OTHER),
      ]) {
        await expect(attempt()).to.be.revertedWithCustomError(catalogue, 'MemberNotActive').withArgs(1, Status.Suspended);
      }
      await voteAll(registry, [founders[1], founders[2]], 'voteReinstatement', 1);
      await expect(catalogue.connect(founders[0]).adopt(OTHER)).to.emit(catalogue, 'BadgeClassAdopted').withArgs(OTHER, 1);
    });

    it('a removed member cannot publish or adopt, its class stays readable, and it may still withdraw its adoption', async function () {
      const { catalogue, registry, founders } = await loadFixture(publishedFixture);
      await catalogue.connect(founders[0]).adopt(CLASS);
      await voteAll(registry, [founders[1], founders[2]], 'voteRemoval', 1);
      expect((await registry.getMember(1)).status).to.equal(Status.Removed);
      await expect(catalogue.connect(founders[0]).publish(OTHER, URI))
        .to.be.revertedWithCustomError(catalogue, 'MemberNotActive')
        .withArgs(1, Status.Removed);
      await catalogue.connect(founders[1]).publish(OTHER, URI_V2);
      await expect(catalogue.connect(founders[0]).adopt(OTHER))
        .to.be.revertedWithCustomError(catalogue, 'MemberNotActive')
        .withArgs(1, Status.Removed);
      expect((await classOf(catalogue, CLASS)).publisher).to.equal(1);
      await expect(catalogue.connect(founders[0]).withdrawAdoption(CLASS))
        .to.emit(catalogue, 'BadgeClassAdoptionWithdrawn')
        .withArgs(CLASS, 1);
    });

    it('an applicant admitted by the quorum publishes and adopts', async function () {
      const { catalogue, registry, founders, applicant, applicantId } = await loadFixture(publishedFixture);
      await voteAll(registry, [founders[0], founders[1]], 'approveAdmission', applicantId);
      await expect(catalogue.connect(applicant).adopt(CLASS)).to.emit(catalogue, 'BadgeClassAdopted').withArgs(CLASS, applicantId);
      await expect(catalogue.connect(applicant).publish(OTHER, URI_V2))
        .to.emit(catalogue, 'BadgeClassPublished')
        .withArgs(OTHER, applicantId, URI_V2);
    });
  });
});
