/**
 * What goes into a baked image and what comes out of one, independent of PNG or SVG: the credential as text (a
 * compact JWS or JSON), its Open Badges version, and the receipt, with the rules of docs/baking.md:
 *   - a JSON credential carries its receipt in its proof set (service/merkle/embed), so the baked JSON has it;
 *   - a JWS credential (VC-JWT, OB 2.0 signed assertion) is baked bare, and its receipt goes into a chunk or element
 *     of its own;
 *   - a receipt must be for the credential it comes with (same digest), when baking and when reading.
 */
import { keccak256, toUtf8Bytes } from 'ethers';
import { OB2_CONTEXT_URL, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL, digestInput, type Hex, type JsonObject } from '../credentials';
import {
  ReceiptFieldError,
  ReceiptInputError,
  attachReceiptToCredential,
  extractReceiptFromCredential,
  validateReceipt,
  type Receipt,
} from '../merkle';
import { BakeInputError, InvalidBakedCredentialError, InvalidReceiptError } from './errors';

/** The Open Badges version of a baked credential: 'ob3' (a Verifiable Credential) or 'ob2' (an OB 2.0 Assertion). */
export type BadgeVersion = 'ob3' | 'ob2';

/** What may be baked: a compact JWS, JSON text, or the JSON credential as an object. */
export type BakeableCredential = string | object;

/** A credential made ready for baking. */
export interface PreparedCredential {
  version: BadgeVersion;
  /** 'jws': `text` is a compact JWS; 'json': `text` is the JSON credential (with its receipt, when there is one). */
  form: 'jws' | 'json';
  text: string;
  /** For an OB 2.0 hosted assertion (JSON): the URL the SVG `verify` attribute must hold. */
  hostedUrl?: string | undefined;
  /** The receipt of a JWS credential, baked beside it as JSON text. */
  receiptText?: string | undefined;
}

/** A credential read from a baked image, with its receipt when one was baked. */
export interface ReadCredential {
  version: BadgeVersion;
  /** The compact JWS, or the JSON credential as its issuer signed it (any receipt entry taken out of its proof set). */
  credential: string | JsonObject;
  receipt?: Receipt | undefined;
}

// Three base64url parts; the signature may not be empty: only signed credentials are baked.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Prepares `credential` (and `receipt`) for baking.
 * @throws {BakeInputError} when the credential is not a signed OB 3.0 credential or OB 2.0 assertion.
 * @throws {InvalidReceiptError} when the receipt, or one the JSON credential already carries, does not validate or is
 * for another credential.
 */
export function prepareCredential(credential: unknown, receipt: unknown): PreparedCredential {
  if (typeof credential === 'string') {
    const text = credential.trim();
    if (COMPACT_JWS.test(text)) return prepareJws(text, receipt);
    if (text.startsWith('{')) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new BakeInputError('credential', 'the text starts like JSON but is not JSON', { details: (cause as Error).message, cause });
      }
      return prepareJson(value as JsonObject, receipt);
    }
    throw new BakeInputError('credential', 'a string credential must be a compact JWS (three base64url parts) or JSON text', {
      details: `got ${describe(text)}`,
    });
  }
  if (isObject(credential)) return prepareJson(credential, receipt);
  throw new BakeInputError('credential', 'must be a compact JWS string or a JSON credential object', {
    details: `got ${credential === null ? 'null' : Array.isArray(credential) ? 'an array' : typeof credential}`,
  });
}

function prepareJws(jws: string, receipt: unknown): PreparedCredential {
  const payload = jwsPayload(jws);
  if (!payload) throw new BakeInputError('credential', 'the JWS payload is not base64url-encoded JSON object');
  const version = versionOf(payload);
  if (!version) {
    throw new BakeInputError('credential', 'the JWS payload is neither a Verifiable Credential (OB 3.0) nor an OB 2.0 Assertion');
  }
  if (receipt === undefined) return { version, form: 'jws', text: jws };
  const checked = checkedReceipt(receipt, 'receipt');
  requireSameDigest(checked, digestOfArtifact(jws));
  return { version, form: 'jws', text: jws, receiptText: JSON.stringify(checked) };
}

