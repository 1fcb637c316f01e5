/**
 * What the catalogue contract records of a badge class (contracts/IBadgeClassCatalogue.sol), as the indexer
 * mirrors it from the contract's events and as a verifier reads it from the contract's views. The document
 * itself is never on-chain: the record names it by its id (the hash of its canonical JSON) and its URI.
 */
import type { BadgeClassId } from './badge-class';

export interface BadgeClassRecord {
  classId: BadgeClassId;
  /** The member number of the publisher. */
  publisher: number;
  /** Block time of the publication, unix seconds. */
  publishedAt: number;
  /** Where the document can be fetched (the publisher's choice); its hash must be `classId`. */
  uri: string;
  /** The version this one replaces, or null for a first version. */
  supersedes: BadgeClassId | null;
  /** The version that replaced this one, or null while it is the current version. */
  supersededBy: BadgeClassId | null;
  /** Member numbers that adopt the class now (an adoption withdrawn is no longer here), ascending. */
  adopters: number[];
}
