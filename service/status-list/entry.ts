/**
 * A credential's BitstringStatusListEntry (statusPurpose revocation) pointing at a list this project serves:
 * `<service>/v1/status-lists/<member id>/<list>`. Indexes are drawn at random (the spec's advice: a bit's position
 * then says nothing of when or to whom the credential was issued); the notary catches a collision at intake.
 */
import { randomInt } from 'node:crypto';
import { STATUS_LIST_LENGTH } from './bitstring';
import { StatusListError } from './errors';

export const REVOCATION_PURPOSE = 'revocation';
export const STATUS_ENTRY_TYPE = 'BitstringStatusListEntry';

/** A list's name within a member's lists: letters, digits, dots, dashes, underscores. */
const LIST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/;
const LIST_PATH = /\/v1\/status-lists\/([1-9][0-9]{0,15})\/([^/?#]+)$/;

/** Where a status list credential is served, named by its member and list. */
export interface StatusListAddress {
  memberId: number;
  list: string;
}

/** A revocation entry as a credential carries it, read and checked. */
export interface StatusEntry extends StatusListAddress {
  statusListCredential: string;
  index: number;
}

/** A bit of one member's lists: the list's name and the index in it. */
export type StatusSlot = Pick<StatusEntry, 'list' | 'index'>;

/** One key per slot, for maps of a member's slots. */
export const statusSlotKey = (slot: StatusSlot): string => `${slot.list}\n${slot.index}`;

export function isListName(value: unknown): value is string {
  return typeof value === 'string' && LIST_NAME.test(value);
}

/** The list URL of member `memberId`'s list `list` on the service at `serviceUrl` (its origin, or origin and base path). */
export function statusListUrl(serviceUrl: string, address: StatusListAddress): string {
  if (!isListName(address.list)) throw new StatusListError('invalid-list', `"${address.list}" is not a list name (letters, digits, . _ -; 1-64)`, { field: 'list' });
  return `${serviceUrl.replace(/\/+$/, '')}/v1/status-lists/${address.memberId}/${address.list}`;
}

/** The member and list a list URL of this project names; undefined for a URL of another shape (another service's list). */
export function statusListAddressOf(url: string): StatusListAddress | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const match = LIST_PATH.exec(path);
  if (!match || !isListName(match[2])) return undefined;
  return { memberId: Number(match[1]), list: match[2]! };
}

/** A random index of a list, uniform over its entries. */
export function randomStatusIndex(): number {
  return randomInt(STATUS_LIST_LENGTH);
}

/**
 * The credentialStatus entry for bit `index` (default: a random one) of the list at `statusListCredential`. Its `id`
 * (required by the Open Badges 3.0 schema) is the list URL with the index as fragment.
 */
export function buildStatusEntry(statusListCredential: string, index: number = randomStatusIndex()): Record<string, string> {
  checkIndex(index, 'statusListIndex');
  if (!/^https?:\/\/[^\s]+$/.test(statusListCredential)) {
    throw new StatusListError('invalid-list-url', 'statusListCredential must be an http(s) URL', { field: 'statusListCredential' });
  }
  return {
    id: `${statusListCredential}#${index}`,
    type: STATUS_ENTRY_TYPE,
    statusPurpose: REVOCATION_PURPOSE,
    statusListIndex: String(index),
    statusListCredential,
  };
}

/**
 * The revocation entries of a credential that point at lists of this project's shape, checked: an index that is
 * not a whole number within the list is a StatusListError naming the field (credentialStatus.statusListIndex, or
 * credentialStatus[1].statusListIndex). Entries of another purpose or for another service's lists are left alone.
 */
export function revocationEntriesOf(credential: Record<string, unknown>): StatusEntry[] {
  const status = credential.credentialStatus;
  if (status === undefined) return [];
  const items = Array.isArray(status) ? status : [status];
  const entries: StatusEntry[] = [];
  items.forEach((item, position) => {
    const field = Array.isArray(status) ? `credentialStatus[${position}]` : 'credentialStatus';
    if (typeof item !== 'object' || item === null) throw new StatusListError('invalid-status-entry', `${field} must be an object`, { field });
    const entry = item as Record<string, unknown>;
    if (entry.type !== STATUS_ENTRY_TYPE || entry.statusPurpose !== REVOCATION_PURPOSE) return;
    if (typeof entry.statusListCredential !== 'string') {
      throw new StatusListError('invalid-status-entry', `${field}.statusListCredential must be a URL`, { field: `${field}.statusListCredential` });
    }
    const address = statusListAddressOf(entry.statusListCredential);
    if (!address) return;
    const index = typeof entry.statusListIndex === 'string' && /^(0|[1-9][0-9]*)$/.test(entry.statusListIndex) ? Number(entry.statusListIndex) : NaN;
    checkIndex(index, `${field}.statusListIndex`);
    entries.push({ ...address, statusListCredential: entry.statusListCredential, index });
  });
  return entries;
}

function checkIndex(index: number, field: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= STATUS_LIST_LENGTH) {
    throw new StatusListError('invalid-status-index', `${field} must be a whole number from 0 to ${STATUS_LIST_LENGTH - 1} (a decimal string)`, { field });
  }
}
