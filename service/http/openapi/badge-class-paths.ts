/** The OpenAPI paths of the network's badge-class catalogue (docs/catalogue.md). */
import { authenticated, authErrors, badInput, error, json, publicLimit, ref } from './shared';

const classIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The class id: keccak-256 of the class document’s RFC 8785 canonical JSON, 0x and 64 hex digits.',
  schema: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' },
};

export const badgeClassPaths = {
  '/v1/badge-classes': {
    get: {
      tags: ['catalogue'],
      operationId: 'searchBadgeClasses',
      summary: 'The published badge classes (mirrored from the catalogue contract), searched and filtered; best match first with `q`, newest first otherwise.',
      description:
        'Only classes published on-chain are listed. `q` is a full-text search (SQLite FTS5, each word a prefix, all words required) over the ' +
        'name, description and criteria in Italian and English and the alignments’ codes and names; it, `framework` and `level` need the class ' +
        'document, so a published class whose document this notary does not hold is listed only without them. When the deployment names no ' +
        'catalogue, the list is empty and `catalogue.notice` says so.',
      parameters: [
        { name: 'q', in: 'query', description: 'Words to search for (at most 8 words, 200 characters).', schema: { type: 'string', maxLength: 200 } },
        { name: 'framework', in: 'query', description: 'Only classes aligned to this framework.', schema: { enum: ['LifeComp', 'ESCO', 'EQF'] } },
        { name: 'level', in: 'query', description: 'Only classes whose level scheme has a level of this name (ASCII case ignored).', schema: { type: 'string', maxLength: 100 } },
        {
          name: 'adoptedBy',
          in: 'query',
          description: 'Only classes this member adopts now: its number, or its DID (a DID no member holds matches nothing).',
          schema: { type: 'string' },
        },
        { name: 'limit', in: 'query', description: 'At most this many (1 to 100; default 20).', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        { name: 'cursor', in: 'query', description: 'The `next` of the previous page.', schema: { type: 'string' } },
      ],
      responses: {
        '200': json(ref('BadgeClassPage'), 'A page of classes.'),
        ...badInput,
        ...publicLimit,
      },
    },
  },
  '/v1/badge-classes/{id}': {
    get: {
      tags: ['catalogue'],
      operationId: 'badgeClass',
      summary: 'One class: its on-chain record, its document, its version chain, its adopters and the registry’s endorsements of it.',
      parameters: [classIdParameter],
      responses: {
        '200': json(ref('BadgeClassDetail'), 'The class (`record` null when only its document is held, not yet published).'),
        ...badInput,
        '404': error('The class is not published and this notary holds no document with that id.'),
        ...publicLimit,
      },
    },
  },
  '/v1/badge-classes/{id}/document': {
    get: {
      tags: ['catalogue'],
      operationId: 'badgeClassDocument',
      summary: 'The class document as RFC 8785 canonical JSON: keccak-256 of the body is the class id, so this URL may be the class’s on-chain URI.',
      parameters: [classIdParameter],
      responses: {
        '200': json(ref('BadgeClassDocument'), 'The canonical document (immutable: cached for a year).'),
        ...badInput,
        '404': error('This notary holds no document of that class.'),
        ...publicLimit,
      },
    },
    put: {
      tags: ['catalogue'],
      operationId: 'putBadgeClassDocument',
      summary: 'Stores a class document under its id, published or not yet. Any member (editor or administrator).',
      description:
        'The body is the document (docs/catalogue.md). It is kept only when it is a valid badge-class document whose id is the one in the path; ' +
        'the same document again is 200.',
      security: authenticated,
      parameters: [classIdParameter],
      requestBody: { required: true, content: { 'application/json': { schema: ref('BadgeClassDocument') } } },
      responses: {
        '200': json(ref('BadgeClassDocumentStored'), 'This notary held the document already.'),
        '201': json(ref('BadgeClassDocumentStored'), 'Stored.'),
        ...badInput,
        ...authErrors,
        '413': error('The body is larger than 1 MiB.'),
        '415': error('The body is not JSON.'),
        '422': error('Not a valid badge-class document (`field` names the field, `reason` says why), or its id is another (`field` is `id`).'),
      },
    },
  },
};