function prepareJson(input: JsonObject, receipt: unknown): PreparedCredential {
  // What is baked is the JSON text; the digest is computed over that text read back, so the two cannot drift apart.
  let value: JsonObject;
  try {
    value = JSON.parse(JSON.stringify(input)) as JsonObject;
  } catch (cause) {
    throw new BakeInputError('credential', 'the object cannot be written as JSON', { details: (cause as Error).message, cause });
  }
  const version = versionOf(value);
  if (!version) {
    throw new BakeInputError('credential', 'the JSON is neither a Verifiable Credential (OB 3.0) nor an OB 2.0 Assertion', {
      details: 'an OB 3.0 credential has an @context with the VC context; an OB 2.0 assertion the OB 2.0 context or type Assertion',
    });
  }
  if (version === 'ob2') {
    if (receipt !== undefined) {
      throw new BakeInputError('receipt', 'an OB 2.0 hosted assertion (JSON) is not notarised, so it takes no receipt', {
        details: 'bake the signed assertion (its compact JWS) to bake a receipt with it',
      });
    }
    return { version, form: 'json', text: JSON.stringify(value), hostedUrl: hostedUrlOf(value) };
  }
  let baked: JsonObject = value;
  if (receipt !== undefined) {
    const checked = checkedReceipt(receipt, 'receipt');
    try {
      baked = attachReceiptToCredential(value, checked) as unknown as JsonObject;
    } catch (error) {
      if (error instanceof ReceiptInputError) {
        throw new BakeInputError('credential', 'a JSON credential must carry its issuer proof (an embedded proof) to be baked', {
          details: error.message,
          cause: error,
        });
      }
      throw receiptError(error, 'receipt');
    }
  }
  const { credential: asIssued, receipt: carried } = extract(baked, 'credential');
  if (!hasProof(asIssued)) {
    throw new BakeInputError('credential', 'a JSON credential must carry its issuer proof (an embedded proof) to be baked', {
      details: 'sign it first (Data Integrity or Ed25519Signature2020), or bake its VC-JWT',
    });
  }
  if (carried) requireSameDigest(carried, digestOfArtifact(asIssued));
  return { version, form: 'json', text: JSON.stringify(baked) };
}

/**
 * The credential held by baked text (a chunk's text, an element's body or `verify` attribute).
 * @param where what the text came from, for messages: 'the iTXt chunk "openbadgecredential"'.
 * @throws {InvalidBakedCredentialError} when the text is not a compact JWS or JSON credential (a hosted-assertion
 * URL is named in the error, and not fetched).
 */
export function readBakedText(text: string, where: string): { version: BadgeVersion; credential: string | JsonObject } {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (COMPACT_JWS.test(trimmed)) {
    const payload = jwsPayload(trimmed);
    const version = payload && versionOf(payload);
    if (!version) {
      throw new InvalidBakedCredentialError(`${where} holds a JWS whose payload is neither a Verifiable Credential nor an OB 2.0 Assertion`);
    }
    return { version, credential: trimmed };
  }
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (cause) {
      throw new InvalidBakedCredentialError(`${where} holds text that starts like JSON but is not JSON`, undefined, {
        details: (cause as Error).message,
        cause,
      });
    }
    const version = isObject(value) ? versionOf(value) : undefined;
    if (!version) throw new InvalidBakedCredentialError(`${where} holds JSON that is neither a Verifiable Credential nor an OB 2.0 Assertion`);
    return { version, credential: value as JsonObject };
  }
  if (/^https?:\/\/\S+$/i.test(trimmed)) {
    throw new InvalidBakedCredentialError(
      `${where} holds the URL of a hosted assertion, not a credential; it is not fetched`,
      trimmed,
      { details: trimmed },
    );
  }
  if (trimmed === '') throw new InvalidBakedCredentialError(`${where} is empty`);
  throw new InvalidBakedCredentialError(`${where} holds neither a compact JWS nor a JSON credential`, undefined, {
    details: `it starts ${describe(trimmed)}`,
  });
}

/**
 * The credential and receipt of a baked image.
 * @param receiptText the text of the receipt chunk or element, when the image has one.
 * @param receiptWhere what that chunk or element is, for messages.
 * @throws {InvalidReceiptError} when a receipt does not validate, is for another credential, is baked twice (in the
 * proof set and beside it), or rides beside a credential that cannot take one.
 */
