import { expect } from 'chai';
import hre from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash, type ContractTransactionResponse } from 'ethers';
import type { ConfederationRegistry } from '../../typechain-types';
import { Status, applicantFixture, label, notariesFixture, timeOf, voteAll } from './helpers';

const ROOT = label('root of batch 1');
const D1 = label('digest 1');
const D2 = label('digest 2');
const D3 = label('digest 3');

/** The most gas one anchor may cost (DESIGN.md: one new storage slot and one event). */
const ANCHOR_GAS_CEILING = 50_000n;

/** solidity-coverage instruments the contract, so its gas figures say nothing about the real one. */
function underCoverage(): boolean {
  return (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
}

/** The digests of the CredentialRevoked events that `tx` emitted, in order. */
async function revokedDigests(registry: ConfederationRegistry, tx: ContractTransactionResponse): Promise<string[]> {
  const receipt = await tx.wait();
  return receipt!.logs
    .map((log) => registry.interface.parseLog(log))
    .filter((event) => event?.name === 'CredentialRevoked')
    .map((event) => event!.args.digest as string);
}

describe('ConfederationRegistry: anchors', function () {
  describe('anchor', function () {
    it('records the time and the member, and emits RootAnchored', async function () {
      const { registry, notaryA } = await loadFixture(notariesFixture);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(registry.connect(notaryA).anchor(ROOT)).to.emit(registry, 'RootAnchored').withArgs(ROOT, 1);
      const [anchoredAt, memberId] = await registry.getAnchor(ROOT);
      expect(anchoredAt).to.equal(at);
      expect(memberId).to.equal(1);
    });

    it('answers (0, 0) for a root never anchored', async function () {
      const { registry } = await loadFixture(notariesFixture);
      const [anchoredAt, memberId] = await registry.getAnchor(ROOT);
      expect(anchoredAt).to.equal(0);
      expect(memberId).to.equal(0);
    });

    it(`costs at most ${ANCHOR_GAS_CEILING} gas`, async function () {
      if (underCoverage()) this.skip();
      const { registry, notaryA } = await loadFixture(notariesFixture);
      await registry.connect(notaryA).anchor(label('warm-up'));
      const receipt = await (await registry.connect(notaryA).anchor(ROOT)).wait();
      expect(receipt!.gasUsed).to.be.at.most(ANCHOR_GAS_CEILING);
    });

    it('rejects the zero root', async function () {
      const { registry, notaryA } = await loadFixture(notariesFixture);
      await expect(registry.connect(notaryA).anchor(ZeroHash)).to.be.revertedWithCustomError(registry, 'ZeroRoot');
    });

    it('writes a root once, whoever tries again', async function () {
      const { registry, notaryA, notaryB } = await loadFixture(notariesFixture);
      const at = await timeOf(registry.connect(notaryA).anchor(ROOT));
      await expect(registry.connect(notaryA).anchor(ROOT)).to.be.revertedWithCustomError(registry, 'RootAlreadyAnchored').withArgs(ROOT, at);
      await expect(registry.connect(notaryB).anchor(ROOT)).to.be.revertedWithCustomError(registry, 'RootAlreadyAnchored').withArgs(ROOT, at);
      const [anchoredAt, memberId] = await registry.getAnchor(ROOT);
      expect([anchoredAt, memberId]).to.deep.equal([BigInt(at), 1n]);
    });

    it('rejects accounts that are not notaries, controllers included', async function () {
      const { registry, founders, stranger } = await loadFixture(notariesFixture);
      await expect(registry.connect(stranger).anchor(ROOT)).to.be.revertedWithCustomError(registry, 'NotANotary').withArgs(stranger.address);
      await expect(registry.connect(founders[0]).anchor(ROOT))
        .to.be.revertedWithCustomError(registry, 'NotANotary')
        .withArgs(founders[0].address);
    });

    it('rejects the notary of a suspended or removed member', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      const [, b, c] = founders;
      await voteAll(registry, [b, c], 'voteSuspension', 1);
      await expect(registry.connect(notaryA).anchor(ROOT))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(1, Status.Suspended);
      await voteAll(registry, [b, c], 'voteRemoval', 1);
      await expect(registry.connect(notaryA).anchor(ROOT))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(1, Status.Removed);
      expect((await registry.getAnchor(ROOT))[0]).to.equal(0);
    });
  });

  describe('revokeCredentials', function () {
    it('lets the controller revoke, once per digest', async function () {
      const { registry, founders } = await loadFixture(notariesFixture);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      const tx = registry.connect(founders[0]).revokeCredentials(1, [D1, D2], 3);
      await expect(tx).to.emit(registry, 'CredentialRevoked').withArgs(1, D1, 3);
      await expect(tx).to.emit(registry, 'CredentialRevoked').withArgs(1, D2, 3);
      for (const digest of [D1, D2]) {
        const [revokedAt, reason] = await registry.revocationOf(1, digest);
        expect([revokedAt, reason]).to.deep.equal([BigInt(at), 3n]);
      }
      const [revokedAt, reason] = await registry.revocationOf(1, D3);
      expect([revokedAt, reason]).to.deep.equal([0n, 0n]);
    });

    it("lets the member's notary revoke", async function () {
      const { registry, notaryA } = await loadFixture(notariesFixture);
      const at = await timeOf(registry.connect(notaryA).revokeCredentials(1, [D1], 1));
      const [revokedAt, reason] = await registry.revocationOf(1, D1);
      expect([revokedAt, reason]).to.deep.equal([BigInt(at), 1n]);
    });

    it('keeps revocations apart per member', async function () {
      const { registry, founders } = await loadFixture(notariesFixture);
      await registry.connect(founders[1]).revokeCredentials(2, [D1], 1);
      expect((await registry.revocationOf(1, D1))[0]).to.equal(0);
      expect((await registry.revocationOf(2, D1))[0]).to.not.equal(0);
    });

    it('rejects anyone who is neither the controller nor a notary of the member', async function () {
      const { registry, founders, notaryB, stranger } = await loadFixture(notariesFixture);
      for (const account of [stranger, notaryB, founders[1]]) {
        await expect(registry.connect(account).revokeCredentials(1, [D1], 1))
          .to.be.revertedWithCustomError(registry, 'NotAuthorisedForMember')
          .withArgs(account.address, 1);
      }
      await expect(registry.connect(founders[0]).revokeCredentials(9, [D1], 1))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(9);
    });

    it('rejects an empty batch', async function () {
      const { registry, founders } = await loadFixture(notariesFixture);
      await expect(registry.connect(founders[0]).revokeCredentials(1, [], 1)).to.be.revertedWithCustomError(registry, 'EmptyRevocationBatch');
    });

    // Its controller still can: test/contracts/former-members.test.ts.
    it('rejects a suspended member, through its notary', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      const [, b, c] = founders;
      await voteAll(registry, [b, c], 'voteSuspension', 1);
      for (const account of [notaryA]) {
        await expect(registry.connect(account).revokeCredentials(1, [D1], 1))
          .to.be.revertedWithCustomError(registry, 'MemberNotActive')
          .withArgs(1, Status.Suspended);
      }
    });

    it('rejects a pending applicant', async function () {
      const { registry, applicant, applicantId } = await loadFixture(applicantFixture);
      await expect(registry.connect(applicant).revokeCredentials(applicantId, [D1], 1))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(applicantId, Status.Pending);
    });

    it('keeps the first time and reason, and stays silent, when a digest is revoked again', async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      const first = await timeOf(registry.connect(founders[0]).revokeCredentials(1, [D1], 1));
      await time.increase(100);
      const tx = await registry.connect(notaryA).revokeCredentials(1, [D1, D2], 2);
      expect(await revokedDigests(registry, tx)).to.deep.equal([D2]);
      await expect(registry.connect(founders[0]).revokeCredentials(1, [D1], 5)).not.to.emit(registry, 'CredentialRevoked');
      const [revokedAt, reason] = await registry.revocationOf(1, D1);
      expect([revokedAt, reason]).to.deep.equal([BigInt(first), 1n]);
    });

    it('revokes a digest repeated in one batch once', async function () {
      const { registry, founders } = await loadFixture(notariesFixture);
      const tx = await registry.connect(founders[0]).revokeCredentials(1, [D1, D2, D1, D1], 4);
      expect(await revokedDigests(registry, tx)).to.deep.equal([D1, D2]);
      expect((await registry.revocationOf(1, D1))[1]).to.equal(4);
    });
  });
});
