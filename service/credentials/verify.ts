/**
 * verifyCredential: format, issuer signature, issuer key, schema and validity dates of one credential, each
 * reported as a check. Like @digitalbazaar/vc, it never throws: failures come back as { verified: false, error }.
 * What needs the chain (key registered for the member, anchoring, revocation) is not judged here.
 */
import { checkValidity } from './dates';
import { verifyLinkedDataProofs } from './data-integrity';
import { CredentialError, KeyMismatchError, UnexpectedError, messageOf } from './errors';
import { verifyCompactJws } from './jws';
import { assertOb2Assertion } from './ob2';
import { parseCredential, type CoSigner, type ParsedCredential } from './parse';
import { assertOb3Credential } from './schema';
import { isDidKey } from './did-key';
import { memberKeyId, resolveKeyId } from './key-id';
import type { CredentialFormat, CredentialInput, Hex, JsonObject } from './types';

export type StepStatus = 'passed' | 'failed' | 'skipped';

/**
 * One step of verification, with a reason a person can read: the offline steps here, and the whole trust
 * model's steps in service/verify's report.
 */
export interface VerificationStep<Name extends string = string> {
  name: Name;
  status: StepStatus;
  /** A sentence a person can read: what was checked and what was found. */
  message: string;
}

/** The steps that need no chain. */
export type CredentialStepName = 'format' | 'signature' | 'issuer-key' | 'schema' | 'validity';

/** An offline step, with the error behind a failure. */
export interface CredentialStep extends VerificationStep<CredentialStepName> {
  error?: CredentialError | undefined;
}

export interface VerifyCredentialParameters {
  /** The credential: compact JWS or JSON text, its bytes, or the JSON object. */
  credential: CredentialInput;
  /** The clock: validity dates are judged against this instant. */
  now: Date;
  /** Seconds of clock difference tolerated on validity dates (default 300, as @digitalbazaar/vc). */
  maxClockSkew?: number | undefined;
  /**
   * When given, the signing key's hash must be one of these (e.g. the keys the registry lists for the issuer);
   * otherwise KeyMismatchError.
   */
  allowedKeyHashes?: readonly string[] | undefined;
}

export interface VerifyCredentialResult {
  verified: boolean;
  format?: CredentialFormat | undefined;
  digest?: Hex | undefined;
  issuerDid?: string | undefined;
  verificationMethod?: string | undefined;
  keyHash?: Hex | undefined;
  /** A co-issued credential: every signer's key id and key hash, the issuer's first (each proof verified). */
  signers?: CoSigner[] | undefined;
  /** The credential JSON (the VC, or the OB 2.0 Assertion). */
  credential?: JsonObject | undefined;
  checks: CredentialStep[];
  /** The first failure, when not verified. */
  error?: CredentialError | undefined;
  /** What passed here but will not elsewhere, e.g. a key id whose controller is not the issuer. */
  warnings?: string[] | undefined;
}

/**
 * Verifies one credential: format, signature, issuer key, schema (OB 3.0, or OB 2.0 for signed assertions),
 * validity dates against `now`.
 *
 * @example
 * const result = await verifyCredential({ credential: jws, now: new Date() })
 * if (!result.verified) console.log(result.error?.shortMessage)
 */
export async function verifyCredential(parameters: VerifyCredentialParameters): Promise<VerifyCredentialResult> {
  try {
    return await verifyChecks(parameters);
  } catch (error) {
    // not reached by design; kept so that verification never throws
    return finish({ checks: [failed('format', error, 'verification')] });
  }
}

async function verifyChecks(parameters: VerifyCredentialParameters): Promise<VerifyCredentialResult> {
  const checks: CredentialStep[] = [];
  let parsed: ParsedCredential;
  try {
    parsed = await parseCredential(parameters.credential);
    checks.push({ name: 'format', status: 'passed', message: `recognised as ${parsed.format}` });
  } catch (error) {
    checks.push(failed('format', error, 'format'));
    for (const name of ['signature', 'issuer-key', 'schema', 'validity'] as const) {
      checks.push({ name, status: 'skipped', message: 'the credential was not recognised' });
    }
    return finish({ checks });
  }

  const signers = parsed.coSigners ? [{ verificationMethod: parsed.verificationMethod, keyHash: parsed.keyHash }, ...parsed.coSigners] : undefined;
  const signedBy = signers ? signers.map((signer) => signer.verificationMethod).join(' and ') : parsed.verificationMethod;
  checks.push(await run('signature', () => verifySignature(parsed), `signed by ${signedBy}`));
  checks.push(issuerKeyCheck(parsed, parameters.allowedKeyHashes));
  const warning = keyBindingWarning(parsed);
  checks.push(
    await run(
      'schema',
      () => (parsed.format === 'ob2-jws' ? assertOb2Assertion(parsed.credential) : assertOb3Credential(parsed.credential)),
      parsed.format === 'ob2-jws' ? 'an OB 2.0 signed Assertion' : 'an OB 3.0 AchievementCredential',
    ),
  );
  checks.push(
    await run(
      'validity',
      () => {
        if (!(parameters.now instanceof Date) || Number.isNaN(parameters.now.getTime())) {
          throw new TypeError(`now must be a valid Date, got ${describeDate(parameters.now)}`);
        }
        checkValidity({ window: parsed.validity, now: parameters.now, maxClockSkew: parameters.maxClockSkew });
      },
      `valid at ${describeDate(parameters.now)}`,
    ),
  );
  return finish({
    checks,
    format: parsed.format,
    digest: parsed.digest,
    issuerDid: parsed.issuerDid,
    verificationMethod: parsed.verificationMethod,
    keyHash: parsed.keyHash,
    ...(signers ? { signers } : {}),
    credential: parsed.credential,
    ...(warning ? { warnings: [warning] } : {}),
  });
}

