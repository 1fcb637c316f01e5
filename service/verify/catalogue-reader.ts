import type { BadgeClassId } from '../catalogue';
import type { StatusName } from '../registry';

/** A badge class as the catalogue contract records it (IBadgeClassCatalogue.BadgeClass), times in unix seconds. */
export interface ChainBadgeClass {
  classId: BadgeClassId;
  publisher: number;
  publishedAt: number;
  uri: string;
  supersedes: BadgeClassId | null;
  supersededBy: BadgeClassId | null;
  adopterCount: number;
}

/** A member as the verifier names it beside a class: its number, DID and status now. */
export interface CatalogueMember {
  memberId: number;
  did: string;
  status: StatusName;
  /** Unix seconds since when it has that status. */
  statusSince: number;
}

/**
 * What the verifier asks of the badge-class catalogue (contracts/IBadgeClassCatalogue.sol) and of the registry
 * about the members around a class: plain JSON-RPC calls (service/chain/json-rpc-catalogue-reader.ts).
 */
export interface CatalogueReader {
  /** The class's record; undefined for a class never published. */
  badgeClass(classId: BadgeClassId): Promise<ChainBadgeClass | undefined>;
  /** The members that adopt the class now, ascending. */
  adopters(classId: BadgeClassId): Promise<number[]>;
  member(memberId: number): Promise<CatalogueMember | undefined>;
}

/**
 * Where the class document comes from: the notary's stored copy, or its on-chain URI over http(s). Answers the
 * document's JSON (checked by the verifier against the class id), or undefined when it cannot be had.
 */
export type ClassDocumentSource = (classId: BadgeClassId, uri: string) => Promise<unknown>;
