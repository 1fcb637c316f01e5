import { isAddress, getAddress, isHexString } from 'ethers';
import { CliUsageError } from './cli-errors';
import { parseRole, ROLES } from '../registry';

/** A member given as its number ("3") or its DID ("did:web:school.example"). */
export type MemberReference = { id: number } | { did: string };

export function parseMemberReference(text: string): MemberReference {
  if (/^[1-9][0-9]{0,9}$/.test(text) && Number(text) <= 0xffffffff) return { id: Number(text) };
  if (text.startsWith('did:')) return { did: text };
  throw new CliUsageError(`"${text}" is not a member: give its number (e.g. 3) or its DID (did:...)`);
}

export function parseAddress(text: string, what = 'address'): string {
  if (!isAddress(text)) throw new CliUsageError(`"${text}" is not an ${what}: expected 0x and 40 hex digits`);
  return getAddress(text);
}

export function parseBytes32(text: string, what: string): string {
  if (!isHexString(text, 32)) throw new CliUsageError(`"${text}" is not a ${what}: expected 0x and 64 hex digits`);
  return text.toLowerCase();
}

export function parseRoleName(text: string): number {
  const role = parseRole(text);
  if (role === undefined) {
    throw new CliUsageError(`"${text}" is not a role: expected one of ${ROLES.slice(1).join(', ')}`);
  }
  return role;
}

export function parsePositiveInteger(text: string, what: string): number {
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new CliUsageError(`"${text}" is not a valid ${what}: expected a whole number from 1`);
  }
  return Number(text);
}

/** A time given as ISO 8601 ("2026-01-31T12:00:00Z") or unix seconds; returned as unix seconds. */
export function parseTime(text: string, what: string): bigint {
  if (/^[0-9]+$/.test(text)) return BigInt(text);
  const millis = Date.parse(text);
  if (Number.isNaN(millis) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new CliUsageError(`"${text}" is not a valid ${what}: expected an ISO 8601 time or unix seconds`);
  }
  return BigInt(Math.floor(millis / 1000));
}

export function formatTime(seconds: bigint | number): string {
  const value = Number(seconds);
  return value === 0 ? '-' : new Date(value * 1000).toISOString().replace('.000Z', 'Z');
}