/** The signature check of a parsed credential; throws a typed error when it fails. */
export async function verifySignature(parsed: ParsedCredential): Promise<void> {
  if (parsed.format === 'data-integrity' || parsed.format === 'ed25519-signature-2020') {
    await verifyLinkedDataProofs(parsed.artifact as JsonObject);
    return;
  }
  await verifyCompactJws({
    compact: parsed.artifact as string,
    header: parsed.jwsHeader ?? {},
    key: parsed.publicKey,
    format: parsed.format,
  });
}

/**
 * A did:key or did:jwk issuer signs with its own key only, and a member key id (did:web:...#z...) must be under
 * the issuer's DID. Any other issuer DID is bound to its keys by the registry; the caller can pass the hashes it
 * lists as `allowedKeyHashes`.
 */
function issuerKeyCheck(parsed: ParsedCredential, allowed: readonly string[] | undefined): CredentialStep {
  try {
    const notes: string[] = [];
    const keyId = resolveKeyId(parsed.verificationMethod);
    if (keyId.method === 'did:web' && keyId.controller !== parsed.issuerDid) {
      throw new KeyMismatchError({
        expected: `a key id under ${parsed.issuerDid}`,
        actual: parsed.verificationMethod,
        reason: `the key id belongs to ${keyId.controller}, not to the issuer`,
      });
    }
    if (parsed.issuerDid.startsWith('did:jwk:')) {
      if (keyId.controller !== parsed.issuerDid.split('#')[0]) {
        throw new KeyMismatchError({
          expected: `${parsed.issuerDid.split('#')[0]}#0`,
          actual: parsed.verificationMethod,
          reason: 'the issuer is a did:jwk, so the credential must be signed by that key',
        });
      }
      notes.push('the issuer did:jwk signed it');
    }
    if (isDidKey(parsed.issuerDid)) {
      const issuerKey = parsed.issuerDid.split('#')[0];
      if (issuerKey !== parsed.publicKey.did) {
        throw new KeyMismatchError({
          expected: issuerKey as string,
          actual: parsed.publicKey.did,
          reason: 'the issuer is a did:key, so the credential must be signed by that key',
        });
      }
      notes.push(`the issuer did:key signed it`);
    }
    if (allowed) {
      const wanted = new Set(allowed.map((hash) => hash.toLowerCase()));
      if (!wanted.has(parsed.keyHash)) {
        throw new KeyMismatchError({
          expected: allowed.length === 1 ? (allowed[0] as string) : `one of ${allowed.length} allowed key hashes`,
          actual: parsed.keyHash,
          reason: `key ${parsed.verificationMethod} is not among the keys allowed for ${parsed.issuerDid}`,
        });
      }
      notes.push('the key hash is among the allowed ones');
    }
    if (notes.length === 0) {
      return {
        name: 'issuer-key',
        status: 'skipped',
        message: `issuer ${parsed.issuerDid} is not a did:key: the registry says which keys are its own (key hash ${parsed.keyHash})`,
      };
    }
    return { name: 'issuer-key', status: 'passed', message: notes.join('; ') };
  } catch (error) {
    return failed('issuer-key', error, 'issuer key check');
  }
}

/**
 * Credentials issued before member key ids name a did:key (or did:jwk) whose controller is that key, not the
 * issuer: the registry binds the key here, but verifiers not written here require the controller to be the
 * issuer and refuse them.
 */
function keyBindingWarning(parsed: ParsedCredential): string | undefined {
  let controller: string;
  try {
    controller = resolveKeyId(parsed.verificationMethod).controller;
  } catch {
    return undefined;
  }
  if (controller === parsed.issuerDid.split('#')[0] || isDidKey(parsed.issuerDid) || parsed.issuerDid.startsWith('did:jwk:')) return undefined;
  const reissue = parsed.issuerDid.startsWith('did:web:') ? `; re-issue it signed with ${memberKeyId(parsed.issuerDid, parsed.publicKey)}` : '';
  return (
    `the key id ${parsed.verificationMethod} is controlled by ${controller}, not by the issuer ${parsed.issuerDid}: ` +
    `the registry binds the key to the issuer here, but verifiers not written here (e.g. @digitalbazaar/vc) refuse the credential${reissue}`
  );
}

function describeDate(date: Date): string {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : String(date);
}

async function run(name: CredentialStepName, check: () => unknown, success: string): Promise<CredentialStep> {
  try {
    await check();
    return { name, status: 'passed', message: success };
  } catch (error) {
    return failed(name, error, `${name} check`);
  }
}

function failed(name: CredentialStepName, error: unknown, during: string): CredentialStep {
  const typed = error instanceof CredentialError ? error : new UnexpectedError({ during, message: messageOf(error) }, { cause: error });
  return { name, status: 'failed', message: typed.shortMessage, error: typed };
}

function finish(result: Omit<VerifyCredentialResult, 'verified' | 'error'>): VerifyCredentialResult {
  const failure = result.checks.find((check) => check.status === 'failed');
  return { verified: failure === undefined, ...result, error: failure?.error };
}
