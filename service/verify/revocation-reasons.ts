/**
 * The reason codes a member gives when it revokes credentials (the registry stores a uint8). Codes not listed
 * here are valid on-chain and shown as "code N".
 */
export const REVOCATION_REASONS = {
  0: 'unspecified',
  1: 'issued in error',
  2: 'superseded by another credential',
  3: 'withdrawn at the holder’s request',
  4: 'misconduct or fraud in the assessment',
  5: 'the signing key was compromised',
} as const satisfies Record<number, string>;

export function revocationReasonText(code: number): string {
  return (REVOCATION_REASONS as Record<number, string>)[code] ?? `code ${code}`;
}
