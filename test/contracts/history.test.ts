import { expect } from 'chai';
import { network } from 'hardhat';
import { loadFixture, mine, time } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroAddress } from 'ethers';
import {
  APPLICANT_DID,
  Action,
  Role,
  Status,
  applicantFixture,
  label,
  oneFounderFixture,
  proposalId,
  threeFoundersFixture,
} from './helpers';

const MAX_UINT64 = 2n ** 64n - 1n;

describe('ConfederationRegistry: status history', function () {
  /** The applicant goes Pending -> Active -> Suspended -> Active -> Removed, 100 s apart. */
  async function lifecycleFixture() {
    const base = await applicantFixture();
    const { registry, founders, applicantId } = base;
    const [a, b] = founders;
    const pendingAt = Number((await registry.getMember(applicantId)).statusSince);
    const activeAt = pendingAt + 100;
    const suspendedAt = activeAt + 100;
    const reinstatedAt = suspendedAt + 100;
    const removedAt = reinstatedAt + 100;

    await registry.connect(a).approveAdmission(applicantId);
    await time.setNextBlockTimestamp(activeAt);
    await registry.connect(b).approveAdmission(applicantId);
    await registry.connect(a).voteSuspension(applicantId);
    await time.setNextBlockTimestamp(suspendedAt);
    await registry.connect(b).voteSuspension(applicantId);
    await registry.connect(a).voteReinstatement(applicantId);
    await time.setNextBlockTimestamp(reinstatedAt);
    await registry.connect(b).voteReinstatement(applicantId);
    await registry.connect(a).voteRemoval(applicantId);
    await time.setNextBlockTimestamp(removedAt);
    await registry.connect(b).voteRemoval(applicantId);
    return { ...base, pendingAt, activeAt, suspendedAt, reinstatedAt, removedAt };
  }

  describe('statusHistory', function () {
    it('lists every change, oldest first', async function () {
      const { registry, applicantId, pendingAt, activeAt, suspendedAt, reinstatedAt, removedAt } = await loadFixture(lifecycleFixture);
      const history = await registry.statusHistory(applicantId);
      expect(history.map((h) => [Number(h.since), Number(h.status)])).to.deep.equal([
        [pendingAt, Status.Pending],
        [activeAt, Status.Active],
        [suspendedAt, Status.Suspended],
        [reinstatedAt, Status.Active],
        [removedAt, Status.Removed],
      ]);
      const member = await registry.getMember(applicantId);
      expect(member.status).to.equal(Status.Removed);
      expect(member.statusSince).to.equal(removedAt);
    });

    it('rejects member 0 and a number never issued', async function () {
      const { registry } = await loadFixture(threeFoundersFixture);
      await expect(registry.statusHistory(0)).to.be.revertedWithCustomError(registry, 'UnknownMember').withArgs(0);
      await expect(registry.statusHistory(4)).to.be.revertedWithCustomError(registry, 'UnknownMember').withArgs(4);
    });
  });

  describe('statusAt', function () {
    it('answers the status in force before, at and between changes', async function () {
      const { registry, applicantId, pendingAt, activeAt, suspendedAt, reinstatedAt, removedAt } = await loadFixture(lifecycleFixture);
      const expectations: [number | bigint, number][] = [
        [0, Status.None],
        [pendingAt - 1, Status.None],
        [pendingAt, Status.Pending],
        [pendingAt + 50, Status.Pending],
        [activeAt - 1, Status.Pending],
        [activeAt, Status.Active],
        [activeAt + 1, Status.Active],
        [suspendedAt - 1, Status.Active],
        [suspendedAt, Status.Suspended],
        [reinstatedAt - 1, Status.Suspended],
        [reinstatedAt, Status.Active],
        [removedAt - 1, Status.Active],
        [removedAt, Status.Removed],
        [removedAt + 1_000_000, Status.Removed],
        [MAX_UINT64, Status.Removed],
      ];
      for (const [at, status] of expectations) {
        expect(await registry.statusAt(applicantId, at), `statusAt(${at})`).to.equal(status);
      }
    });

    it('answers founders Active from the deployment on', async function () {
      const { registry, deployedAt } = await loadFixture(threeFoundersFixture);
      expect(await registry.statusAt(1, deployedAt - 1)).to.equal(Status.None);
      expect(await registry.statusAt(1, deployedAt)).to.equal(Status.Active);
    });

    it('answers None for members that do not exist', async function () {
      const { registry } = await loadFixture(threeFoundersFixture);
      expect(await registry.statusAt(0, MAX_UINT64)).to.equal(Status.None);
      expect(await registry.statusAt(99, MAX_UINT64)).to.equal(Status.None);
    });

    it('answers the last of several changes made at the same time', async function () {
      const { registry, founders, applicants } = await loadFixture(oneFounderFixture);
      await network.provider.send('evm_setAutomine', [false]);
      try {
        await registry.connect(applicants[0]).applyForMembership(APPLICANT_DID, Role.IssuingPoint, '', label('m'), { gasLimit: 1_000_000 });
        await registry.connect(founders[0]).approveAdmission(2, { gasLimit: 1_000_000 });
        await mine();
      } finally {
        await network.provider.send('evm_setAutomine', [true]);
      }
      const history = await registry.statusHistory(2);
      expect(history.map((h) => Number(h.status))).to.deep.equal([Status.Pending, Status.Active]);
      const at = history[0].since;
      expect(history[1].since).to.equal(at);
      expect(await registry.statusAt(2, at - 1n)).to.equal(Status.None);
      expect(await registry.statusAt(2, at)).to.equal(Status.Active);
    });
  });

  describe('getMember', function () {
    it('rejects member 0 and a number never issued', async function () {
      const { registry } = await loadFixture(applicantFixture);
      await expect(registry.getMember(0)).to.be.revertedWithCustomError(registry, 'UnknownMember').withArgs(0);
      await expect(registry.getMember(5)).to.be.revertedWithCustomError(registry, 'UnknownMember').withArgs(5);
      expect((await registry.getMember(4)).id).to.equal(4);
    });
  });
});

