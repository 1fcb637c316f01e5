/**
 * The verifier's badge-class step (issue #11): a credential whose Achievement id is `urn:badge-notary:class:<id>`
 * is checked against the class as the chain records it (the catalogue contract) and as its document says (fetched
 * from its URI or given by the caller; its keccak-256 of JCS must be the id). The class must be published, its
 * publisher not removed, the level in the scheme and the one the bands give the score, and a class requiring
 * co-issuance needs a co-signer with the class's role. Without the document the level cannot be checked: the step
 * says so and does not pass.
 */
import {
  badgeClassId,
  checkClassClaims,
  parseBadgeClass,
  type Alignment,
  type BadgeClassDocument,
  type BadgeClassId,
  type ClassClaims,
  type LocalisedText,
} from '../catalogue';
import { isoSeconds } from '../merkle';
import { sanitisedMessage } from '../errors';
import type { StatusName } from '../registry';
import type { CatalogueMember, CatalogueReader, ChainBadgeClass, ClassDocumentSource } from './catalogue-reader';
import type { CoIssuanceSigner } from './co-issuance';

/** What the report says of the credential's class. */
export interface BadgeClassFinding {
  id: BadgeClassId;
  /** From the document, when it could be had. */
  name?: LocalisedText;
  alignments?: Alignment[];
  /** The level the credential claims, as the class names it, and its score. */
  level?: string;
  score?: number;
  uri?: string;
  publisher?: { memberId: number; did: string; status: StatusName };
  publishedAt?: string;
  supersededBy?: BadgeClassId | null;
  /** Whether the issuing member adopts the class (an on-chain adoption). */
  issuerAdopts?: boolean;
  /** The other members that adopt it now. */
  adoptedBy?: { memberId: number; did: string }[];
  /** Where the document came from: given by the caller, fetched from its URI (or the notary's copy), or not had. */
  documentSource: 'given' | 'source' | 'none';
  /** The class requires co-issuance by this role. */
  coIssuanceRole?: string;
}

/** Everything read about the class before judging, once the chain and the document were asked. */
export interface ClassFacts {
  claims: ClassClaims;
  record?: ChainBadgeClass;
  document?: BadgeClassDocument;
  /** Why the document could not be had (or was not this class). */
  documentProblem?: string;
  documentSource?: 'given' | 'source';
  publisher?: CatalogueMember;
  adopters: CatalogueMember[];
  /** The reason nothing could be read (no catalogue known, the chain failing). */
  unreadable?: string;
}

export interface ReadClassQuery {
  claims: ClassClaims;
  catalogue?: CatalogueReader | undefined;
  documents?: ClassDocumentSource | undefined;
  /** A document the caller gave. */
  given?: unknown;
}

/** Reads the class's record, publisher, adopters and document; never throws. */
export async function readClassFacts(query: ReadClassQuery): Promise<ClassFacts> {
  const { claims, catalogue } = query;
  const facts: ClassFacts = { claims, adopters: [] };
  if (!catalogue) {
    facts.unreadable = 'no badge-class catalogue is known to this verifier (the deployment record names none)';
    return facts;
  }
  try {
    const record = await catalogue.badgeClass(claims.classId);
    if (!record) return facts;
    facts.record = record;
    const [publisher, adopterIds] = await Promise.all([catalogue.member(record.publisher), catalogue.adopters(claims.classId)]);
    if (publisher) facts.publisher = publisher;
    const adopters = await Promise.all(adopterIds.map((id) => catalogue.member(id)));
    facts.adopters = adopters.filter((member): member is CatalogueMember => member !== undefined);
  } catch (error) {
    facts.unreadable = `the catalogue could not be read: ${sanitisedMessage(error)}`;
    return facts;
  }
  Object.assign(facts, await documentOf(query, facts.record!));
  return facts;
}

async function documentOf(query: ReadClassQuery, record: ChainBadgeClass): Promise<Pick<ClassFacts, 'document' | 'documentProblem' | 'documentSource'>> {
  const { classId } = query.claims;
  let raw: unknown;
  let where: string;
  if (query.given !== undefined) {
    raw = query.given;
    where = 'the document given';
  } else if (query.documents) {
    where = `the document at ${record.uri}`;
    try {
      raw = await query.documents(classId, record.uri);
    } catch (error) {
      return { documentProblem: `${where} could not be fetched: ${sanitisedMessage(error)}` };
    }
    if (raw === undefined) return { documentProblem: `${where} could not be had` };
  } else {
    return { documentProblem: `no document source was given (its URI is ${record.uri})` };
  }
  try {
    const document = parseBadgeClass(raw);
    const id = badgeClassId(document);
    if (id !== classId) return { documentProblem: `${where} is not this class: its keccak-256 (JCS) is ${id}` };
    return { document, documentSource: query.given !== undefined ? 'given' : 'source' };
  } catch (error) {
    return { documentProblem: `${where} is not a valid badge-class document: ${sanitisedMessage(error)}` };
  }
}

