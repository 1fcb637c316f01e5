/**
 * The notary's HTTP API (docs/api.md): createApp builds the express app from its dependencies, without
 * listening, and expressMessageClasses the request and response classes for its server. The use cases it
 * calls are service/notary's; createApiClient (a member's first API key) and createRevocationSender are
 * re-exported for the callers that wire the service.
 */
export { createApp, inlineVerifier, type AppDependencies, type HttpLimits } from './app';
export { expressMessageClasses, type MessageClasses } from './message-classes';
export { sanitisedErrorLog, serviceLogger } from './logger';
export { createApiClient, type CreateApiClientParameters } from '../notary';
export { ServiceMetrics, type BatchingObserver, type IndexerObserver, type ServiceMetricsOptions } from './metrics';
export { createRevocationSender } from '../chain/revocation-sender';
export { JWT_AUDIENCE, JWT_MAX_LIFETIME_SECONDS } from './auth';
export { openApiDocument } from './openapi';
export type { Principal } from './context';
export type { ErrorBody } from './errors';
export type { ChainAccess } from './ports';
