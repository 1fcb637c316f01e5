import { NotaryError } from '../errors';

/**
 * Errors of the credential core. One base class, `CredentialError` (a `NotaryError`: a stable `code`, a
 * `shortMessage` that names what is wrong, optional `details` and the `cause`); one subclass per kind of problem.
 * Every subclass takes one plain `params` object, so an error crosses a worker thread as JSON and comes back as
 * the same class (`errorToJSON` / `errorFromJSON`).
 */

export type CredentialErrorCode =
  | 'NOT_JSON'
  | 'UNKNOWN_FORMAT'
  | 'UNKNOWN_CONTEXT'
  | 'MISSING_PROOF'
  | 'MALFORMED_PROOF'
  | 'SIGNATURE_INVALID'
  | 'KEY_MISMATCH'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNSUPPORTED_KEY'
  | 'INVALID_KEY'
  | 'SCHEMA_INVALID'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'NO_BADGE'
  | 'INVALID_SCORE'
  | 'INVALID_BADGE_INPUT'
  | 'UNEXPECTED';

export interface CredentialErrorOptions {
  details?: string | undefined;
  cause?: unknown;
}

/** The JSON form of a credential error (what crosses a worker thread or an HTTP response). */
export interface CredentialErrorJSON {
  name: string;
  code: CredentialErrorCode;
  shortMessage: string;
  message: string;
  details?: string | undefined;
  params: Record<string, unknown>;
}

/** The base of every error this module throws or returns. */
export class CredentialError extends NotaryError {
  override name = 'CredentialError';
  declare readonly code: CredentialErrorCode;
  /** The constructor's argument, kept so the error can be rebuilt from JSON. */
  readonly params: Record<string, unknown>;

  constructor(
    code: CredentialErrorCode,
    shortMessage: string,
    params: object = {},
    options: CredentialErrorOptions = {},
  ) {
    super(code, shortMessage, {
      ...options,
      message: options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage,
    });
    this.params = { ...params };
  }

  toJSON(): CredentialErrorJSON {
    return {
      name: this.name,
      code: this.code,
      shortMessage: this.shortMessage,
      message: this.message,
      details: this.details,
      params: this.params,
    };
  }
}

/** Thrown when the input is neither JSON nor a compact JWS. */
export class NotJsonError extends CredentialError {
  override name = 'NotJsonError';
  constructor(params: { reason: string }, options: CredentialErrorOptions = {}) {
    super('NOT_JSON', `Credential input is neither JSON nor a compact JWS: ${params.reason}`, params, options);
  }
}

/** Thrown when JSON (or a JWS payload) is not any credential format accepted here. */
export class UnknownFormatError extends CredentialError {
  override name = 'UnknownFormatError';
  constructor(params: { reason: string }, options: CredentialErrorOptions = {}) {
    super('UNKNOWN_FORMAT', `Not a credential format accepted here: ${params.reason}`, params, {
      details:
        options.details ??
        'accepted: OB 3.0 / VC with a DataIntegrityProof (eddsa-rdfc-2022) or Ed25519Signature2020 proof, ' +
          'a VC-JWT (EdDSA or ES256), an OB 2.0 signed assertion (compact JWS)',
      cause: options.cause,
    });
  }
}

/** Thrown when a JSON-LD context or document is not in the offline loader. Nothing is ever fetched. */
export class UnknownContextError extends CredentialError {
  override name = 'UnknownContextError';
  constructor(params: { url: string }, options: CredentialErrorOptions = {}) {
    super(
      'UNKNOWN_CONTEXT',
      `Unknown JSON-LD context or document "${params.url}": it is not in the offline loader and remote documents are never fetched`,
      params,
      options,
    );
  }
}

/** Thrown when a credential carries no issuer proof (a notarisation receipt is not one). */
export class MissingProofError extends CredentialError {
  override name = 'MissingProofError';
  constructor(params: { reason: string }, options: CredentialErrorOptions = {}) {
    super('MISSING_PROOF', `Missing proof: ${params.reason}`, params, options);
  }
}

/** Thrown when a proof or a JWS header is present but wrong: a field missing, of the wrong kind, or doubled. */
export class MalformedProofError extends CredentialError {
  override name = 'MalformedProofError';
  constructor(params: { field: string; reason: string }, options: CredentialErrorOptions = {}) {
    super('MALFORMED_PROOF', `Wrong proof: ${params.field} ${params.reason}`, params, options);
  }
}

