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
    const reason = describeRegistryError(description.name, description.args);
    super('registry-refused', context ? `${context}: ${reason}` : reason, { cause });
    this.name = 'RegistryRevertError';
    this.errorName = description.name;
    this.args = [...description.args];
  }
}

const short = (address: unknown) => String(address);

/** One sentence per custom error of the registry: what was refused and what the caller can do about it. */
export function describeRegistryError(name: string, args: readonly unknown[]): string {
  const [a, b, c] = args;
  switch (name) {
    case 'UnknownMember':
      return `there is no member ${a}`;
    case 'NotController':
      return `${short(b)} does not control member ${a}: only its controller can do this`;
    case 'NotAMember':
      return `${short(a)} controls no member of the network`;
    case 'MemberNotActive':
      return `only active members can do this: member ${a} is ${statusName(b as bigint)}`;
    case 'DidAlreadyRegistered':
      return `the DID ${a} already belongs to member ${b}`;
    case 'InvalidDid':
      return `the DID "${a}" is empty or longer than 256 bytes`;
    case 'ControllerAlreadyInUse':
      return `${short(a)} already controls member ${b}: one account controls one member`;
    case 'ZeroAddress':
      return 'the zero address cannot be used here';
    case 'InvalidRole':
      return 'a member needs a role: issuing-point, validation-point or information-point';
    case 'InvalidTransition':
      return `cannot ${actionName(c as bigint)} member ${a}: it is ${statusName(b as bigint)}`;
    case 'CannotVoteOnSelf':
      return `member ${a} cannot vote on its own membership`;
    case 'AlreadyApproved':
      return `member ${b} has already approved this proposal (${a})`;
    case 'QuorumOutOfRange':
      return `a quorum of ${a} is out of range: it must be between 1 and the ${b} active members`;
    case 'QuorumWouldBecomeUnreachable':
      return `only ${a} active members would be left to vote, fewer than the quorum of ${b}: lower the quorum first`;
    case 'KeyAlreadyRegistered':
      return `key ${a} is already registered to member ${b}`;
    case 'UnknownKey':
      return `member ${a} has no key ${b}`;
    case 'ZeroKeyHash':
      return 'the key hash is zero';
    case 'InvalidValidityWindow':
      return `the validity window [${a}, ${b}) is invalid at time ${c}: it cannot start in the past or end before it starts`;
    case 'InvalidCompromiseTime':
      return `a compromise time of ${a} is not allowed: it must not be after ${b} (now, or just before the compromise time already stated)`;
    case 'NotaryAlreadyAuthorised':
      return `${short(a)} already notarises for member ${b}`;
    case 'TooManyNotaries':
      return `member ${a} already has the most notaries allowed (${b})`;
    case 'NotaryNotAuthorised':
      return `${short(a)} is not a notary of member ${b}`;
    case 'NotANotary':
      return `${short(a)} is not an authorised notary of any member`;
    case 'ZeroRoot':
      return 'the Merkle root is zero';
    case 'RootAlreadyAnchored':
      return `root ${a} was already anchored at ${new Date(Number(b) * 1000).toISOString()}`;
    case 'NotAuthorisedForMember':
      return `${short(a)} is neither the controller, a notary nor a revoker of member ${b} (its controller can run: badge-notary revoker add ${short(a)})`;
    case 'RevokerAlreadyAuthorised':
      return `${short(b)} already revokes for member ${a}`;
    case 'RevokerNotAuthorised':
      return `${short(b)} is not a revoker of member ${a}`;
    case 'EmptyRevocationBatch':
      return 'no credential digests to revoke';
    case 'SelfEndorsement':
      return `member ${a} cannot endorse itself`;
    case 'NoSuchEndorsement':
      return `member ${a} has no standing endorsement of that subject`;
    default:
      return `the registry refused with ${name}(${args.map(String).join(', ')})`;
  }
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
