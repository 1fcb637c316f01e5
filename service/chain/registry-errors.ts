import { Interface, isCallException, type ErrorDescription } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { actionName, statusName } from '../registry';
import { NotaryError } from '../errors';

const registryInterface = new Interface(ConfederationRegistry__factory.abi);

/** A registry call the chain refused, with the custom error decoded and said in words. */
export class RegistryRevertError extends NotaryError {
  readonly errorName: string;
  readonly args: readonly unknown[];

  constructor(description: ErrorDescription, context: string | undefined, cause: unknown) {
    const reason = describeRegistryError(description.name, description.args.toObject());
    super('registry-refused', context ? `${context}: ${reason}` : reason, { cause });
    this.name = 'RegistryRevertError';
    this.errorName = description.name;
    this.args = [...description.args];
  }
}

/** A custom error's arguments by their names in the ABI (IConfederationRegistry.sol). */
export type RegistryErrorArgs = Readonly<Record<string, unknown>>;

const time = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString();

/**
 * One sentence per custom error of the registry: what was refused and what the caller can do about it. Arguments
 * are read by their names in the ABI; test/chain/registry-errors.test.ts checks that every error of the ABI has
 * its sentence here and that each sentence reads only names the error has.
 */
export const REGISTRY_ERROR_SENTENCES: Readonly<Record<string, (args: RegistryErrorArgs) => string>> = {
  UnknownMember: (e) => `there is no member ${e.memberId}`,
  NotController: (e) => `${e.account} does not control member ${e.memberId}: only its controller can do this`,
  NotAMember: (e) => `${e.account} controls no member of the network`,
  MemberNotActive: (e) => `only active members can do this: member ${e.memberId} is ${statusName(e.status as bigint)}`,
  DidAlreadyRegistered: (e) => `the DID ${e.did} already belongs to member ${e.memberId}`,
  InvalidDid: (e) => `the DID "${e.did}" is empty or longer than 256 bytes`,
  ControllerAlreadyInUse: (e) => `${e.controller} already controls member ${e.memberId}: one account controls one member`,
  NotPending: (e) => `member ${e.memberId} is no pending application: it is ${statusName(e.status as bigint)}`,
  ApplicationLapsed: (e) =>
    `the application of member ${e.memberId} lapsed at ${time(e.lapsedAt)}: it can only be rejected or cleared, and the applicant may apply again`,
  ApplicationNotLapsed: (e) => `the application of member ${e.memberId} lapses only at ${time(e.lapsesAt)}`,
  ZeroAddress: () => 'the zero address cannot be used here',
  InvalidRole: () => 'a member needs a role: issuing-point, validation-point or information-point',
  InvalidTransition: (e) => `cannot ${actionName(e.action as bigint)} member ${e.memberId}: it is ${statusName(e.status as bigint)}`,
  CannotVoteOnSelf: (e) => `member ${e.memberId} cannot vote on its own membership`,
  AlreadyApproved: (e) => `member ${e.voter} has already approved this proposal (${e.proposalId})`,
  QuorumOutOfRange: (e) => `a quorum of ${e.quorum} is out of range: it must be between 1 and the ${e.activeMembers} active members`,
  QuorumWouldBecomeUnreachable: (e) =>
    `only ${e.votersAfter} active members would be left to vote, fewer than the quorum of ${e.quorum}: lower the quorum first`,
  KeyAlreadyRegistered: (e) => `key ${e.keyHash} is already registered to member ${e.memberId}`,
  UnknownKey: (e) => `member ${e.memberId} has no key ${e.keyHash}`,
  ZeroKeyHash: () => 'the key hash is zero',
  MalformedPublicKey: (e) =>
    `public key ${e.publicKey} is malformed: expected 0xed01 + 32 bytes (Ed25519) or 0x8024 + 0x02/0x03 + 32 bytes (compressed P-256)`,
  InvalidValidityWindow: (e) =>
    `the validity window [${e.validFrom}, ${e.validUntil}) is invalid at time ${e.currentTime}: it cannot start in the past or end before it starts`,
  InvalidCompromiseTime: (e) =>
    `a compromise time of ${e.compromisedAt} is not allowed: it must not be after ${e.limit} (now, or just before the compromise time already stated)`,
  NotaryAlreadyAuthorised: (e) => `${e.notary} already notarises for member ${e.memberId}`,
  TooManyNotaries: (e) => `member ${e.memberId} already has the most notaries allowed (${e.max})`,
  NotaryNotAuthorised: (e) => `${e.notary} is not a notary of member ${e.memberId}`,
  NotANotary: (e) => `${e.account} is not an authorised notary of any member`,
  ZeroRoot: () => 'the Merkle root is zero',
  RootAlreadyAnchored: (e) => `root ${e.root} was already anchored at ${time(e.anchoredAt)}`,
  NotAuthorisedForMember: (e) =>
    `${e.account} is neither the controller, a notary nor a revoker of member ${e.memberId} (its controller can run: badge-notary revoker add ${e.account})`,
  RevokerAlreadyAuthorised: (e) => `${e.account} already revokes for member ${e.memberId}`,
  RevokerNotAuthorised: (e) => `${e.account} is not a revoker of member ${e.memberId}`,
  EmptyRevocationBatch: () => 'no credential digests to revoke',
  UnknownGroup: (e) => `digest query names group ${e.group}, but only ${e.groupCount} groups were given`,
  SelfEndorsement: (e) => `member ${e.memberId} cannot endorse itself`,
  NoSuchEndorsement: (e) => `member ${e.endorser} has no standing endorsement of that subject`,
};

/** The sentence for a custom error of the registry, its arguments given by name. */
export function describeRegistryError(name: string, args: RegistryErrorArgs): string {
  if (Object.hasOwn(REGISTRY_ERROR_SENTENCES, name)) return REGISTRY_ERROR_SENTENCES[name](args);
  return `the registry refused with ${name}(${Object.entries(args).map(([key, value]) => `${key}: ${String(value)}`).join(', ')})`;
}

/** The registry's custom error inside an ethers error, if it carries one. */
export function decodeRegistryRevert(error: unknown): ErrorDescription | undefined {
  const data = revertData(error);
  if (!data) return undefined;
  try {
    return registryInterface.parseError(data) ?? undefined;
  } catch {
    return undefined;
  }
}

function revertData(error: unknown): string | undefined {
  if (isCallException(error) && error.data) return error.data;
  // Some providers nest the revert data one level down.
  const nested = (error as { info?: { error?: { data?: unknown } }; error?: { data?: unknown } }) ?? {};
  const candidate = nested.info?.error?.data ?? nested.error?.data;
  if (typeof candidate === 'string' && candidate.startsWith('0x')) return candidate;
  if (candidate && typeof candidate === 'object' && typeof (candidate as { data?: unknown }).data === 'string') {
    return (candidate as { data: string }).data;
  }
  return undefined;
}

/**
 * Runs a registry call and turns a custom-error revert into a {@link RegistryRevertError} that says, in
 * words, what was refused. Other errors pass through unchanged.
 */
export async function withRegistryErrors<T>(context: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const description = decodeRegistryRevert(error);
    if (description) throw new RegistryRevertError(description, context, error);
    throw error;
  }
}
