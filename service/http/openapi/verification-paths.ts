/** The OpenAPI paths of the verification report and the W3C VC-API verifier call. */
import { credentialInput, error, json, publicLimit, ref } from './shared';

/** The public verification routes' own limits (docs/api.md, "Limits"). */
const verificationLimits = {
  '413': error(
    'A body over the size limit (`payload-too-large`; 512 KiB for JSON, 4 MiB for an image), or a JSON credential holding more JSON values ' +
      'than this service canonicalises for a public verification (`credential-too-large`, with `maximum`; 1,000 by default).',
  ),
  '415': error('A body of another media type.'),
  ...publicLimit,
  '503': error('`verification-busy`: as many public verifications as this service takes at once are in progress; Retry-After says when to try again.'),
};

export const verificationPaths = {
  '/v1/verify': {
    post: {
      tags: ['verification'],
      operationId: 'verify',
      summary: 'Verifies a badge step by step against the registry.',
      description:
        'Without a receipt (apart or inside the credential), the receipt is looked up in this service by the credential’s digest. ' +
        'Answers 200 with the report whether or not the badge verifies. A baked badge (PNG or SVG, docs/baking.md) may be sent as the image ' +
        'itself: what it holds is verified, and the report adds `baked`.',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              oneOf: [
                {
                  type: 'object',
                  required: ['credential'],
                  additionalProperties: false,
                  properties: { credential: credentialInput, receipt: ref('Receipt') },
                },
                { type: 'object', description: 'A bare JSON credential, or a receipt envelope around a JWT.' },
              ],
            },
          },
          'application/jwt': { schema: { type: 'string' } },
          'image/png': { schema: { type: 'string', description: 'A baked PNG badge, as its bytes (at most 4 MiB).' } },
          'image/svg+xml': { schema: { type: 'string', description: 'A baked SVG badge, as its UTF-8 text (at most 4 MiB).' } },
        },
      },
      responses: {
        '200': json(ref('VerificationReport'), 'The report: `verified` is true only when every step passed.'),
        '400': error(
          'The input is malformed or has a wrong field; `field` names it. For an image, the code is the baking error’s: ' +
            '`not-an-image`, `no-baked-credential`, `malformed-png`, `malformed-svg`, `invalid-baked-credential`, ...',
        ),
        ...verificationLimits,
      },
    },
  },
  '/credentials/verify': {
    post: {
      tags: ['verification'],
      operationId: 'verifyCredential',
      summary: 'W3C VC-API: verifies a verifiableCredential (an embedded proof, or an EnvelopedVerifiableCredential of a VC-JWT).',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['verifiableCredential'],
              additionalProperties: false,
              properties: {
                verifiableCredential: {
                  oneOf: [
                    { type: 'object', description: 'A credential with its proof.' },
                    {
                      type: 'object',
                      required: ['type', 'id'],
                      properties: { type: { const: 'EnvelopedVerifiableCredential' }, id: { type: 'string', pattern: '^data:application/vc\\+jwt,' } },
                    },
                  ],
                },
                options: { type: 'object', properties: { receipt: ref('Receipt') }, description: 'Other options are ignored with a warning.' },
              },
            },
          },
        },
      },
      responses: {
        '200': json(ref('VcApiResult'), 'Verified.'),
        '400': json(ref('VcApiRefusal'), 'Not verified (with `error` and `errors`), or malformed input (with `error` only).'),
        ...verificationLimits,
      },
    },
  },
};
