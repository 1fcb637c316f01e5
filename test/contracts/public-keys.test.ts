import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { concat, hexlify, keccak256, randomBytes } from 'ethers';
import { applicantFixture } from './helpers';

/** Multicodec public keys as registerPublicKey takes them (docs/formats.md). */
const ED25519_KEY = hexlify(concat(['0xed01', randomBytes(32)]));
const P256_KEY = hexlify(concat(['0x802403', randomBytes(32)]));

describe('ConfederationRegistry: registerPublicKey', function () {
  async function nextTime(): Promise<number> {
    const now = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(now);
    return now;
  }

  for (const [name, publicKey] of [
    ['an Ed25519 key (0xed01 + 32 bytes)', ED25519_KEY],
    ['a compressed P-256 key (0x8024 + 0x03 + 32 bytes)', P256_KEY],
    ['a compressed P-256 key with an even point (0x02)', hexlify(concat(['0x802402', randomBytes(32)]))],
  ]) {
    it(`registers ${name} by keccak256 of it, as registerKey would, and publishes the key`, async function () {
      const { registry, founders } = await loadFixture(applicantFixture);
      const keyHash = keccak256(publicKey);
      const now = await nextTime();
      await expect(registry.connect(founders[0]).registerPublicKey(1, publicKey, 0, now + 100))
        .to.emit(registry, 'SigningKeyRegistered')
        .withArgs(1, keyHash, now, now + 100)
        .and.to.emit(registry, 'SigningKeyPublished')
        .withArgs(1, keyHash, publicKey);
      const key = await registry.getKey(keyHash);
      expect([Number(key.memberId), Number(key.validFrom), Number(key.validUntil), key.revoked]).to.deep.equal([1, now, now + 100, false]);
      expect(await registry.isKeyValidAt(1, keyHash, now)).to.equal(true);
    });
  }

  it('rejects a key of the wrong length, with MalformedPublicKey', async function () {
    const { registry, founders } = await loadFixture(applicantFixture);
    for (const bad of [
      hexlify(concat(['0xed01', randomBytes(31)])),
      hexlify(concat(['0xed01', randomBytes(33)])),
      hexlify(concat(['0x802402', randomBytes(31)])),
      hexlify(concat(['0x802402', randomBytes(33)])),
      '0x',
    ]) {
      await expect(registry.connect(founders[0]).registerPublicKey(1, bad, 0, 0))
        .to.be.revertedWithCustomError(registry, 'MalformedPublicKey')
        .withArgs(bad);
    }
  });

  it('rejects a key with a wrong multicodec or point prefix, with MalformedPublicKey', async function () {
    const { registry, founders } = await loadFixture(applicantFixture);
    for (const bad of [
      hexlify(concat(['0xe701', randomBytes(32)])), // secp256k1's codec, Ed25519's length
      hexlify(concat(['0xed02', randomBytes(32)])),
      hexlify(concat(['0x8124', '0x02', randomBytes(32)])),
      hexlify(concat(['0x8025', '0x02', randomBytes(32)])),
      hexlify(concat(['0x8024', '0x04', randomBytes(32)])), // uncompressed marker
      hexlify(concat(['0xed01', randomBytes(33)]).slice(0, 72)), // Ed25519 prefix at P-256's length
    ]) {
      await expect(registry.connect(founders[0]).registerPublicKey(1, bad, 0, 0))
        .to.be.revertedWithCustomError(registry, 'MalformedPublicKey')
        .withArgs(bad);
    }
  });

  it('rejects anyone but the controller, and unknown members', async function () {
    const { registry, founders, stranger } = await loadFixture(applicantFixture);
    await expect(registry.connect(founders[1]).registerPublicKey(1, ED25519_KEY, 0, 0))
      .to.be.revertedWithCustomError(registry, 'NotController')
      .withArgs(1, await founders[1].getAddress());
    await expect(registry.connect(stranger).registerPublicKey(1, ED25519_KEY, 0, 0))
      .to.be.revertedWithCustomError(registry, 'NotController')
      .withArgs(1, await stranger.getAddress());
    await expect(registry.connect(founders[0]).registerPublicKey(7, ED25519_KEY, 0, 0)).to.be.revertedWithCustomError(
      registry,
      'UnknownMember',
    );
  });

  it('rejects a key already registered, by hash or by key, to this or another member', async function () {
    const { registry, founders } = await loadFixture(applicantFixture);
    const keyHash = keccak256(ED25519_KEY);
    await registry.connect(founders[0]).registerPublicKey(1, ED25519_KEY, 0, 0);
    await expect(registry.connect(founders[0]).registerPublicKey(1, ED25519_KEY, 0, 0))
      .to.be.revertedWithCustomError(registry, 'KeyAlreadyRegistered')
      .withArgs(keyHash, 1);
    await expect(registry.connect(founders[1]).registerPublicKey(2, ED25519_KEY, 0, 0))
      .to.be.revertedWithCustomError(registry, 'KeyAlreadyRegistered')
      .withArgs(keyHash, 1);
    await expect(registry.connect(founders[1]).registerKey(2, keyHash, 0, 0))
      .to.be.revertedWithCustomError(registry, 'KeyAlreadyRegistered')
      .withArgs(keyHash, 1);
    await registry.connect(founders[1]).registerKey(2, keccak256(P256_KEY), 0, 0);
    await expect(registry.connect(founders[1]).registerPublicKey(2, P256_KEY, 0, 0))
      .to.be.revertedWithCustomError(registry, 'KeyAlreadyRegistered')
      .withArgs(keccak256(P256_KEY), 2);
  });

  it('applies registerKey’s validity window rule', async function () {
    const { registry, founders } = await loadFixture(applicantFixture);
    const now = await nextTime();
    await expect(registry.connect(founders[0]).registerPublicKey(1, ED25519_KEY, now - 1, 0))
      .to.be.revertedWithCustomError(registry, 'InvalidValidityWindow')
      .withArgs(now - 1, 0, now);
  });
});