describe('ConfederationRegistry: metadata and control', function () {
  describe('updateMetadata', function () {
    it('replaces the metadata URI and hash', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      const uri = 'https://founder1.example.org/v2.json';
      const hash = label('v2');
      await expect(registry.connect(founders[0]).updateMetadata(1, uri, hash))
        .to.emit(registry, 'MemberMetadataUpdated')
        .withArgs(1, uri, hash);
      const member = await registry.getMember(1);
      expect(member.metadataURI).to.equal(uri);
      expect(member.metadataHash).to.equal(hash);
      expect((await registry.getMember(2)).metadataHash).to.equal(label('founder2 metadata'));
    });

    it('lets a pending applicant update its own metadata', async function () {
      const { registry, applicant, applicantId } = await loadFixture(applicantFixture);
      await expect(registry.connect(applicant).updateMetadata(applicantId, 'ipfs://new', label('new')))
        .to.emit(registry, 'MemberMetadataUpdated')
        .withArgs(applicantId, 'ipfs://new', label('new'));
    });

    it('rejects anyone but the controller, and unknown members', async function () {
      const { registry, founders, stranger } = await loadFixture(threeFoundersFixture);
      await expect(registry.connect(founders[1]).updateMetadata(1, 'x', label('x')))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, founders[1].address);
      await expect(registry.connect(stranger).updateMetadata(1, 'x', label('x')))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, stranger.address);
      await expect(registry.connect(founders[0]).updateMetadata(9, 'x', label('x')))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(9);
    });
  });

  describe('changeController', function () {
    async function handedOverFixture() {
      const base = await applicantFixture();
      const { registry, founders, stranger } = base;
      await registry.connect(founders[0]).approveAdmission(base.applicantId);
      await registry.connect(founders[0]).changeController(1, stranger.address);
      return { ...base, oldController: founders[0], newController: stranger };
    }

    it('hands the member to the new account', async function () {
      const { registry, founders, stranger } = await loadFixture(threeFoundersFixture);
      await expect(registry.connect(founders[0]).changeController(1, stranger.address))
        .to.emit(registry, 'ControllerChanged')
        .withArgs(1, founders[0].address, stranger.address);
      expect((await registry.getMember(1)).controller).to.equal(stranger.address);
      expect(await registry.memberIdByController(stranger.address)).to.equal(1);
      expect(await registry.memberIdByController(founders[0].address)).to.equal(0);
    });

    it('takes every right away from the old controller', async function () {
      const { registry, oldController } = await loadFixture(handedOverFixture);
      await expect(registry.connect(oldController).updateMetadata(1, 'x', label('x')))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, oldController.address);
      await expect(registry.connect(oldController).voteSuspension(3))
        .to.be.revertedWithCustomError(registry, 'NotAMember')
        .withArgs(oldController.address);
      await expect(registry.connect(oldController).registerKey(1, label('key'), 0, 0))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, oldController.address);
      await expect(registry.connect(oldController).changeController(1, oldController.address))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, oldController.address);
    });

    it('gives the new controller the member, its rights and its past votes', async function () {
      const { registry, newController, applicantId } = await loadFixture(handedOverFixture);
      await expect(registry.connect(newController).updateMetadata(1, 'x', label('x'))).to.emit(registry, 'MemberMetadataUpdated');
      await expect(registry.connect(newController).voteSuspension(3))
        .to.emit(registry, 'ProposalApproved')
        .withArgs(proposalId(Action.Suspend, 3, 0, 0), 1, Action.Suspend, 3, 0, 1, 2);
      // Member 1 approved the admission under its old controller: the vote is the member's.
      await expect(registry.connect(newController).approveAdmission(applicantId))
        .to.be.revertedWithCustomError(registry, 'AlreadyApproved')
        .withArgs(proposalId(Action.Admit, applicantId, 0, 0), 1);
    });

    it('rejects an account that already controls a member, including the caller', async function () {
      const { registry, founders, applicant } = await loadFixture(applicantFixture);
      const a = registry.connect(founders[0]);
      await expect(a.changeController(1, founders[1].address))
        .to.be.revertedWithCustomError(registry, 'ControllerAlreadyInUse')
        .withArgs(founders[1].address, 2);
      await expect(a.changeController(1, applicant.address))
        .to.be.revertedWithCustomError(registry, 'ControllerAlreadyInUse')
        .withArgs(applicant.address, 4);
      await expect(a.changeController(1, founders[0].address))
        .to.be.revertedWithCustomError(registry, 'ControllerAlreadyInUse')
        .withArgs(founders[0].address, 1);
    });

    it('rejects the zero address, other accounts and unknown members', async function () {
      const { registry, founders, stranger } = await loadFixture(threeFoundersFixture);
      await expect(registry.connect(founders[0]).changeController(1, ZeroAddress)).to.be.revertedWithCustomError(registry, 'ZeroAddress');
      await expect(registry.connect(founders[1]).changeController(1, stranger.address))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, founders[1].address);
      await expect(registry.connect(founders[0]).changeController(0, stranger.address))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(0);
      expect(await registry.memberIdByController(founders[0].address)).to.equal(1);
    });

    it('frees the old account to apply for a member of its own', async function () {
      const { registry, oldController } = await loadFixture(handedOverFixture);
      await expect(registry.connect(oldController).applyForMembership('did:web:new.example', Role.IssuingPoint, '', label('n')))
        .to.emit(registry, 'MemberApplied')
        .withArgs(5, 'did:web:new.example', oldController.address, Role.IssuingPoint, '', label('n'));
    });
  });
});
