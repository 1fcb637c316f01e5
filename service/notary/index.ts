/**
 * The notary's use cases (DESIGN.md): intake of signed credentials, the registry directory and its key
 * rule, revocation requests and their follower, and members' API clients. They depend only on the ports in
 * ./ports (store repositories, the registry mirror and views, a clock, the verifier, the revocation sender)
 * and throw UseCaseError, which the HTTP layer maps to statuses. No express, HTTP or SQL here.
 */
export { UseCaseError, type UseCaseErrorKind } from './errors';
export { Intake, CredentialWriter, stateOf, type AcceptedCredential, type IntakeOptions, type IntakeRequest, type IntakeStore, type RejectedCredential } from './intake';
export {
  KEY_CLOCK_SKEW_SECONDS,
  RegistryDirectory,
  keyProblem,
  type MemberInfo,
  type RegistryDirectoryOptions,
  type RevocationInfo,
} from './directory';
export { CredentialRevocations, RevocationFollower, RevocationNotSent, Revocations, type CredentialRevocation, type RevocationsOptions } from './revocations';
export { StatusLists, type StatusListsOptions } from './status-lists';
export { ApiClients, createApiClient, type CreateApiClientParameters } from './clients';
export { BadgeClassDocuments, type BadgeClassDocumentsOptions } from './badge-class-documents';
export { PENDING_STATES } from './ports';
export type * from './ports';