/** Thrown when the signature does not verify: the signed content was changed, or another key signed it. */
export class SignatureInvalidError extends CredentialError {
  override name = 'SignatureInvalidError';
  constructor(params: { format: string; verificationMethod: string }, options: CredentialErrorOptions = {}) {
    super(
      'SIGNATURE_INVALID',
      `Signature does not verify with key ${params.verificationMethod}: a signed field was changed after signing, or another key made the signature`,
      params,
      options,
    );
  }
}

/** Thrown when a valid signature was made by a key that is not the one the credential or the caller expects. */
export class KeyMismatchError extends CredentialError {
  override name = 'KeyMismatchError';
  constructor(params: { expected: string; actual: string; reason: string }, options: CredentialErrorOptions = {}) {
    super(
      'KEY_MISMATCH',
      `Signed by another key: ${params.reason} (expected ${params.expected}, got ${params.actual})`,
      params,
      options,
    );
  }
}

/** Thrown for a signature algorithm, proof type or cryptosuite that is not supported here. */
export class UnsupportedAlgorithmError extends CredentialError {
  override name = 'UnsupportedAlgorithmError';
  constructor(params: { algorithm: string; supported: readonly string[]; reason?: string }, options: CredentialErrorOptions = {}) {
    super(
      'UNSUPPORTED_ALGORITHM',
      `Unsupported algorithm "${params.algorithm}"${params.reason ? `: ${params.reason}` : ''}`,
      params,
      { details: options.details ?? `supported: ${params.supported.join(', ')}`, cause: options.cause },
    );
  }
}

/** Thrown when a key id cannot be resolved offline (key-id.ts says which DID methods are). */
export class UnsupportedKeyError extends CredentialError {
  override name = 'UnsupportedKeyError';
  constructor(params: { key: string; field: string; reason?: string }, options: CredentialErrorOptions = {}) {
    super(
      'UNSUPPORTED_KEY',
      `Cannot resolve key "${params.key}" (${params.field}): ${params.reason ?? 'keys are resolved offline from did:key, did:jwk or a member key id did:web:<host>#<publicKeyMultibase>'}`,
      params,
      options,
    );
  }
}

/** Thrown when a did:key, multibase value or JWK is malformed, or of a key type other than Ed25519 and P-256. */
export class InvalidKeyError extends CredentialError {
  override name = 'InvalidKeyError';
  constructor(params: { input: string; reason: string }, options: CredentialErrorOptions = {}) {
    super('INVALID_KEY', `Invalid key ${params.input}: ${params.reason}`, params, options);
  }
}

/** One problem found by schema validation. */
export interface SchemaIssue {
  /** Where, as a path: `credentialSubject.achievement.criteria`, `type`, `@context[2]`. */
  path: string;
  /** What is wrong, e.g. "is missing", "must include AchievementSubject". */
  problem: string;
}

/** Thrown when a credential lacks required fields or has fields of the wrong shape. */
export class SchemaError extends CredentialError {
  override name = 'SchemaError';
  readonly path: string;
  readonly issues: readonly SchemaIssue[];
  constructor(params: { standard: string; issues: SchemaIssue[] }, options: CredentialErrorOptions = {}) {
    const [first] = params.issues;
    const more = params.issues.length > 1 ? ` (and ${params.issues.length - 1} more)` : '';
    super(
      'SCHEMA_INVALID',
      `Not a valid ${params.standard}: ${first ? `${first.path} ${first.problem}` : 'unknown problem'}${more}`,
      params,
      {
        details: options.details ?? params.issues.map((issue) => `${issue.path} ${issue.problem}`).join('; '),
        cause: options.cause,
      },
    );
    this.path = first?.path ?? '';
    this.issues = params.issues;
  }
}

/** Thrown when the credential's validity starts after `now`. */
export class NotYetValidError extends CredentialError {
  override name = 'NotYetValidError';
  constructor(params: { field: string; value: string; now: string }, options: CredentialErrorOptions = {}) {
    super('NOT_YET_VALID', `Credential is not valid yet: ${params.field} is ${params.value}, now is ${params.now}`, params, options);
  }
}

/** Thrown when the credential's validity ended before `now`. */
export class ExpiredError extends CredentialError {
  override name = 'ExpiredError';
  constructor(params: { field: string; value: string; now: string }, options: CredentialErrorOptions = {}) {
    super('EXPIRED', `Credential has expired: ${params.field} is ${params.value}, now is ${params.now}`, params, options);
  }
}