export function withBakedReceipt(
  read: { version: BadgeVersion; credential: string | JsonObject },
  receiptText: string | undefined,
  receiptWhere: string,
): ReadCredential {
  const { version, credential } = read;
  if (typeof credential === 'string') {
    if (receiptText === undefined) return { version, credential };
    let value: unknown;
    try {
      value = JSON.parse(receiptText);
    } catch (cause) {
      throw new InvalidReceiptError(`${receiptWhere} is not JSON`, undefined, { details: (cause as Error).message, cause });
    }
    const receipt = checkedReceipt(value, '');
    requireSameDigest(receipt, digestOfArtifact(credential));
    return { version, credential, receipt };
  }
  if (version === 'ob2') {
    if (receiptText !== undefined) {
      throw new InvalidReceiptError(`${receiptWhere} sits beside an OB 2.0 hosted assertion, which is not notarised and takes no receipt`);
    }
    return { version, credential };
  }
  const { credential: asIssued, receipt } = extract(credential, '');
  if (receiptText !== undefined) {
    throw new InvalidReceiptError(
      receipt
        ? `the receipt is baked twice: in the credential's proof set and in ${receiptWhere}`
        : `${receiptWhere} sits beside a JSON credential; a JSON credential carries its receipt in its proof set`,
    );
  }
  if (!receipt) return { version, credential };
  requireSameDigest(receipt, digestOfArtifact(asIssued));
  return { version, credential: asIssued, receipt };
}

/** The credential digest (docs/credentials.md), computed synchronously: keccak256 of the digest input. */
export function digestOfArtifact(artifact: string | JsonObject): Hex {
  let input: string;
  try {
    input = digestInput(artifact);
  } catch (cause) {
    throw new BakeInputError('credential', 'its digest cannot be computed (the JSON cannot be canonicalised, RFC 8785)', { cause });
  }
  return keccak256(toUtf8Bytes(input)) as Hex;
}

/** The version of a credential by its content: an OB 2.0 Assertion (2.0 or 1.x) or a Verifiable Credential. */
function versionOf(value: JsonObject): BadgeVersion | undefined {
  const contexts = Array.isArray(value['@context']) ? value['@context'] : [value['@context']];
  const types = typesOf(value.type);
  if (contexts.includes(OB2_CONTEXT_URL) || types.includes('Assertion')) return 'ob2';
  if (isObject(value.vc)) return 'ob3';
  if (contexts.includes(VC_V2_CONTEXT_URL) || contexts.includes(VC_V1_CONTEXT_URL) || types.includes('VerifiableCredential')) return 'ob3';
  // OB 1.x assertions have no @context; the OB 2.0 baking rules cover them.
  if (value['@context'] === undefined && value.badge !== undefined && value.recipient !== undefined) return 'ob2';
  return undefined;
}

/** The URL an OB 2.0 SVG `verify` attribute holds for a hosted assertion: `verify.url` (1.x) or its `id` (2.0). */
function hostedUrlOf(assertion: JsonObject): string {
  const verify = assertion.verify;
  const candidates = [isObject(verify) ? verify.url : undefined, assertion.id];
  const url = candidates.find((value): value is string => typeof value === 'string' && /^https?:\/\/\S+$/i.test(value));
  if (!url) {
    throw new BakeInputError('credential', 'an OB 2.0 hosted assertion needs its URL (id, or verify.url in 1.x) for the SVG verify attribute');
  }
  return url;
}

function jwsPayload(jws: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return isObject(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

function extract(credential: JsonObject, at: string): { credential: JsonObject; receipt: Receipt | undefined } {
  try {
    const { credential: asIssued, receipt } = extractReceiptFromCredential(credential);
    return { credential: asIssued as JsonObject, receipt };
  } catch (error) {
    throw receiptError(error, at);
  }
}

function checkedReceipt(value: unknown, at: string): Receipt {
  try {
    return validateReceipt(value);
  } catch (error) {
    throw receiptError(error, at);
  }
}

function receiptError(error: unknown, at: string): unknown {
  if (!(error instanceof ReceiptFieldError)) return error;
  const field = at && !error.field.startsWith('proof') ? `${at}.${error.field}` : error.field;
  return new InvalidReceiptError(`the receipt does not validate: ${error.shortMessage}`, field, { details: error.details, cause: error });
}

function requireSameDigest(receipt: Receipt, digest: Hex): void {
  if (receipt.digest !== digest) {
    throw new InvalidReceiptError(`the receipt is for digest ${receipt.digest}, not for this credential (digest ${digest})`, 'digest');
  }
}

function hasProof(credential: JsonObject): boolean {
  const { proof } = credential;
  return isObject(proof) || (Array.isArray(proof) && proof.length > 0);
}

function typesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function describe(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}
