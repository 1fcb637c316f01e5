/**
 * Intake's half of the status lists (docs/status-list.md): the revocation entries a credential carries for this
 * project's lists, checked against the member and the indexes already taken. The notary learns index -> digest
 * here, from the signed credential itself, and records it with the credential.
 */
import type { CredentialInput } from '../credentials/types';
import { revocationEntriesOf, StatusListError, statusSlotKey, type StatusEntry, type StatusSlot } from '../status-list';

/** Why a credential's status entry is refused: the field (relative to the credential), a code, a reason. */
export interface StatusEntryProblem {
  field: string;
  code: string;
  message: string;
}

/** What intake asks of the store about indexes already bound: all of a request's in one question. */
export interface StatusIndexLookup {
  /** The digests bound to those of `slots` that are bound, keyed by statusSlotKey. */
  digestsAt(memberId: number, slots: readonly StatusSlot[]): Promise<Map<string, string>>;
}


/**
 * Checks the revocation entries of a batch of accepted credentials of member `memberId`: each must name one of
 * its own lists, with an index bound to no other digest (in the store, or earlier in the same request).
 * Returns, per credential, its entries or the first problem.
 */
export async function checkStatusEntries(
  credentials: readonly { input: CredentialInput; digest: string }[],
  memberId: number,
  taken: StatusIndexLookup,
): Promise<(StatusEntry[] | StatusEntryProblem)[]> {
  const parsed = credentials.map(({ input }) => entriesOf(input));
  // One question to the store for the whole request (one round trip on PostgreSQL, however many entries).
  const ownSlots = parsed.flatMap((entries) => (Array.isArray(entries) ? entries.filter((entry) => entry.memberId === memberId) : []));
  const bound = ownSlots.length === 0 ? new Map<string, string>() : await taken.digestsAt(memberId, ownSlots);
  const claimed = new Map<string, string>();
  // In order: an index claimed by an earlier credential of the request is taken for the later ones.
  return credentials.map(({ digest }, i) => {
    const entries = parsed[i]!;
    return Array.isArray(entries) ? checkOne(entries, digest) : entries;
  });

  function entriesOf(input: CredentialInput): StatusEntry[] | StatusEntryProblem {
    try {
      return revocationEntriesOf(credentialJsonOf(input));
    } catch (error) {
      if (!(error instanceof StatusListError)) throw error;
      return { field: error.field ?? 'credentialStatus', code: error.code, message: error.shortMessage };
    }
  }

  function checkOne(entries: StatusEntry[], digest: string): StatusEntry[] | StatusEntryProblem {
    for (const entry of entries) {
      const field = 'credentialStatus';
      if (entry.memberId !== memberId) {
        return {
          field: `${field}.statusListCredential`,
          code: 'foreign-status-list',
          message: `the status entry points at a list of member ${entry.memberId}, not of the authenticated member ${memberId}`,
        };
      }
      const key = statusSlotKey(entry);
      const holder = claimed.get(key) ?? bound.get(key);
      if (holder !== undefined && holder !== digest.toLowerCase()) {
        return {
          field: `${field}.statusListIndex`,
          code: 'status-index-taken',
          message: `index ${entry.index} of status list ${entry.list} already belongs to credential ${holder}: draw another index`,
        };
      }
      claimed.set(key, digest.toLowerCase());
    }
    return entries;
  }
}

/** The credential JSON: the object itself, or a VC-JWT's payload (its `vc` claim for a VC 1.1 JWT). */
function credentialJsonOf(input: CredentialInput): Record<string, unknown> {
  if (typeof input !== 'string') return input instanceof Uint8Array ? {} : input;
  try {
    const payload = JSON.parse(Buffer.from(input.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const vc = payload.vc;
    return typeof vc === 'object' && vc !== null && !Array.isArray(vc) ? (vc as Record<string, unknown>) : payload;
  } catch {
    return {};
  }
}
