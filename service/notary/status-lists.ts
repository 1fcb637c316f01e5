/**
 * Serving status lists (docs/status-list.md): a member's list, rebuilt from the indexes bound at intake and the
 * registry mirror's revocations, as a BitstringStatusListCredential signed by the notary's status-list key and
 * saying which registry block it mirrors. A revocation mined on-chain is in the list once the indexer's next poll
 * has mirrored it.
 */
import type { IssuerKey } from '../credentials/keys';
import type { JsonObject } from '../credentials/types';
import { isListName, signStatusListCredential, statusListAddressOf } from '../status-list';
import type { StatusListSource } from '../verify';
import type { StatusListRepository } from '../store';
import { UseCaseError } from './errors';
import type { Clock, RegistryMirror } from './ports';

export interface StatusListsOptions {
  /** The notary's half of a list: which of its indexes hold which credential (bound at intake). */
  store: { statusLists: Pick<StatusListRepository, 'indexesOf'> };
  /** The chain's half: which of the member's credentials are revoked, as of which indexed block. */
  mirror: Pick<RegistryMirror, 'member' | 'revocationsAtHead'>;
  /** The notary's status-list key: its did:key is every served list's issuer. */
  signer: IssuerKey;
  /** CAIP-10 of the registry the mirror follows (eip155:<chain id>:<address>). */
  registry: string;
  clock: Clock;
}

/** Signed lists kept, by URL and content: a list changes only when the mirror moves or an index is bound. */
const CACHE_SIZE = 256;
/** How long a served list may be relied on (its validUntil): a copy served again later expires. */
export const STATUS_LIST_VALIDITY_MS = 24 * 60 * 60 * 1000;

const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export class StatusLists {
  private readonly cache = new Map<string, JsonObject>();

  constructor(private readonly options: StatusListsOptions) {}

  /** The did:key that signs the lists. */
  get issuer(): string {
    return this.options.signer.did;
  }

  /**
   * This service's lists as the verifier reads them: built here, without a network call (a public verification
   * never makes the service fetch a URL a credential names); trusted when signed by this service's key.
   */
  asSource(): StatusListSource {
    return {
      trustedIssuers: [this.issuer],
      load: async (url) => {
        const address = statusListAddressOf(url);
        if (!address) throw new UseCaseError('not-found', 'foreign-status-list', `${url} is not a status list URL of this service's shape`);
        return this.credential(address.memberId, address.list, url);
      },
    };
  }

  /** Member `memberId`'s list `list`, served at `url`, as the mirror stands now. */
  async credential(memberId: number, list: string, url: string): Promise<JsonObject> {
    if (!isListName(list)) {
      throw new UseCaseError('invalid-input', 'invalid-list', `"${String(list).slice(0, 80)}" is not a list name: letters, digits, dots, dashes, underscores (1-64)`, { field: 'list' });
    }
    // The mirror and the notary's records may be two databases (PostgreSQL): the mirror says which digests are
    // revoked as of its block, the notary's bindings which indexes they hold. A binding is never undone, so
    // reading them after the mirror misses no revoked index of that block.
    const mirrored = this.options.mirror.revocationsAtHead(memberId);
    const { block } = mirrored;
    if (!block) {
      throw new UseCaseError('unavailable', 'mirror-not-ready', 'the registry mirror has indexed no block yet: the list cannot say what it mirrors');
    }
    if (!this.options.mirror.member(memberId)) throw new UseCaseError('not-found', 'unknown-member', `the registry mirror has no member ${memberId}`, { field: 'member' });
    const revoked = await this.options.store.statusLists.indexesOf(memberId, list, mirrored.digests);
    const key = `${url}\n${block.number}\n${block.hash}\n${revoked.join(',')}`;
    const now = this.options.clock();
    const cached = this.cache.get(key);
    // A cached list is served while it has more than half its validity left.
    if (cached && Date.parse(String(cached.validUntil)) - now > STATUS_LIST_VALIDITY_MS / 2) return cached;
    const signed = await signStatusListCredential(
      {
        url,
        memberId,
        revoked,
        builtFrom: { registry: this.options.registry, number: block.number, hash: block.hash, time: isoSeconds(block.time * 1000) },
        validUntil: isoSeconds(now + STATUS_LIST_VALIDITY_MS),
      },
      this.options.signer,
      new Date(now),
    );
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, signed);
    return signed;
  }
}
