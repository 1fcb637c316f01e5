// Issue #17, point 8: a suspended or removed member's credentials can still be revoked, by its controller or by
// the quorum; its notaries and revokers lose that power with its status.
import { expect } from 'chai';
import { AbiCoder, keccak256 } from 'ethers';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { Action, Status, label, notariesFixture, proposalId, voteAll } from './helpers';

const D1 = label('former member digest 1');
const D2 = label('former member digest 2');

function batchValue(digests: string[], reason: number): bigint {
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(['bytes32[]', 'uint8'], [digests, reason])));
}

describe('ConfederationRegistry: revoking a former member\'s credentials', function () {
  for (const vote of ['voteSuspension', 'voteRemoval'] as const) {
    it(`lets the controller of a member after ${vote} revoke, and not its notary`, async function () {
      const { registry, founders, notaryA } = await loadFixture(notariesFixture);
      const [a, b, c] = founders;
      await voteAll(registry, [b, c], vote, 1);
      await expect(registry.connect(a).revokeCredentials(1, [D1], 3)).to.emit(registry, 'CredentialRevoked').withArgs(1, D1, 3);
      expect((await registry.revocationOf(1, D1)).reason).to.equal(3);
      await expect(registry.connect(notaryA).revokeCredentials(1, [D2], 3)).to.be.revertedWithCustomError(registry, 'MemberNotActive');
    });
  }

  it('lets the quorum revoke a removed member\'s credentials, once the same batch has its approvals', async function () {
    const { registry, founders } = await loadFixture(notariesFixture);
    const [, b, c] = founders;
    await voteAll(registry, [b, c], 'voteRemoval', 1);
    // Two active members are left (2 and 3), quorum 2.
    const first = registry.connect(b).voteCredentialRevocation(1, [D1, D2], 5);
    await expect(first)
      .to.emit(registry, 'ProposalApproved')
      .withArgs(proposalId(Action.RevokeCredentials, 1, batchValue([D1, D2], 5), 1), 2, Action.RevokeCredentials, 1, batchValue([D1, D2], 5), 1, 2);
    expect((await registry.revocationOf(1, D1)).revokedAt).to.equal(0);
    // Another batch does not add to it.
    await registry.connect(c).voteCredentialRevocation(1, [D1], 5);
    expect((await registry.revocationOf(1, D1)).revokedAt).to.equal(0);
    await expect(registry.connect(c).voteCredentialRevocation(1, [D1, D2], 5))
      .to.emit(registry, 'CredentialRevoked')
      .withArgs(1, D2, 5);
    expect((await registry.revocationOf(1, D1)).reason).to.equal(5);
  });

  it('refuses a quorum revocation for an active member: its own accounts revoke', async function () {
    const { registry, founders } = await loadFixture(notariesFixture);
    await expect(registry.connect(founders[1]).voteCredentialRevocation(1, [D1], 1))
      .to.be.revertedWithCustomError(registry, 'InvalidTransition')
      .withArgs(1, Status.Active, Action.RevokeCredentials);
  });
});
