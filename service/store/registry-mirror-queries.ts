import { EndorsementKind, keyValidAt, memberSubject, Status, type Endorsement, type Member, type Revocation, type SigningKey, type StatusChange } from '../registry';
import type { IndexedBlock, MirrorCursor, MirroredAnchor, MirroredNotary, RegistryEventRecord } from './registry-mirror-records';
import type { MemberPeriodCount, MemberReasonCount } from './stats-queries';
import {
  anchorFromRow,
  cursorFromRow,
  endorsementFromRow,
  eventFromRow,
  hex,
  keyFromRow,
  memberFromRow,
  normaliseAddress,
  notaryFromRow,
  revocationFromRow,
  type MirrorStatements,
} from './registry-mirror-statements';

/** What the registry mirror answers: the same questions as the contract's views, and the event log. */
export class RegistryMirrorQueries {
  constructor(protected readonly statements: MirrorStatements) {}

  cursor(): MirrorCursor | undefined {
    const row = this.statements.cursor.get();
    return row && cursorFromRow(row);
  }

  /** The last indexed block, or undefined while nothing is indexed. */
  indexedHead(): number | undefined {
    const cursor = this.cursor();
    return cursor === undefined || cursor.lastBlockHash === null ? undefined : cursor.lastBlock;
  }

  /** The kept block hashes, newest first. */
  recentBlocks(): IndexedBlock[] {
    return this.statements.recentBlocks.all();
  }

  /** The mirrored events of blocks fromBlock..toBlock, in chain order. */
  events(options: { fromBlock?: number; toBlock?: number; limit?: number } = {}): RegistryEventRecord[] {
    return this.statements.eventRange
      .all(options.fromBlock ?? 0, options.toBlock ?? Number.MAX_SAFE_INTEGER, options.limit ?? 1000)
      .map(eventFromRow);
  }

  eventCount(): number {
    return this.statements.eventCount.get()!.n;
  }

  /** The quorum as of the indexed head, or undefined before the deployment is indexed. */
  quorum(): number | undefined {
    const row = this.statements.quorum.get();
    return row && (JSON.parse(row.args) as { current: number }).current;
  }

  activeMemberCount(): number {
    return this.statements.activeMembers.get()!.n;
  }

  members(): Member[] {
    return this.statements.members.all().map(memberFromRow);
  }

  member(id: number): Member | undefined {
    const row = this.statements.member.get(id);
    return row && memberFromRow(row);
  }

  memberByDid(did: string): Member | undefined {
    const row = this.statements.memberByDid.get(did);
    return row && memberFromRow(row);
  }

  memberByController(controller: string): Member | undefined {
    const address = normaliseAddress(controller);
    const row = address === undefined ? undefined : this.statements.memberByController.get(address);
    return row && memberFromRow(row);
  }

  /** A member's status changes, oldest first (empty for an unknown member). */
  statusHistory(memberId: number): StatusChange[] {
    return this.statements.statusHistory.all(memberId);
  }

  /** The member's status at `time` (unix seconds): the last change at or before it, None before any. */
  statusAt(memberId: number, time: number): number {
    return this.statements.statusAt.get(memberId, time)?.status ?? Status.None;
  }

  key(keyHash: string): SigningKey | undefined {
    const row = this.statements.key.get(hex(keyHash));
    return row && keyFromRow(row);
  }

  keysOf(memberId: number): SigningKey[] {
    return this.statements.keysOf.all(memberId).map(keyFromRow);
  }

  /** The contract's isKeyValidAt, by the one rule of service/registry (keyValidAt). */
  isKeyValidAt(memberId: number, keyHash: string, time: number): boolean {
    return keyValidAt(this.key(keyHash), memberId, time).valid;
  }

  /** The member's authorised notaries, in the contract's order (notariesOf). */
  notariesOf(memberId: number): string[] {
    return this.statements.notariesOf.all(memberId).map((row) => row.address);
  }

  /** The accounts the member lets revoke its credentials, oldest first. */
  revokersOf(memberId: number): string[] {
    return this.statements.revokersOf.all(memberId).map((row) => row.account);
  }

  /** Whether `account` may revoke member `memberId`'s credentials as a revoker (the contract's isRevoker). */
  isRevoker(memberId: number, account: string): boolean {
    const normalised = normaliseAddress(account);
    return normalised !== undefined && this.statements.isRevoker.get(memberId, normalised) !== undefined;
  }

  /** An account's notary record, authorised or withdrawn. */
  notary(address: string): MirroredNotary | undefined {
    const normalised = normaliseAddress(address);
    const row = normalised === undefined ? undefined : this.statements.notary.get(normalised);
    return row && notaryFromRow(row);
  }

  /** The member `address` notarises for, or 0 (the contract's notaryMember). */
  notaryMember(address: string): number {
    const record = this.notary(address);
    return record?.authorised ? record.memberId : 0;
  }

  anchor(root: string): MirroredAnchor | undefined {
    const row = this.statements.anchor.get(hex(root));
    return row && anchorFromRow(row);
  }

  /**
   * Roots anchored in the registry by every member (all notaries of the network), per UTC month of their block
   * time, from `fromSeconds` to before `toSeconds`: the dashboard's (GET /v1/stats).
   */
  anchorsPerMemberMonth(fromSeconds: number, toSeconds: number): MemberPeriodCount[] {
    return this.statements.anchorsPerMemberMonth.all(fromSeconds, toSeconds);
  }

  /** Every revocation the registry recorded, per revoking member and reason code: the dashboard's. */
  revocationsPerMemberReason(): MemberReasonCount[] {
    return this.statements.revocationsPerMemberReason.all();
  }

  revocation(memberId: number, digest: string): Revocation | undefined {
    const row = this.statements.revocation.get(memberId, hex(digest));
    return row && revocationFromRow(row);
  }

  /** Every member's revocation of `digest` (normally only its issuer's). */
  revocationsOfDigest(digest: string): Revocation[] {
    return this.statements.revocationsOfDigest.all(hex(digest)).map(revocationFromRow);
  }

  endorsement(endorser: number, kind: number, subject: string): Endorsement | undefined {
    const row = this.statements.endorsement.get(endorser, kind, hex(subject));
    return row && endorsementFromRow(row);
  }

  /** The standing endorsements member `memberId` gives, of members and of badge classes. */
  endorsementsGiven(memberId: number): Endorsement[] {
    return this.statements.endorsementsGiven.all(memberId).map(endorsementFromRow);
  }

  /** The standing endorsements of member `memberId` by other members. */
  endorsementsReceived(memberId: number): Endorsement[] {
    return this.endorsementsOf(EndorsementKind.Member, memberSubject(memberId));
  }

  /** The standing endorsements of one subject (a member as a 32-byte number, or a badge class hash). */
  endorsementsOf(kind: number, subject: string): Endorsement[] {
    return this.statements.endorsementsOf.all(kind, hex(subject)).map(endorsementFromRow);
  }
}
