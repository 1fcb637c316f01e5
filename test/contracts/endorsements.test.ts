import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { EndorsementKind, Status, applicantFixture, label, memberSubject, voteAll } from './helpers';

const BADGE_CLASS = label('https://founder1.example.org/badges/welding-level-2');
const CLAIM = 'https://founder1.example.org/endorsements/1.json';
const NEW_CLAIM = 'https://founder1.example.org/endorsements/1-v2.json';

describe('ConfederationRegistry: endorsements', function () {
  describe('endorse', function () {
    it('endorses another member', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const subject = memberSubject(2);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(registry.connect(founders[0]).endorse(1, EndorsementKind.Member, subject, CLAIM))
        .to.emit(registry, 'EndorsementGiven')
        .withArgs(1, EndorsementKind.Member, subject, CLAIM);
      const [since, claimURI] = await registry.getEndorsement(1, EndorsementKind.Member, subject);
      expect([since, claimURI]).to.deep.equal([BigInt(at), CLAIM]);
      // Nothing else was endorsed: not the reverse, not a badge class with the same bytes.
      expect((await registry.getEndorsement(2, EndorsementKind.Member, memberSubject(1)))[0]).to.equal(0);
      expect((await registry.getEndorsement(1, EndorsementKind.BadgeClass, subject))[0]).to.equal(0);
    });

    it('endorses a pending applicant', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      await expect(registry.connect(founders[0]).endorse(1, EndorsementKind.Member, memberSubject(applicantId), CLAIM))
        .to.emit(registry, 'EndorsementGiven')
        .withArgs(1, EndorsementKind.Member, memberSubject(applicantId), CLAIM);
    });

    it('endorses a badge class', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(registry.connect(founders[1]).endorse(2, EndorsementKind.BadgeClass, BADGE_CLASS, CLAIM))
        .to.emit(registry, 'EndorsementGiven')
        .withArgs(2, EndorsementKind.BadgeClass, BADGE_CLASS, CLAIM);
      const [since, claimURI] = await registry.getEndorsement(2, EndorsementKind.BadgeClass, BADGE_CLASS);
      expect([since, claimURI]).to.deep.equal([BigInt(at), CLAIM]);
      expect((await registry.getEndorsement(1, EndorsementKind.BadgeClass, BADGE_CLASS))[0]).to.equal(0);
    });

    it('replaces the claim when endorsing again', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const a = registry.connect(founders[0]);
      await a.endorse(1, EndorsementKind.BadgeClass, BADGE_CLASS, CLAIM);
      const at = (await time.latest()) + 100;
      await time.setNextBlockTimestamp(at);
      await expect(a.endorse(1, EndorsementKind.BadgeClass, BADGE_CLASS, NEW_CLAIM))
        .to.emit(registry, 'EndorsementGiven')
        .withArgs(1, EndorsementKind.BadgeClass, BADGE_CLASS, NEW_CLAIM);
      const [since, claimURI] = await registry.getEndorsement(1, EndorsementKind.BadgeClass, BADGE_CLASS);
      expect([since, claimURI]).to.deep.equal([BigInt(at), NEW_CLAIM]);
    });

    it('rejects endorsing oneself', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      await expect(registry.connect(founders[0]).endorse(1, EndorsementKind.Member, memberSubject(1), CLAIM))
        .to.be.revertedWithCustomError(registry, 'SelfEndorsement')
        .withArgs(1);
    });

    it('rejects a member subject that is no member', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const a = registry.connect(founders[0]);
      await expect(a.endorse(1, EndorsementKind.Member, memberSubject(5), CLAIM))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(5);
      await expect(a.endorse(1, EndorsementKind.Member, memberSubject(0), CLAIM))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(0);
      // A subject beyond uint32 cannot name a member; truncating it would name member 2.
      const beyond = memberSubject((1n << 32n) + 2n);
      await expect(a.endorse(1, EndorsementKind.Member, beyond, CLAIM))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(0);
      // The same bytes are a fine badge-class hash.
      await expect(a.endorse(1, EndorsementKind.BadgeClass, beyond, CLAIM)).to.emit(registry, 'EndorsementGiven');
    });

    it('rejects an endorser that is not active', async function () {
      const { registry, founders, applicant, applicantId } = await loadFixture(applicantFixture);
      const [a, b, c] = founders;
      await expect(registry.connect(applicant).endorse(applicantId, EndorsementKind.BadgeClass, BADGE_CLASS, CLAIM))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(applicantId, Status.Pending);
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await expect(registry.connect(c).endorse(3, EndorsementKind.Member, memberSubject(1), CLAIM))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(3, Status.Suspended);
    });

    it('rejects anyone but the controller', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      await expect(registry.connect(founders[1]).endorse(1, EndorsementKind.BadgeClass, BADGE_CLASS, CLAIM))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, founders[1].address);
    });
  });

  describe('withdrawEndorsement', function () {
    it('withdraws a standing endorsement', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const a = registry.connect(founders[0]);
      await a.endorse(1, EndorsementKind.Member, memberSubject(2), CLAIM);
      await a.endorse(1, EndorsementKind.Member, memberSubject(3), CLAIM);
      await expect(a.withdrawEndorsement(1, EndorsementKind.Member, memberSubject(2)))
        .to.emit(registry, 'EndorsementWithdrawn')
        .withArgs(1, EndorsementKind.Member, memberSubject(2));
      const [since, claimURI] = await registry.getEndorsement(1, EndorsementKind.Member, memberSubject(2));
      expect([since, claimURI]).to.deep.equal([0n, '']);
      expect((await registry.getEndorsement(1, EndorsementKind.Member, memberSubject(3)))[1]).to.equal(CLAIM);
    });

    it('rejects an endorsement that does not stand', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const a = registry.connect(founders[0]);
      await expect(a.withdrawEndorsement(1, EndorsementKind.BadgeClass, BADGE_CLASS))
        .to.be.revertedWithCustomError(registry, 'NoSuchEndorsement')
        .withArgs(1, EndorsementKind.BadgeClass, BADGE_CLASS);
      await a.endorse(1, EndorsementKind.BadgeClass, BADGE_CLASS, CLAIM);
      await a.withdrawEndorsement(1, EndorsementKind.BadgeClass, BADGE_CLASS);
      await expect(a.withdrawEndorsement(1, EndorsementKind.BadgeClass, BADGE_CLASS))
        .to.be.revertedWithCustomError(registry, 'NoSuchEndorsement')
        .withArgs(1, EndorsementKind.BadgeClass, BADGE_CLASS);
      // Another member's endorsement of the same subject is not the caller's to withdraw.
      await registry.connect(founders[1]).endorse(2, EndorsementKind.BadgeClass, BADGE_CLASS, CLAIM);
      await expect(a.withdrawEndorsement(1, EndorsementKind.BadgeClass, BADGE_CLASS))
        .to.be.revertedWithCustomError(registry, 'NoSuchEndorsement')
        .withArgs(1, EndorsementKind.BadgeClass, BADGE_CLASS);
    });

    it('rejects anyone but the controller, and allows a suspended member', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const [a, b, c] = founders;
      await registry.connect(c).endorse(3, EndorsementKind.BadgeClass, BADGE_CLASS, CLAIM);
      await expect(registry.connect(a).withdrawEndorsement(3, EndorsementKind.BadgeClass, BADGE_CLASS))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(3, a.address);
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await expect(registry.connect(c).withdrawEndorsement(3, EndorsementKind.BadgeClass, BADGE_CLASS)).to.emit(
        registry,
        'EndorsementWithdrawn',
      );
    });
  });
});
