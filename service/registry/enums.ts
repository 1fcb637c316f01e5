/**
 * The registry's enums (contracts/IConfederationRegistry.sol): their ABI values, and the words people use for
 * them. test/registry/enums.test.ts ties both to the compiled contract.
 */

export const Role = { None: 0, IssuingPoint: 1, ValidationPoint: 2, InformationPoint: 3 } as const;
export type Role = (typeof Role)[keyof typeof Role];

export const Status = { None: 0, Pending: 1, Active: 2, Suspended: 3, Removed: 4, Rejected: 5, Withdrawn: 6, Lapsed: 7 } as const;
export type Status = (typeof Status)[keyof typeof Status];

export const Action = { Admit: 0, Suspend: 1, Reinstate: 2, Remove: 3, SetQuorum: 4, Reject: 5, RevokeCredentials: 6 } as const;
export type Action = (typeof Action)[keyof typeof Action];

export const EndorsementKind = { Member: 0, BadgeClass: 1 } as const;
export type EndorsementKind = (typeof EndorsementKind)[keyof typeof EndorsementKind];

/** The words for each enum, indexed by the enum's value. */
export const ROLES = ['none', 'issuing-point', 'validation-point', 'information-point'] as const;
export type RoleName = (typeof ROLES)[number];

export const STATUSES = ['none', 'pending', 'active', 'suspended', 'removed', 'rejected', 'withdrawn', 'lapsed'] as const;
export type StatusName = (typeof STATUSES)[number];

export const ACTIONS = ['admit', 'suspend', 'reinstate', 'remove', 'set-quorum', 'reject', 'revoke-credentials'] as const;
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
