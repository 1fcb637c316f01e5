import { readFileSync } from 'node:fs';
import { keccak256, ZeroHash } from 'ethers';
import type { ConfederationRegistry } from '../../typechain-types';
import { roleName, statusName } from '../registry';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { formatTime, parseMemberReference, parsePositiveInteger, parseRoleName } from './parse-arguments';
import { findEvent, sendRegistryTransaction, type SentTransaction } from './send-transaction';
import { wellKnownUrl } from './did-document-command';

type VoteFunction = 'approveAdmission' | 'voteSuspension' | 'voteReinstatement' | 'voteRemoval' | 'voteRejection';

/** What each vote command calls on the registry. */
const VOTES: Record<MemberVote, VoteFunction> = {
  approve: 'approveAdmission',
  suspend: 'voteSuspension',
  reinstate: 'voteReinstatement',
  remove: 'voteRemoval',
  reject: 'voteRejection',
};

export type MemberVote = 'approve' | 'suspend' | 'reinstate' | 'remove' | 'reject';

export interface ApplyOptions {
  did: string;
  role: string;
  metadataUri: string;
  metadataFile?: string;
}

/** `member apply`: the signing account applies for membership and becomes the new member's controller. */
export async function applyForMembership(environment: CommandEnvironment, options: ApplyOptions): Promise<void> {
  const role = parseRoleName(options.role);
  const metadataHash = options.metadataFile ? hashFile(options.metadataFile) : ZeroHash;
  const { registry } = environment.chain().writer();
  const sent = await sendRegistryTransaction(registry, `cannot apply as ${options.did}`, () =>
    registry.applyForMembership(options.did, role, options.metadataUri, metadataHash),
  );
  const memberId = Number(findEvent(sent, 'MemberApplied')?.args.memberId);
  environment.output().result(
    [`applied: ${options.did} is member ${memberId}, pending approval`, `transaction ${sent.hash}`],
    { memberId, did: options.did, status: 'pending', transaction: sent.hash },
  );
}

/** `member approve|suspend|reinstate|remove`: a vote on a member, and what it did. */
export async function voteOnMember(environment: CommandEnvironment, vote: MemberVote, reference: string): Promise<void> {
  const chain = environment.chain();
  const memberId = await chain.memberId(parseMemberReference(reference));
  const { registry } = chain.writer();
  const sent = await sendRegistryTransaction(registry, `cannot ${vote} member ${memberId}`, () =>
    registry[VOTES[vote]](memberId),
  );
  reportVote(environment, sent, `member ${memberId}`);
}

/** `member withdraw`: the applicant withdraws its own pending application, which frees its DID. */
export async function withdrawApplication(environment: CommandEnvironment, options: { member?: string }): Promise<void> {
  const chain = environment.chain();
  const memberId = await chain.actingMember(options.member ? parseMemberReference(options.member) : undefined);
  const { registry } = chain.writer();
  const sent = await sendRegistryTransaction(registry, `cannot withdraw the application of member ${memberId}`, () =>
    registry.withdrawMembershipApplication(memberId),
  );
  environment.output().result(
    [`withdrawn: the application of member ${memberId} is closed and its DID is free`, `transaction ${sent.hash}`],
    { memberId, status: 'withdrawn', transaction: sent.hash },
  );
}

/** `member list`. */
export async function listMembers(environment: CommandEnvironment): Promise<void> {
  const registry = environment.chain().reader();
  const count = Number(await registry.memberCount());
  const members = [];
  for (let id = 1; id <= count; id++) members.push(await readMember(registry, id));
  environment
    .output()
    .table(
      ['#', 'STATUS', 'SINCE', 'ROLE', 'DID', 'CONTROLLER'],
      members.map((m) => [String(m.id), m.status, formatTime(m.statusSince), m.role, m.did, m.controller]),
      members,
    );
}

/**
 * `member show`: one member, its status history and notaries, and how the voters check that the applicant
 * controls its DID; with `--did-document FILE`, checks a downloaded DID document against the controller.
 */
export async function showMember(environment: CommandEnvironment, reference: string, options: { didDocument?: string } = {}): Promise<void> {
  const chain = environment.chain();
  const memberId = await chain.memberId(parseMemberReference(reference));
  const registry = chain.reader();
  const details = await readMember(registry, memberId);
  const history = (await registry.statusHistory(memberId)).map((change) => ({
    status: statusName(change.status),
    since: Number(change.since),
  }));
  const notaries = [...(await registry.notariesOf(memberId))];
  const control = didControl(details.did, details.controller, options.didDocument);
  environment.output().result(
    [
      `member ${details.id}: ${details.did}`,
      `  role        ${details.role}`,
      `  status      ${details.status} since ${formatTime(details.statusSince)}`,
      `  controller  ${details.controller}`,
      `  metadata    ${details.metadataURI || '-'} (hash ${details.metadataHash})`,
      `  notaries    ${notaries.length ? notaries.join(', ') : '-'}`,
      `  history     ${history.map((h) => `${h.status} ${formatTime(h.since)}`).join(' -> ')}`,
      `  DID control ${control.text}`,
    ],
    { ...details, history, notaries, didControl: control.json },
  );
  if (control.json.namesController === false) throw new CliUsageError(`the DID document ${options.didDocument} does not name the controller ${details.controller}: ${control.json.problem}`);
}