/** Co-signatures the class requires besides the issuer's: 1 for a class requiring co-issuance. */
export function requiredCoSignersOf(facts: ClassFacts): number {
  return facts.document?.coIssuance.required ? 1 : 0;
}

export interface ClassJudgement {
  status: 'passed' | 'failed' | 'skipped';
  message: string;
  finding: BadgeClassFinding;
}

/** The step's outcome, from the facts read, the issuing member and the co-signers as the chain saw them. */
export function judgeClass(facts: ClassFacts, issuerMemberId: number | undefined, coSigners: readonly CoIssuanceSigner[]): ClassJudgement {
  const { claims, record, document, publisher } = facts;
  const id = claims.classId;
  const finding: BadgeClassFinding = { id, documentSource: facts.documentSource ?? 'none' };
  if (facts.unreadable) return { status: 'skipped', message: `badge class ${id} could not be checked: ${facts.unreadable}`, finding };
  if (!record) return { status: 'failed', message: `badge class ${id} is not published in the network's catalogue: the credential cites a class that does not exist`, finding };

  finding.uri = record.uri;
  finding.publishedAt = isoSeconds(record.publishedAt);
  finding.supersededBy = record.supersededBy;
  if (publisher) finding.publisher = { memberId: publisher.memberId, did: publisher.did, status: publisher.status };
  finding.issuerAdopts = issuerMemberId !== undefined && facts.adopters.some((member) => member.memberId === issuerMemberId);
  finding.adoptedBy = facts.adopters.filter((member) => member.memberId !== issuerMemberId).map(({ memberId, did }) => ({ memberId, did }));
  const publishedBy = publisher ? `member ${publisher.memberId} (${publisher.did})` : `member ${record.publisher}`;
  if (publisher?.status === 'removed') {
    const message = `badge class ${id} was published by ${publishedBy}, removed from the network since ${isoSeconds(publisher.statusSince)}: the network no longer stands behind its classes`;
    return { status: 'failed', message, finding };
  }
  if (!document) {
    finding.level = claims.level?.name;
    return { status: 'skipped', message: `the level could not be checked against badge class ${id}: ${facts.documentProblem ?? 'no document'}`, finding };
  }

  Object.assign(finding, { name: document.name, alignments: document.alignments });
  if (document.coIssuance.required) finding.coIssuanceRole = document.coIssuance.role;
  const checked = checkClassClaims(document, claims);
  if ('problem' in checked) {
    finding.level = claims.level?.name;
    if (claims.score) finding.score = claims.score.value;
    return { status: 'failed', message: `the credential does not fit badge class "${document.name.en}" in ${checked.problem.field}: ${checked.problem.reason}`, finding };
  }
  finding.level = checked.level;
  if (claims.score) finding.score = claims.score.value;
  if (document.coIssuance.required) {
    const role = document.coIssuance.role;
    if (!coSigners.some((signer) => signer.role === role && !signer.problem)) {
      const seen = coSigners.length === 0 ? 'the credential carries no co-signature' : coSigners.map((s) => `co-signer ${s.memberDid} is a ${s.role}${s.problem ? ` (${s.problem.message})` : ''}`).join('; ');
      return { status: 'failed', message: `badge class "${document.name.en}" requires co-issuance by a ${role}: ${seen}`, finding };
    }
  }
  const score = claims.score ? ` for a score of ${claims.score.value}` : '';
  const adoption = finding.issuerAdopts ? 'the issuer adopts it' : 'the issuer does not adopt it';
  const others = finding.adoptedBy.length ? `; also adopted by ${finding.adoptedBy.map((m) => m.did).join(', ')}` : '';
  const superseded = record.supersededBy ? ` (a later version, ${record.supersededBy}, supersedes it)` : '';
  const message = `issued against badge class "${document.name.en}" (${id}) published by ${publishedBy}${superseded}: level ${checked.level}${score} fits the class; ${adoption}${others}`;
  return { status: 'passed', message, finding };
}
