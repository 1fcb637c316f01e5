import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { keyValidAt, type KeyValidity, type SigningKey } from '../../service/registry';
import { label, threeFoundersFixture } from '../contracts/helpers';

const OPEN = label('key: open-ended');
const WINDOW = label('key: window');
const REVOKED = label('key: revoked');
const REVOKED_WINDOW = label('key: revoked after its window');
const COMPROMISED_EARLY = label('key: compromised before its start');
const OF_MEMBER_2 = label('key: member 2');
const UNKNOWN = label('key: never registered');

/**
 * Keys of member 1 (and one of member 2) with every shape of validity, times relative to T (the chain's time at
 * registration): OPEN [T+100, open); WINDOW [T+100, T+200); REVOKED [T+100, open) compromised at T+150;
 * REVOKED_WINDOW [T+100, T+200) compromised at T+250; COMPROMISED_EARLY [T+100, open) compromised at T+50.
 */
async function keysFixture() {
  const base = await threeFoundersFixture();
  const [a, b] = base.founders;
  const T = (await time.latest()) + 10;
  await time.setNextBlockTimestamp(T);
  await base.registry.connect(a).registerKey(1, OPEN, T + 100, 0);
  await base.registry.connect(a).registerKey(1, WINDOW, T + 100, T + 200);
  await base.registry.connect(a).registerKey(1, REVOKED, T + 100, 0);
  await base.registry.connect(a).registerKey(1, REVOKED_WINDOW, T + 100, T + 200);
  await base.registry.connect(a).registerKey(1, COMPROMISED_EARLY, T + 100, 0);
  await base.registry.connect(b).registerKey(2, OF_MEMBER_2, 0, 0);
  await time.increaseTo(T + 300);
  await base.registry.connect(a).revokeKey(1, REVOKED, T + 150);
  await base.registry.connect(a).revokeKey(1, REVOKED_WINDOW, T + 250);
  await base.registry.connect(a).revokeKey(1, COMPROMISED_EARLY, T + 50);
  return { ...base, T };
}

type Reason = Extract<KeyValidity, { valid: false }>['reason'] | 'valid';

/** [what the case is about, member asked for, key, time - T, expected answer] */
const CASES: [string, number, string, number, Reason][] = [
  ['one second before validFrom', 1, OPEN, 99, 'not-yet-valid'],
  ['at validFrom (inclusive)', 1, OPEN, 100, 'valid'],
  ['validUntil 0: open-ended, far in the future', 1, OPEN, 10 ** 9, 'valid'],
  ['one second before validUntil', 1, WINDOW, 199, 'valid'],
  ['at validUntil (exclusive)', 1, WINDOW, 200, 'expired'],
  ['after validUntil', 1, WINDOW, 5_000, 'expired'],
  ['before validFrom, with a window', 1, WINDOW, 0, 'not-yet-valid'],
  ['revoked: before compromisedAt', 1, REVOKED, 149, 'valid'],
  ['revoked: at compromisedAt (exclusive)', 1, REVOKED, 150, 'compromised'],
  ['revoked: after compromisedAt', 1, REVOKED, 10 ** 6, 'compromised'],
  ['revoked: before validFrom and compromisedAt', 1, REVOKED, 99, 'not-yet-valid'],
  ['revoked after its window: expired, not yet compromised', 1, REVOKED_WINDOW, 220, 'expired'],
  ['revoked after its window: expired and compromised', 1, REVOKED_WINDOW, 250, 'compromised'],
  ['compromised before its start: inside its window', 1, COMPROMISED_EARLY, 150, 'compromised'],
  ['compromised before its start: before both', 1, COMPROMISED_EARLY, 49, 'not-yet-valid'],
  ['wrong member', 2, OPEN, 150, 'other-member'],
  ['member 0', 0, OPEN, 150, 'other-member'],
  ['member 2 with its own key', 2, OF_MEMBER_2, 150, 'valid'],
  ['member 1 with member 2 key', 1, OF_MEMBER_2, 150, 'other-member'],
  ['unknown key', 1, UNKNOWN, 150, 'unknown-key'],
  ['unknown key, member 0', 0, UNKNOWN, 150, 'unknown-key'],
];

describe('keyValidAt: the same answers as the contract isKeyValidAt', function () {
  for (const [about, memberId, keyHash, offset, expected] of CASES) {
    it(`${about}: ${expected}`, async function () {
      const { registry, T } = await loadFixture(keysFixture);
      const stored = await registry.getKey(keyHash);
      const key: SigningKey = {
        keyHash,
        memberId: Number(stored.memberId),
        validFrom: Number(stored.validFrom),
        validUntil: Number(stored.validUntil),
        compromisedAt: Number(stored.compromisedAt),
        revoked: stored.revoked,
      };
      const at = T + offset;
      const validity = keyValidAt(key, memberId, at);
      expect(validity.valid ? 'valid' : validity.reason).to.equal(expected);
      expect(validity.valid, 'keyValidAt and isKeyValidAt agree').to.equal(await registry.isKeyValidAt(memberId, keyHash, at));
    });
  }

  it('allows a caller skew on validFrom only', function () {
    const key: SigningKey = { keyHash: OPEN, memberId: 1, validFrom: 1_000, validUntil: 2_000, compromisedAt: 0, revoked: false };
    expect(keyValidAt(key, 1, 700, { skewSeconds: 300 }).valid).to.equal(true);
    expect(keyValidAt(key, 1, 699, { skewSeconds: 300 })).to.deep.equal({ valid: false, reason: 'not-yet-valid', validFrom: 1_000 });
    expect(keyValidAt(key, 1, 2_000, { skewSeconds: 300 })).to.deep.equal({ valid: false, reason: 'expired', validUntil: 2_000 });
  });

  it('says an undefined key is unknown', function () {
    expect(keyValidAt(undefined, 1, 0)).to.deep.equal({ valid: false, reason: 'unknown-key' });
  });
});
