import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotaryError, presentError } from '../errors';
import { UseCaseError, type UseCaseErrorKind } from '../notary/errors';
import { storageFaultOf, type StorageFault } from '../store';

/** The body of every error answer: `{ "error": { "code", "message", "field"?, ... } }`. */
export interface ErrorBody {
  error: {
    /** Stable, lower-case kebab: clients branch on it. */
    code: string;
    /** A sentence a person can read. */
    message: string;
    /** The input field at fault, as a path: `credentials[3]`, `reason`, `body`. */
    field?: string;
    [extra: string]: unknown;
  };
}

/** What an HTTP error carries beside its message: the field at fault, headers to send, and any other body fields. */
export interface HttpErrorDetails {
  field?: string;
  headers?: Record<string, string>;
  [extra: string]: unknown;
}

/** An error that becomes an HTTP answer with its status and JSON body. */
export class HttpError extends NotaryError<HttpErrorDetails> {
  override name = 'HttpError';

  constructor(
    readonly status: number,
    code: string,
    message: string,
    details: HttpErrorDetails = {},
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, { details, ...options });
  }

  body(): ErrorBody {
    const { headers: _headers, ...rest } = this.details;
    return { error: { ...presentError(this), ...stripUndefined(rest) } };
  }

  /** The answer for an error of this service: its code, message, details and hint, with this status. */
  static from(error: NotaryError<string | object | undefined>, status: number, extra: HttpErrorDetails = {}): HttpError {
    const { code, message, details, hint } = presentError(error);
    return new HttpError(status, code, message, { ...(details ? { details } : {}), ...extra }, { hint, cause: error });
  }
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

export const badRequest = (message: string, field?: string, code = 'invalid-request') => new HttpError(400, code, message, { field });
export const notFound = (message: string) => new HttpError(404, 'not-found', message);
export const forbidden = (message: string, extra: Record<string, unknown> = {}) => new HttpError(403, 'forbidden', message, extra);

/**
 * What body-parser's errors mean for the client. Every one of them is the client's doing: a 4xx, never a 5xx.
 * https://github.com/expressjs/body-parser#errors
 */
const BODY_ERRORS: Record<string, { status: number; code: string; message: (error: BodyParserError) => string }> = {
  'entity.parse.failed': { status: 400, code: 'malformed-json', message: (e) => `the body is not valid JSON: ${e.message}` },
  'entity.too.large': {
    status: 413,
    code: 'payload-too-large',
    message: (e) => `the body is larger than the limit of ${e.limit} bytes`,
  },
  'entity.verify.failed': { status: 400, code: 'invalid-body', message: (e) => e.message },
  'encoding.unsupported': { status: 415, code: 'unsupported-encoding', message: (e) => e.message },
  'charset.unsupported': { status: 415, code: 'unsupported-charset', message: (e) => e.message },
  'request.aborted': { status: 400, code: 'request-aborted', message: () => 'the client aborted the request before the body was read' },
  'request.size.invalid': { status: 400, code: 'invalid-body', message: () => 'the body is shorter or longer than its Content-Length' },
  'parameters.too.many': { status: 413, code: 'payload-too-large', message: () => 'too many parameters' },
};

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  limit?: number;
}

/** Turns any error into the JSON answer; unknown errors are 500s, logged with the request id. */
export function errorHandler(options: { onError?(error: unknown): void } = {}): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    options.onError?.(error);
    const httpError = toHttpError(error);
    if (httpError.status >= 500) req.log?.error({ err: error }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(httpError.details.headers ?? {})) res.setHeader(name, value);
    res.status(httpError.status).json(httpError.body());
  };
}

/** Why the database cannot be written, in words, per storage fault. */
export const STORAGE_FAULTS: Record<StorageFault, string> = {
  full: 'its disk is full',
  'read-only': 'its database is read-only',
  io: 'its disk failed a read or write',
  busy: 'its database is locked by another writer',
  unreachable: 'its database server cannot be reached',
};

/** The status of each kind of use-case error. */
const STATUS_OF_KIND: Record<UseCaseErrorKind, number> = {
  'invalid-input': 400,
  forbidden: 403,
  'not-found': 404,
  refused: 409,
  'too-many': 413,
  unprocessable: 422,
  unavailable: 503,
};

/** A use case's error as an HTTP answer; `extra` adds to (or replaces) its details, e.g. a presented record. */
export function fromUseCaseError(error: UseCaseError, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(STATUS_OF_KIND[error.kind], error.code, error.message, { ...error.details, ...extra });
}

export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof UseCaseError) return fromUseCaseError(error);
  // The disk, not the request: 503, so that clients try again later. A failed write rolled back: intake
  // acknowledged nothing of the request.
  const fault = storageFaultOf(error);
  if (fault) {
    return new HttpError(503, 'storage-unavailable', `the service cannot use its database now (${STORAGE_FAULTS[fault]}); try again later`, {
      reason: fault,
      headers: { 'Retry-After': '30' },
    });
  }
  const bodyError = error as BodyParserError;
  const known = bodyError?.type ? BODY_ERRORS[bodyError.type] : undefined;
  if (known) return new HttpError(known.status, known.code, known.message(bodyError), { field: 'body' });
  const status = bodyError?.status ?? bodyError?.statusCode;
  // Errors that express or its parts mark as the client's (e.g. a malformed %-escape in the path).
  if (typeof status === 'number' && status >= 400 && status < 500 && bodyError.expose !== false) {
    return new HttpError(status, status === 404 ? 'not-found' : 'bad-request', bodyError.message || 'bad request');
  }
  return new HttpError(500, 'internal-error', 'the service failed to answer this request; the request id names it in the logs');
}

/** The last handler: no route matched. */
export function unknownRoute(): RequestHandler {
  return (req, _res, next) => next(new HttpError(404, 'not-found', `there is no route ${req.method} ${req.path}`));
}

/** For a known path asked with a method it does not have. OPTIONS gets the list of methods. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = [...new Set([...allowed.map((m) => m.toUpperCase()), ...(allowed.includes('get') ? ['HEAD'] : [])])].join(', ');
  // Named: the OpenAPI test tells these catch-all routes from the API's own by it.
  return function methodNotAllowed(req, res, next) {
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next(new HttpError(405, 'method-not-allowed', `${req.path} does not take ${req.method}; it takes ${allow}`));
  };
}
