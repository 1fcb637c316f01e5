import type { RevocationRequest } from '../store';
import type { RegistryDirectory, RevocationInfo } from './directory';
import { UseCaseError } from './errors';
import type { Actor, Clock, CredentialStore, RevocationSender, RevocationStore } from './ports';
import { sanitisedMessage } from '../errors';

/** A revocation request that was recorded but not sent: the registry refused it, or the chain failed. */
export class RevocationNotSent extends UseCaseError {
  override name = 'RevocationNotSent';

  constructor(
    kind: 'refused' | 'unavailable',
    code: string,
    message: string,
    /** The request as recorded: failed. */
    readonly request: RevocationRequest,
    cause: unknown,
  ) {
    super(kind, code, message, {}, cause);
  }
}

export interface RevocationsOptions {
  store: { credentials: Pick<CredentialStore, 'get'>; revocations: RevocationStore };
  /** Without one, sending is refused (unavailable). */
  sender: RevocationSender | undefined;
  clock: Clock;
  /** Digests in one request: they go in one transaction. */
  maxDigests: number;
}

/**
 * Members' revocation requests: sending one (recorded pending, submitted once its transaction is signed),
 * listing them and reading one. Reads never move a request: RevocationFollower does, on its own schedule.
 */
export class Revocations {
  constructor(private readonly options: RevocationsOptions) {}

  /**
   * Sends revokeCredentials for the actor's member. Digests are taken once each; a digest this service holds
   * as another member's credential is refused (a member revokes only its own).
   */
  async send(actor: Actor, input: { digests: readonly string[]; reason: number }): Promise<RevocationRequest> {
    const { store, sender, maxDigests } = this.options;
    const digests = [...new Set(input.digests)];
    if (digests.length > maxDigests) {
      throw new UseCaseError('too-many', 'too-many-digests', `${digests.length} digests in one revocation; at most ${maxDigests} go in one transaction`, {
        field: 'digests',
        maximum: maxDigests,
      });
    }
    const foreign: string[] = [];
    for (const digest of digests) {
      const stored = await store.credentials.get(digest);
      if (stored !== undefined && stored.memberId !== actor.memberId) foreign.push(digest);
    }
    if (foreign.length > 0) {
      throw new UseCaseError('forbidden', 'forbidden', `${foreign.length} of the digests are credentials of another member: a member revokes only its own`, {
        field: 'digests',
        digests: foreign,
      });
    }
    if (!sender) throw new UseCaseError('unavailable', 'revocations-unavailable', 'this service has no account to send revocations with');

    const request = await store.revocations.create({
      memberId: actor.memberId,
      digests,
      reason: input.reason,
      requestedBy: actor.subject,
      requestedAt: this.options.clock(),
    });
    try {
      await sender.send({ memberId: actor.memberId, digests, reason: input.reason }, async ({ hash }) => {
        await store.revocations.markSubmitted(request.id, hash);
      });
    } catch (error) {
      const message = error instanceof UseCaseError ? error.message : sanitisedMessage(error);
      const current = (await store.revocations.get(request.id))!;
      if (current.state === 'pending' || current.state === 'submitted') await store.revocations.markFailed(request.id, message);
      const failed = (await store.revocations.get(request.id))!;
      if (error instanceof UseCaseError && error.kind === 'refused') throw new RevocationNotSent('refused', 'registry-refused', message, failed, error);
      throw new RevocationNotSent('unavailable', 'chain-unavailable', `the revocation could not be sent: ${message}`, failed, error);
    }
    return (await store.revocations.get(request.id))!;
  }

  /** The actor's member's requests, newest first. */
  list(actor: Actor, page: { limit: number; beforeId?: number }): Promise<RevocationRequest[]> {
    return this.options.store.revocations.listForMember(actor.memberId, page);
  }

