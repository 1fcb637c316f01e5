import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../credentials/json-depth';
import type {
  ApiClients,
  BadgeClassCatalogueStore,
  BadgeClassDocuments,
  Clock,
  CredentialRevocations,
  CredentialStatusSource,
  Intake,
  RegistryDirectory,
  RegistryMirror,
  Revocations,
  StatusLists,
} from '../../notary';
import type { NotaryStore } from '../../store';
import type { Authenticator } from '../auth';
import type { Principal } from '../context';
import { HttpError, badRequest } from '../errors';
import type { HttpLimits } from '../limits';
import type { ServiceMetrics } from '../metrics';
import type { ChainAccess } from '../ports';
import type { OfflineCheck } from '../../verify';
import type { VerificationGate } from '../verification-gate';
import type { RateLimiters } from '../rate-limit';

/** Everything a route needs, built once by createApp: the use cases, and what the reads and readiness use directly. */
export interface RouteContext {
  store: NotaryStore;
  chain: ChainAccess;
  clock: Clock;
  logger: Logger;
  metrics: ServiceMetrics;
  limits: HttpLimits;
  mirror: RegistryMirror;
  directory: RegistryDirectory;
  confirmations: number;
  authenticator: Authenticator;
  intake: Intake;
  receipts: CredentialStatusSource;
  /** Whether this process seals and anchors now (see AppDependencies.anchorer). */
  anchorer: { leads(): boolean };
  revocations: Revocations;
  credentialRevocations: CredentialRevocations;
  clients: ApiClients;
  /** The members' W3C status lists (docs/status-list.md). */
  statusLists: StatusLists;
  /**
   * The badge-class catalogue (docs/catalogue.md): the mirror of the catalogue contract and the class documents.
   * It is the BadgeClassCatalogueMirror that intake and verification read.
   */
  badgeClasses: BadgeClassCatalogueStore;
  /** Uploads of class documents, each checked against its id. */
  badgeClassDocuments: BadgeClassDocuments;
  rateLimits: RateLimiters;
  /** Public verification's offline check (on the verifier pool) and its share of the pool. */
  publicVerification: { checkOffline: OfflineCheck; gate: VerificationGate };
}

export interface Route {
  method: 'get' | 'put' | 'post' | 'delete';
  /** Express's pattern: /v1/credentials/:digest. The OpenAPI document writes it /v1/credentials/{digest}. */
  path: string;
  handlers: RequestHandler[];
}

/** The authenticated member of a request that went through requireRole. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new HttpError(401, 'unauthenticated', 'this route needs authentication');
  return req.principal;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const JWS_TYPES = ['application/jwt', 'application/vc+jwt', 'application/vc-ld+jwt', 'text/plain'];

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/**
 * Parses a JSON body (and, with `jws`, a compact JWS sent as text) up to `limit` bytes. A body of any other
 * media type is 415; malformed JSON 400 and an oversize body 413 come from the error handler.
 */
export function body(options: { limit: number; jws?: boolean }): RequestHandler[] {
  const accepted = options.jws ? [...JSON_TYPES, ...JWS_TYPES] : JSON_TYPES;
  const check: RequestHandler = (req, _res, next) => {
    if (hasBody(req) && !req.is(accepted)) {
      const given = req.get('content-type');
      throw new HttpError(
        415,
        'unsupported-media-type',
        `${given ? `Content-Type ${given} is` : 'a body without Content-Type is'} not accepted here; send ${options.jws ? 'application/json, or a compact JWS as application/jwt or text/plain' : 'application/json'}`,
        { field: 'Content-Type' },
      );
    }
    next();
  };
  const handlers = [check, express.json({ limit: options.limit, strict: false, type: JSON_TYPES }), depthCheck];
  if (options.jws) handlers.push(express.text({ limit: options.limit, type: JWS_TYPES }));
  return handlers;
}

/** A JSON body nested deeper than MAX_JSON_DEPTH is 400: recursive readers further in must never see it. */
const depthCheck: RequestHandler = (req, _res, next) => {
  if (nestedDeeperThan(req.body, MAX_JSON_DEPTH)) {
    throw new HttpError(400, 'too-deeply-nested', `the JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`, { field: 'body' });
  }
  next();
};

/** Validates with a zod schema; the first problem names its field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, root = 'body'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? fieldPath(issue.path) : root;
  throw badRequest(`${field}: ${issue.message}`, field);
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

const DIGEST = /^0x[0-9a-fA-F]{64}$/;

/** A digest path parameter, lower-cased; 400 unless it is 0x and 64 hex digits. */
export function digestParam(req: Request): string {
  const digest = String(req.params.digest);
  if (!DIGEST.test(digest)) throw badRequest(`the digest must be 0x and 64 hex digits, got "${digest.slice(0, 80)}"`, 'digest', 'invalid-digest');
  return digest.toLowerCase();
}

/** A positive whole-number path or query parameter. */
export function idParam(value: unknown, field: string): number {
  const text = String(value);
  if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw badRequest(`${field} must be a whole number from 1, got "${text.slice(0, 40)}"`, field);
  }
  return Number(text);
}

/** An optional query parameter that must be given at most once. */
export function queryText(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`the query parameter ${name} must be given once, as text`, name);
  return value;
}

/** Unix seconds (or ms with `ms`) as ISO 8601 UTC; null stays null. */
export function isoTime(value: number | null | undefined, unit: 's' | 'ms' = 's'): string | null {
  if (value === null || value === undefined) return null;
  return new Date(unit === 's' ? value * 1000 : value).toISOString();
}

/**
 * Answers `value` as JSON, as res.json does, in one write: express turns a body of 1,000 characters or more
 * into a Buffer, which Node then sends after the headers in a second chunk; a string is sent with them.
 * For the hot public reads (a receipt is about 1,500 characters).
 */
export function sendJson(res: Response, status: number, value: unknown): void {
  sendJsonText(res, status, JSON.stringify(value));
}

/** Answers JSON text already written (receiptJson), as sendJson does. */
export function sendJsonText(res: Response, status: number, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
