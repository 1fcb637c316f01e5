// A TypeScript model of ConfederationRegistry for the model-based invariant tests (invariants.test.ts): the
// registry's state as its interface describes it, the commands a random sequence is made of, and for each
// command the answer the model expects (the events of an accepted call, or the custom error of a refused one).
// The model is written from IConfederationRegistry's documentation, not from the contract's storage: notaries
// anchor when their member is Active *now* (the contract keeps a mirror of that status in each notary record),
// and a notary list is a set (the contract's swap-and-pop order is not part of the interface).
import fc from 'fast-check';
import { ZeroAddress, ZeroHash, toUtf8Bytes } from 'ethers';
import { Action, EndorsementKind, Status, didHash, founderDid, label, leafOf, memberSubject, proposalId } from './helpers';

export const MAX_UINT64 = 2n ** 64n - 1n;
export const MAX_NOTARIES = 16;

// ------------------------------------------------------------------------------------------------------------
// Pools: small, so that random sequences collide (the same key, root, digest or DID used twice)
// ------------------------------------------------------------------------------------------------------------

/** Hardhat accounts 1 to 15. Actors 0-2 control the founders; 3-8 tend to apply; 9-14 tend to notarise or revoke. */
export const ACTOR_COUNT = 15;
export const FOUNDER_COUNT = 3;
/** How long an application stays open (the contract's _APPLICATION_LIFETIME: 30 days). */
const APPLICATION_LIFETIME = 30n * 24n * 3600n;
export const INITIAL_QUORUM = 2;

