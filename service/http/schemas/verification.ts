/** The verification report (POST /v1/verify) and the W3C VC-API result (POST /credentials/verify). */
import { z } from 'zod';
import { FRAMEWORKS } from '../../catalogue';
import { ROLES, STATUSES } from '../../registry';
import { STEP_NAMES } from '../../verify';
import { Receipt } from './credentials';
import { ErrorAnswer, ErrorDetail } from './errors';
import { hex32, integer, named, time } from './catalog';

const credentialFormat = z.enum(['data-integrity', 'ed25519-signature-2020', 'vc-jwt', 'ob2-jws']);

export const BakedBadge = named(
  'BakedBadge',
  z.strictObject({
    kind: z.enum(['png', 'svg']),
    version: z.enum(['ob3', 'ob2']),
    credential: z.union([z.string(), z.record(z.string(), z.unknown())]).meta({ description: 'The compact JWS, or the JSON credential.' }),
    receipt: z
      .unknown()
      .optional()
      .meta({ description: 'The receipt baked with the credential: beside a JWS (its own chunk or element); a JSON credential carries it in its proof set.' }),
  }),
  'Only when the body was a baked image: what it holds, as read (the receipt as found, whether or not it holds for the credential).',
);

export const VerificationReport = named(
  'VerificationReport',
  z.strictObject({
    verified: z.boolean().meta({ description: 'True only when every step passed.' }),
    checkedAt: time,
    steps: z.array(z.strictObject({ name: z.enum(STEP_NAMES), status: z.enum(['passed', 'failed', 'skipped']), message: z.string() })),
    credential: z
      .strictObject({
        format: credentialFormat,
        digest: hex32,
        issuerDid: z.string(),
        verificationMethod: z.string(),
        keyHash: hex32,
        document: z.record(z.string(), z.unknown()).meta({ description: 'The credential’s JSON (the VC, or the OB 2.0 Assertion).' }),
      })
      .optional(),
    issuer: z
      .strictObject({ memberId: integer, role: z.enum(ROLES), statusNow: z.enum(STATUSES), statusSince: time.optional(), activeAtAnchor: z.boolean() })
      .optional(),
    anchor: z
      .strictObject({
        root: hex32,
        chain: z.string(),
        registry: z.string(),
        transactionHash: hex32.optional(),
        blockNumber: integer.optional(),
        anchoredAt: time.optional(),
        confirmations: integer.optional(),
      })
      .optional(),
    revocation: z.strictObject({ revokedAt: time, reason: integer, reasonText: z.string() }).optional(),
    coIssuance: z
      .strictObject({
        signers: z.array(
          z.strictObject({
            memberDid: z.string(),
            memberId: integer.meta({ description: '0 when the DID is not a member.' }),
            role: z.enum(ROLES),
            verificationMethod: z.string(),
            keyHash: hex32,
            problem: z.strictObject({ step: z.enum(['issuer-key', 'issuer-member']), message: z.string() }).optional(),
          }),
        ),
        summary: z.string().meta({ description: '"co-issued by A (issuing point) and B (validation point)".' }),
      })
      .optional()
      .meta({ description: 'When the credential carries a proof set of two members (docs/catalogue.md, "Co-issuance"): each signer, the issuer first, as the chain saw it at the anchor time.' }),
    badgeClass: z
      .strictObject({
        id: hex32,
        name: z.strictObject({ it: z.string(), en: z.string() }).optional(),
        alignments: z
          .array(z.strictObject({ framework: z.enum(FRAMEWORKS), targetCode: z.string(), targetName: z.string(), targetUrl: z.string().optional() }))
          .optional(),
        level: z.string().optional().meta({ description: 'The level the credential claims, as the class names it once its document was had.' }),
        score: z.number().optional(),
        uri: z.string().optional().meta({ description: 'The document’s URI as the catalogue contract records it.' }),
        publisher: z.strictObject({ memberId: integer, did: z.string(), status: z.enum(STATUSES) }).optional(),
        publishedAt: time.optional(),
        supersededBy: hex32.nullable().optional(),
        issuerAdopts: z.boolean().optional().meta({ description: 'Whether the issuing member adopts the class on-chain.' }),
        adoptedBy: z.array(z.strictObject({ memberId: integer, did: z.string() })).optional().meta({ description: 'The other members that adopt it now.' }),
        documentSource: z.enum(['given', 'source', 'none']),
        coIssuanceRole: z.string().optional(),
      })
      .optional()
      .meta({
        description:
          'When the credential’s Achievement id is urn:badge-notary:class:<id> (docs/catalogue.md): the class as the catalogue contract records it and as its document says; the badge-class step judges it.',
      }),
    statusList: z
      .strictObject({
        url: z.string(),
        index: integer.optional(),
        outcome: z.enum(['agrees', 'disagrees', 'stale', 'invalid', 'unavailable', 'unchecked']),
        listRevoked: z.boolean().optional(),
        builtFromBlock: integer.optional(),
        builtAt: time.optional(),
        message: z.string(),
      })
      .optional()
      .meta({
        description:
          'When the credential carries a W3C status list entry: what its list says beside the chain (docs/status-list.md). ' +
          'The chain decides the revocation step; anything but agrees is also a warning.',
      }),
    receipt: Receipt.optional(),
    warnings: z
      .array(z.string())
      .optional()
      .meta({ description: 'What verified here but will not with other verifiers (e.g. a key id the issuer’s DID does not control).' }),
    receiptSource: z.enum(['request', 'credential', 'store', 'none']),
    baked: BakedBadge.optional(),
  }),
);

const vcApiResult = {
  verified: z.boolean(),
  checks: z.array(z.enum(STEP_NAMES)).meta({ description: 'The steps that passed.' }),
  warnings: z.array(z.string()).meta({ description: 'Ignored options, steps skipped, and the report’s warnings (e.g. an issuer suspended or removed since, and since when).' }),
  errors: z.array(z.string()).meta({ description: 'The steps that failed, with the reason.' }),
};

export const VcApiResult = named('VcApiResult', z.strictObject(vcApiResult));

/** 400 from POST /credentials/verify: the result with why it is not verified, or the plain error of malformed input. */
export const VcApiRefusal = named(
  'VcApiRefusal',
  z.union([z.strictObject({ ...vcApiResult, verified: z.literal(false), error: ErrorDetail }), ErrorAnswer]),
);