/**
 * What proves that a member controls its DID (docs/security.md): its did:web DID document names the member's
 * controller as a verification method with `blockchainAccountId` "eip155:<chain id>:<address>". The voters fetch the
 * document themselves; this command never does, it checks a document given as a file.
 */
function didControl(did: string, controller: string, documentFile?: string) {
  const expected = `a verificationMethod with blockchainAccountId eip155:<chain id>:${controller}`;
  const where = did.startsWith('did:web:') ? wellKnownUrl(did) : undefined;
  if (!documentFile) {
    const text = where ? `check that ${where} names the controller: ${expected}` : `not a did:web: check control by the DID method's own means`;
    return { text, json: { did, controller, documentUrl: where, expected } };
  }
  const problem = controllerProblem(readDidDocument(documentFile), did, controller);
  const text = problem ? `NOT SHOWN: ${documentFile} ${problem}` : `shown: ${documentFile} is ${did}'s document and names the controller ${controller}`;
  return { text, json: { did, controller, documentUrl: where, expected, documentFile, namesController: !problem, problem } };
}

function readDidDocument(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new CliUsageError(`--did-document ${path} is not a readable JSON DID document: ${(cause as Error).message}`);
  }
}

/** Why `document` does not show control of `did` by `controller`, or undefined when it does. */
function controllerProblem(document: unknown, did: string, controller: string): string | undefined {
  if (typeof document !== 'object' || document === null) return 'is not a JSON object';
  const { id, verificationMethod } = document as { id?: unknown; verificationMethod?: unknown };
  if (id !== did) return `is the document of ${String(id)}, not of ${did}`;
  const methods = Array.isArray(verificationMethod) ? verificationMethod : [];
  const account = /^eip155:\d+:(0x[0-9a-fA-F]{40})$/;
  const names = methods.some((method: { blockchainAccountId?: unknown }) => {
    const match = typeof method?.blockchainAccountId === 'string' ? account.exec(method.blockchainAccountId) : null;
    return match !== null && match[1].toLowerCase() === controller.toLowerCase();
  });
  return names ? undefined : `has no verificationMethod whose blockchainAccountId is eip155:<chain id>:${controller}`;
}

/** `quorum`: shows it, or with a value votes to change it. */
export async function quorum(environment: CommandEnvironment, newQuorum?: string): Promise<void> {
  const chain = environment.chain();
  if (newQuorum === undefined) {
    const registry = chain.reader();
    const [quorum, active] = [Number(await registry.quorum()), Number(await registry.activeMemberCount())];
    environment.output().result(`quorum ${quorum} of ${active} active members`, { quorum, activeMembers: active });
    return;
  }
  const value = parsePositiveInteger(newQuorum, 'quorum');
  const { registry } = chain.writer();
  const sent = await sendRegistryTransaction(registry, `cannot vote for a quorum of ${value}`, () =>
    registry.voteQuorum(value),
  );
  reportVote(environment, sent, `a quorum of ${value}`);
}

async function readMember(registry: ConfederationRegistry, id: number) {
  const member = await registry.getMember(id);
  return {
    id,
    did: member.did,
    controller: member.controller,
    role: roleName(member.role),
    status: statusName(member.status),
    statusSince: Number(member.statusSince),
    metadataURI: member.metadataURI,
    metadataHash: member.metadataHash,
  };
}

/** Says what a vote did: how many approvals are in, and the new status once the quorum is reached. */
function reportVote(environment: CommandEnvironment, sent: SentTransaction, subject: string): void {
  const approval = findEvent(sent, 'ProposalApproved');
  const statusChange = findEvent(sent, 'MemberStatusChanged');
  const quorumChange = findEvent(sent, 'QuorumChanged');
  const approvals = Number(approval?.args.approvals ?? 0);
  const required = Number(approval?.args.required ?? 0);
  let outcome = `${approvals} of ${required} approvals`;
  if (statusChange) outcome += `: member ${statusChange.args.memberId} is now ${statusName(statusChange.args.current)}`;
  if (quorumChange) outcome += `: the quorum is now ${quorumChange.args.current}`;
  environment.output().result([`vote recorded on ${subject}, ${outcome}`, `transaction ${sent.hash}`], {
    subject,
    approvals,
    required,
    status: statusChange ? statusName(statusChange.args.current) : undefined,
    quorum: quorumChange ? Number(quorumChange.args.current) : undefined,
    transaction: sent.hash,
  });
}

function hashFile(path: string): string {
  try {
    return keccak256(readFileSync(path));
  } catch (cause) {
    throw new CliUsageError(`cannot read the metadata file ${path}: ${(cause as Error).message}`);
  }
}
