/** The verification report as verifyBadge builds it, step by step; the steps a report has and their order. */
import type { StepStatus, VerificationStep as GenericVerificationStep } from '../credentials/verify';
import type { Receipt } from '../merkle';
import type { BadgeClassFinding } from './class-check';
import type { CoIssuanceFinding } from './co-issuance';
import type { StatusListFinding } from './status-list-check';
import type { CredentialFormat, JsonObject } from '../credentials/types';
import type { RoleName, StatusName } from '../registry';

/** The steps of the trust model (DESIGN.md), in the order a person reads them. */
export const STEP_NAMES = ['format', 'signature', 'issuer-key', 'issuer-member', 'badge-class', 'anchor', 'revocation', 'validity'] as const;
export type StepName = (typeof STEP_NAMES)[number];
export type VerificationStep = GenericVerificationStep<StepName>;
/** Steps a report has only when they apply: the badge class, for a credential issued against one. */
const OPTIONAL_STEPS: readonly StepName[] = ['badge-class'];

export interface VerificationReport {
  /** True only when every step passed. */
  verified: boolean;
  checkedAt: string;
  steps: VerificationStep[];
  credential?: {
    format: CredentialFormat;
    digest: string;
    issuerDid: string;
    verificationMethod: string;
    keyHash: string;
    /** The credential's JSON (the VC, or the OB 2.0 Assertion), for display. */
    document: JsonObject;
  };
  /** `statusSince` is given when the member is no longer active: since when it is suspended or removed. */
  issuer?: { memberId: number; role: RoleName; statusNow: StatusName; statusSince?: string; activeAtAnchor: boolean };
  anchor?: {
    root: string;
    chain: string;
    registry: string;
    transactionHash?: string;
    blockNumber?: number;
    anchoredAt?: string;
    confirmations?: number;
  };
  revocation?: { revokedAt: string; reason: number; reasonText: string };
  /** A co-issued credential (a proof set): each signer, its member and role at the anchor time, and the summary. */
  coIssuance?: CoIssuanceFinding;
  /** A credential issued against a network badge class: the class, its level, publisher and adopters (class-check.ts). */
  badgeClass?: BadgeClassFinding;
  /** When the credential carries a status list entry: what its list says beside the chain (docs/status-list.md). */
  statusList?: StatusListFinding;
  receipt?: Receipt;
  /**
   * What verified here but will not with verifiers not written here; e.g. a credential issued before member key
   * ids, whose key id is a did:key that the issuer's DID does not control.
   */
  warnings?: string[];
}


export class ReportBuilder {
  private readonly steps = new Map<StepName, VerificationStep>();
  credential?: VerificationReport['credential'];
  issuer?: VerificationReport['issuer'];
  anchor?: VerificationReport['anchor'];
  revocation?: VerificationReport['revocation'];
  statusList?: StatusListFinding;
  coIssuance?: CoIssuanceFinding;
  badgeClass?: BadgeClassFinding;
  receipt?: Receipt;
  warnings?: string[];

  constructor(private readonly now: Date) {}

  step(name: StepName, status: StepStatus, message: string): void {
    this.steps.set(name, { name, status, message });
  }

  stepOf(name: StepName): VerificationStep | undefined {
    return this.steps.get(name);
  }

  skipRemaining(reason: string): void {
    for (const name of STEP_NAMES) if (!this.steps.has(name) && !OPTIONAL_STEPS.includes(name)) this.step(name, 'skipped', reason);
  }

  failRemaining(reason: string): void {
    for (const name of STEP_NAMES) if (!this.steps.has(name) && !OPTIONAL_STEPS.includes(name)) this.step(name, 'failed', reason);
  }

  finish(): VerificationReport {
    this.skipRemaining('not reached');
    const steps = STEP_NAMES.filter((name) => this.steps.has(name)).map((name) => this.steps.get(name)!);
    return {
      verified: steps.every((step) => step.status === 'passed'),
      checkedAt: Number.isNaN(this.now.getTime()) ? new Date().toISOString() : this.now.toISOString(),
      steps,
      credential: this.credential,
      issuer: this.issuer,
      anchor: this.anchor,
      revocation: this.revocation,
      ...(this.coIssuance ? { coIssuance: this.coIssuance } : {}),
      ...(this.badgeClass ? { badgeClass: this.badgeClass } : {}),
      ...(this.statusList ? { statusList: this.statusList } : {}),
      receipt: this.receipt,
      ...(this.warnings ? { warnings: this.warnings } : {}),
    };
  }
}
