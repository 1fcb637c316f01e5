/**
 * The OpenAPI 3.1 description of the API, served at /openapi.json. test/http/openapi.test.ts walks express's
 * router and this document and fails when a route is missing from either, or a documented status is not.
 */

type Schema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ref('Error'), description);
const nullable = (schema: Schema) => ({ oneOf: [schema, { type: 'null' }] });

const HEX32 = { type: 'string', pattern: '^0x[0-9a-f]{64}$' };
const TIME = { type: 'string', format: 'date-time' };

const digestParameter = {
  name: 'digest',
  in: 'path',
  required: true,
  description: 'The credential digest: 0x and 64 hex digits (docs/credentials.md).',
  schema: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' },
};
const idParameter = (what: string) => ({ name: 'id', in: 'path', required: true, description: `The ${what}'s number.`, schema: { type: 'integer', minimum: 1 } });
const pageParameters = [
  { name: 'limit', in: 'query', description: 'At most this many (1 to 500; default 50).', schema: { type: 'integer', minimum: 1, maximum: 500 } },
  { name: 'before', in: 'query', description: 'Only those with a smaller id: the `next` of the previous page.', schema: { type: 'integer', minimum: 1 } },
];

const authenticated = [{ apiKey: [] }, { memberJwt: [] }];
const authErrors = {
  '401': error('No authentication, or an API key or JWT that is unknown, wrong, revoked or expired.'),
  '429': error('The member’s rate limit is spent; Retry-After says when to try again.'),
};
const badInput = { '400': error('The input is malformed or has a wrong field; `field` names it.') };
const publicLimit = { '429': error('The caller’s address has spent its rate limit.') };

