/**
 * The OpenAPI 3.1 description of the API, served at /openapi.json. The paths are written out, one table per
 * area (./openapi/*-paths.ts); the answers' schemas are generated from the zod schemas in ./schemas, which
 * test/http/response-schemas.test.ts checks the presenters' output and every documented answer against.
 * test/http/openapi.test.ts walks express's router and this document and fails when a route is missing from
 * either, or a documented status is not.
 */
import { accessPaths } from './openapi/access-paths';
import { badgeClassPaths } from './openapi/badge-class-paths';
import { credentialPaths } from './openapi/credential-paths';
import { operationPaths } from './openapi/operation-paths';
import { registryPaths } from './openapi/registry-paths';
import { RevocationInput } from './openapi/shared';
import { statsPaths } from './openapi/stats-paths';
import { statusListPaths } from './openapi/status-list-paths';
import { verificationPaths } from './openapi/verification-paths';
import { componentSchemas } from './schemas';

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
    { name: 'catalogue', description: 'The network’s badge classes: the catalogue contract’s records (mirrored) and the class documents.' },
    { name: 'access', description: 'API clients of a member.' },
    { name: 'status-lists', description: 'W3C Bitstring Status Lists of the members’ revocations, mirrored from the registry.' },
    { name: 'verification', description: 'The verification report, and the W3C VC-API verifier call.' },
    { name: 'operations', description: 'Health, readiness, metrics, this document.' },
  ],
  paths: {
    ...operationPaths,
    ...credentialPaths,
    ...registryPaths,
    ...badgeClassPaths,
    ...statsPaths,
    ...statusListPaths,
    ...accessPaths,
    ...verificationPaths,
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
    schemas: { ...componentSchemas(), RevocationInput },
  },
};
