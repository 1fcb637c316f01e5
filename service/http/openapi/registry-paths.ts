/** The OpenAPI paths of this service’s batches and the network’s members (from the registry mirror). */
import { badInput, error, idParameter, json, pageParameters, publicLimit, ref } from './shared';

export const registryPaths = {
  '/v1/batches': {
    get: {
      tags: ['registry'],
      operationId: 'listBatches',
      summary: 'This service’s batches, newest first.',
      parameters: pageParameters,
      responses: {
        '200': json(ref('BatchPage'), 'A page of batches.'),
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
        '200': json(ref('BatchDetail'), 'The batch.'),
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
        { name: 'status', in: 'query', schema: { enum: ['pending', 'active', 'suspended', 'removed', 'rejected', 'withdrawn', 'lapsed'] } },
        { name: 'role', in: 'query', schema: { enum: ['issuing-point', 'validation-point', 'information-point'] } },
      ],
      responses: {
        '200': json(ref('MemberList'), 'The members, as of the mirror’s last block.'),
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
        '200': json(ref('MemberAnswer'), 'The member.'),
        ...badInput,
        '404': error('The mirror has no such member.'),
        ...publicLimit,
      },
    },
  },
  '/v1/members/{id}/did.json': { get: didDocumentOperation('memberDidDocument', [idParameter('member')]) },
  '/v1/members/by-did/{did}/did.json': {
    get: didDocumentOperation('memberDidDocumentByDid', [{ name: 'did', in: 'path', required: true, description: 'The member’s DID, URL-encoded.', schema: { type: 'string' } }]),
  },
};

/** A member's did:web DID document, generated from the mirror's published keys (docs/credentials.md). */
function didDocumentOperation(operationId: string, parameters: object[]) {
  return {
    tags: ['registry'],
    operationId,
    summary:
      'The member’s DID document, from the registry: the keys it published (registerPublicKey) under its DID; those valid now in assertionMethod.',
    parameters: [
      ...parameters,
      {
        name: 'key',
        in: 'query',
        required: false,
        description:
          'Optional: a public key of the member registered by its hash only (registerKey), which the registry cannot list (did:key, Multikey or JWK); repeat it for each key.',
        schema: { type: 'array', items: { type: 'string' } },
        style: 'form',
        explode: true,
      },
    ],
    responses: {
      '200': { description: 'The DID document (application/did+json).', content: { 'application/did+json': { schema: { type: 'object' } } } },
      ...badInput,
      '404': error('The mirror has no such member.'),
      ...publicLimit,
    },
  };
}
