import express from 'express';
import { BakingError, InvalidReceiptError, unbake, type UnbakedBadge } from '../../baking';
import { readBakedText } from '../../baking/credential';
import { hasPngSignature, readBakedChunks } from '../../baking/png';
import { readBakedElements } from '../../baking/svg';
import { RECEIPT_ENVELOPE_TYPE } from '../../merkle';
import type { ClassDocumentSource, VerificationReport } from '../../verify';
import type { BadgeClassCatalogueMirror } from '../../notary';
import { HttpError, badRequest } from '../errors';
import { verifyWithLookup } from '../verification';
import { body, type Route, type RouteContext } from './route';

/** The media types a VC-API EnvelopedVerifiableCredential may carry a compact JWS credential under. */
const ENVELOPED_JWS = /^data:application\/(?:vc\+jwt|vc-ld\+jwt|jwt)(?:;[^,]*)?,(.+)$/;

/** A baked badge sent to POST /v1/verify as the image itself (docs/baking.md). */
const IMAGE_TYPES = ['image/png', 'image/svg+xml'];

/** POST /v1/verify (the verification report) and the W3C VC-API verifier call POST /credentials/verify. */
export function verifyRoutes(context: RouteContext): Route[] {
  const { rateLimits, limits } = context;
  const verify = (credential: unknown, receipt: unknown) =>
    verifyWithLookup({
      credential,
      receipt,
      chain: context.chain,
      receipts: context.receipts,
      clock: context.clock,
      minConfirmations: context.confirmations,
      ...context.publicVerification,
      maxCredentialValues: limits.maxCredentialValues,
      statusLists: context.statusLists.asSource(),
      ...(context.badgeClasses ? { classDocuments: classDocumentsOf(context.badgeClasses) } : {}),
    });
  return [
    {
      method: 'post',
      path: '/v1/verify',
      handlers: [
        rateLimits.address,
        // A baked PNG or SVG badge: what it holds is verified, and answered beside the report as `baked`.
        express.raw({ type: IMAGE_TYPES, limit: limits.maxImageBodyBytes }),
        async (req, res, next) => {
          if (!Buffer.isBuffer(req.body)) {
            next();
            return;
          }
          const baked = readBakedBadge(req.body);
          res.json({ ...(await verify(baked.credential, baked.receipt)), baked });
        },
        ...body({ limit: limits.maxVerifyBodyBytes, jws: true }),
        async (req, res) => {
          const { credential, receipt } = readVerifyBody(req.body);
          res.json(await verify(credential, receipt));
        },
      ],
    },
    {
      method: 'post',
      path: '/credentials/verify',
      handlers: [
        rateLimits.address,
        ...body({ limit: limits.maxVerifyBodyBytes }),
        async (req, res) => {
          const { credential, receipt, warnings } = readVcApiBody(req.body);
          const report = await verify(credential, receipt);
          const result = vcApiResult(report, warnings);
          if (report.verified) {
            res.json(result);
            return;
          }
          const failed = report.steps.filter((step) => step.status === 'failed').map((step) => step.name);
          res.status(400).json({ ...result, error: { code: 'not-verified', message: `the credential is not verified: ${failed.join(', ')} failed` } });
        },
      ],
    },
  ];
}

/**
 * /v1/verify takes `{ "credential": X, "receipt"?: R }`, where X is a compact JWS, a JSON credential (which
 * may carry its receipt in its proof set) or a receipt envelope; a bare JSON credential or envelope; or a
 * compact JWS as text.
 */
function readVerifyBody(value: unknown): { credential: unknown; receipt: unknown } {
  if (typeof value === 'string') {
    if (value.trim() === '') throw badRequest('the body is empty: send {"credential": ...}', 'body', 'missing-body');
    return { credential: value, receipt: undefined };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('the body must be {"credential": ..., "receipt"?: ...}', 'body', value === undefined ? 'missing-body' : 'invalid-request');
  }
  const object = value as Record<string, unknown>;
  if ('@context' in object || object.type === RECEIPT_ENVELOPE_TYPE) return { credential: object, receipt: undefined };
  if (!('credential' in object)) throw badRequest('"credential" is required: a compact JWS, a JSON credential or a receipt envelope', 'credential');
  const extra = Object.keys(object).find((name) => name !== 'credential' && name !== 'receipt');
  if (extra) throw badRequest(`unexpected field "${extra}": the body has "credential" and, optionally, "receipt"`, extra);
  const { credential, receipt } = object;
  if (typeof credential !== 'string' && (typeof credential !== 'object' || credential === null || Array.isArray(credential))) {
    throw badRequest('"credential" must be a compact JWS string or a JSON object', 'credential');
  }
  if (receipt !== undefined && (typeof receipt !== 'object' || receipt === null || Array.isArray(receipt))) {
    throw badRequest('"receipt" must be a receipt object', 'receipt');
  }
  return { credential, receipt };
}