/** DIDs an applicant may ask for: six new ones, a founder's, an empty one, one of 257 bytes. */
export const DIDS = [
  ...['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `did:web:org-${x}.example`),
  founderDid(2),
  '',
  `did:web:${'x'.repeat(249)}`,
];
export const KEYS = [...[1, 2, 3, 4, 5].map((i) => label(`signing key ${i}`)), ZeroHash];
/** Credential digests; the roots are their leaves, so each anchored root is a one-credential batch (empty proof). */
export const DIGESTS = [1, 2, 3, 4, 5, 6].map((i) => label(`credential digest ${i}`));
export const ROOTS = [...DIGESTS.map((digest) => leafOf(digest)), ZeroHash];
export const BADGE_CLASSES = [1, 2, 3].map((i) => label(`badge class ${i}`));
/** Member subjects 0..10 and one above uint32 (UnknownMember(0)). */
export const MEMBER_SUBJECTS = [...Array.from({ length: 11 }, (_, i) => memberSubject(i)), memberSubject(2n ** 32n)];
export const CLAIMS = ['https://claims.example/1', 'ipfs://claim-2'];

export const metadataURIOf = (did: string) => `ipfs://metadata/${did.slice(0, 40)}`;
export const metadataHashOf = (did: string) => label(`metadata of ${did}`);

// ------------------------------------------------------------------------------------------------------------
// The model
// ------------------------------------------------------------------------------------------------------------

export interface StatusChange {
  since: bigint;
  status: number;
}

export interface MemberState {
  id: number;
  did: string;
  controller: string;
  role: number;
  status: number;
  history: StatusChange[];
}

export interface KeyState {
  memberId: number;
  validFrom: bigint;
  validUntil: bigint;
  compromisedAt: bigint;
  revoked: boolean;
}

export class RegistryModel {
  /** The timestamp of the latest block. */
  now: bigint;
  quorum: number;
  readonly members: MemberState[] = [];
  readonly byController = new Map<string, number>();
  readonly byDid = new Map<string, number>();
  /** Proposal subject (member number, 0 for the quorum) -> how many proposals about it took effect. */
  readonly epochs = new Map<number, bigint>();
  /** Proposal id -> members that approved it, in order. */
  readonly approvers = new Map<string, number[]>();
  /** Proposal id -> what it proposes (for votes that follow an open proposal). */
  readonly proposals = new Map<string, { action: number; subject: number; value: number; epoch: bigint }>();
  readonly keys = new Map<string, KeyState>();
  /** Notary account -> the member it notarises for. */
  readonly notaryOf = new Map<string, number>();
  /** `${memberId}/${account}` */
  readonly revokers = new Set<string>();
  readonly anchors = new Map<string, { anchoredAt: bigint; memberId: number }>();
  /** `${memberId}/${digest}` */
  readonly revocations = new Map<string, { revokedAt: bigint; reason: number }>();
  /** `${endorser}/${kind}/${subject}` */
  readonly endorsements = new Map<string, { since: bigint; claimURI: string }>();

  constructor(
    readonly actors: string[],
    founders: { did: string; controller: string; role: number }[],
    quorum: number,
    deployedAt: bigint,
  ) {
    this.now = deployedAt;
    this.quorum = quorum;
    for (const founder of founders) {
      const id = this.members.length + 1;
      this.members.push({ id, ...founder, status: Status.Active, history: [{ since: deployedAt, status: Status.Active }] });
      this.byController.set(founder.controller, id);
      this.byDid.set(founder.did, id);
    }
  }

  member(id: number): MemberState | undefined {
    return id >= 1 && id <= this.members.length ? this.members[id - 1] : undefined;
  }

  activeCount(): number {
    return this.members.filter((m) => m.status === Status.Active).length;
  }

  epoch(subject: number): bigint {
    return this.epochs.get(subject) ?? 0n;
  }

  notariesOf(memberId: number): string[] {
    return [...this.notaryOf].filter(([, id]) => id === memberId).map(([account]) => account);
  }

  /** The status in force at `time`: the last change at or before it (None before the first). */
  statusAt(memberId: number, time: bigint): number {
    let status: number = Status.None;
    for (const change of this.member(memberId)?.history ?? []) if (change.since <= time) status = change.status;
    return status;
  }

  isKeyValidAt(memberId: number, keyHash: string, time: bigint): boolean {
    const key = this.keys.get(keyHash);
    if (memberId === 0 || key === undefined || key.memberId !== memberId) return false;
    return time >= key.validFrom && (key.validUntil === 0n || time < key.validUntil) && (!key.revoked || time < key.compromisedAt);
  }
}

// ------------------------------------------------------------------------------------------------------------
// What a command expects
// ------------------------------------------------------------------------------------------------------------

export interface ExpectedEvent {
  name: string;
  args: unknown[];
}

/** The registry must refuse with this custom error and these arguments. */
export interface Refusal {
  kind: 'refused';
  error: string;
  args: unknown[];
}

/** The registry must accept, emit exactly these events, and then agree with the model after `apply`. */
export interface Acceptance {
  kind: 'accepted';
  events: ExpectedEvent[];
  apply(model: RegistryModel): void;
}

export type Expectation = Refusal | Acceptance;

export interface Plan {
  from: string;
  fn: string;
  args: unknown[];
  expect: Expectation;
}

const refuse = (error: string, ...args: unknown[]): Refusal => ({ kind: 'refused', error, args });
const accept = (events: ExpectedEvent[], apply: (model: RegistryModel) => void): Acceptance => ({ kind: 'accepted', events, apply });
const event = (name: string, ...args: unknown[]): ExpectedEvent => ({ name, args });

/**
 * The actions that apply in each status, repeated to weigh them: mostly admit, suspend and reinstate, so that
 * members come and go rather than the network shrinking to its quorum at once.
 */
const SENSIBLE_ACTIONS: Record<number, number[]> = {
  [Status.None]: [],
  [Status.Pending]: [Action.Admit, Action.Admit, Action.Admit, Action.Remove],
  [Status.Active]: [Action.Suspend, Action.Suspend, Action.Remove],
  [Status.Suspended]: [Action.Reinstate, Action.Reinstate, Action.Reinstate, Action.Remove],
  [Status.Removed]: [],
};

/** The statuses an action leads to, from the interface's description of each vote. */
function transitionTarget(action: number, status: number): number | undefined {
  if (action === Action.Admit && status === Status.Pending) return Status.Active;
  if (action === Action.Suspend && status === Status.Active) return Status.Suspended;
  if (action === Action.Reinstate && status === Status.Suspended) return Status.Active;
  if (action === Action.Remove && (status === Status.Pending || status === Status.Active || status === Status.Suspended)) return Status.Removed;
  return undefined;
}

/** Sets a member's status at `time`, in the model; the event the registry emits for it. */
function statusChange(member: MemberState, status: number, time: bigint): { event: ExpectedEvent; apply: () => void } {
  return {
    event: event('MemberStatusChanged', member.id, member.status, status),
    apply: () => {
      member.status = status;
      member.history.push({ since: time, status });
    },
  };
}

/** The caller's member when it is Active, or the refusal of a vote (NotAMember, MemberNotActive). */
function activeVoter(model: RegistryModel, from: string): number | Refusal {
  const voter = model.byController.get(from);
  if (voter === undefined) return refuse('NotAMember', from);
  const member = model.member(voter)!;
  if (member.status !== Status.Active) return refuse('MemberNotActive', voter, member.status);
  return voter;
}

/** The member that `from` controls, or the refusal (UnknownMember, NotController). */
function controlled(model: RegistryModel, memberId: number, from: string): MemberState | Refusal {
  const member = model.member(memberId);
  if (member === undefined) return refuse('UnknownMember', memberId);
  if (member.controller !== from) return refuse('NotController', memberId, from);
  return member;
}

const isRefusal = (value: unknown): value is Refusal => typeof value === 'object' && value !== null && (value as Refusal).kind === 'refused';

interface Approval {
  event: ExpectedEvent;
  reached: boolean;
  record(model: RegistryModel): void;
}

/** Approves a proposal: the ProposalApproved event and whether the quorum is now reached, or AlreadyApproved. */
function approve(model: RegistryModel, action: number, subject: number, value: number, voter: number): Approval | Refusal {
  const id = proposalId(action, subject, value, model.epoch(subject));
  const before = model.approvers.get(id) ?? [];
  if (before.includes(voter)) return refuse('AlreadyApproved', id, voter);
  const voters = [...before, voter];
  // Only approvers that are still active count (a member suspended since it voted no longer does).
  const approvals = voters.filter((v) => model.member(v)!.status === Status.Active).length;
  const reached = approvals >= model.quorum;
  return {
    event: event('ProposalApproved', id, voter, action, subject, value, approvals, model.quorum),
    reached,
    record: (m: RegistryModel) => {
      m.approvers.set(id, voters);
      m.proposals.set(id, { action, subject, value, epoch: m.epoch(subject) });
      if (reached) m.epochs.set(subject, m.epoch(subject) + 1n);
    },
  };
}

// ------------------------------------------------------------------------------------------------------------
// Commands
// ------------------------------------------------------------------------------------------------------------

/** A member argument: an existing member picked by index (resolved when the command runs), or a raw number. */
export type Target = { pick: number } | { id: number };

/**
 * Who sends the call: actor `actor` itself, or (resolved when the command runs, falling back to the actor) the
 * target member's controller, an active member's controller other than the subject, one of the registry's
 * notaries (the target's, for revocations), a notary of a member whose status has changed, or one of the
 * target's revokers.
 */
export type Sender = 'actor' | 'controller' | 'voter' | 'notary' | 'movedNotary' | 'revoker';

export type CommandSpec = { actor: number; by: Sender } & (
  | { kind: 'apply'; did: number; role: number }
  | { kind: 'vote'; action: number; sensible: boolean; follow: boolean; subject: Target }
  | { kind: 'voteQuorum'; value: number; follow: boolean }
  | { kind: 'registerKey'; member: Target; key: number; from: 'zero' | 'now' | 'future' | 'past'; until: 'none' | 'after' | 'start' | 'before'; delta: number }
  | { kind: 'revokeKey'; member: Target; key: number; existing: boolean; at: 'now' | 'past' | 'future' | 'earlier' | 'same'; delta: number }
  | { kind: 'authoriseNotary' | 'authoriseRevoker'; member: Target; account: number }
  | { kind: 'deauthoriseNotary' | 'deauthoriseRevoker'; member: Target; account: number; existing: boolean }
  | { kind: 'anchor'; root: number }
  | { kind: 'revokeCredentials'; member: Target; digests: number[]; reason: number }
  | { kind: 'endorse'; member: Target; endorsementKind: number; subject: number; claim: number }
  | { kind: 'withdrawEndorsement'; member: Target; endorsementKind: number; subject: number; claim: number; existing: boolean }
  | { kind: 'changeController'; member: Target; account: number }
);

export function resolveTarget(model: RegistryModel, target: Target): number {
  if ('id' in target) return target.id;
  return model.members.length === 0 ? 0 : (target.pick % model.members.length) + 1;
}

/** The account that sends `spec`, about member `memberId` (0 when the command has none). */
function senderOf(model: RegistryModel, spec: CommandSpec, memberId: number): string {
  const actor = model.actors[spec.actor];
  const pick = (candidates: string[]) => (candidates.length === 0 ? actor : candidates[spec.actor % candidates.length]);
  switch (spec.by) {
    case 'controller':
      return model.member(memberId)?.controller ?? actor;
    case 'voter':
      return pick(model.members.filter((m) => m.status === Status.Active && m.id !== memberId).map((m) => m.controller));
    case 'notary':
      return pick([...model.notaryOf].filter(([, id]) => memberId === 0 || id === memberId).map(([account]) => account));
    case 'movedNotary': {
      // A notary whose member's status has changed since it joined (suspended, reinstated, removed, admitted):
      // whether it may anchor follows its member's status now.
      const moved = [...model.notaryOf].filter(([, id]) => model.member(id)!.history.length > 1).map(([account]) => account);
      return moved.length > 0 ? moved[spec.actor % moved.length] : pick([...model.notaryOf.keys()]);
    }
    case 'revoker':
      return pick([...model.revokers].filter((pair) => pair.startsWith(`${memberId}/`)).map((pair) => pair.split('/')[1]));
    case 'actor':
      return actor;
  }
}

/** An account by actor index; -1 is the zero address. */
const accountOf = (model: RegistryModel, index: number) => (index < 0 ? ZeroAddress : model.actors[index]);

function endorsementSubject(spec: { endorsementKind: number; subject: number }): string {
  return spec.endorsementKind === EndorsementKind.Member
    ? MEMBER_SUBJECTS[spec.subject % MEMBER_SUBJECTS.length]
    : BADGE_CLASSES[spec.subject % BADGE_CLASSES.length];
}

/** What the call is and what the registry must answer, for a command sent by `from` in a block at time `T`. */
export function plan(model: RegistryModel, spec: CommandSpec, T: bigint): Plan {
  let target = 'member' in spec ? resolveTarget(model, spec.member) : spec.kind === 'vote' ? resolveTarget(model, spec.subject) : 0;
  const chosen: Chosen = {};
  // A sensible vote is mostly about a pending or suspended member (an admission, a reinstatement): votes on the
  // founders alone would suspend and remove them before anyone applies.
  if (spec.kind === 'vote' && spec.sensible && 'pick' in spec.subject) {
    const weight: Record<number, number> = { [Status.Pending]: 4, [Status.Suspended]: 3, [Status.Active]: 1 };
    const candidates = model.members.flatMap((m) => Array<number>(weight[m.status] ?? 0).fill(m.id));
    if (candidates.length > 0) target = candidates[spec.subject.pick % candidates.length];
  }
  // `existing`: something the registry holds now (a key and its owner, a notary or revoker of the member, a
  // standing endorsement), so that revocations and withdrawals are not almost always refused.
  if (spec.kind === 'revokeKey' && spec.existing && model.keys.size > 0) {
    const [keyHash, key] = [...model.keys][spec.key % model.keys.size];
    chosen.keyHash = keyHash;
    target = key.memberId;
  }
  if ((spec.kind === 'deauthoriseNotary' || spec.kind === 'deauthoriseRevoker') && spec.existing) {
    const held: [number, string][] =
      spec.kind === 'deauthoriseNotary'
        ? [...model.notaryOf].map(([account, memberId]) => [memberId, account])
        : [...model.revokers].map((pair) => [Number(pair.split('/')[0]), pair.split('/')[1]]);
    if (held.length > 0) [target, chosen.account] = held[Math.abs(spec.account) % held.length];
  }
  if (spec.kind === 'withdrawEndorsement' && spec.existing && model.endorsements.size > 0) {
    const [endorser, kind, subject] = [...model.endorsements.keys()][spec.subject % model.endorsements.size].split('/');
    target = Number(endorser);
    chosen.endorsement = { kind: Number(kind), subject };
  }
  // `follow`: a second (third...) approval of a proposal still open in its subject's current epoch, from an
  // active member that has not approved it yet: without it, two random votes rarely agree and statuses seldom move.
  if ((spec.kind === 'vote' || spec.kind === 'voteQuorum') && spec.follow) {
    const quorumVote = spec.kind === 'voteQuorum';
    const open = [...model.proposals].filter(
      ([id, p]) => (p.action === Action.SetQuorum) === quorumVote && p.epoch === model.epoch(p.subject) && (model.approvers.get(id)?.length ?? 0) > 0,
    );
    if (open.length > 0) {
      const [id, proposal] = open[(spec.kind === 'vote' ? spec.action : spec.value) % open.length];
      const voters = model.members.filter((m) => m.status === Status.Active && m.id !== proposal.subject && !model.approvers.get(id)!.includes(m.id));
      if (voters.length > 0) {
        target = proposal.subject;
        chosen.action = proposal.action;
        chosen.value = proposal.value;
        chosen.from = voters[spec.actor % voters.length].controller;
      }
    }
  }
  const from = chosen.from ?? senderOf(model, spec, target);
  return { from, ...planCall(model, spec, T, from, target, chosen) };
}

interface Chosen {
  from?: string;
  action?: number;
  value?: number;
  keyHash?: string;
  account?: string;
  endorsement?: { kind: number; subject: string };
}

function planCall(model: RegistryModel, spec: CommandSpec, T: bigint, from: string, target: number, chosen: Chosen): Omit<Plan, 'from'> {
  switch (spec.kind) {
    case 'apply': {
      const did = DIDS[spec.did];
      const args = [did, spec.role, metadataURIOf(did), metadataHashOf(did)];
      const fn = 'applyForMembership';
      const length = toUtf8Bytes(did).length;
      if (length === 0 || length > 256) return { fn, args, expect: refuse('InvalidDid', did) };
      if (spec.role === 0) return { fn, args, expect: refuse('InvalidRole') };
      const taken = model.byDid.get(did);
      if (taken !== undefined) return { fn, args, expect: refuse('DidAlreadyRegistered', did, taken) };
      const controlling = model.byController.get(from);
      if (controlling !== undefined) return { fn, args, expect: refuse('ControllerAlreadyInUse', from, controlling) };
      const id = model.members.length + 1;
      return {
        fn,
        args,
        expect: accept(
          [event('MemberApplied', id, did, from, spec.role, metadataURIOf(did), metadataHashOf(did)), event('MemberStatusChanged', id, Status.None, Status.Pending)],
          (m) => {
            m.members.push({ id, did, controller: from, role: spec.role, status: Status.Pending, history: [{ since: T, status: Status.Pending }] });
            m.byController.set(from, id);
            m.byDid.set(did, id);
          },
        ),
      };
    }

    case 'vote': {
      // `sensible`: an action that applies to the subject's status (admit or reject a pending member; suspend or
      // remove an active one; reinstate or remove a suspended one); otherwise any.
      const status = model.member(target)?.status;
      const applicable = status === undefined ? [] : SENSIBLE_ACTIONS[status];
      const action = chosen.action ?? (spec.sensible && applicable.length > 0 ? applicable[spec.action % applicable.length] : spec.action % 4);
      const fn = ['approveAdmission', 'voteSuspension', 'voteReinstatement', 'voteRemoval'][action];
      const args = [target];
      const voter = activeVoter(model, from);
      if (isRefusal(voter)) return { fn, args, expect: voter };
      const subject = model.member(target);
      if (subject === undefined) return { fn, args, expect: refuse('UnknownMember', target) };
      if (voter === subject.id) return { fn, args, expect: refuse('CannotVoteOnSelf', subject.id) };
      const next = transitionTarget(action, subject.status);
      if (next === undefined) return { fn, args, expect: refuse('InvalidTransition', subject.id, subject.status, action) };
      // An application lapses APPLICATION_LIFETIME after it was made: it can no longer be admitted.
      if (action === Action.Admit) {
        const lapsedAt = subject.history[subject.history.length - 1]!.since + APPLICATION_LIFETIME;
        if (T >= lapsedAt) return { fn, args, expect: refuse('ApplicationLapsed', subject.id, lapsedAt) };
      }
      // Suspending or removing an active member must leave at least `quorum` active voters.
      const active = model.activeCount();
      if (subject.status === Status.Active && active - 1 < model.quorum) {
        return { fn, args, expect: refuse('QuorumWouldBecomeUnreachable', active - 1, model.quorum) };
      }
      const approval = approve(model, action, subject.id, 0, voter);
      if (isRefusal(approval)) return { fn, args, expect: approval };
      const change = approval.reached ? statusChange(subject, next, T) : undefined;
      return {
        fn,
        args,
        expect: accept([approval.event, ...(change ? [change.event] : [])], (m) => {
          approval.record(m);
          change?.apply();
        }),
      };
    }

    case 'voteQuorum': {
      const fn = 'voteQuorum';
      const value = chosen.value ?? spec.value;
      const args = [value];
      const voter = activeVoter(model, from);
      if (isRefusal(voter)) return { fn, args, expect: voter };
      const active = model.activeCount();
      if (value === 0 || value > active) return { fn, args, expect: refuse('QuorumOutOfRange', value, active) };
      const approval = approve(model, Action.SetQuorum, 0, value, voter);
      if (isRefusal(approval)) return { fn, args, expect: approval };
      const previous = model.quorum;
      return {
        fn,
        args,
        expect: accept([approval.event, ...(approval.reached ? [event('QuorumChanged', previous, value)] : [])], (m) => {
          approval.record(m);
          if (approval.reached) m.quorum = value;
        }),
      };
    }

    case 'registerKey': {
      const keyHash = KEYS[spec.key];
      const validFrom = { zero: 0n, now: T, future: T + BigInt(spec.delta), past: T - BigInt(spec.delta) }[spec.from];
      const start = validFrom === 0n ? T : validFrom;
      const validUntil = { none: 0n, after: start + BigInt(spec.delta), start, before: start - BigInt(spec.delta) }[spec.until];
      const fn = 'registerKey';
      const args = [target, keyHash, validFrom, validUntil];
      const member = controlled(model, target, from);
      if (isRefusal(member)) return { fn, args, expect: member };
      if (member.status !== Status.Pending && member.status !== Status.Active) return { fn, args, expect: refuse('MemberNotActive', member.id, member.status) };
      if (keyHash === ZeroHash) return { fn, args, expect: refuse('ZeroKeyHash') };
      const owner = model.keys.get(keyHash)?.memberId;
      if (owner !== undefined) return { fn, args, expect: refuse('KeyAlreadyRegistered', keyHash, owner) };
      // A key cannot vouch for the past, and a window ends after it starts.
      if (start < T || (validUntil !== 0n && validUntil <= start)) return { fn, args, expect: refuse('InvalidValidityWindow', validFrom, validUntil, T) };
      return {
        fn,
        args,
        expect: accept([event('SigningKeyRegistered', member.id, keyHash, start, validUntil)], (m) => {
          m.keys.set(keyHash, { memberId: member.id, validFrom: start, validUntil, compromisedAt: 0n, revoked: false });
        }),
      };
    }

    case 'revokeKey': {
      const keyHash = chosen.keyHash ?? KEYS[spec.key];
      const key = model.keys.get(keyHash);
      const stated = key?.revoked ? key.compromisedAt : T;
      const compromisedAt = {
        now: 0n, past: T - BigInt(spec.delta), future: T + BigInt(spec.delta), earlier: stated - BigInt(spec.delta), same: stated
      }[spec.at];
      const fn = 'revokeKey';
      const args = [target, keyHash, compromisedAt];
      const member = controlled(model, target, from);
      if (isRefusal(member)) return { fn, args, expect: member };
      if (key === undefined || key.memberId !== member.id) return { fn, args, expect: refuse('UnknownKey', member.id, keyHash) };
      const time = compromisedAt === 0n ? T : compromisedAt;
      // Not in the future; once revoked, only strictly earlier.
      const limit = key.revoked ? key.compromisedAt - 1n : T;
      if (time > limit) return { fn, args, expect: refuse('InvalidCompromiseTime', time, limit) };
      return {
        fn,
        args,
        expect: accept([event('SigningKeyRevoked', member.id, keyHash, time)], (m) => {
          const k = m.keys.get(keyHash)!;
          k.revoked = true;
          k.compromisedAt = time;
        }),
      };
    }

    case 'authoriseNotary':
    case 'authoriseRevoker': {
      const account = accountOf(model, spec.account);
      const fn = spec.kind;
      const args = [target, account];
      const member = controlled(model, target, from);
      if (isRefusal(member)) return { fn, args, expect: member };
      if (member.status !== Status.Active) return { fn, args, expect: refuse('MemberNotActive', member.id, member.status) };
      if (account === ZeroAddress) return { fn, args, expect: refuse('ZeroAddress') };
      if (spec.kind === 'authoriseNotary') {
        const serving = model.notaryOf.get(account);
        if (serving !== undefined) return { fn, args, expect: refuse('NotaryAlreadyAuthorised', account, serving) };
        if (model.notariesOf(member.id).length >= MAX_NOTARIES) return { fn, args, expect: refuse('TooManyNotaries', member.id, MAX_NOTARIES) };
        return { fn, args, expect: accept([event('NotaryAuthorised', member.id, account)], (m) => m.notaryOf.set(account, member.id)) };
      }
      const pair = `${member.id}/${account}`;
      if (model.revokers.has(pair)) return { fn, args, expect: refuse('RevokerAlreadyAuthorised', member.id, account) };
      return { fn, args, expect: accept([event('RevokerAuthorised', member.id, account)], (m) => m.revokers.add(pair)) };
    }

    case 'deauthoriseNotary':
    case 'deauthoriseRevoker': {
      const account = chosen.account ?? accountOf(model, spec.account);
      const fn = spec.kind;
      const args = [target, account];
      // Withdrawing trust is allowed in any status.
      const member = controlled(model, target, from);
      if (isRefusal(member)) return { fn, args, expect: member };
      if (spec.kind === 'deauthoriseNotary') {
        if (model.notaryOf.get(account) !== member.id) return { fn, args, expect: refuse('NotaryNotAuthorised', account, member.id) };
        return { fn, args, expect: accept([event('NotaryDeauthorised', member.id, account)], (m) => m.notaryOf.delete(account)) };
      }
      const pair = `${member.id}/${account}`;
      if (!model.revokers.has(pair)) return { fn, args, expect: refuse('RevokerNotAuthorised', member.id, account) };
      return { fn, args, expect: accept([event('RevokerDeauthorised', member.id, account)], (m) => m.revokers.delete(pair)) };
    }

    case 'anchor': {
      const root = ROOTS[spec.root];
      const fn = 'anchor';
      const args = [root];
      const memberId = model.notaryOf.get(from);
      if (memberId === undefined) return { fn, args, expect: refuse('NotANotary', from) };
      const member = model.member(memberId)!;
      if (member.status !== Status.Active) return { fn, args, expect: refuse('MemberNotActive', memberId, member.status) };
      if (root === ZeroHash) return { fn, args, expect: refuse('ZeroRoot') };
      const existing = model.anchors.get(root);
      if (existing !== undefined) return { fn, args, expect: refuse('RootAlreadyAnchored', root, existing.anchoredAt) };
      return { fn, args, expect: accept([event('RootAnchored', root, memberId)], (m) => m.anchors.set(root, { anchoredAt: T, memberId })) };
    }

    case 'revokeCredentials': {
      const digests = spec.digests.map((d) => DIGESTS[d]);
      const fn = 'revokeCredentials';
      const args = [target, digests, spec.reason];
      const member = model.member(target);
      if (member === undefined) return { fn, args, expect: refuse('UnknownMember', target) };
      // The controller, a revoker or a notary of the member; and the member must be active, except that a
      // suspended or removed member's controller may still revoke what the member issued while active.
      if (from !== member.controller && !model.revokers.has(`${member.id}/${from}`) && model.notaryOf.get(from) !== member.id) {
        return { fn, args, expect: refuse('NotAuthorisedForMember', from, member.id) };
      }
      const former = member.status === Status.Suspended || member.status === Status.Removed;
      if (member.status !== Status.Active && !(former && from === member.controller)) {
        return { fn, args, expect: refuse('MemberNotActive', member.id, member.status) };
      }
      if (digests.length === 0) return { fn, args, expect: refuse('EmptyRevocationBatch') };
      // A digest already revoked keeps its first time and reason, and emits nothing (also within one batch).
      const fresh: string[] = [];
      for (const digest of digests) if (!model.revocations.has(`${member.id}/${digest}`) && !fresh.includes(digest)) fresh.push(digest);
      return {
        fn,
        args,
        expect: accept(
          fresh.map((digest) => event('CredentialRevoked', member.id, digest, spec.reason)),
          (m) => fresh.forEach((digest) => m.revocations.set(`${member.id}/${digest}`, { revokedAt: T, reason: spec.reason })),
        ),
      };
    }

    case 'endorse':
    case 'withdrawEndorsement': {
      const endorsementKind = chosen.endorsement?.kind ?? spec.endorsementKind;
      const subject = chosen.endorsement?.subject ?? endorsementSubject(spec);
      const claim = CLAIMS[spec.claim];
      const endorsementKey = `${target}/${endorsementKind}/${subject}`;
      if (spec.kind === 'withdrawEndorsement') {
        const fn = 'withdrawEndorsement';
        const args = [target, endorsementKind, subject];
        const member = controlled(model, target, from);
        if (isRefusal(member)) return { fn, args, expect: member };
        if (!model.endorsements.has(endorsementKey)) return { fn, args, expect: refuse('NoSuchEndorsement', member.id, endorsementKind, subject) };
        return {
          fn,
          args,
          expect: accept([event('EndorsementWithdrawn', member.id, endorsementKind, subject)], (m) => m.endorsements.delete(endorsementKey)),
        };
      }
      const fn = 'endorse';
      const args = [target, spec.endorsementKind, subject, claim];
      const member = controlled(model, target, from);
      if (isRefusal(member)) return { fn, args, expect: member };
      if (member.status !== Status.Active) return { fn, args, expect: refuse('MemberNotActive', member.id, member.status) };
      if (spec.endorsementKind === EndorsementKind.Member) {
        const value = BigInt(subject);
        if (value > 0xffffffffn) return { fn, args, expect: refuse('UnknownMember', 0) };
        const endorsed = Number(value);
        if (model.member(endorsed) === undefined) return { fn, args, expect: refuse('UnknownMember', endorsed) };
        if (endorsed === member.id) return { fn, args, expect: refuse('SelfEndorsement', member.id) };
      }
      return {
        fn,
        args,
        expect: accept([event('EndorsementGiven', member.id, spec.endorsementKind, subject, claim)], (m) =>
          m.endorsements.set(endorsementKey, { since: T, claimURI: claim }),
        ),
      };
    }

    case 'changeController': {
      const account = accountOf(model, spec.account);
      const fn = 'changeController';
      const args = [target, account];
      const member = controlled(model, target, from);
      if (isRefusal(member)) return { fn, args, expect: member };
      if (account === ZeroAddress) return { fn, args, expect: refuse('ZeroAddress') };
      const controlling = model.byController.get(account);
      if (controlling !== undefined) return { fn, args, expect: refuse('ControllerAlreadyInUse', account, controlling) };
      return {
        fn,
        args,
        expect: accept([event('ControllerChanged', member.id, from, account)], (m) => {
          m.byController.delete(from);
          m.byController.set(account, member.id);
          m.member(member.id)!.controller = account;
        }),
      };
    }
  }
}

/** A short readable form of a command, for counterexamples. */
export function describeCommand(spec: CommandSpec, dt: number): string {
  const { kind, actor, by, ...rest } = spec;
  const text = (value: unknown): string =>
    Array.isArray(value)
      ? `[${value.join(',')}]`
      : typeof value === 'object' && value !== null
        ? 'pick' in value
          ? `member#${String((value as { pick: number }).pick)}`
          : `id ${String((value as { id: number }).id)}`
        : String(value);
  const details = Object.entries(rest)
    .map(([name, value]) => `${name}=${text(value)}`)
    .join(' ');
  return `${kind}(${details}) by ${by === 'actor' ? '' : `${by}/`}actor ${actor} at +${dt}s`;
}

// ------------------------------------------------------------------------------------------------------------
// Arbitraries
// ------------------------------------------------------------------------------------------------------------

const range = (min: number, max: number) => fc.integer({ min, max });
const weighted = <T>(...choices: [number, fc.Arbitrary<T>][]) => fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })));
const by = (...choices: [number, Sender][]) => weighted(...choices.map(([weight, sender]): [number, fc.Arbitrary<Sender>] => [weight, fc.constant(sender)]));

