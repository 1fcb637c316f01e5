/**
 * What each verb of the console sends to the registry, as the CLI's `member`, `quorum`, `key`, `notary`,
 * `revoker` and `endorse` commands do (service/cli/*-commands.ts): the call, what it will do in words, the CLI's
 * context for a refusal ("cannot approve member 3": the registry's reason follows it, as on the command line),
 * and what it did, read from the receipt's events. Pure: no DOM, no wallet.
 *
 * An action: { method, args, cli, says: [i18n key, params], outcome(events) -> [i18n key, params] }.
 */
import { ZeroHash, toBeHex, zeroPadValue } from './ethers.mjs';

/** What each vote calls on the registry (service/cli/member-commands.ts VOTES). */
export const VOTES = {
  approve: 'approveAdmission',
  reject: 'voteRejection',
  suspend: 'voteSuspension',
  reinstate: 'voteReinstatement',
  remove: 'voteRemoval',
};

const eventNamed = (events, name) => events.find((event) => event.name === name);

/** `member apply`: the wallet's account applies and becomes the new member's controller. */
export function applyAction({ did, role, metadataUri = '', metadataHash = ZeroHash }, network) {
  return {
    method: 'applyForMembership',
    args: [did, network.roles.indexOf(role), metadataUri, metadataHash],
    cli: `cannot apply as ${did}`,
    says: [metadataUri ? 'do.apply.metadata' : 'do.apply', { did, role, metadataUri, metadataHash }],
    outcome: (events) => ['done.apply', { did, id: Number(eventNamed(events, 'MemberApplied')?.args.memberId) }],
  };
}

/** `member withdraw`: the applicant withdraws its pending application. */
export function withdrawAction({ memberId }) {
  return {
    method: 'withdrawMembershipApplication',
    args: [memberId],
    cli: `cannot withdraw the application of member ${memberId}`,
    says: ['do.withdraw', { id: memberId }],
    outcome: () => ['done.withdraw', { id: memberId }],
  };
}

/** `member approve|reject|suspend|reinstate|remove`. */
export function voteAction({ vote, memberId }, network) {
  if (!Object.hasOwn(VOTES, vote)) throw new RangeError(`unknown vote ${vote}`);
  return {
    method: VOTES[vote],
    args: [memberId],
    cli: `cannot ${vote} member ${memberId}`,
    says: [`do.vote.${vote}`, { id: memberId }],
    outcome: (events) => voteOutcome(events, `member ${memberId}`, network),
  };
}

/** `quorum N`: a vote to change the quorum. */
export function quorumAction({ quorum }, network) {
  return {
    method: 'voteQuorum',
    args: [quorum],
    cli: `cannot vote for a quorum of ${quorum}`,
    says: ['do.quorum', { quorum }],
    outcome: (events) => voteOutcome(events, `a quorum of ${quorum}`, network),
  };
}

/** How many approvals are in, and the new status or quorum once reached (the CLI's reportVote). */
function voteOutcome(events, subject, network) {
  const approval = eventNamed(events, 'ProposalApproved');
  const status = eventNamed(events, 'MemberStatusChanged');
  const quorum = eventNamed(events, 'QuorumChanged');
  const params = { subject, approvals: Number(approval?.args.approvals ?? 0), required: Number(approval?.args.required ?? 0) };
  if (status) return ['done.vote.status', { ...params, id: Number(status.args.memberId), status: network.statuses[Number(status.args.current)] }];
  if (quorum) return ['done.vote.quorum', { ...params, quorum: Number(quorum.args.current) }];
  return ['done.vote', params];
}

/** `key add`: registers a key with its public key published, in a validity window (0: from now / no end). */
export function keyAddAction({ memberId, key, validFrom = 0, validUntil = 0 }) {
  return {
    method: 'registerPublicKey',
    args: [memberId, key.multicodec, validFrom, validUntil],
    cli: `cannot register key ${key.keyHash} for member ${memberId}`,
    says: [validUntil ? 'do.key.add.until' : 'do.key.add', { id: memberId, keyHash: key.keyHash, type: key.type, from: validFrom, until: validUntil }],
    outcome: (events) => {
      const registered = eventNamed(events, 'SigningKeyRegistered');
      return ['done.key.add', { id: memberId, keyHash: key.keyHash, from: Number(registered?.args.validFrom ?? 0), until: validUntil }];
    },
  };
}

/** `key revoke`: revokes a key from the time its compromise began (0: now). */
export function keyRevokeAction({ memberId, keyHash, compromisedAt = 0 }) {
  return {
    method: 'revokeKey',
    args: [memberId, keyHash, compromisedAt],
    cli: `cannot revoke key ${keyHash} of member ${memberId}`,
    says: ['do.key.revoke', { id: memberId, keyHash, at: compromisedAt }],
    outcome: (events) => ['done.key.revoke', { id: memberId, keyHash, at: Number(eventNamed(events, 'SigningKeyRevoked')?.args.compromisedAt ?? 0) }],
  };
}

/** `notary add|remove` (service/cli/key-commands.ts NOTARY_CHANGES). */
export function notaryAction({ memberId, change, address }) {
  const add = change === 'add';
  return {
    method: add ? 'authoriseNotary' : 'deauthoriseNotary',
    args: [memberId, address],
    cli: add ? `cannot authorise ${address} for member ${memberId}` : `cannot remove notary ${address} of member ${memberId}`,
    says: [add ? 'do.notary.add' : 'do.notary.remove', { id: memberId, address }],
    outcome: () => [add ? 'done.notary.add' : 'done.notary.remove', { id: memberId, address }],
  };
}

/** `revoker add|remove` (REVOKER_CHANGES). */
export function revokerAction({ memberId, change, address }) {
  const add = change === 'add';
  return {
    method: add ? 'authoriseRevoker' : 'deauthoriseRevoker',
    args: [memberId, address],
    cli: add ? `cannot authorise revoker ${address} for member ${memberId}` : `cannot remove revoker ${address} for member ${memberId}`,
    says: [add ? 'do.revoker.add' : 'do.revoker.remove', { id: memberId, address }],
    outcome: () => [add ? 'done.revoker.add' : 'done.revoker.remove', { id: memberId, address }],
  };
}

/**
 * `endorse add|withdraw`: a member is endorsed by its number (as bytes32), a badge class by the hash of its
 * identifier (0x + 64 hex digits).
 */
export function endorseAction({ memberId, change, kind, subject, claim = '' }, network) {
  const kindIndex = network.endorsementKinds.indexOf(kind);
  const value = kind === 'member' ? zeroPadValue(toBeHex(Number(subject)), 32) : subject;
  const label = kind === 'member' ? `member ${Number(subject)}` : `badge class ${subject}`;
  if (change === 'withdraw') {
    return {
      method: 'withdrawEndorsement',
      args: [memberId, kindIndex, value],
      cli: `member ${memberId} cannot withdraw its endorsement of ${label}`,
      says: ['do.endorse.withdraw', { id: memberId, label }],
      outcome: () => ['done.endorse.withdraw', { id: memberId, label }],
    };
  }
  return {
    method: 'endorse',
    args: [memberId, kindIndex, value, claim],
    cli: `member ${memberId} cannot endorse ${label}`,
    says: ['do.endorse', { id: memberId, label, claim }],
    outcome: () => ['done.endorse', { id: memberId, label, claim }],
  };
}
