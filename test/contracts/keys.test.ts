import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash } from 'ethers';
import { Status, applicantFixture, label, threeFoundersFixture, voteAll } from './helpers';

const KEY = label('public key of member 1');
const OTHER_KEY = label('public key of member 2');
const MAX_UINT64 = 2n ** 64n - 1n;

/** A time a little ahead of the chain, for the next block. */
async function nextTime(): Promise<number> {
  return (await time.latest()) + 10;
}

function keyFields(key: { memberId: bigint; validFrom: bigint; validUntil: bigint; compromisedAt: bigint; revoked: boolean }) {
  return [Number(key.memberId), Number(key.validFrom), Number(key.validUntil), Number(key.compromisedAt), key.revoked];
}

describe('ConfederationRegistry: signing keys', function () {
  /** Member 1 has KEY, registered at `registeredAt` with no planned end. */
  async function keyFixture() {
    const base = await applicantFixture();
    const registeredAt = await nextTime();
    await time.setNextBlockTimestamp(registeredAt);
    await base.registry.connect(base.founders[0]).registerKey(1, KEY, 0, 0);
    return { ...base, registeredAt };
  }

  describe('registerKey', function () {
    it('starts the key now when validFrom is 0', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const now = await nextTime();
      await time.setNextBlockTimestamp(now);
      await expect(registry.connect(founders[0]).registerKey(1, KEY, 0, 0))
        .to.emit(registry, 'SigningKeyRegistered')
        .withArgs(1, KEY, now, 0);
      expect(keyFields(await registry.getKey(KEY))).to.deep.equal([1, now, 0, 0, false]);
    });

    it('accepts an explicit window that starts now or later', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const now = await nextTime();
      await time.setNextBlockTimestamp(now);
      await expect(registry.connect(founders[0]).registerKey(1, KEY, now + 1000, now + 2000))
        .to.emit(registry, 'SigningKeyRegistered')
        .withArgs(1, KEY, now + 1000, now + 2000);
      expect(keyFields(await registry.getKey(KEY))).to.deep.equal([1, now + 1000, now + 2000, 0, false]);

      const later = now + 10;
      await time.setNextBlockTimestamp(later);
      await expect(registry.connect(founders[0]).registerKey(1, OTHER_KEY, later, later + 1))
        .to.emit(registry, 'SigningKeyRegistered')
        .withArgs(1, OTHER_KEY, later, later + 1);
    });

    it('rejects a window that starts in the past', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const now = await nextTime();
      await time.setNextBlockTimestamp(now);
      await expect(registry.connect(founders[0]).registerKey(1, KEY, now - 1, 0))
        .to.be.revertedWithCustomError(registry, 'InvalidValidityWindow')
        .withArgs(now - 1, 0, now);
    });

    it('rejects a window that ends when or before it starts', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const a = registry.connect(founders[0]);
      let now = await nextTime();
      await time.setNextBlockTimestamp(now);
      await expect(a.registerKey(1, KEY, 0, now)).to.be.revertedWithCustomError(registry, 'InvalidValidityWindow').withArgs(0, now, now);
      now = await nextTime();
      await time.setNextBlockTimestamp(now);
      await expect(a.registerKey(1, KEY, now + 10, now + 10))
        .to.be.revertedWithCustomError(registry, 'InvalidValidityWindow')
        .withArgs(now + 10, now + 10, now);
      now = await nextTime();
      await time.setNextBlockTimestamp(now);
      await expect(a.registerKey(1, KEY, now + 10, now + 5))
        .to.be.revertedWithCustomError(registry, 'InvalidValidityWindow')
        .withArgs(now + 10, now + 5, now);
      expect((await registry.getKey(KEY)).memberId).to.equal(0);
    });

    it('rejects a key already registered, by the same or another member, even after revocation', async function () {
      const { registry, founders } = await loadFixture(keyFixture);
      await expect(registry.connect(founders[0]).registerKey(1, KEY, 0, 0))
        .to.be.revertedWithCustomError(registry, 'KeyAlreadyRegistered')
        .withArgs(KEY, 1);
      await expect(registry.connect(founders[1]).registerKey(2, KEY, 0, 0))
        .to.be.revertedWithCustomError(registry, 'KeyAlreadyRegistered')
        .withArgs(KEY, 1);
      await registry.connect(founders[0]).revokeKey(1, KEY, 0);
      await expect(registry.connect(founders[1]).registerKey(2, KEY, 0, 0))
        .to.be.revertedWithCustomError(registry, 'KeyAlreadyRegistered')
        .withArgs(KEY, 1);
    });

    it('rejects the zero key hash', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      await expect(registry.connect(founders[0]).registerKey(1, ZeroHash, 0, 0)).to.be.revertedWithCustomError(registry, 'ZeroKeyHash');
    });

    it('rejects anyone but the controller, and unknown members', async function () {
      const { registry, founders, stranger } = await loadFixture(applicantFixture);
      await expect(registry.connect(founders[1]).registerKey(1, KEY, 0, 0))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, founders[1].address);
      await expect(registry.connect(stranger).registerKey(1, KEY, 0, 0))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, stranger.address);
      await expect(registry.connect(founders[0]).registerKey(7, KEY, 0, 0))
        .to.be.revertedWithCustomError(registry, 'UnknownMember')
        .withArgs(7);
    });

    it('accepts a pending applicant', async function () {
      const { registry, applicant, applicantId } = await loadFixture(applicantFixture);
      await expect(registry.connect(applicant).registerKey(applicantId, KEY, 0, 0)).to.emit(registry, 'SigningKeyRegistered');
      expect((await registry.getKey(KEY)).memberId).to.equal(applicantId);
    });

    it('rejects a suspended or removed member', async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const [a, b, c] = founders;
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await expect(registry.connect(c).registerKey(3, KEY, 0, 0))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(3, Status.Suspended);
      await voteAll(registry, [a, b], 'voteRemoval', 3);
      await expect(registry.connect(c).registerKey(3, KEY, 0, 0))
        .to.be.revertedWithCustomError(registry, 'MemberNotActive')
        .withArgs(3, Status.Removed);
    });

    it('answers an all-zero key for an unknown hash', async function () {
      const { registry } = await loadFixture(keyFixture);
      expect(keyFields(await registry.getKey(OTHER_KEY))).to.deep.equal([0, 0, 0, 0, false]);
    });
  });

  describe('revokeKey', function () {
    it('revokes from now when compromisedAt is 0', async function () {
      const { registry, founders, registeredAt } = await loadFixture(keyFixture);
      const now = registeredAt + 100;
      await time.setNextBlockTimestamp(now);
      await expect(registry.connect(founders[0]).revokeKey(1, KEY, 0)).to.emit(registry, 'SigningKeyRevoked').withArgs(1, KEY, now);
      expect(keyFields(await registry.getKey(KEY))).to.deep.equal([1, registeredAt, 0, now, true]);
    });

    it('accepts a compromise time in the past', async function () {
      const { registry, founders, registeredAt } = await loadFixture(keyFixture);
      await time.setNextBlockTimestamp(registeredAt + 100);
      await expect(registry.connect(founders[0]).revokeKey(1, KEY, registeredAt + 40))
        .to.emit(registry, 'SigningKeyRevoked')
        .withArgs(1, KEY, registeredAt + 40);
      expect((await registry.getKey(KEY)).compromisedAt).to.equal(registeredAt + 40);
    });

    it('rejects a compromise time in the future', async function () {
      const { registry, founders, registeredAt } = await loadFixture(keyFixture);
      const now = registeredAt + 100;
      await time.setNextBlockTimestamp(now);
      await expect(registry.connect(founders[0]).revokeKey(1, KEY, now + 1))
        .to.be.revertedWithCustomError(registry, 'InvalidCompromiseTime')
        .withArgs(now + 1, now);
      expect((await registry.getKey(KEY)).revoked).to.equal(false);
    });

    it('lets a second revocation move the compromise time earlier, never later', async function () {
      const { registry, founders, registeredAt } = await loadFixture(keyFixture);
      const a = registry.connect(founders[0]);
      const first = registeredAt + 50;
      await time.setNextBlockTimestamp(registeredAt + 100);
      await a.revokeKey(1, KEY, first);

      await expect(a.revokeKey(1, KEY, first + 1))
        .to.be.revertedWithCustomError(registry, 'InvalidCompromiseTime')
        .withArgs(first + 1, first - 1);
      // The same statement again changes nothing, so it is refused instead of being logged twice.
      await expect(a.revokeKey(1, KEY, first))
        .to.be.revertedWithCustomError(registry, 'InvalidCompromiseTime')
        .withArgs(first, first - 1);
      const now = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(now);
      await expect(a.revokeKey(1, KEY, 0)).to.be.revertedWithCustomError(registry, 'InvalidCompromiseTime').withArgs(now, first - 1);

      await expect(a.revokeKey(1, KEY, first - 20)).to.emit(registry, 'SigningKeyRevoked').withArgs(1, KEY, first - 20);
      expect((await registry.getKey(KEY)).compromisedAt).to.equal(first - 20);
    });

    it("rejects an unknown key and another member's key", async function () {
      const { registry, founders } = await loadFixture(keyFixture);
      await expect(registry.connect(founders[0]).revokeKey(1, OTHER_KEY, 0))
        .to.be.revertedWithCustomError(registry, 'UnknownKey')
        .withArgs(1, OTHER_KEY);
      await expect(registry.connect(founders[1]).revokeKey(2, KEY, 0))
        .to.be.revertedWithCustomError(registry, 'UnknownKey')
        .withArgs(2, KEY);
      expect((await registry.getKey(KEY)).revoked).to.equal(false);
    });

    it('rejects anyone but the controller', async function () {
      const { registry, founders } = await loadFixture(keyFixture);
      await expect(registry.connect(founders[1]).revokeKey(1, KEY, 0))
        .to.be.revertedWithCustomError(registry, 'NotController')
        .withArgs(1, founders[1].address);
    });

    it('is allowed while suspended and after removal', async function () {
      const { registry, founders } = await loadFixture(keyFixture);
      const [a, b, c] = founders;
      const registeredAt = await nextTime();
      await time.setNextBlockTimestamp(registeredAt);
      await registry.connect(c).registerKey(3, OTHER_KEY, 0, 0);
      await voteAll(registry, [a, b], 'voteSuspension', 3);
      await time.increase(100);
      await expect(registry.connect(c).revokeKey(3, OTHER_KEY, registeredAt + 5))
        .to.emit(registry, 'SigningKeyRevoked')
        .withArgs(3, OTHER_KEY, registeredAt + 5);
      await voteAll(registry, [a, b], 'voteRemoval', 3);
      await expect(registry.connect(c).revokeKey(3, OTHER_KEY, registeredAt + 1))
        .to.emit(registry, 'SigningKeyRevoked')
        .withArgs(3, OTHER_KEY, registeredAt + 1);
      expect(await registry.getMember(3).then((m) => m.status)).to.equal(Status.Removed);
    });
  });

  describe('isKeyValidAt', function () {
    /** KEY: [from, until), never revoked. OTHER_KEY: from `otherFrom`, no end, compromised at `compromisedAt`. */
    async function windowFixture() {
      const base = await threeFoundersFixture();
      const { registry, founders } = base;
      const now = await nextTime();
      await time.setNextBlockTimestamp(now);
      const from = now + 100;
      const until = now + 200;
      await registry.connect(founders[0]).registerKey(1, KEY, from, until);

      const otherFrom = now + 1;
      await time.setNextBlockTimestamp(otherFrom);
      await registry.connect(founders[1]).registerKey(2, OTHER_KEY, 0, 0);
      const compromisedAt = otherFrom + 30;
      await time.setNextBlockTimestamp(otherFrom + 60);
      await registry.connect(founders[1]).revokeKey(2, OTHER_KEY, compromisedAt);
      return { ...base, from, until, otherFrom, compromisedAt };
    }

    it('includes validFrom and excludes validUntil', async function () {
      const { registry, from, until } = await loadFixture(windowFixture);
      expect(await registry.isKeyValidAt(1, KEY, from - 1)).to.equal(false);
      expect(await registry.isKeyValidAt(1, KEY, from)).to.equal(true);
      expect(await registry.isKeyValidAt(1, KEY, until - 1)).to.equal(true);
      expect(await registry.isKeyValidAt(1, KEY, until)).to.equal(false);
      expect(await registry.isKeyValidAt(1, KEY, MAX_UINT64)).to.equal(false);
    });

    it('excludes the compromise time and everything after it', async function () {
      const { registry, otherFrom, compromisedAt } = await loadFixture(windowFixture);
      expect(await registry.isKeyValidAt(2, OTHER_KEY, otherFrom - 1)).to.equal(false);
      expect(await registry.isKeyValidAt(2, OTHER_KEY, otherFrom)).to.equal(true);
      expect(await registry.isKeyValidAt(2, OTHER_KEY, compromisedAt - 1)).to.equal(true);
      expect(await registry.isKeyValidAt(2, OTHER_KEY, compromisedAt)).to.equal(false);
      expect(await registry.isKeyValidAt(2, OTHER_KEY, MAX_UINT64)).to.equal(false);
    });

    it('keeps a key without planned end valid until it is revoked', async function () {
      const { registry, founders } = await loadFixture(threeFoundersFixture);
      await registry.connect(founders[0]).registerKey(1, KEY, 0, 0);
      expect(await registry.isKeyValidAt(1, KEY, MAX_UINT64)).to.equal(true);
    });

    it('answers false for another member, member 0 and an unknown key', async function () {
      const { registry, from } = await loadFixture(windowFixture);
      expect(await registry.isKeyValidAt(2, KEY, from)).to.equal(false);
      expect(await registry.isKeyValidAt(0, KEY, from)).to.equal(false);
      expect(await registry.isKeyValidAt(0, label('unknown'), from)).to.equal(false);
      expect(await registry.isKeyValidAt(1, label('unknown'), from)).to.equal(false);
    });
  });
});
