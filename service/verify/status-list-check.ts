/**
 * The status list half of the revocation check (docs/status-list.md): a credential carrying a W3C Bitstring Status
 * List revocation entry is checked both ways, against the list and against the chain. The chain is the source of
 * truth and decides the revocation step; the list is a copy, and what is wrong with it is reported: a list that
 * cannot be had, one whose signature fails or whose issuer is not trusted (tampered), one built from a block older
 * than the chain's revocation (stale), one that says otherwise than the chain (a disagreement).
 */
import type { JsonObject } from '../credentials/types';
import { isoSeconds } from '../merkle';
import {
  REVOCATION_PURPOSE,
  STATUS_ENTRY_TYPE,
  StatusListError,
  statusListAddressOf,
  verifyStatusListCredential,
  type VerifiedStatusList,
} from '../status-list';
import { sanitisedMessage } from '../errors';

/** Where the verifier gets a credential's status list. */
export interface StatusListSource {
  /** The list credential at `url`: fetched, or given by the caller. Rejects when it cannot be had. */
  load(url: string): Promise<unknown>;
  /** The list issuers trusted (the did:keys of the notaries that serve the lists); a list signed by another is refused. */
  trustedIssuers: readonly string[];
}

/** What the list says beside the chain. */
export type StatusListOutcome = 'agrees' | 'disagrees' | 'stale' | 'invalid' | 'unavailable' | 'unchecked';

export interface StatusListFinding {
  url: string;
  /** The entry's statusListIndex; absent when it is not a whole number. */
  index?: number;
  outcome: StatusListOutcome;
  /** The list's bit, when the list could be read. */
  listRevoked?: boolean;
  /** The registry block the list was built from. */
  builtFromBlock?: number;
  builtAt?: string;
  message: string;
}

/** What the chain said of the credential's revocation by its issuer. */
export interface ChainRevocation {
  issuerId: number;
  revoked: boolean;
  /** Unix seconds; 0 when not revoked. */
  revokedAt: number;
}

/** The credential's first revocation entry of the W3C shape, with a usable index; undefined when it has none. */
export function revocationEntryOf(document: JsonObject): { url: string; index: number } | undefined {
  const status = document.credentialStatus;
  const items = Array.isArray(status) ? status : status === undefined ? [] : [status];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const entry = item as JsonObject;
    if (entry.type !== STATUS_ENTRY_TYPE || entry.statusPurpose !== REVOCATION_PURPOSE || typeof entry.statusListCredential !== 'string') continue;
    const index = typeof entry.statusListIndex === 'string' && /^(0|[1-9][0-9]{0,9})$/.test(entry.statusListIndex) ? Number(entry.statusListIndex) : NaN;
    return { url: entry.statusListCredential, index };
  }
  return undefined;
}

/** Checks the credential's entry against its list and the chain's answer. Never throws. */
export async function checkStatusList(
  entry: { url: string; index: number },
  chain: ChainRevocation,
  source: StatusListSource | undefined,
  now: Date = new Date(),
): Promise<StatusListFinding> {
  const { url, index } = entry;
  const finding = (outcome: StatusListOutcome, message: string, list?: VerifiedStatusList): StatusListFinding => ({
    url,
    ...(Number.isInteger(index) ? { index } : {}),
    outcome,
    ...(list ? { listRevoked: list.revoked(index), builtFromBlock: list.builtFrom.number, builtAt: list.builtFrom.time } : {}),
    message,
  });
  if (!Number.isInteger(index)) return finding('invalid', 'the status entry’s statusListIndex is not a whole number');
  if (!source) return finding('unchecked', `the status list ${url} was not checked: no list source was given`);
  const address = statusListAddressOf(url);
  if (address && chain.issuerId !== 0 && address.memberId !== chain.issuerId) {
    return finding('invalid', `the status entry points at a list of member ${address.memberId}, not of the issuer, member ${chain.issuerId}`);
  }
  let document: unknown;
  try {
    document = await source.load(url);
  } catch (error) {
    return finding('unavailable', `the status list ${url} could not be had: ${sanitisedMessage(error)}`);
  }
  let list: VerifiedStatusList;
  try {
    list = await verifyStatusListCredential(document, now);
    if (index >= list.bits.length * 8) return finding('invalid', `index ${index} is outside the list of ${list.bits.length * 8} entries`);
  } catch (error) {
    if (error instanceof StatusListError && error.code === 'list-expired') return finding('stale', `the status list ${url} is stale: ${error.shortMessage}`);
    return finding('invalid', `the status list ${url} is not to be trusted: ${sanitisedMessage(error)}`);
  }
  if (list.url !== url) return finding('invalid', `the list served for ${url} is the list ${list.url}`, list);
  if (!source.trustedIssuers.includes(list.issuer)) {
    return finding('invalid', `the status list is signed by ${list.issuer}, which is not a trusted list issuer`, list);
  }
  const listRevoked = list.revoked(index);
  const asOf = `as of block ${list.builtFrom.number} (${list.builtFrom.time})`;
  if (listRevoked === chain.revoked) {
    return finding('agrees', `the status list ${asOf} agrees with the chain: ${listRevoked ? 'revoked' : 'not revoked'}`, list);
  }
  if (chain.revoked && Date.parse(list.builtFrom.time) / 1000 < chain.revokedAt) {
    return finding('stale', `the status list is stale: built ${asOf}, before the revocation on-chain at ${isoSeconds(chain.revokedAt)}`, list);
  }
  return finding(
    'disagrees',
    chain.revoked
      ? `the status list ${asOf} says not revoked, but the chain has the credential revoked since ${isoSeconds(chain.revokedAt)}`
      : `the status list ${asOf} says revoked, but the chain has no revocation of the credential by its issuer`,
    list,
  );
}
