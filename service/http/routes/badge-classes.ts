import type { Request } from 'express';
import { FRAMEWORKS, type BadgeClassId, type Framework } from '../../catalogue';
import { EndorsementKind } from '../../registry';
import { requireRole } from '../auth';
import { badgeClassDetailJson, badgeClassSummaryJson, documentPath, type DidOf } from '../badge-class-presenter';
import { badRequest, notFound } from '../errors';
import { body, idParam, principalOf, queryText, sendJson, sendJsonText, type Route, type RouteContext } from './route';

const CLASS_ID = /^0x[0-9a-fA-F]{64}$/;
const MAX_QUERY_CHARACTERS = 200;
const MAX_WORDS = 8;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
/** A word must have a letter or a digit: punctuation alone matches nothing in the index. */
const SEARCHABLE = /[\p{L}\p{N}]/u;

/**
 * The network's badge-class catalogue (docs/catalogue.md): the published classes mirrored from the catalogue
 * contract, searched in full text; one class with its versions, adopters and endorsements; and the class
 * documents members upload, served as canonical JSON so that their keccak-256 is the class id.
 */
export function badgeClassRoutes(context: RouteContext): Route[] {
  const { badgeClasses, badgeClassDocuments, mirror, store, rateLimits, limits, authenticator } = context;
  const didOf: DidOf = (memberId) => mirror.member(memberId)?.did ?? null;
  const source = () => {
    const address = badgeClasses.catalogueAddress();
    const cursor = mirror.cursor();
    return {
      address,
      asOfBlock: cursor && cursor.lastBlockHash !== null ? cursor.lastBlock : null,
      ...(address === null ? { notice: 'this network’s deployment names no badge-class catalogue: no class is published' } : {}),
    };
  };
  return [
    {
      method: 'get',
      path: '/v1/badge-classes',
      handlers: [
        rateLimits.address,
        (req, res) => {
          const query = catalogueQuery(req, (did) => mirror.memberByDid(did)?.id);
          if (query === 'no such adopter') {
            sendJson(res, 200, { catalogue: source(), badgeClasses: [], next: null });
            return;
          }
          // One more than the page, to know whether there is a next one.
          const found = badgeClasses.search({ ...query, limit: query.limit + 1 });
          const page = found.slice(0, query.limit);
          sendJson(res, 200, {
            catalogue: source(),
            badgeClasses: page.map((entry) => badgeClassSummaryJson(entry, didOf)),
            next: found.length > query.limit ? encodeCursor(query.offset + query.limit) : null,
          });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/badge-classes/:id',
      handlers: [
        rateLimits.address,
        (req, res) => {
          const classId = classIdParam(req);
          const record = badgeClasses.badgeClass(classId);
          const document = badgeClasses.document(classId);
          if (record === undefined && document === undefined) {
            const why = source().address === null ? ' (the deployment names no catalogue)' : '';
            throw notFound(`the catalogue has no class ${classId}: it is not published${why}, and this notary holds no document of it`);
          }
          sendJson(res, 200, {
            catalogue: source(),
            ...badgeClassDetailJson(
              classId,
              {
                record,
                document,
                versions: badgeClasses.versionChain(classId),
                endorsements: store.registry.endorsementsOf(EndorsementKind.BadgeClass, classId),
              },
              didOf,
            ),
          });
        },
      ],
    },
    {
      method: 'get',
      path: '/v1/badge-classes/:id/document',
      handlers: [
        rateLimits.address,
        (req, res) => {
          const classId = classIdParam(req);
          const stored = badgeClasses.storedDocument(classId);
          if (stored === undefined) throw notFound(`this notary holds no document of class ${classId}`);
          // Content-addressed: the bytes under this URL never change.
          res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          sendJsonText(res, 200, stored.canonical);
        },
      ],
    },
    {
      method: 'put',
      path: '/v1/badge-classes/:id/document',
      handlers: [
        requireRole(authenticator, 'editor'),
        rateLimits.member,
        ...body({ limit: limits.maxJsonBodyBytes }),
        async (req, res) => {
          const classId = classIdParam(req);
          const principal = principalOf(req);
          const { outcome } = await badgeClassDocuments.upload(
            { memberId: principal.memberId, memberDid: principal.memberDid, subject: principal.subject },
            classId,
            req.body,
          );
          if (outcome === 'created') req.log.info({ classId, member: principal.memberId }, 'badge-class document stored');
          res.setHeader('Location', documentPath(classId));
          sendJson(res, outcome === 'created' ? 201 : 200, {
            classId,
            stored: outcome,
            document: documentPath(classId),
            published: badgeClasses.badgeClass(classId) !== undefined,
          });
        },
      ],
    },
  ];
}

function classIdParam(req: Request): BadgeClassId {
  const id = String(req.params.id);
  if (!CLASS_ID.test(id)) throw badRequest(`the class id must be 0x and 64 hex digits, got "${id.slice(0, 80)}"`, 'id', 'invalid-class-id');
  return id.toLowerCase() as BadgeClassId;
}

interface CatalogueQuery {
  words?: string[];
  framework?: Framework;
  level?: string;
  adoptedBy?: number;
  limit: number;
  offset: number;
}

/**
 * The query of GET /v1/badge-classes, each parameter checked and named when wrong. `adoptedBy` is a member
 * number or a DID; a DID no member holds matches nothing ('no such adopter').
 */
function catalogueQuery(req: Request, memberIdOf: (did: string) => number | undefined): CatalogueQuery | 'no such adopter' {
  const query: CatalogueQuery = { limit: DEFAULT_PAGE, offset: 0 };
  const q = queryText(req, 'q');
  if (q !== undefined) {
    if (q.length > MAX_QUERY_CHARACTERS) throw badRequest(`q must be at most ${MAX_QUERY_CHARACTERS} characters`, 'q');
    const words = q.split(/\s+/).filter((word) => SEARCHABLE.test(word));
    if (words.length === 0) throw badRequest('q must have a word to search for (letters or digits)', 'q');
    if (words.length > MAX_WORDS) throw badRequest(`q may have at most ${MAX_WORDS} words`, 'q');
    query.words = words;
  }
  const framework = queryText(req, 'framework');
  if (framework !== undefined) {
    if (!(FRAMEWORKS as readonly string[]).includes(framework)) throw badRequest(`framework must be one of ${FRAMEWORKS.join(', ')}`, 'framework');
    query.framework = framework as Framework;
  }
  const level = queryText(req, 'level');
  if (level !== undefined) {
    if (level.trim() === '' || level.length > 100) throw badRequest('level must be a level name, 1 to 100 characters', 'level');
    query.level = level.trim();
  }
  const adoptedBy = queryText(req, 'adoptedBy');
  if (adoptedBy !== undefined) {
    if (adoptedBy.startsWith('did:')) {
      const memberId = memberIdOf(adoptedBy);
      if (memberId === undefined) return 'no such adopter';
      query.adoptedBy = memberId;
    } else {
      query.adoptedBy = idParam(adoptedBy, 'adoptedBy');
    }
  }
  const limit = queryText(req, 'limit');
  if (limit !== undefined) {
    if (!/^[0-9]{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_PAGE) throw badRequest(`limit must be a whole number from 1 to ${MAX_PAGE}`, 'limit');
    query.limit = Number(limit);
  }
  const cursor = queryText(req, 'cursor');
  if (cursor !== undefined) query.offset = decodeCursor(cursor);
  return query;
}

/** The cursor is the offset of the next page, opaque to clients: "o" and the number, base64url. */
function encodeCursor(offset: number): string {
  return Buffer.from(`o${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,16}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString() : '';
  const match = /^o([0-9]{1,7})$/.exec(text);
  if (!match) throw badRequest('cursor must be the `next` of a previous page', 'cursor');
  return Number(match[1]);
}
