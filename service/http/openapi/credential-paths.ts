/** The OpenAPI paths of credentials (intake, status, receipts) and their revocation. */
import { authenticated, authErrors, badInput, credentialInput, digestParameter, error, idParameter, json, pageParameters, publicLimit, ref } from './shared';

export const credentialPaths = {
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
        '422': json(
          ref('RejectedCredentials'),
          'Some credential is invalid; `items` lists every bad one; nothing was stored. A W3C status list entry whose index is bound to another ' +
            'credential (`status-index-taken`) or that names another member’s list (`foreign-status-list`) is refused here too (docs/status-list.md).',
        ),
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
      summary: 'Whether the credential’s issuer revoked it, when and why; and the issuer’s requests through this service that reached the chain.',
      description: 'Only the issuing member’s revocations count. For a digest this service does not hold, name the issuer with ?issuer=; without it, nothing counts.',
      parameters: [
        digestParameter,
        { name: 'issuer', in: 'query', description: 'The issuing member (id or DID) of a digest this service does not hold.', schema: { type: 'string' } },
      ],
      responses: {
        '200': json(ref('RevocationStatus'), 'The revocation status.'),
        ...badInput,
        '404': error('The registry has no member named by issuer.'),
        ...publicLimit,
        '503': error('The registry could not be read.'),
      },
    },
  },
  '/v1/revocations': {
    post: {
      tags: ['revocations'],
      operationId: 'revokeCredentials',
      summary: 'Revokes credentials of the authenticated member in one registry transaction.',
      description:
        'Recorded first, then sent through the notary account’s serialised transaction queue. Answers once the transaction is broadcast; ' +
        'the service follows it to its block on its own timer; GET /v1/revocations/{id} shows where it stands. Editors and administrators.',
      security: authenticated,
      requestBody: { required: true, content: { 'application/json': { schema: ref('RevocationInput') } } },
      responses: {
        '202': json(ref('RevocationAnswer'), 'Broadcast.'),
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
        '200': json(ref('RevocationPage'), 'A page of requests.'),
        ...badInput,
        ...authErrors,
      },
    },
  },
  '/v1/revocations/{id}': {
    get: {
      tags: ['revocations'],
      operationId: 'revocationRequest',
      summary: 'One revocation request as it stands (reading never moves it; the service follows submitted ones to mined or failed).',
      security: authenticated,
      parameters: [idParameter('revocation request')],
      responses: {
        '200': json(ref('RevocationAnswer'), 'The request.'),
        ...badInput,
        ...authErrors,
        '403': error('Another member’s request.'),
        '404': error('No such request.'),
      },
    },
  },
};