/** Mostly the founders' controllers, then the applicants', rarely the rest. */
export const controllerActor = weighted([6, range(0, 2)], [4, range(3, 8)], [1, range(9, 14)]);
/** Mostly the accounts set aside for notaries and revokers. */
export const serviceActor = weighted([6, range(9, 14)], [2, range(0, 8)]);
export const anyActor = range(0, ACTOR_COUNT - 1);
/** An account argument: -1 the zero address. */
export const accountArg = weighted([1, fc.constant(-1)], [6, range(9, 14)], [2, range(0, 8)]);
/** Mostly an existing member; sometimes a raw number, which may be 0 or one never issued. */
export const targetArg: fc.Arbitrary<Target> = weighted<Target>(
  [8, range(0, 23).map((pick) => ({ pick }))],
  [2, range(0, 10).map((id) => ({ id }))],
);
export const deltaArg = weighted([8, range(1, 60)], [2, range(61, 100_000)]);

/** The usual sender of a call about a member is its controller; sometimes anyone. */
const controllerOrActor = by([4, 'controller'], [1, 'actor']);

export const specArbitraries: fc.Arbitrary<CommandSpec>[] = [
  fc.record({
    kind: fc.constant('apply' as const),
    actor: weighted([8, range(3, 8)], [2, anyActor]),
    by: fc.constant('actor' as const),
    did: weighted([8, range(0, 5)], [1, range(6, 8)]),
    role: weighted([8, range(1, 3)], [1, fc.constant(0)]),
  }),
  // Votes five times as often: a member's status only moves with a quorum of them.
  ...[0, 1, 2, 3, 4].map(() =>
    fc.record({
      kind: fc.constant('vote' as const),
      actor: controllerActor,
      by: by([5, 'voter'], [1, 'actor']),
      action: range(0, 11),
      sensible: weighted([3, fc.constant(true)], [1, fc.constant(false)]),
      follow: fc.boolean(),
      subject: targetArg,
    }),
  ),
  fc.record({ kind: fc.constant('voteQuorum' as const), actor: controllerActor, by: by([5, 'voter'], [1, 'actor']), value: range(0, 5), follow: fc.boolean() }),
  // Keys registered and revoked twice as often: a key must exist before its revocation says anything.
  ...[0, 1].map(() =>
    fc.record({
      kind: fc.constant('registerKey' as const),
      actor: controllerActor,
      by: controllerOrActor,
      member: targetArg,
      key: weighted([8, range(0, 4)], [1, fc.constant(5)]),
      from: weighted([4, fc.constant('zero' as const)], [2, fc.constant('now' as const)], [2, fc.constant('future' as const)], [1, fc.constant('past' as const)]),
      until: weighted([4, fc.constant('none' as const)], [3, fc.constant('after' as const)], [1, fc.constant('start' as const)], [1, fc.constant('before' as const)]),
      delta: deltaArg,
    }),
  ),
  ...[0, 1].map(() =>
    fc.record({
      kind: fc.constant('revokeKey' as const),
      actor: controllerActor,
      by: controllerOrActor,
      member: targetArg,
      key: range(0, 4),
      existing: weighted([3, fc.constant(true)], [1, fc.constant(false)]),
      at: fc.constantFrom('now' as const, 'past' as const, 'future' as const, 'earlier' as const, 'same' as const),
      delta: deltaArg,
    }),
  ),
  ...(['authoriseNotary', 'authoriseRevoker'] as const).map((kind) =>
    fc.record({ kind: fc.constant(kind), actor: controllerActor, by: controllerOrActor, member: targetArg, account: accountArg }),
  ),
  ...(['deauthoriseNotary', 'deauthoriseRevoker'] as const).map((kind) =>
    fc.record({ kind: fc.constant(kind), actor: controllerActor, by: controllerOrActor, member: targetArg, account: accountArg, existing: fc.boolean() }),
  ),
  // Anchors twice as often: a root is only anchored once the member is active and has a notary.
  ...[0, 1].map(() =>
    fc.record({
      kind: fc.constant('anchor' as const),
      actor: serviceActor,
      by: by([4, 'notary'], [3, 'movedNotary'], [1, 'actor']),
      root: weighted([8, range(0, 5)], [1, fc.constant(6)]),
    }),
  ),
  fc.record({
    kind: fc.constant('revokeCredentials' as const),
    actor: anyActor,
    by: by([3, 'controller'], [2, 'notary'], [2, 'revoker'], [1, 'actor']),
    member: targetArg,
    digests: fc.array(range(0, DIGESTS.length - 1), { maxLength: 3 }),
    reason: range(0, 5),
  }),
  fc.record({
    kind: fc.constant('endorse' as const),
    actor: controllerActor,
    by: controllerOrActor,
    member: targetArg,
    endorsementKind: range(0, 1),
    subject: range(0, MEMBER_SUBJECTS.length - 1),
    claim: range(0, CLAIMS.length - 1),
  }),
  fc.record({
    kind: fc.constant('withdrawEndorsement' as const),
    actor: controllerActor,
    by: controllerOrActor,
    member: targetArg,
    endorsementKind: range(0, 1),
    subject: range(0, MEMBER_SUBJECTS.length - 1),
    claim: range(0, CLAIMS.length - 1),
    existing: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('changeController' as const), actor: controllerActor, by: controllerOrActor, member: targetArg, account: accountArg }),
];

export { didHash, Status, EndorsementKind };
