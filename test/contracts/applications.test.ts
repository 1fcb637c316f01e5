// Issue #17, point 9 (DID squatting): an application can be withdrawn, rejected by the quorum or left to lapse,
// and each frees its DID and controller; a removed member keeps its DID.
import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { APPLICANT_DID, APPLICANT_HASH, APPLICANT_URI, Role, Status, applicantFixture, didHash, voteAll } from './helpers';

const LIFETIME = 30 * 24 * 3600;

describe('ConfederationRegistry: applications (withdrawal, rejection, lapse)', function () {
  it('lets the applicant withdraw its application, which frees the DID for another applicant', async function () {
    const { registry, applicant, applicantId, applicants } = await loadFixture(applicantFixture);
    await expect(registry.connect(applicants[1]).withdrawMembershipApplication(applicantId))
      .to.be.revertedWithCustomError(registry, 'NotController');
    await expect(registry.connect(applicant).withdrawMembershipApplication(applicantId))
      .to.emit(registry, 'MemberStatusChanged')
      .withArgs(applicantId, Status.Pending, Status.Withdrawn);
    expect(await registry.memberIdByDidHash(didHash(APPLICANT_DID))).to.equal(0);
    expect(await registry.memberIdByController(applicant.address)).to.equal(0);

    await registry.connect(applicants[1]).applyForMembership(APPLICANT_DID, Role.IssuingPoint, APPLICANT_URI, APPLICANT_HASH);
    expect(await registry.memberIdByDidHash(didHash(APPLICANT_DID))).to.equal(applicantId + 1);
    expect((await registry.getMember(applicantId)).status).to.equal(Status.Withdrawn);
  });

  it('lets the quorum reject an application, which frees the DID and the controller', async function () {
    const { registry, founders, applicant, applicantId } = await loadFixture(applicantFixture);
    const [a, b] = founders;
    await registry.connect(a).voteRejection(applicantId);
    expect((await registry.getMember(applicantId)).status).to.equal(Status.Pending);
    await expect(registry.connect(b).voteRejection(applicantId))
      .to.emit(registry, 'MemberStatusChanged')
      .withArgs(applicantId, Status.Pending, Status.Rejected);
    expect(await registry.memberIdByDidHash(didHash(APPLICANT_DID))).to.equal(0);
    await expect(registry.connect(a).approveAdmission(applicantId))
      .to.be.revertedWithCustomError(registry, 'InvalidTransition')
      .withArgs(applicantId, Status.Rejected, 0);
    // The same account may apply again, under the same DID.
    await registry.connect(applicant).applyForMembership(APPLICANT_DID, Role.IssuingPoint, APPLICANT_URI, APPLICANT_HASH);
    expect(await registry.memberIdByController(applicant.address)).to.equal(applicantId + 1);
  });

  it('refuses a rejection vote on an active member (that is a removal)', async function () {
    const { registry, founders } = await loadFixture(applicantFixture);
    await expect(registry.connect(founders[0]).voteRejection(2)).to.be.revertedWithCustomError(registry, 'InvalidTransition');
  });

  it('lets an application lapse: admission fails, and anyone may clear it to free the DID', async function () {
    const { registry, founders, stranger, applicantId, applicants } = await loadFixture(applicantFixture);
    const appliedAt = (await registry.getMember(applicantId)).statusSince;
    await expect(registry.connect(stranger).closeLapsedApplication(applicantId))
      .to.be.revertedWithCustomError(registry, 'ApplicationNotLapsed')
      .withArgs(applicantId, appliedAt + BigInt(LIFETIME));

    await time.increaseTo(appliedAt + BigInt(LIFETIME));
    await expect(registry.connect(founders[0]).approveAdmission(applicantId))
      .to.be.revertedWithCustomError(registry, 'ApplicationLapsed')
      .withArgs(applicantId, appliedAt + BigInt(LIFETIME));
    await expect(registry.connect(stranger).closeLapsedApplication(applicantId))
      .to.emit(registry, 'MemberStatusChanged')
      .withArgs(applicantId, Status.Pending, Status.Lapsed);
    await registry.connect(applicants[1]).applyForMembership(APPLICANT_DID, Role.IssuingPoint, APPLICANT_URI, APPLICANT_HASH);
    expect(await registry.memberIdByDidHash(didHash(APPLICANT_DID))).to.equal(applicantId + 1);
  });

  it('refuses to withdraw or clear what is no pending application', async function () {
    const { registry, founders, stranger } = await loadFixture(applicantFixture);
    await expect(registry.connect(founders[0]).withdrawMembershipApplication(1))
      .to.be.revertedWithCustomError(registry, 'NotPending')
      .withArgs(1, Status.Active);
    await expect(registry.connect(stranger).closeLapsedApplication(1))
      .to.be.revertedWithCustomError(registry, 'NotPending')
      .withArgs(1, Status.Active);
  });

  it('keeps a removed member\'s DID bound, so that its old badges keep their issuer', async function () {
    const { registry, founders } = await loadFixture(applicantFixture);
    const [a, b, c] = founders;
    await voteAll(registry, [b, c], 'voteRemoval', 1);
    expect(await registry.memberIdByDidHash(didHash('did:web:founder1.example.org'))).to.equal(1);
    await expect(registry.connect(a).withdrawMembershipApplication(1)).to.be.revertedWithCustomError(registry, 'NotPending');
  });

  it('refuses to hand a closed application\'s control to another account', async function () {
    const { registry, applicant, applicantId, stranger } = await loadFixture(applicantFixture);
    await registry.connect(applicant).withdrawMembershipApplication(applicantId);
    await expect(registry.connect(applicant).changeController(applicantId, stranger.address))
      .to.be.revertedWithCustomError(registry, 'MemberNotActive')
      .withArgs(applicantId, Status.Withdrawn);
  });
});
