import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import {
  APPLICANT_DID,
  APPLICANT_HASH,
  APPLICANT_URI,
  Action,
  Role,
  Status,
  didHash,
  founderDid,
  label,
  oneFounderFixture,
  proposalId,
  threeFoundersFixture,
  timeOf,
  unanimousFixture,
  applicantFixture,
  voteAll,
  voteQuorumAll,
} from './helpers';

describe('ConfederationRegistry: membership', function () {
  describe('applyForMembership', function () {
    it('numbers the applicant after the founders and records it as Pending', async function () {
      const { registry, applicants } = await loadFixture(threeFoundersFixture);
      const [applicant, second] = applicants;
      const call = registry.connect(applicant);
      expect(await call.applyForMembership.staticCall(APPLICANT_DID, Role.ValidationPoint, APPLICANT_URI, APPLICANT_HASH)).to.equal(4);

      const tx = call.applyForMembership(APPLICANT_DID, Role.ValidationPoint, APPLICANT_URI, APPLICANT_HASH);
      await expect(tx)
        .to.emit(registry, 'MemberApplied')
        .withArgs(4, APPLICANT_DID, applicant.address, Role.ValidationPoint, APPLICANT_URI, APPLICANT_HASH);
      await expect(tx).to.emit(registry, 'MemberStatusChanged').withArgs(4, Status.None, Status.Pending);
      const appliedAt = await timeOf(tx);

      expect(await registry.memberCount()).to.equal(4);
      expect(await registry.activeMemberCount()).to.equal(3);
      const member = await registry.getMember(4);
      expect(member.id).to.equal(4);
      expect(member.did).to.equal(APPLICANT_DID);
      expect(member.controller).to.equal(applicant.address);
      expect(member.role).to.equal(Role.ValidationPoint);
      expect(member.status).to.equal(Status.Pending);
      expect(member.statusSince).to.equal(appliedAt);
      expect(member.metadataURI).to.equal(APPLICANT_URI);
      expect(member.metadataHash).to.equal(APPLICANT_HASH);

      await registry.connect(second).applyForMembership('did:web:second.example', Role.InformationPoint, '', label('2'));
      expect(await registry.memberCount()).to.equal(5);
      expect((await registry.getMember(5)).did).to.equal('did:web:second.example');
    });

    it('maps keccak256 of the UTF-8 DID and the controller to the member number', async function () {
      const { registry, applicants, stranger } = await loadFixture(threeFoundersFixture);
      const did = 'did:web:bücher.example';
      await registry.connect(applicants[0]).applyForMembership(did, Role.IssuingPoint, '', label('m'));
      expect(await registry.memberIdByDidHash(ethers.keccak256(ethers.toUtf8Bytes(did)))).to.equal(4);
      expect(await registry.memberIdByDidHash(ethers.id(did))).to.equal(4);
      expect(await registry.memberIdByController(applicants[0].address)).to.equal(4);
      expect(await registry.memberIdByDidHash(didHash('did:web:nobody.example'))).to.equal(0);
      expect(await registry.memberIdByController(stranger.address)).to.equal(0);
    });

    it('rejects a DID that a member already has', async function () {
      const { registry, applicant, applicants } = await loadFixture(applicantFixture);
      await expect(registry.connect(applicants[1]).applyForMembership(founderDid(2), Role.IssuingPoint, '', label('m')))
        .to.be.revertedWithCustomError(registry, 'DidAlreadyRegistered')
        .withArgs(founderDid(2), 2);
      await expect(registry.connect(applicants[1]).applyForMembership(APPLICANT_DID, Role.IssuingPoint, '', label('m')))
        .to.be.revertedWithCustomError(registry, 'DidAlreadyRegistered')
        .withArgs(APPLICANT_DID, 4);
      expect(await registry.memberIdByController(applicant.address)).to.equal(4);
    });

    it('rejects a caller that already controls a member', async function () {
      const { registry, founders, applicant } = await loadFixture(applicantFixture);
      await expect(registry.connect(founders[0]).applyForMembership('did:web:other.example', Role.IssuingPoint, '', label('m')))
        .to.be.revertedWithCustomError(registry, 'ControllerAlreadyInUse')
        .withArgs(founders[0].address, 1);
      await expect(registry.connect(applicant).applyForMembership('did:web:other.example', Role.IssuingPoint, '', label('m')))
        .to.be.revertedWithCustomError(registry, 'ControllerAlreadyInUse')
        .withArgs(applicant.address, 4);
    });

    it('rejects role None and empty or over-long DIDs', async function () {
      const { registry, applicants } = await loadFixture(threeFoundersFixture);
      const call = registry.connect(applicants[0]);
      await expect(call.applyForMembership('did:web:x.example', Role.None, '', label('m'))).to.be.revertedWithCustomError(
        registry,
        'InvalidRole',
      );
      await expect(call.applyForMembership('', Role.IssuingPoint, '', label('m')))
        .to.be.revertedWithCustomError(registry, 'InvalidDid')
        .withArgs('');
      const tooLong = 'did:web:' + 'x'.repeat(249);
      await expect(call.applyForMembership(tooLong, Role.IssuingPoint, '', label('m')))
        .to.be.revertedWithCustomError(registry, 'InvalidDid')
        .withArgs(tooLong);
      expect(await registry.memberCount()).to.equal(3);
    });
  });

  describe('approveAdmission', function () {
    it('admits the applicant when the quorum of approvals is in', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      const [a, b] = founders;
      const id = proposalId(Action.Admit, applicantId, 0, 0);

      await expect(registry.connect(a).approveAdmission(applicantId))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(id, 1, Action.Admit, applicantId, 0, 1, 2)
        .and.not.to.emit(registry, 'MemberStatusChanged');
      expect((await registry.getMember(applicantId)).status).to.equal(Status.Pending);
      expect(await registry.activeMemberCount()).to.equal(3);

      const tx = registry.connect(b).approveAdmission(applicantId);
      await expect(tx).to.emit(registry, 'ProposalApproved').withArgs(id, 2, Action.Admit, applicantId, 0, 2, 2);
      await expect(tx).to.emit(registry, 'MemberStatusChanged').withArgs(applicantId, Status.Pending, Status.Active);
      const member = await registry.getMember(applicantId);
      expect(member.status).to.equal(Status.Active);
      expect(member.statusSince).to.equal(await timeOf(tx));
      expect(await registry.activeMemberCount()).to.equal(4);
    });

    it('lets a newly admitted member vote', async function () {
      const { registry, founders, applicant, applicants, applicantId } = await loadFixture(applicantFixture);
      await voteAll(registry, founders.slice(0, 2), 'approveAdmission', applicantId);
      await registry.connect(applicants[1]).applyForMembership('did:web:fifth.example', Role.IssuingPoint, '', label('5'));
      await expect(registry.connect(applicant).approveAdmission(5))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(proposalId(Action.Admit, 5, 0, 0), applicantId, Action.Admit, 5, 0, 1, 2);
    });

    it('rejects a second approval by the same member', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      await registry.connect(founders[0]).approveAdmission(applicantId);
      await expect(registry.connect(founders[0]).approveAdmission(applicantId))
        .to.be.revertedWithCustomError(registry, 'AlreadyApproved')
        .withArgs(proposalId(Action.Admit, applicantId, 0, 0), 1);
    });

    it('rejects an account that controls no member', async function () {
      const { registry, stranger, applicantId } = await loadFixture(applicantFixture);
      await expect(registry.connect(stranger).approveAdmission(applicantId))
        .to.be.revertedWithCustomError(registry, 'NotAMember')
        .withArgs(stranger.address);
    });

    it('rejects a pending voter, including the applicant itself', async function () {
      const { registry, applicant, applicants, applicantId } = await loadFixture(applicantFixture);
      await registry.connect(applicants[1]).applyForMembership('did:web:fifth.example', Role.IssuingPoint, '', label('5'));
      await expect(registry.connect(applicants[1]).approveAdmission(applicantId))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(5, Status.Pending);
      await expect(registry.connect(applicant).approveAdmission(applicantId))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(applicantId, Status.Pending);
    });

    it('rejects a suspended voter', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      const [a, b, c] = founders;
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await expect(registry.connect(c).approveAdmission(applicantId))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(3, Status.Suspended);
    });

    it('rejects a removed voter', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      const [a, b, c] = founders;
      await voteAll(registry, [a, b], 'voteRemoval', 3);
      await expect(registry.connect(c).approveAdmission(applicantId))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(3, Status.Removed);
    });

    it('rejects an unknown subject', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      await expect(registry.connect(founders[0]).approveAdmission(0))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(0);
      await expect(registry.connect(founders[0]).approveAdmission(5))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(5);
    });
  });

  describe('voting on oneself', function () {
    it('rejects an active member voting on its own admission, suspension or removal', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const a = registry.connect(founders[0]);
      await expect(a.approveAdmission(1)).to.be.revertedWithCustomError(registry, 'CannotVoteOnSelf').withArgs(1);
      await expect(a.voteSuspension(1)).to.be.revertedWithCustomError(registry, 'CannotVoteOnSelf').withArgs(1);
      await expect(a.voteReinstatement(1)).to.be.revertedWithCustomError(registry, 'CannotVoteOnSelf').withArgs(1);
      await expect(a.voteRemoval(1)).to.be.revertedWithCustomError(registry, 'CannotVoteOnSelf').withArgs(1);
    });
  });

  describe('invalid transitions', function () {
    it('rejects admitting or reinstating an active member', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const a = registry.connect(founders[0]);
      await expect(a.approveAdmission(2))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(2, Status.Active, Action.Admit);
      await expect(a.voteReinstatement(2))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(2, Status.Active, Action.Reinstate);
    });

    it('rejects suspending or reinstating a pending applicant', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      const a = registry.connect(founders[0]);
      await expect(a.voteSuspension(applicantId))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(applicantId, Status.Pending, Action.Suspend);
      await expect(a.voteReinstatement(applicantId))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(applicantId, Status.Pending, Action.Reinstate);
    });

    it('rejects admitting or suspending a suspended member', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      await voteAll(registry, founders.slice(0, 2), 'voteSuspension', 3);
      const a = registry.connect(founders[0]);
      await expect(a.approveAdmission(3))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(3, Status.Suspended, Action.Admit);
      await expect(a.voteSuspension(3))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(3, Status.Suspended, Action.Suspend);
    });

    it('rejects every action on a removed member', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      await voteAll(registry, founders.slice(0, 2), 'voteRemoval', applicantId);
      const a = registry.connect(founders[0]);
      await expect(a.approveAdmission(applicantId))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(applicantId, Status.Removed, Action.Admit);
      await expect(a.voteSuspension(applicantId))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(applicantId, Status.Removed, Action.Suspend);
      await expect(a.voteReinstatement(applicantId))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(applicantId, Status.Removed, Action.Reinstate);
      await expect(a.voteRemoval(applicantId))
        .to.be.revertedWithCustomError(registry, 'InvalidTransition')
        .withArgs(applicantId, Status.Removed, Action.Remove);
    });
  });

  describe('voteSuspension', function () {
    it('suspends an active member at quorum', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const [a, b] = founders;
      const id = proposalId(Action.Suspend, 3, 0, 0);
      await expect(registry.connect(a).voteSuspension(3))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(id, 1, Action.Suspend, 3, 0, 1, 2)
        .and.not.to.emit(registry, 'MemberStatusChanged');
      expect((await registry.getMember(3)).status).to.equal(Status.Active);

      const tx = registry.connect(b).voteSuspension(3);
      await expect(tx).to.emit(registry, 'ProposalApproved').withArgs(id, 2, Action.Suspend, 3, 0, 2, 2);
      await expect(tx).to.emit(registry, 'MemberStatusChanged').withArgs(3, Status.Active, Status.Suspended);
      expect((await registry.getMember(3)).status).to.equal(Status.Suspended);
      expect(await registry.activeMemberCount()).to.equal(2);
    });

    it('rejects a suspension that would leave fewer active voters than the quorum', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const [a, b] = founders;
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await expect(registry.connect(a).voteSuspension(2))
        .to.be.revertedWithCustomError(registry, 'QuorumWouldBecomeUnreachable')
        .withArgs(1, 2);
      await expect(registry.connect(a).voteRemoval(2))
        .to.be.revertedWithCustomError(registry, 'QuorumWouldBecomeUnreachable')
        .withArgs(1, 2);
    });
  });

  describe('voteReinstatement', function () {
    it('reinstates a suspended member at quorum', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const [a, b] = founders;
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      // The suspension moved member 3 to epoch 1.
      const id = proposalId(Action.Reinstate, 3, 0, 1);
      await expect(registry.connect(a).voteReinstatement(3))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(id, 1, Action.Reinstate, 3, 0, 1, 2);
      const tx = registry.connect(b).voteReinstatement(3);
      await expect(tx).to.emit(registry, 'MemberStatusChanged').withArgs(3, Status.Suspended, Status.Active);
      expect((await registry.getMember(3)).status).to.equal(Status.Active);
      expect(await registry.activeMemberCount()).to.equal(3);
    });
  });

  describe('voteRemoval', function () {
    it('rejects a pending applicant', async function () {
      const { registry, founders, applicantId, applicants } = await loadFixture(applicantFixture);
      await registry.connect(founders[0]).voteRemoval(applicantId);
      await expect(registry.connect(founders[1]).voteRemoval(applicantId))
        .to.emit(registry, 'MemberStatusChanged')
        .withArgs(applicantId, Status.Pending, Status.Removed);
      expect((await registry.getMember(applicantId)).status).to.equal(Status.Removed);
      expect(await registry.activeMemberCount()).to.equal(3);
      // The DID stays with its number for good.
      expect(await registry.memberIdByDidHash(didHash(APPLICANT_DID))).to.equal(applicantId);
      await expect(registry.connect(applicants[1]).applyForMembership(APPLICANT_DID, Role.IssuingPoint, '', label('m')))
        .to.be.revertedWithCustomError(registry, 'DidAlreadyRegistered')
        .withArgs(APPLICANT_DID, applicantId);
    });

    it('removes an active member', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      await registry.connect(founders[0]).voteRemoval(3);
      await expect(registry.connect(founders[1]).voteRemoval(3))
        .to.emit(registry, 'MemberStatusChanged')
        .withArgs(3, Status.Active, Status.Removed);
      expect(await registry.activeMemberCount()).to.equal(2);
    });

    it('removes a suspended member', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      await voteAll(registry, founders.slice(0, 2), 'voteSuspension', 3);
      await registry.connect(founders[0]).voteRemoval(3);
      await expect(registry.connect(founders[1]).voteRemoval(3))
        .to.emit(registry, 'MemberStatusChanged')
        .withArgs(3, Status.Suspended, Status.Removed);
      expect(await registry.activeMemberCount()).to.equal(2);
    });
  });

  describe('voteQuorum', function () {
    it('changes the quorum when the quorum of approvals is in', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const [a, b] = founders;
      const id = proposalId(Action.SetQuorum, 0, 1, 0);
      await expect(registry.connect(a).voteQuorum(1))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(id, 1, Action.SetQuorum, 0, 1, 1, 2)
        .and.not.to.emit(registry, 'QuorumChanged');
      expect(await registry.quorum()).to.equal(2);
      await expect(registry.connect(b).voteQuorum(1)).to.emit(registry, 'QuorumChanged').withArgs(2, 1);
      expect(await registry.quorum()).to.equal(1);
    });

    it('accepts a quorum equal to the active members', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      await registry.connect(founders[0]).voteQuorum(3);
      await expect(registry.connect(founders[1]).voteQuorum(3)).to.emit(registry, 'QuorumChanged').withArgs(2, 3);
      expect(await registry.quorum()).to.equal(3);
    });

    it('rejects 0 and a quorum above the active members', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      await expect(registry.connect(founders[0]).voteQuorum(0))
        .to.be.revertedWithCustomError(registry, 'QuorumOutOfRange')
        .withArgs(0, 3);
      await expect(registry.connect(founders[0]).voteQuorum(4))
        .to.be.revertedWithCustomError(registry, 'QuorumOutOfRange')
        .withArgs(4, 3);
    });

    it('measures the range against the active members at each vote', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const [a, b] = founders;
      await registry.connect(a).voteQuorum(3);
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await expect(registry.connect(b).voteQuorum(3))
        .to.be.revertedWithCustomError(registry, 'QuorumOutOfRange')
        .withArgs(3, 2);
    });

    it('rejects a second vote, and votes from non-members and inactive members', async function () {
      const { registry, founders, stranger } = await loadFixture(threeFoundersFixture);
      const [a, b, c] = founders;
      await registry.connect(a).voteQuorum(1);
      await expect(registry.connect(a).voteQuorum(1))
        .to.be.revertedWithCustomError(registry, 'AlreadyApproved')
        .withArgs(proposalId(Action.SetQuorum, 0, 1, 0), 1);
      await expect(registry.connect(stranger).voteQuorum(1))
        .to.be.revertedWithCustomError(registry, 'NotAMember')
        .withArgs(stranger.address);
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await expect(registry.connect(c).voteQuorum(1))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(3, Status.Suspended);
    });

    it('counts votes for different values separately', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const [a, b] = founders;
      await registry.connect(a).voteQuorum(3);
      await expect(registry.connect(b).voteQuorum(1))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(proposalId(Action.SetQuorum, 0, 1, 0), 2, Action.SetQuorum, 0, 1, 1, 2)
        .and.not.to.emit(registry, 'QuorumChanged');
      expect(await registry.quorum()).to.equal(2);
    });

    it('lets open quorum proposals lapse when another quorum change takes effect', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const [a, b, c] = founders;
      await registry.connect(a).voteQuorum(3);
      await voteQuorumAll(registry, [b, c], 1);
      expect(await registry.quorum()).to.equal(1);
      await voteQuorumAll(registry, [b], 2);
      expect(await registry.quorum()).to.equal(2);
      // a's vote for 3 was cast two quorum changes ago: b's vote for 3 is now the first one that counts.
      await expect(registry.connect(b).voteQuorum(3))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(proposalId(Action.SetQuorum, 0, 3, 2), 2, Action.SetQuorum, 0, 3, 1, 2)
        .and.not.to.emit(registry, 'QuorumChanged');
      await expect(registry.connect(a).voteQuorum(3)).to.emit(registry, 'QuorumChanged').withArgs(2, 3);
    });
  });

  describe('lapsed and withdrawn approvals', function () {
    it('drops removal approvals once a suspension of the same member takes effect', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const [a, b] = founders;
      await registry.connect(a).voteRemoval(3);
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      expect((await registry.getMember(3)).status).to.equal(Status.Suspended);

      // a's removal vote was cast in epoch 0; member 3 is now in epoch 1.
      await expect(registry.connect(b).voteRemoval(3))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(proposalId(Action.Remove, 3, 0, 1), 2, Action.Remove, 3, 0, 1, 2)
        .and.not.to.emit(registry, 'MemberStatusChanged');
      expect((await registry.getMember(3)).status).to.equal(Status.Suspended);

      await expect(registry.connect(a).voteRemoval(3))
        .to.emit(registry, 'MemberStatusChanged')
        .withArgs(3, Status.Suspended, Status.Removed);
    });

    it('no longer counts an approval from a member suspended after it voted', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      const [a, b, c] = founders;
      await registry.connect(a).approveAdmission(applicantId);
      await voteAll(registry, [b, c], 'voteSuspension', 1);

      const id = proposalId(Action.Admit, applicantId, 0, 0);
      await expect(registry.connect(b).approveAdmission(applicantId))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(id, 2, Action.Admit, applicantId, 0, 1, 2)
        .and.not.to.emit(registry, 'MemberStatusChanged');
      expect((await registry.getMember(applicantId)).status).to.equal(Status.Pending);

      await expect(registry.connect(c).approveAdmission(applicantId))
        .to.emit(registry, 'MemberStatusChanged')
        .withArgs(applicantId, Status.Pending, Status.Active);
    });

    it('no longer counts an approval from a member removed after it voted', async function () {
      const { registry, founders, applicantId } = await loadFixture(applicantFixture);
      const [a, b, c] = founders;
      await registry.connect(a).approveAdmission(applicantId);
      await voteAll(registry, [b, c], 'voteRemoval', 1);
      await expect(registry.connect(b).approveAdmission(applicantId))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(proposalId(Action.Admit, applicantId, 0, 0), 2, Action.Admit, applicantId, 0, 1, 2);
      expect((await registry.getMember(applicantId)).status).to.equal(Status.Pending);
    });
  });

  describe('quorum edge cases', function () {
    it('one founder with quorum 1 decides alone', async function () {
      const { registry, founders, applicants } = await loadFixture(oneFounderFixture);
      const [founder] = founders;
      const [applicant] = applicants;
      await registry.connect(applicant).applyForMembership(APPLICANT_DID, Role.IssuingPoint, '', label('m'));

      const tx = registry.connect(founder).approveAdmission(2);
      await expect(tx).to.emit(registry, 'ProposalApproved').withArgs(proposalId(Action.Admit, 2, 0, 0), 1, Action.Admit, 2, 0, 1, 1);
      await expect(tx).to.emit(registry, 'MemberStatusChanged').withArgs(2, Status.Pending, Status.Active);
      expect(await registry.activeMemberCount()).to.equal(2);

      await expect(registry.connect(founder).voteSuspension(1)).to.be.revertedWithCustomError(registry, 'CannotVoteOnSelf').withArgs(1);
      await expect(registry.connect(founder).voteSuspension(2))
        .to.emit(registry, 'MemberStatusChanged')
        .withArgs(2, Status.Active, Status.Suspended);
      // The founder is now the only active member: it cannot be suspended, and it can still act alone.
      await expect(registry.connect(founder).voteReinstatement(2))
        .to.emit(registry, 'MemberStatusChanged')
        .withArgs(2, Status.Suspended, Status.Active);
    });

    it('one founder cannot raise the quorum above itself', async function () {
      const { registry, founders } = await loadFixture(oneFounderFixture);
      expect(founders).to.have.length(1);
      await expect(registry.connect(founders[0]).voteQuorum(2))
        .to.be.revertedWithCustomError(registry, 'QuorumOutOfRange')
        .withArgs(2, 1);
      await expect(registry.connect(founders[0]).voteQuorum(1)).to.emit(registry, 'QuorumChanged').withArgs(1, 1);
    });

    it('with quorum equal to the member count, admission needs every member', async function () {
      const { registry, founders, applicants } = await loadFixture(unanimousFixture);
      const [a, b, c] = founders;
      await registry.connect(applicants[0]).applyForMembership(APPLICANT_DID, Role.IssuingPoint, '', label('m'));
      await voteAll(registry, [a, b], 'approveAdmission', 4);
      expect((await registry.getMember(4)).status).to.equal(Status.Pending);
      await expect(registry.connect(c).approveAdmission(4))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(proposalId(Action.Admit, 4, 0, 0), 3, Action.Admit, 4, 0, 3, 3)
        .and.to.emit(registry, 'MemberStatusChanged')
        .withArgs(4, Status.Pending, Status.Active);
    });

    it('with quorum equal to the member count, suspension waits until the quorum is lowered', async function () {
      const { registry, founders } = await loadFixture(unanimousFixture);
      const [a, b, c] = founders;
      await expect(registry.connect(a).voteSuspension(3))
        .to.be.revertedWithCustomError(registry, 'QuorumWouldBecomeUnreachable')
        .withArgs(2, 3);
      await expect(registry.connect(a).voteRemoval(3))
        .to.be.revertedWithCustomError(registry, 'QuorumWouldBecomeUnreachable')
        .withArgs(2, 3);

      await voteQuorumAll(registry, [a, b], 2);
      expect(await registry.quorum()).to.equal(3);
      await expect(registry.connect(c).voteQuorum(2)).to.emit(registry, 'QuorumChanged').withArgs(3, 2);

      await voteAll(registry, [a, b], 'voteSuspension', 3);
      expect((await registry.getMember(3)).status).to.equal(Status.Suspended);
    });
  });
});
