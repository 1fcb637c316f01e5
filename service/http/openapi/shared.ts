/** The pieces the OpenAPI path tables share: references, answers, parameters, request bodies. */

type Schema = Record<string, unknown>;

/** A schema of components.schemas: the answers' are generated from service/http/schemas. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Schema, description: string) => ({ description, content: { 'application/json': { schema } } });
export const error = (description: string) => json(ref('Error'), description);

export const digestParameter = {
  name: 'digest',
  in: 'path',
  required: true,
  description: 'The credential digest: 0x and 64 hex digits (docs/credentials.md).',
  schema: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' },
};
export const idParameter = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${what}'s number.`,
  schema: { type: 'integer', minimum: 1 },
});
export const pageParameters = [
  { name: 'limit', in: 'query', description: 'At most this many (1 to 500; default 50).', schema: { type: 'integer', minimum: 1, maximum: 500 } },
  { name: 'before', in: 'query', description: 'Only those with a smaller id: the `next` of the previous page.', schema: { type: 'integer', minimum: 1 } },
];

export const authenticated = [{ apiKey: [] }, { memberJwt: [] }];
export const authErrors = {
  '401': error('No authentication, or an API key or JWT that is unknown, wrong, revoked or expired.'),
  '429': error('The member’s rate limit is spent; Retry-After says when to try again.'),
};
export const badInput = { '400': error('The input is malformed or has a wrong field; `field` names it.') };
export const publicLimit = { '429': error('The caller’s address has spent its rate limit.') };

/** A credential as a request carries it. */
export const credentialInput = {
  oneOf: [
    { type: 'string', description: 'A compact JWS: a VC-JWT or an OB 2.0 signed assertion.' },
    { type: 'object', description: 'A JSON credential with a Data Integrity or Ed25519Signature2020 proof.', required: ['@context'] },
  ],
};

/** The body of POST /v1/revocations (a request body: written here, not generated). */
export const RevocationInput = {
  type: 'object',
  additionalProperties: false,
  description: 'Either `digest` or `digests`.',
  properties: {
    digest: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' },
    digests: { type: 'array', minItems: 1, maxItems: 200, items: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } },
    reason: {
      type: 'integer',
      minimum: 0,
      maximum: 255,
      default: 0,
      description: '0 unspecified, 1 issued in error, 2 superseded, 3 holder’s request, 4 misconduct, 5 key compromised.',
    },
  },
};