/** Thrown when an assessment result earns no badge (soft skills 0-3 of 10, technical score below 70). */
export class NoBadgeError extends CredentialError {
  override name = 'NoBadgeError';
  constructor(params: { scale: string; value: number; minimum: number }, options: CredentialErrorOptions = {}) {
    super(
      'NO_BADGE',
      `No badge: ${params.scale} result ${params.value} is below the first level, which starts at ${params.minimum}`,
      params,
      options,
    );
  }
}

/** Thrown when an assessment result is not an integer in its range. */
export class InvalidScoreError extends CredentialError {
  override name = 'InvalidScoreError';
  constructor(params: { scale: string; value: string; min: number; max: number }, options: CredentialErrorOptions = {}) {
    super(
      'INVALID_SCORE',
      `Invalid ${params.scale} result ${params.value}: it must be an integer from ${params.min} to ${params.max}`,
      params,
      options,
    );
  }
}

/** Thrown by the badge builder and signer when their input lacks a field or has a wrong one. */
export class InvalidBadgeInputError extends CredentialError {
  override name = 'InvalidBadgeInputError';
  constructor(params: { field: string; reason: string }, options: CredentialErrorOptions = {}) {
    super('INVALID_BADGE_INPUT', `Invalid badge input: ${params.field} ${params.reason}`, params, options);
  }
}

/** Wraps an error from a library that none of the classes above describes. */
export class UnexpectedError extends CredentialError {
  override name = 'UnexpectedError';
  constructor(params: { during: string; message: string }, options: CredentialErrorOptions = {}) {
    super('UNEXPECTED', `Unexpected error during ${params.during}: ${params.message}`, params, options);
  }
}

type ErrorClass = new (params: never, options?: CredentialErrorOptions) => CredentialError;

const classes: Record<CredentialErrorCode, ErrorClass> = {
  NOT_JSON: NotJsonError,
  UNKNOWN_FORMAT: UnknownFormatError,
  UNKNOWN_CONTEXT: UnknownContextError,
  MISSING_PROOF: MissingProofError,
  MALFORMED_PROOF: MalformedProofError,
  SIGNATURE_INVALID: SignatureInvalidError,
  KEY_MISMATCH: KeyMismatchError,
  UNSUPPORTED_ALGORITHM: UnsupportedAlgorithmError,
  UNSUPPORTED_KEY: UnsupportedKeyError,
  INVALID_KEY: InvalidKeyError,
  SCHEMA_INVALID: SchemaError,
  NOT_YET_VALID: NotYetValidError,
  EXPIRED: ExpiredError,
  NO_BADGE: NoBadgeError,
  INVALID_SCORE: InvalidScoreError,
  INVALID_BADGE_INPUT: InvalidBadgeInputError,
  UNEXPECTED: UnexpectedError,
};

/** The JSON form of an error, for a worker thread or a response body. */
export function errorToJSON(error: CredentialError): CredentialErrorJSON {
  return error.toJSON();
}

/** Rebuilds the typed error from its JSON form (the cause does not survive; its text is in `details`). */
export function errorFromJSON(json: CredentialErrorJSON): CredentialError {
  const ErrorClassForCode = classes[json.code] as unknown as new (
    params: Record<string, unknown>,
    options?: CredentialErrorOptions,
  ) => CredentialError;
  if (!ErrorClassForCode) return new UnexpectedError({ during: 'decoding an error', message: json.message });
  return new ErrorClassForCode(json.params, { details: json.details });
}

/**
 * The first CredentialError inside an error thrown by a library: jsonld and jsonld-signatures wrap the document
 * loader's error in `details.cause`, `errors[]` or `cause`.
 */
export function findCredentialError(error: unknown, depth = 0): CredentialError | undefined {
  if (error instanceof CredentialError) return error;
  if (depth > 8 || error === null || typeof error !== 'object') return undefined;
  const candidates: unknown[] = [];
  const record = error as Record<string, unknown>;
  if (Array.isArray(error)) candidates.push(...error);
  if (Array.isArray(record.errors)) candidates.push(...record.errors);
  if (record.details && typeof record.details === 'object') candidates.push((record.details as Record<string, unknown>).cause);
  if ('cause' in record) candidates.push(record.cause);
  for (const candidate of candidates) {
    const found = findCredentialError(candidate, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A readable message of any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return error.map(messageOf).join('; ');
  return String(error);
}
