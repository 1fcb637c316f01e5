/**
 * The badge-class catalogue (service/http/routes/badge-classes.ts, presenters in ../badge-class-presenter.ts,
 * docs/catalogue.md): the class document, the listing and search, one class, and an upload's answer.
 */
import { z } from 'zod';
import { CO_ISSUER_ROLES, FRAMEWORKS } from '../../catalogue';
import { hex32, integer, named, time } from './catalog';

const localised = z.strictObject({ it: z.string(), en: z.string() });

const Alignment = z.strictObject({ framework: z.enum(FRAMEWORKS), targetCode: z.string(), targetName: z.string(), targetUrl: z.string().optional() });
const Level = z.strictObject({ name: z.string(), rank: integer });

export const BadgeClassDocument = named(
  'BadgeClassDocument',
  z.strictObject({
    schema: z.literal('badge-notary/badge-class/1'),
    name: localised,
    description: localised,
    criteria: localised,
    image: z.string(),
    alignments: z.array(Alignment),
    levels: z.array(Level),
    score: z
      .strictObject({ label: localised, min: integer, max: integer, bands: z.array(z.strictObject({ level: z.string(), from: integer, to: integer })) })
      .optional(),
    evidence: z.strictObject({ required: z.boolean(), description: localised.optional() }),
    coIssuance: z.union([z.strictObject({ required: z.literal(false) }), z.strictObject({ required: z.literal(true), role: z.enum(CO_ISSUER_ROLES) })]),
    supersedes: hex32.optional(),
  }),
  'A badge-class document (docs/catalogue.md). GET .../document answers its RFC 8785 canonical JSON, whose keccak-256 is the class id.',
);

/** A member as the catalogue names it: its number, and its DID from the registry mirror (null if the mirror lacks it). */
const MemberRef = z.strictObject({ memberId: integer, did: z.string().nullable() });

/** What the catalogue contract records of a class. */
const classRecord = {
  classId: hex32,
  publisher: MemberRef,
  publishedAt: time,
  uri: z.string().meta({ description: 'Where the publisher says the document lives.' }),
  supersedes: hex32.nullable(),
  supersededBy: hex32.nullable(),
  current: z.boolean().meta({ description: 'Not superseded: the version members adopt and issue against.' }),
  adopters: z.array(MemberRef).meta({ description: 'The members that adopt the class now, by member number.' }),
};

const CatalogueSource = z
  .strictObject({
    address: z.string().nullable().meta({ description: 'The catalogue contract the mirror follows; null when the deployment names none.' }),
    asOfBlock: integer.nullable().meta({ description: 'The last block the mirror holds; null before the indexer ran.' }),
    notice: z.string().optional().meta({ description: 'Why the catalogue is empty when the deployment names no catalogue.' }),
  })
  .meta({ description: 'What the answer is read from.' });

export const BadgeClassSummary = named(
  'BadgeClassSummary',
  z.strictObject({
    ...classRecord,
    document: z.string().nullable().meta({ description: 'This notary’s URL of the class document (path), or null when it does not hold it.' }),
    name: localised.nullable(),
    levels: z.array(Level).nullable(),
    alignments: z.array(Alignment).nullable(),
  }),
);

export const BadgeClassPage = named(
  'BadgeClassPage',
  z.strictObject({
    catalogue: CatalogueSource,
    badgeClasses: z.array(BadgeClassSummary),
    next: z.string().nullable().meta({ description: 'The `cursor` of the next page; null on the last one.' }),
  }),
);

export const BadgeClassDetail = named(
  'BadgeClassDetail',
  z.strictObject({
    catalogue: CatalogueSource,
    classId: hex32,
    published: z.boolean().meta({ description: 'Whether the catalogue contract records the class; a document may be held before.' }),
    record: z.strictObject(classRecord).nullable(),
    document: BadgeClassDocument.nullable(),
    documentUrl: z.string().nullable(),
    versions: z
      .array(z.strictObject({ classId: hex32, publishedAt: time, current: z.boolean() }))
      .meta({ description: 'The version chain, the first version first (empty when the class is not published).' }),
    endorsements: z.array(z.strictObject({ endorser: MemberRef, claimURI: z.string(), since: time })),
  }),
);

export const BadgeClassDocumentStored = named(
  'BadgeClassDocumentStored',
  z.strictObject({
    classId: hex32,
    stored: z.enum(['created', 'unchanged']),
    document: z.string().meta({ description: 'The URL (path) that answers the canonical document: a publisher may publish it on-chain as the class URI.' }),
    published: z.boolean(),
  }),
);

/** One class adopted by members, for the dashboard (GET /v1/stats). */
export const AdoptedBadgeClass = named(
  'AdoptedBadgeClass',
  z.strictObject({ classId: hex32, name: localised.nullable(), publisher: MemberRef, adopters: integer, current: z.boolean() }),
);
