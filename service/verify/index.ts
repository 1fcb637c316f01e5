export { verifyBadge, STEP_NAMES } from './verify-badge';
export type { OfflineCheck, StepName, StepStatus, VerificationReport, VerificationStep, VerifyBadgeParameters } from './verify-badge';
export type { AnchorLanding, CheckCredentialQuery, CredentialCheck, RegistryReader } from './registry-reader';
export { REVOCATION_REASONS, revocationReasonText } from './revocation-reasons';
export { checkStatusList, revocationEntryOf, type ChainRevocation, type StatusListFinding, type StatusListOutcome, type StatusListSource } from './status-list-check';
export type { CatalogueMember, CatalogueReader, ChainBadgeClass, ClassDocumentSource } from './catalogue-reader';
export type { BadgeClassFinding } from './class-check';
