/** TypeScript mirrors of the registry's enums (contracts/IConfederationRegistry.sol), with the words people use. */

export const ROLES = ['none', 'issuing-point', 'validation-point', 'information-point'] as const;
export type RoleName = (typeof ROLES)[number];

export const STATUSES = ['none', 'pending', 'active', 'suspended', 'removed'] as const;
export type StatusName = (typeof STATUSES)[number];

export const ACTIONS = ['admit', 'suspend', 'reinstate', 'remove', 'set-quorum'] as const;
export type ActionName = (typeof ACTIONS)[number];

export const ENDORSEMENT_KINDS = ['member', 'badge-class'] as const;
export type EndorsementKindName = (typeof ENDORSEMENT_KINDS)[number];

export function roleName(value: bigint | number): RoleName {
  return ROLES[Number(value)] ?? 'none';
}

export function statusName(value: bigint | number): StatusName {
  return STATUSES[Number(value)] ?? 'none';
}

export function actionName(value: bigint | number): ActionName {
  return ACTIONS[Number(value)] ?? 'admit';
}

/** The enum value of a role given by name, or undefined for an unknown or the `none` role. */
export function parseRole(name: string): number | undefined {
  const index = ROLES.indexOf(name as RoleName);
  return index > 0 ? index : undefined;
}
