import type { SigningKey } from './types';

/** Why a key cannot sign for a member at a time; the fields say which bound was crossed. */
export type KeyInvalidity =
  | { valid: false; reason: 'unknown-key' }
  | { valid: false; reason: 'other-member'; memberId: number }
  | { valid: false; reason: 'compromised'; compromisedAt: number }
  | { valid: false; reason: 'not-yet-valid'; validFrom: number }
  | { valid: false; reason: 'expired'; validUntil: number };

export type KeyValidity = { valid: true } | KeyInvalidity;

export interface KeyValidityOptions {
  /**
   * How far ahead of `time` the key's validFrom may be and the key still count as valid (seconds, default 0):
   * for a caller whose clock may run behind the chain's. The registry itself allows none.
   */
  skewSeconds?: number;
}

/**
 * The registry's isKeyValidAt: whether `key` can sign for member `memberId` at `time` (unix seconds), and why
 * not. It can when it is registered to that member (a member number is never 0), validFrom <= time,
 * validUntil is 0 (open) or time < validUntil, and, if revoked, time < compromisedAt. When several rules fail,
 * the first in that order (registration, compromise, start, end) is the reason given.
 * test/registry/key-validity.test.ts runs one table of cases against this and the deployed contract.
 */
export function keyValidAt(key: SigningKey | undefined, memberId: number, time: number, options: KeyValidityOptions = {}): KeyValidity {
  if (!key || key.memberId === 0) return { valid: false, reason: 'unknown-key' };
  if (key.memberId !== memberId) return { valid: false, reason: 'other-member', memberId: key.memberId };
  if (key.revoked && time >= key.compromisedAt) return { valid: false, reason: 'compromised', compromisedAt: key.compromisedAt };
  if (time + (options.skewSeconds ?? 0) < key.validFrom) return { valid: false, reason: 'not-yet-valid', validFrom: key.validFrom };
  if (key.validUntil !== 0 && time >= key.validUntil) return { valid: false, reason: 'expired', validUntil: key.validUntil };
  return { valid: true };
}
