/** The JSON of the catalogue's answers (docs/catalogue.md); their zod schemas are in ./schemas/badge-classes.ts. */
import type { BadgeClassDocument, BadgeClassId, BadgeClassRecord } from '../catalogue';
import type { Endorsement } from '../registry';
import type { CatalogueEntry } from '../store';

/** The DID of a member number, from the registry mirror; null when the mirror does not have it. */
export type DidOf = (memberId: number) => string | null;

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Where this notary answers the class's canonical document. */
export const documentPath = (classId: BadgeClassId) => `/v1/badge-classes/${classId}/document`;

export function memberRefJson(memberId: number, didOf: DidOf) {
  return { memberId, did: didOf(memberId) };
}

export function badgeClassRecordJson(record: BadgeClassRecord, didOf: DidOf) {
  return {
    classId: record.classId,
    publisher: memberRefJson(record.publisher, didOf),
    publishedAt: iso(record.publishedAt),
    uri: record.uri,
    supersedes: record.supersedes,
    supersededBy: record.supersededBy,
    current: record.supersededBy === null,
    adopters: record.adopters.map((memberId) => memberRefJson(memberId, didOf)),
  };
}

/** A listing's item: the record, and the document's name, levels and alignments when this notary holds it. */
export function badgeClassSummaryJson(entry: CatalogueEntry, didOf: DidOf) {
  const { document } = entry;
  return {
    ...badgeClassRecordJson(entry.record, didOf),
    document: document === undefined ? null : documentPath(entry.record.classId),
    name: document?.name ?? null,
    levels: document?.levels ?? null,
    alignments: document?.alignments ?? null,
  };
}

/** One class: its record (null before it is published), the document, the version chain and its endorsements. */
export function badgeClassDetailJson(
  classId: BadgeClassId,
  parts: { record: BadgeClassRecord | undefined; document: BadgeClassDocument | undefined; versions: BadgeClassRecord[]; endorsements: Endorsement[] },
  didOf: DidOf,
) {
  return {
    classId,
    published: parts.record !== undefined,
    record: parts.record === undefined ? null : badgeClassRecordJson(parts.record, didOf),
    document: parts.document ?? null,
    documentUrl: parts.document === undefined ? null : documentPath(classId),
    versions: parts.versions.map((version) => ({ classId: version.classId, publishedAt: iso(version.publishedAt), current: version.supersededBy === null })),
    endorsements: parts.endorsements.map((endorsement) => ({
      endorser: memberRefJson(endorsement.endorser, didOf),
      claimURI: endorsement.claimURI,
      since: iso(endorsement.since),
    })),
  };
}

/** The dashboard's adopted classes (GET /v1/stats `adoptedBadgeClasses`). */
export function adoptedBadgeClassJson(entry: CatalogueEntry & { adopterCount: number }, didOf: DidOf) {
  return {
    classId: entry.record.classId,
    name: entry.document?.name ?? null,
    publisher: memberRefJson(entry.record.publisher, didOf),
    adopters: entry.adopterCount,
    current: entry.record.supersededBy === null,
  };
}