/** What a baked image holds, as read: the credential and the receipt baked with it, whether or not they hold. */
type BakedInput = Omit<UnbakedBadge, 'receipt'> & { receipt?: unknown };

/**
 * The credential and receipt baked into a PNG or SVG (service/baking unbake). A receipt that does not hold for
 * the credential (a tampered badge) is not an error here: the credential and that receipt go to verification,
 * whose anchor step says why they fail. An image that holds no readable badge is 400, its code the baking error's.
 */
function readBakedBadge(file: Buffer): BakedInput {
  try {
    return unbake(file);
  } catch (error) {
    if (!(error instanceof BakingError)) throw error;
    if (error instanceof InvalidReceiptError) {
      const unchecked = readUnchecked(file);
      if (unchecked) return unchecked;
    }
    throw new HttpError(400, error.code.toLowerCase().replace(/_/g, '-'), `the image holds no badge that can be read: ${error.message}`, { field: 'body' });
  }
}

/** The baked credential and receipt text without checking that they belong together; undefined when unreadable. */
function readUnchecked(file: Buffer): BakedInput | undefined {
  try {
    const kind = hasPngSignature(file) ? 'png' : 'svg';
    const texts = kind === 'png' ? readBakedChunks(file) : readBakedElements(file.toString('utf8'));
    const { version, credential } = readBakedText(texts.text, 'where' in texts ? texts.where : `the iTXt chunk "${texts.keyword}"`);
    if (texts.receiptText === undefined) return { kind, version, credential };
    let receipt: unknown = texts.receiptText;
    try {
      receipt = JSON.parse(texts.receiptText);
    } catch {
      // verification reports a receipt that is not JSON
    }
    return { kind, version, credential, receipt };
  } catch {
    return undefined;
  }
}

/**
 * The VC-API request: `{ "verifiableCredential": VC, "options"?: {...} }`. VC is a credential with an
 * embedded proof, or an EnvelopedVerifiableCredential whose `id` is `data:application/vc+jwt,<compact JWS>`.
 * Options: `receipt` (this service's extension: the notarisation receipt, when it travels apart); other
 * options are ignored with a warning.
 */
function readVcApiBody(value: unknown): { credential: unknown; receipt: unknown; warnings: string[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('the body must be {"verifiableCredential": ..., "options"?: {...}}', 'body', value === undefined ? 'missing-body' : 'invalid-request');
  }
  const { verifiableCredential, options, ...extra } = value as Record<string, unknown>;
  const extraField = Object.keys(extra)[0];
  if (extraField !== undefined) throw badRequest(`unexpected field "${extraField}": the body has "verifiableCredential" and "options"`, extraField);
  if (verifiableCredential === undefined) throw badRequest('"verifiableCredential" is required', 'verifiableCredential');
  let credential: unknown = verifiableCredential;
  if (typeof verifiableCredential === 'object' && verifiableCredential !== null && !Array.isArray(verifiableCredential)) {
    const vc = verifiableCredential as Record<string, unknown>;
    const types = Array.isArray(vc.type) ? vc.type : [vc.type];
    if (types.includes('EnvelopedVerifiableCredential')) {
      const match = typeof vc.id === 'string' ? ENVELOPED_JWS.exec(vc.id) : null;
      if (!match) {
        throw badRequest('an EnvelopedVerifiableCredential needs an id "data:application/vc+jwt,<compact JWS>"', 'verifiableCredential.id');
      }
      credential = match[1].trim();
    }
  } else if (typeof verifiableCredential !== 'string') {
    throw badRequest('"verifiableCredential" must be a credential object (or an EnvelopedVerifiableCredential)', 'verifiableCredential');
  }
  const warnings: string[] = [];
  let receipt: unknown;
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw badRequest('"options" must be an object', 'options');
    for (const [name, option] of Object.entries(options)) {
      if (name === 'receipt') {
        if (typeof option !== 'object' || option === null || Array.isArray(option)) throw badRequest('"options.receipt" must be a receipt object', 'options.receipt');
        receipt = option;
      } else warnings.push(`option "${name}" is not supported and was ignored`);
    }
  }
  return { credential, receipt, warnings };
}

/** The VC-API VerificationResult: the steps that passed (checks), were skipped (warnings) and failed (errors). */
function vcApiResult(report: VerificationReport, warnings: string[]) {
  return {
    verified: report.verified,
    checks: report.steps.filter((step) => step.status === 'passed').map((step) => step.name),
    warnings: [
      ...warnings,
      ...report.steps.filter((step) => step.status === 'skipped').map((step) => `${step.name}: ${step.message}`),
      ...(report.warnings ?? []),
    ],
    errors: report.steps.filter((step) => step.status === 'failed').map((step) => `${step.name}: ${step.message}`),
  };
}

/** Class documents from the notary's copies (each checked against its id when stored, and again by the verifier). */
function classDocumentsOf(mirror: BadgeClassCatalogueMirror): ClassDocumentSource {
  return async (classId) => mirror.document(classId);
}