const credentialInput = {
  oneOf: [
    { type: 'string', description: 'A compact JWS: a VC-JWT or an OB 2.0 signed assertion.' },
    { type: 'object', description: 'A JSON credential with a Data Integrity or Ed25519Signature2020 proof.', required: ['@context'] },
  ],
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Badge notary',
    version: '1.0.0',
    summary: 'Notarises Open Badges credentials of a confederated network on an EVM chain.',
    description:
      'Members submit signed credentials; the service batches them into Merkle trees, anchors each root in the network’s registry ' +
      'and hands back an inclusion receipt per credential. Errors are JSON: {"error": {"code", "message", "field"?}}. See docs/api.md.',
    license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
  },
  tags: [
    { name: 'credentials', description: 'Intake, status and receipts.' },
    { name: 'revocations', description: 'Revocation by the issuing member, and its status.' },
    { name: 'registry', description: 'Batches of this service; members of the network (from the registry mirror).' },
    { name: 'access', description: 'API clients of a member.' },
    { name: 'verification', description: 'The verification report, and the W3C VC-API verifier call.' },
    { name: 'operations', description: 'Health, readiness, metrics, this document.' },
  ],
  paths: {
    '/health': {
      get: {
        tags: ['operations'],
        operationId: 'health',
        summary: 'The process is up.',
        responses: { '200': json({ type: 'object', required: ['status'], properties: { status: { const: 'ok' }, uptimeSeconds: { type: 'integer' } } }, 'Up.') },
      },
    },
    '/ready': {
      get: {
        tags: ['operations'],
        operationId: 'ready',
        summary: 'Database writable, chain reachable, registry mirror caught up.',
        responses: {
          '200': json(
            { type: 'object', required: ['status', 'checks'], properties: { status: { enum: ['ready', 'degraded'] }, checks: ref('ReadinessChecks') } },
            'Ready; "degraded" while writes met a full or failing disk within the last minute (reads are served; checks.database says why).',
          ),
          '503': json(
            { type: 'object', required: ['error', 'checks'], properties: { error: ref('ErrorDetail'), checks: ref('ReadinessChecks') } },
            'Not ready; the message names every failed check.',
          ),
        },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        operationId: 'metrics',
        summary: 'Prometheus metrics: queue depth, batches per state, anchor latency, RPC errors, HTTP requests.',
        responses: { '200': { description: 'The Prometheus text exposition format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    '/openapi.json': {
      get: {
        tags: ['operations'],
        operationId: 'openapi',
        summary: 'This document.',
        responses: { '200': json({ type: 'object' }, 'The OpenAPI 3.1 document.') },
      },
    },
    '/v1/whoami': {
      get: {
        tags: ['access'],
        operationId: 'whoami',
        summary: 'Who the caller is: member, role, and how it authenticated.',
        security: authenticated,
        responses: { '200': json(ref('Principal'), 'The caller.'), ...authErrors },
      },
    },
    '/v1/credentials': {
      post: {
        tags: ['credentials'],
        operationId: 'submitCredentials',
        summary: 'Submits one credential or a bulk array; each is checked and stored durably before the 202.',
        description:
          'The issuer of every credential must be the authenticated member (else 403), and its signing key registered on-chain to it and ' +
          'valid now (else 422). A bulk request is atomic: one bad credential refuses the whole request, and the 422 lists every bad one ' +
          'by index. Resubmitting a credential answers its digest again with `created: false` and stores nothing new. Editors and administrators.',
        security: authenticated,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { type: 'object', required: ['credential'], additionalProperties: false, properties: { credential: credentialInput } },
                  {
                    type: 'object',
                    required: ['credentials'],
                    additionalProperties: false,
                    properties: { credentials: { type: 'array', minItems: 1, maxItems: 1000, items: credentialInput, description: 'At most the bulk maximum (default 1,000).' } },
                  },
                  { type: 'array', minItems: 1, maxItems: 1000, items: credentialInput },
                  credentialInput,
                ],
              },
            },
            'application/jwt': { schema: { type: 'string', description: 'One compact JWS (also accepted as text/plain or application/vc+jwt).' } },
          },
        },
        responses: {
          '202': json({ oneOf: [ref('AcceptedCredential'), ref('AcceptedBulk')] }, 'Stored durably and queued for a batch (or already here).'),
          ...badInput,
          ...authErrors,
          '403': error('A credential names another issuer than the member (code foreign-issuer, with `items`), or the member is not an active issuing point (member-cannot-issue, or member-not-active when the registry has suspended or removed it).'),
          '413': error('More credentials than the bulk maximum (too-many-credentials), or a body over the size limit (payload-too-large).'),
          '415': error('A body of another media type.'),
          '422': json(ref('RejectedCredentials'), 'Some credential is invalid; `items` lists every bad one; nothing was stored.'),
          '503': error('The registry could not be read to check a key.'),
        },
      },
    },
    '/v1/credentials/{digest}': {
      get: {
        tags: ['credentials'],
        operationId: 'credentialStatus',
        summary: 'A credential’s state, and its receipt once anchored.',
        parameters: [digestParameter],
        responses: {
          '200': json(ref('CredentialStatus'), 'Anchored (confirmed or final): the receipt is included.'),
          '202': json(ref('CredentialStatus'), 'Pending: queued, sealed or submitted.'),
          ...badInput,
          '404': error('This service has no credential with this digest.'),
          ...publicLimit,
        },
      },
    },
    '/v1/credentials/{digest}/receipt': {
      get: {
        tags: ['credentials'],
        operationId: 'credentialReceipt',
        summary: 'The bare receipt (badge-notary-receipt/1), once anchored.',
        parameters: [digestParameter],
        responses: {
          '200': json(ref('Receipt'), 'The receipt.'),
          '202': json(ref('CredentialStatus'), 'Not anchored yet: the status instead.'),
          ...badInput,
          '404': error('This service has no credential with this digest.'),
          ...publicLimit,
        },
      },
    },
    '/v1/credentials/{digest}/revocation': {
      get: {
        tags: ['revocations'],
        operationId: 'revocationStatus',
        summary: 'Whether the credential is revoked, by whom, when and why; and this service’s requests for it.',
        parameters: [digestParameter],
        responses: { '200': json(ref('RevocationStatus'), 'The revocation status.'), ...badInput, ...publicLimit, '503': error('The registry could not be read.') },
      },
    },
    '/v1/revocations': {
      post: {
        tags: ['revocations'],
        operationId: 'revokeCredentials',
        summary: 'Revokes credentials of the authenticated member in one registry transaction.',
        description:
          'Recorded first, then sent through the notary account’s serialised transaction queue. Answers once the transaction is broadcast; ' +
          'GET /v1/revocations/{id} follows it to its block. Editors and administrators.',
        security: authenticated,
        requestBody: { required: true, content: { 'application/json': { schema: ref('RevocationInput') } } },
        responses: {
          '202': json({ type: 'object', required: ['revocation'], properties: { revocation: ref('RevocationRequest') } }, 'Broadcast.'),
          ...badInput,
          ...authErrors,
          '403': error('A digest is known to this service as another member’s credential, or the member is not active in the registry (member-not-active).'),
          '409': error('The registry refused (e.g. the notary account may not act for this member); the request is recorded as failed.'),
          '413': error('More digests than one transaction takes (default 200).'),
          '415': error('A body of another media type.'),
          '503': error('No account to send with, or the chain could not be reached.'),
        },
      },
      get: {
        tags: ['revocations'],
        operationId: 'listRevocations',
        summary: 'The member’s revocation requests, newest first.',
        security: authenticated,
        parameters: pageParameters,
        responses: {
          '200': json(
            { type: 'object', required: ['revocations', 'next'], properties: { revocations: { type: 'array', items: ref('RevocationRequest') }, next: nullable({ type: 'integer' }) } },
            'A page of requests.',
          ),
          ...badInput,
          ...authErrors,
        },
      },
    },
    '/v1/revocations/{id}': {
      get: {
        tags: ['revocations'],
        operationId: 'revocationRequest',
        summary: 'One revocation request; a submitted one is looked up on the chain (mined or failed).',
        security: authenticated,
        parameters: [idParameter('revocation request')],
        responses: {
          '200': json({ type: 'object', required: ['revocation'], properties: { revocation: ref('RevocationRequest') } }, 'The request.'),
          ...badInput,
          ...authErrors,
          '403': error('Another member’s request.'),
          '404': error('No such request.'),
        },
      },
    },
    '/v1/batches': {
      get: {
        tags: ['registry'],
        operationId: 'listBatches',
        summary: 'This service’s batches, newest first.',
        parameters: pageParameters,
        responses: {
          '200': json(
            { type: 'object', required: ['batches', 'next'], properties: { batches: { type: 'array', items: ref('Batch') }, next: nullable({ type: 'integer' }) } },
            'A page of batches.',
          ),
          ...badInput,
          ...publicLimit,
        },
      },
    },
    '/v1/batches/{id}': {
      get: {
        tags: ['registry'],
        operationId: 'batch',
        summary: 'One batch, with every transaction sent for it.',
        parameters: [idParameter('batch')],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['batch', 'transactions'],
              properties: { batch: ref('Batch'), transactions: { type: 'array', items: ref('AnchorTransaction') } },
            },
            'The batch.',
          ),
          ...badInput,
          '404': error('No such batch.'),
          ...publicLimit,
        },
      },
    },
    '/v1/members': {
      get: {
        tags: ['registry'],
        operationId: 'listMembers',
        summary: 'The members of the network (the list of trusted providers), from the registry mirror.',
        parameters: [
          { name: 'did', in: 'query', description: 'Only the member with this DID.', schema: { type: 'string' } },
          { name: 'status', in: 'query', schema: { enum: ['pending', 'active', 'suspended', 'removed'] } },
          { name: 'role', in: 'query', schema: { enum: ['issuing-point', 'validation-point', 'information-point'] } },
        ],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['asOfBlock', 'members'],
              properties: { asOfBlock: nullable({ type: 'integer' }), members: { type: 'array', items: ref('Member') } },
            },
            'The members, as of the mirror’s last block.',
          ),
          ...badInput,
          ...publicLimit,
        },
      },
    },
    '/v1/members/{id}': {
      get: {
        tags: ['registry'],
        operationId: 'member',
        summary: 'One member with its status history, keys, notaries and endorsements.',
        parameters: [idParameter('member')],
        responses: {
          '200': json({ type: 'object', required: ['asOfBlock', 'member'], properties: { asOfBlock: nullable({ type: 'integer' }), member: ref('MemberDetail') } }, 'The member.'),
          ...badInput,
          '404': error('The mirror has no such member.'),
          ...publicLimit,
        },
      },
    },
    '/v1/clients': {
      get: {
        tags: ['access'],
        operationId: 'listClients',
        summary: 'The member’s API clients (never their keys). Administrators.',
        security: authenticated,
        responses: {
          '200': json({ type: 'object', required: ['clients'], properties: { clients: { type: 'array', items: ref('ApiClient') } } }, 'The clients.'),
          ...authErrors,
          '403': error('Not an administrator.'),
        },
      },
      post: {
        tags: ['access'],
        operationId: 'createClient',
        summary: 'Creates an API client; its key is in this answer only. Administrators (a member JWT makes the first one).',
        security: authenticated,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['role', 'label'],
                additionalProperties: false,
                properties: { role: { enum: ['admin', 'editor'] }, label: { type: 'string', minLength: 1, maxLength: 200 } },
              },
            },
          },
        },
        responses: {
          '201': json(
            { type: 'object', required: ['client', 'apiKey'], properties: { client: ref('ApiClient'), apiKey: { type: 'string', pattern: '^bnk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$' } } },
            'Created; keep the key: it is never shown again.',
          ),
          ...badInput,
          ...authErrors,
          '403': error('Not an administrator, or the member is not active in the registry (member-not-active).'),
          '413': error('A body over the size limit.'),
          '415': error('A body of another media type.'),
        },
      },
    },
    '/v1/clients/{id}': {
      delete: {
        tags: ['access'],
        operationId: 'revokeClient',
        summary: 'Revokes an API client of the member (again: no change). Administrators.',
        security: authenticated,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{16}$' } }],
        responses: {
          '200': json({ type: 'object', required: ['client'], properties: { client: ref('ApiClient') } }, 'Revoked.'),
          ...authErrors,
          '403': error('Not an administrator, another member’s client, or the member is not active in the registry (member-not-active).'),
          '404': error('No such client.'),
        },
      },
    },
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
          '413': error('A body over the size limit.'),
          '415': error('A body of another media type.'),
          ...publicLimit,
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
          '400': json(ref('VcApiResult'), 'Not verified (with `error` and `errors`), or malformed input (with `error` only).'),
          '413': error('A body over the size limit.'),
          '415': error('A body of another media type.'),
          ...publicLimit,
        },
      },
    },
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'bnk_<client id>_<secret>', description: 'An API key of a member’s client.' },
      memberJwt: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'EdDSA or ES256; header kid = did:key verification method of a key registered on-chain to the member and valid now; ' +
          'iss = the member’s DID; aud = "badge-notary"; exp at most 600 s after iat. Acts as the member’s administrator.',
      },
    },
    schemas: {
      ErrorDetail: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', description: 'Lower-case kebab, stable.' },
          message: { type: 'string' },
          field: { type: 'string', description: 'The input field at fault: body, credentials[3], reason, Content-Type, ...' },
        },
        additionalProperties: true,
      },
      Error: { type: 'object', required: ['error'], properties: { error: ref('ErrorDetail') } },
      Principal: {
        type: 'object',
        required: ['memberId', 'memberDid', 'role', 'via', 'subject'],
        properties: {
          memberId: { type: 'integer' },
          memberDid: { type: 'string' },
          role: { enum: ['admin', 'editor'] },
          via: { enum: ['api-key', 'jwt'] },
          subject: { type: 'string', description: 'The API client id, or the JWT key’s verification method.' },
        },
      },
      CredentialState: { enum: ['queued', 'sealed', 'submitted', 'confirmed', 'final'] },
      AcceptedCredential: {
        type: 'object',
        required: ['digest', 'format', 'created', 'state'],
        properties: { digest: HEX32, format: { enum: ['data-integrity', 'ed25519-signature-2020', 'vc-jwt', 'ob2-jws'] }, created: { type: 'boolean' }, state: ref('CredentialState') },
      },
      AcceptedBulk: {
        type: 'object',
        required: ['count', 'created', 'credentials'],
        properties: {
          count: { type: 'integer' },
          created: { type: 'integer', description: 'How many were new.' },
          credentials: { type: 'array', items: { allOf: [ref('AcceptedCredential'), { type: 'object', required: ['index'], properties: { index: { type: 'integer' } } }] } },
        },
      },
      RejectedCredentials: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            allOf: [
              ref('ErrorDetail'),
              {
                type: 'object',
                required: ['items'],
                properties: {
                  items: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['index', 'field', 'code', 'message'],
                      properties: { index: { type: 'integer' }, field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' }, problems: { type: 'array' } },
                    },
                  },
                },
              },
            ],
          },
        },
      },
      CredentialStatus: {
        type: 'object',
        required: ['digest', 'state', 'receivedAt', 'batch'],
        properties: {
          digest: HEX32,
          state: ref('CredentialState'),
          receivedAt: TIME,
          batch: nullable({
            type: 'object',
            properties: {
              id: { type: 'integer' },
              root: HEX32,
              size: { type: 'integer' },
              leafIndex: { type: 'integer' },
              state: { enum: ['sealed', 'submitted', 'confirmed', 'final'] },
              sealedAt: TIME,
              transactionHash: nullable(HEX32),
              blockNumber: nullable({ type: 'integer' }),
              lastError: nullable({ type: 'string' }),
            },
          }),
          receipt: ref('Receipt'),
        },
      },
      Receipt: {
        type: 'object',
        description: 'badge-notary-receipt/1 (docs/formats.md).',
        required: ['version', 'digest', 'leaf', 'proof', 'root', 'batch', 'anchor'],
        properties: {
          version: { const: 'badge-notary-receipt/1' },
          digest: HEX32,
          leaf: HEX32,
          proof: { type: 'array', items: HEX32 },
          root: HEX32,
          batch: { type: 'object', required: ['id', 'size', 'leafIndex'], properties: { id: { type: 'string' }, size: { type: 'integer' }, leafIndex: { type: 'integer' } } },
          anchor: {
            type: 'object',
            required: ['chain', 'registry', 'transactionHash', 'blockNumber', 'blockTime', 'blockTimestamp', 'memberId'],
            properties: {
              chain: { type: 'string', description: 'CAIP-2' },
              registry: { type: 'string', description: 'CAIP-10' },
              transactionHash: HEX32,
              blockNumber: { type: 'integer' },
              blockTime: TIME,
              blockTimestamp: { type: 'integer' },
              memberId: { type: 'integer' },
            },
          },
        },
      },
      RevocationInput: {
        type: 'object',
        additionalProperties: false,
        description: 'Either `digest` or `digests`.',
        properties: {
          digest: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' },
          digests: { type: 'array', minItems: 1, maxItems: 200, items: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' } },
          reason: { type: 'integer', minimum: 0, maximum: 255, default: 0, description: '0 unspecified, 1 issued in error, 2 superseded, 3 holder’s request, 4 misconduct, 5 key compromised.' },
        },
      },
      RevocationRequest: {
        type: 'object',
        required: ['id', 'memberId', 'digests', 'reason', 'reasonText', 'state', 'transactionHash', 'blockNumber', 'requestedAt', 'requestedBy', 'error'],
        properties: {
          id: { type: 'integer' },
          memberId: { type: 'integer' },
          digests: { type: 'array', items: HEX32 },
          reason: { type: 'integer' },
          reasonText: { type: 'string' },
          state: { enum: ['pending', 'submitted', 'mined', 'failed'] },
          transactionHash: nullable(HEX32),
          blockNumber: nullable({ type: 'integer' }),
          requestedAt: TIME,
          requestedBy: { type: 'string' },
          error: nullable({ type: 'string' }),
        },
      },
      RevocationStatus: {
        type: 'object',
        required: ['digest', 'issuerId', 'revoked', 'revocations', 'requests'],
        properties: {
          digest: HEX32,
          issuerId: nullable({ type: 'integer' }),
          revoked: { type: 'boolean', description: 'Revoked by its issuer (by any member when this service does not know the issuer).' },
          revocations: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                memberId: { type: 'integer' },
                revokedAt: TIME,
                reason: { type: 'integer' },
                reasonText: { type: 'string' },
                transactionHash: nullable(HEX32),
                blockNumber: nullable({ type: 'integer' }),
                source: { enum: ['mirror', 'chain'] },
              },
            },
          },
          requests: {
            type: 'array',
            items: { type: 'object', properties: { id: { type: 'integer' }, state: { type: 'string' }, transactionHash: nullable(HEX32), requestedAt: TIME } },
          },
        },
      },
      Batch: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          root: HEX32,
          size: { type: 'integer' },
          state: { enum: ['sealed', 'submitted', 'confirmed', 'final'] },
          sealedAt: TIME,
          stateChangedAt: TIME,
          transactionHash: nullable(HEX32),
          blockNumber: nullable({ type: 'integer' }),
          blockHash: nullable(HEX32),
          anchoredAt: nullable(TIME),
          anchoredBy: nullable({ type: 'integer' }),
          attempts: { type: 'integer' },
          lastError: nullable({ type: 'string' }),
        },
      },
      AnchorTransaction: {
        type: 'object',
        properties: {
          transactionHash: HEX32,
          nonce: { type: 'integer' },
          sentAt: TIME,
          outcome: nullable({ enum: ['mined', 'dropped', 'reorged', 'failed'] }),
        },
      },
      Member: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          did: { type: 'string' },
          controller: { type: 'string' },
          role: { enum: ['issuing-point', 'validation-point', 'information-point'] },
          status: { enum: ['pending', 'active', 'suspended', 'removed'] },
          statusSince: TIME,
          metadataURI: { type: 'string' },
          metadataHash: HEX32,
        },
      },
      MemberDetail: {
        allOf: [
          ref('Member'),
          {
            type: 'object',
            properties: {
              statusHistory: { type: 'array', items: { type: 'object', properties: { since: TIME, status: { type: 'string' } } } },
              keys: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    keyHash: HEX32,
                    validFrom: TIME,
                    validUntil: nullable(TIME),
                    revoked: { type: 'boolean' },
                    compromisedAt: nullable(TIME),
                    validNow: { type: 'boolean' },
                  },
                },
              },
              notaries: { type: 'array', items: { type: 'string' }, description: 'Accounts that anchor (and may revoke) for the member.' },
              revokers: { type: 'array', items: { type: 'string' }, description: 'Other accounts the member lets revoke its credentials.' },
              endorsements: {
                type: 'object',
                properties: { given: { type: 'array', items: ref('Endorsement') }, received: { type: 'array', items: ref('Endorsement') } },
              },
            },
          },
        ],
      },
      Endorsement: {
        type: 'object',
        properties: {
          endorser: { type: 'integer' },
          kind: { enum: ['member', 'badge-class'] },
          subject: HEX32,
          subjectMember: { type: 'integer' },
          claimURI: { type: 'string' },
          since: TIME,
        },
      },
      ApiClient: {
        type: 'object',
        required: ['id', 'memberId', 'role', 'label', 'createdAt', 'createdBy', 'revokedAt'],
        properties: {
          id: { type: 'string' },
          memberId: { type: 'integer' },
          role: { enum: ['admin', 'editor'] },
          label: { type: 'string' },
          createdAt: TIME,
          createdBy: nullable({ type: 'string' }),
          revokedAt: nullable(TIME),
        },
      },
      VerificationReport: {
        type: 'object',
        required: ['verified', 'checkedAt', 'steps', 'receiptSource'],
        properties: {
          verified: { type: 'boolean' },
          checkedAt: TIME,
          steps: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'status', 'message'],
              properties: {
                name: { enum: ['format', 'signature', 'issuer-key', 'issuer-member', 'anchor', 'revocation', 'validity'] },
                status: { enum: ['passed', 'failed', 'skipped'] },
                message: { type: 'string' },
              },
            },
          },
          credential: { type: 'object' },
          issuer: { type: 'object' },
          anchor: { type: 'object' },
          revocation: { type: 'object' },
          receipt: ref('Receipt'),
          receiptSource: { enum: ['request', 'credential', 'store', 'none'] },
          baked: ref('BakedBadge'),
        },
      },
      BakedBadge: {
        type: 'object',
        description:
          'Only when the body was a baked image: what it holds, as read (the receipt as found, whether or not it holds for the credential).',
        required: ['kind', 'version', 'credential'],
        properties: {
          kind: { enum: ['png', 'svg'] },
          version: { enum: ['ob3', 'ob2'] },
          credential: credentialInput,
          receipt: { description: 'The receipt baked with the credential: beside a JWS (its own chunk or element); a JSON credential carries it in its proof set.' },
        },
      },
      VcApiResult: {
        type: 'object',
        required: ['checks', 'warnings', 'errors'],
        properties: {
          verified: { type: 'boolean' },
          checks: { type: 'array', items: { type: 'string' }, description: 'The steps that passed.' },
          warnings: { type: 'array', items: { type: 'string' }, description: 'Ignored options, and steps skipped.' },
          errors: { type: 'array', items: { type: 'string' }, description: 'The steps that failed, with the reason.' },
          error: ref('ErrorDetail'),
        },
      },
      ReadinessChecks: {
        type: 'object',
        properties: {
          database: ref('Check'),
          chain: ref('Check'),
          indexer: ref('Check'),
        },
      },
      Check: { type: 'object', required: ['ok', 'message'], properties: { ok: { type: 'boolean' }, message: { type: 'string' } }, additionalProperties: true },
    },
  },
} as const;