  /** One of the actor's member's requests, as it stands. */
  async get(actor: Actor, id: number): Promise<RevocationRequest> {
    const request = await this.options.store.revocations.get(id);
    if (!request) throw new UseCaseError('not-found', 'not-found', `there is no revocation request ${id}`);
    if (request.memberId !== actor.memberId) throw new UseCaseError('forbidden', 'forbidden', `revocation request ${id} is another member's`);
    return request;
  }
}

/**
 * Moves submitted revocation requests on once their transaction is mined: to mined when it succeeded, to
 * failed when it reverted. Run on a timer beside the anchorer (NotaryService); one request whose receipt
 * cannot be read is tried again at the next step.
 */
export class RevocationFollower {
  constructor(
    private readonly options: {
      store: { revocations: RevocationStore };
      sender: Pick<RevocationSender, 'receipt'>;
      /** Told about every receipt that could not be read. */
      onRpcError?(operation: string, error: unknown): void;
    },
  ) {}

  /** One step over every submitted request; returns how many moved where. */
  async follow(): Promise<{ mined: number; failed: number }> {
    const { revocations } = this.options.store;
    const moved = { mined: 0, failed: 0 };
    for (const request of await revocations.inState('submitted')) {
      if (!request.txHash) continue;
      let receipt: { blockNumber: number; succeeded: boolean } | undefined;
      try {
        receipt = await this.options.sender.receipt(request.txHash);
      } catch (error) {
        this.options.onRpcError?.('getTransactionReceipt', error);
        continue;
      }
      if (receipt?.succeeded) {
        await revocations.markMined(request.id, receipt.blockNumber);
        moved.mined++;
      } else if (receipt) {
        await revocations.markFailed(request.id, 'the transaction was mined but reverted', receipt.blockNumber);
        moved.failed++;
      }
    }
    return moved;
  }
}

/** What the service says about one digest's revocation. */
export interface CredentialRevocation {
  digest: string;
  /** The issuing member: the one this service holds the credential for, else the one asked about; null when neither. */
  issuerId: number | null;
  /** Whether the issuing member revoked it on-chain (itself or through one of its revokers); false with no issuer. */
  revoked: boolean;
  /** The issuing member's revocations only: another member's revocation of a digest says nothing about it. */
  revocations: RevocationInfo[];
  /** This service's requests by the issuing member that reached the chain (mined). */
  requests: RevocationRequest[];
}

/**
 * A digest's revocation, as the registry (mirror first, chain as fallback) and this service's requests say.
 * Only the issuing member (or an account it authorised) revokes its credentials; any member can record a
 * revocation of any digest in the registry under its own id, so an answer counts the issuer's alone. The
 * issuer is the member this service holds the credential for; for a digest it does not hold, the caller
 * names it (`issuer`: a member id or DID); otherwise nothing counts.
 */
export class CredentialRevocations {
  constructor(
    private readonly options: { store: { credentials: Pick<CredentialStore, 'get'>; revocations: Pick<RevocationStore, 'forDigest'> }; directory: RegistryDirectory },
  ) {}

  async of(digest: string, issuer?: number | string): Promise<CredentialRevocation> {
    const { store, directory } = this.options;
    const issuerId = (await store.credentials.get(digest))?.memberId ?? (issuer === undefined ? undefined : await this.memberIdOf(issuer));
    if (issuerId === undefined) return { digest, issuerId: null, revoked: false, revocations: [], requests: [] };
    const revocations = (await directory.revocationsOf(digest, issuerId)).filter((r) => r.memberId === issuerId);
    return {
      digest,
      issuerId,
      revoked: revocations.length > 0,
      revocations,
      requests: (await store.revocations.forDigest(digest)).filter((r) => r.memberId === issuerId && r.state === 'mined'),
    };
  }

  private async memberIdOf(issuer: number | string): Promise<number> {
    const member = typeof issuer === 'number' ? await this.options.directory.member(issuer) : await this.options.directory.memberByDid(issuer);
    if (!member) throw new UseCaseError('not-found', 'unknown-issuer', `the registry has no member ${issuer}`, { field: 'issuer' });
    return member.id;
  }
}
