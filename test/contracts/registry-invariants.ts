// The chain side of the model-based invariant tests (invariants.test.ts): a thin raw-RPC driver for the
// registry on Hardhat's in-process network (ethers' contract wrappers cost ten times more per view call), the
// registry invariants, and a tally of what the random sequences exercised.
import { expect } from 'chai';
import hre, { network } from 'hardhat';
import { ZeroAddress, isAddress, type Interface, type Result } from 'ethers';
import {
  DIDS,
  DIGESTS,
  KEYS,
  MAX_NOTARIES,
  MAX_UINT64,
  ROOTS,
  Status,
  didHash,
  type CommandSpec,
  type ExpectedEvent,
  type RegistryModel,
} from './registry-model';
import { notariesFixture } from './helpers';

/**
 * The starting state of every run: three founders (members 1-3, quorum 2), two notaries for member 1 and one
 * for member 2, so that anchors, revocations and the notary list's removals (swap and pop) happen from the start.
 */
export async function invariantFixture() {
  const base = await notariesFixture();
  const notaryC = base.notaries[2];
  await base.registry.connect(base.founders[0]).authoriseNotary(1, notaryC.address);
  return { ...base, notaryC };
}

/** Values as comparable text: numbers and bigints in decimal, strings (addresses, hashes) lower-case. */
export function norm(value: unknown): unknown {
  if (typeof value === 'bigint' || typeof value === 'number') return value.toString();
  if (typeof value === 'string') return value.toLowerCase();
  if (Array.isArray(value)) return Array.from(value, norm);
  return value;
}

export type Outcome =
  | { ok: true; events: ExpectedEvent[]; gasUsed: bigint; timestamp: bigint; blockNumber: number }
  | { ok: false; error: string; args: unknown[] };

interface RpcReceipt {
  status: string;
  gasUsed: string;
  blockNumber: string;
  logs: { topics: string[]; data: string }[];
}

/** Gas limit of every call sent: far above any registry call with the pools' small inputs. */
const SEND_GAS = '0x2dc6c0'; // 3,000,000

/** solidity-coverage instruments the contract, so its gas figures say nothing about the real one. */
export function underCoverage(): boolean {
  return (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING === true;
}

/** The registry over raw JSON-RPC requests to the in-process network. */
export class RegistryDriver {
  constructor(
    readonly address: string,
    readonly iface: Interface,
  ) {}

  private request(method: string, params: unknown[]): Promise<unknown> {
    return network.provider.request({ method, params });
  }

  async call(fn: string, args: readonly unknown[]): Promise<Result> {
    const data = this.iface.encodeFunctionData(fn, args);
    const output = (await this.request('eth_call', [{ to: this.address, data }, 'latest'])) as string;
    return this.iface.decodeFunctionResult(fn, output);
  }

  async blockNumber(): Promise<number> {
    return Number(await this.request('eth_blockNumber', []));
  }

  async setNextBlockTime(time: bigint): Promise<void> {
    await this.request('evm_setNextBlockTimestamp', [Number(time)]);
  }

  /**
   * Sends `fn(args)` from `from` in the next block. A call the registry refuses (asked first with eth_call
   * against the pending block, at the next block's time) is never sent, so it mines nothing, as with ethers'
   * gas estimate.
   */
  async send(from: string, fn: string, args: readonly unknown[]): Promise<Outcome> {
    const data = this.iface.encodeFunctionData(fn, args);
    const tx = { from, to: this.address, data };
    try {
      await this.request('eth_call', [tx, 'pending']);
    } catch (error) {
      return { ok: false, ...this.decodeRevert(error) };
    }
    const hash = (await this.request('eth_sendTransaction', [{ ...tx, gas: SEND_GAS }])) as string;
    const receipt = (await this.request('eth_getTransactionReceipt', [hash])) as RpcReceipt;
    expect(receipt.status, `${fn} was accepted by eth_call, then reverted when mined`).to.equal('0x1');
    const block = (await this.request('eth_getBlockByNumber', [receipt.blockNumber, false])) as { timestamp: string };
    const events = receipt.logs.map((log) => {
      const parsed = this.iface.parseLog(log);
      if (parsed === null) throw new Error(`${fn} emitted a log the registry's ABI does not describe: ${JSON.stringify(log)}`);
      return { name: parsed.name, args: Array.from(parsed.args) };
    });
    return { ok: true, events, gasUsed: BigInt(receipt.gasUsed), timestamp: BigInt(block.timestamp), blockNumber: Number(receipt.blockNumber) };
  }

  private decodeRevert(error: unknown): { error: string; args: unknown[] } {
    const holder = error as { data?: unknown; error?: { data?: unknown } };
    const raw = holder.data ?? holder.error?.data;
    const data = typeof raw === 'string' ? raw : (raw as { data?: unknown } | undefined)?.data;
    if (typeof data !== 'string') throw error;
    if (data === '0x') return { error: 'revert without data', args: [] };
    const parsed = this.iface.parseError(data);
    if (parsed === null) return { error: `unknown revert ${data.slice(0, 10)}`, args: [data] };
    return { error: parsed.name, args: Array.from(parsed.args) };
  }
}

/** What one accepted call may have changed, from its sender and arguments: the invariants re-read these. */
export class Touched {
  readonly accounts = new Set<string>();
  readonly dids = new Set<string>();
  readonly keys = new Set<string>();
  readonly roots = new Set<string>();
  readonly members = new Set<number>();
  readonly revokers = new Set<string>();
  readonly revocations = new Set<string>();
  readonly endorsements = new Set<string>();

  constructor(spec: CommandSpec, from: string, args: readonly unknown[]) {
    this.accounts.add(from);
    for (const arg of args) {
      if (typeof arg !== 'string') continue;
      if (isAddress(arg)) this.accounts.add(arg);
      if (KEYS.includes(arg)) this.keys.add(arg);
      if (ROOTS.includes(arg)) this.roots.add(arg);
    }
    if (spec.kind === 'apply') this.dids.add(args[0] as string);
    if (typeof args[0] === 'number') this.members.add(args[0]);
    const memberId = String(args[0]);
    if (spec.kind === 'authoriseRevoker' || spec.kind === 'deauthoriseRevoker') this.revokers.add(`${memberId}/${String(args[1])}`);
    if (spec.kind === 'revokeCredentials') {
      this.revokers.add(`${memberId}/${from}`);
      for (const digest of args[1] as string[]) this.revocations.add(`${memberId}/${digest}`);
    }
    if (spec.kind === 'endorse' || spec.kind === 'withdrawEndorsement') this.endorsements.add(`${memberId}/${String(args[1])}/${String(args[2])}`);
  }
}

/** What the chain answered before: the properties that relate the registry to its own past. */
export class ChainLedger {
  /** Pairs any call of the run touched: the deep check reads them all (with every pool), not only the model's. */
  readonly revokerPairs = new Set<string>();
  readonly revocationPairs = new Set<string>();
  readonly endorsementKeys = new Set<string>();
  readonly histories = new Map<number, string>();
  readonly anchors = new Map<string, string>();
  readonly revocations = new Map<string, string>();
  readonly keys = new Map<string, { memberId: bigint; validFrom: bigint; validUntil: bigint; compromisedAt: bigint; revoked: boolean }>();
  readonly dids = new Map<number, string>();
}

/**
 * deep: every sweep over every member, account, DID, key, root and pair of the pools. Otherwise, after one
 * accepted call: every member and the counts, plus what the model holds and what the call touched.
 */
type CheckScope = { deep: true } | { deep: false; touched: Touched };

/** The status a history says was in force at `time` (None before its first entry). */
function statusFromHistory(history: { since: bigint; status: number }[], time: bigint): number {
  let status: number = Status.None;
  for (const change of history) if (change.since <= time) status = change.status;
  return status;
}

/**
 * The registry's invariants, read from the chain and compared with the model:
 * - the quorum is between 1 and the number of active members; activeMemberCount counts the Active members;
 * - every member's status history only grows, ends with its current status, and statusAt agrees with it;
 * - a root is anchored once, keeps its first time and member, and that member was Active at that time;
 * - a revocation keeps its first time and reason; a key keeps its owner and window, stays revoked once revoked,
 *   and its compromise time only moves earlier;
 * - notaries, revokers, controllers, DIDs, keys, endorsements and checkCredential agree with the model, and
 *   checkCredentials and checkCredentialGroups answer as checkCredential.
 */
export async function checkInvariants(model: RegistryModel, driver: RegistryDriver, ledger: ChainLedger, scope: CheckScope): Promise<void> {
  const touched = scope.deep ? undefined : scope.touched;
  if (touched) {
    touched.revokers.forEach((pair) => ledger.revokerPairs.add(pair));
    touched.revocations.forEach((pair) => ledger.revocationPairs.add(pair));
    touched.endorsements.forEach((key) => ledger.endorsementKeys.add(key));
  }
  const call = (fn: string, ...args: unknown[]) => driver.call(fn, args);
  const one = async (fn: string, ...args: unknown[]) => (await call(fn, ...args))[0] as unknown;
  const num = async (fn: string, ...args: unknown[]) => Number(await one(fn, ...args));

  // Membership counts and the quorum.
  const count = await num('memberCount');
  expect(count, 'memberCount').to.equal(model.members.length);
  const statuses: number[] = [];
  for (let id = 1; id <= count; id++) {
    const member = ((await one('getMember', id)) as Result).toObject();
    const history = ((await one('statusHistory', id)) as Result[]).map((h) => ({ since: BigInt(h[0]), status: Number(h[1]) }));
    const modelMember = model.member(id)!;
    const where = `member ${id}`;
    statuses.push(Number(member.status));

    // The chain's own consistency: a history that only grows and ends with the current status.
    expect(history.length, `${where}: status history`).to.be.greaterThan(0);
    for (let i = 1; i < history.length; i++) expect(history[i].since >= history[i - 1].since, `${where}: history in time order`).to.equal(true);
    expect(history.at(-1)!.status, `${where}: last history entry is the status`).to.equal(Number(member.status));
    expect(history.at(-1)!.since, `${where}: last history entry is statusSince`).to.equal(BigInt(member.statusSince));
    const historyText = JSON.stringify(norm(history.map((h) => [h.since, h.status])));
    const before = ledger.histories.get(id);
    if (before !== undefined) expect(historyText.startsWith(before.slice(0, -1)), `${where}: history is append-only`).to.equal(true);
    ledger.histories.set(id, historyText);

    // The model.
    expect(norm([member.id, member.did, member.controller, member.role, member.status]), where).to.deep.equal(
      norm([id, modelMember.did, modelMember.controller, modelMember.role, modelMember.status]),
    );
    expect(norm(history.map((h) => [h.since, h.status])), `${where}: status history`).to.deep.equal(
      norm(modelMember.history.map((h) => [h.since, h.status])),
    );
    if (ledger.dids.has(id)) expect(member.did, `${where}: DID never changes`).to.equal(ledger.dids.get(id));
    ledger.dids.set(id, member.did as string);

    // statusAt answers the history, before, at and between its changes.
    if (scope.deep || before !== historyText) {
      const times = new Set<bigint>([0n, model.now, model.now + 1_000_000n, MAX_UINT64]);
      for (const change of history) for (const t of [change.since - 1n, change.since, change.since + 1n]) times.add(t);
      for (const time of times) {
        const onChain = await num('statusAt', id, time);
        expect(onChain, `${where}: statusAt(${time}) against its history`).to.equal(statusFromHistory(history, time));
        expect(onChain, `${where}: statusAt(${time}) against the model`).to.equal(model.statusAt(id, time));
      }
    }
  }
  const active = statuses.filter((s) => s === Status.Active).length;
  const quorum = await num('quorum');
  expect(await num('activeMemberCount'), 'activeMemberCount counts the Active members').to.equal(active);
  expect(active, 'active members').to.equal(model.activeCount());
  expect(quorum, 'quorum').to.equal(model.quorum);
  expect(quorum >= 1 && quorum <= active, `1 <= quorum ${quorum} <= active members ${active}`).to.equal(true);

  // Controllers, notaries, DIDs.
  const accounts = new Set<string>(touched ? [...touched.accounts, ...model.byController.keys(), ...model.notaryOf.keys()] : model.actors);
  for (const account of accounts) {
    if (account === ZeroAddress) continue;
    const actor = `actor ${model.actors.indexOf(account)}`;
    expect(await num('memberIdByController', account), `memberIdByController(${actor})`).to.equal(model.byController.get(account) ?? 0);
    expect(await num('notaryMember', account), `notaryMember(${actor})`).to.equal(model.notaryOf.get(account) ?? 0);
  }
  for (const member of model.members) {
    if (touched && !touched.members.has(member.id) && model.notariesOf(member.id).length === 0) continue;
    const notaries = ((await one('notariesOf', member.id)) as string[]).map((a) => a.toLowerCase()).sort();
    expect(notaries, `notariesOf(${member.id})`).to.deep.equal(model.notariesOf(member.id).map((a) => a.toLowerCase()).sort());
    expect(notaries.length, `notariesOf(${member.id}) size`).to.be.at.most(MAX_NOTARIES);
    expect(new Set(notaries).size, `notariesOf(${member.id}) has no duplicate`).to.equal(notaries.length);
  }
  for (const did of touched ? [...touched.dids, ...model.byDid.keys()] : DIDS) {
    if (did.length === 0) continue;
    expect(await num('memberIdByDidHash', didHash(did)), `memberIdByDidHash(${did.slice(0, 30)})`).to.equal(model.byDid.get(did) ?? 0);
  }

  // Signing keys: the owner never changes, the window never changes, revoked stays revoked, the compromise
  // time only moves earlier; isKeyValidAt agrees with the model around every boundary.
  for (const keyHash of touched ? new Set([...touched.keys, ...model.keys.keys()]) : KEYS) {
    const key = ((await one('getKey', keyHash)) as Result).toObject();
    const chainKey = {
      memberId: BigInt(key.memberId),
      validFrom: BigInt(key.validFrom),
      validUntil: BigInt(key.validUntil),
      compromisedAt: BigInt(key.compromisedAt),
      revoked: key.revoked as boolean,
    };
    const modelKey = model.keys.get(keyHash);
    const where = `key ${keyHash.slice(0, 10)}`;
    expect(norm(Object.values(chainKey)), where).to.deep.equal(
      norm(modelKey === undefined
        ? [0, 0, 0, 0, false]
        : [modelKey.memberId, modelKey.validFrom, modelKey.validUntil, modelKey.compromisedAt, modelKey.revoked]),
    );
    const previous = ledger.keys.get(keyHash);
    const changed = previous === undefined || JSON.stringify(norm(Object.values(previous))) !== JSON.stringify(norm(Object.values(chainKey)));
    if (previous !== undefined && previous.memberId !== 0n) {
      expect(chainKey.memberId, `${where}: owner never changes`).to.equal(previous.memberId);
      expect([chainKey.validFrom, chainKey.validUntil], `${where}: window never changes`).to.deep.equal([previous.validFrom, previous.validUntil]);
      if (previous.revoked) {
        expect(chainKey.revoked, `${where}: stays revoked`).to.equal(true);
        expect(chainKey.compromisedAt <= previous.compromisedAt, `${where}: compromise time only moves earlier`).to.equal(true);
      }
    }
    ledger.keys.set(keyHash, chainKey);
    if (modelKey !== undefined && (scope.deep || changed)) {
      const times = new Set<bigint>([0n, model.now, MAX_UINT64]);
      for (const t of [modelKey.validFrom, modelKey.validUntil, modelKey.compromisedAt]) if (t > 0n) for (const u of [t - 1n, t, t + 1n]) times.add(u);
      const other = (modelKey.memberId % model.members.length) + 1;
      for (const time of times) {
        for (const memberId of [modelKey.memberId, other, 0]) {
          expect(await one('isKeyValidAt', memberId, keyHash, time), `${where}: isKeyValidAt(${memberId}, ${time})`).to.equal(
            model.isKeyValidAt(memberId, keyHash, time),
          );
        }
      }
    }
  }

  // Anchors: written once, first time kept, by a member that was Active then.
  for (const root of touched ? new Set([...touched.roots, ...model.anchors.keys()]) : ROOTS) {
    const [anchoredAt, memberId] = Array.from(await call('getAnchor', root), (v) => BigInt(v as bigint));
    const modelAnchor = model.anchors.get(root);
    const where = `anchor ${root.slice(0, 10)}`;
    expect(norm([anchoredAt, memberId]), where).to.deep.equal(norm(modelAnchor ? [modelAnchor.anchoredAt, modelAnchor.memberId] : [0, 0]));
    const text = `${anchoredAt}/${memberId}`;
    const first = ledger.anchors.get(root);
    if (first !== undefined && first !== '0/0') expect(text, `${where}: a root is anchored once and keeps its first time`).to.equal(first);
    ledger.anchors.set(root, text);
    if (anchoredAt !== 0n) {
      expect(await num('statusAt', memberId, anchoredAt), `${where}: anchored by a member Active at that time`).to.equal(Status.Active);
    }
  }

  // Revocations: the first time and reason are kept.
  for (const digest of DIGESTS) {
    for (const member of model.members) {
      const pair = `${member.id}/${digest}`;
      const read = touched ? touched.revocations.has(pair) : ledger.revocationPairs.has(pair);
      if (!read && !model.revocations.has(pair)) continue;
      const [revokedAt, reason] = Array.from(await call('revocationOf', member.id, digest), (v) => BigInt(v as bigint));
      const modelRevocation = model.revocations.get(pair);
      expect(norm([revokedAt, reason]), `revocationOf(${pair.slice(0, 14)})`).to.deep.equal(
        norm(modelRevocation ? [modelRevocation.revokedAt, modelRevocation.reason] : [0, 0]),
      );
      const text = `${revokedAt}/${reason}`;
      const first = ledger.revocations.get(pair);
      if (first !== undefined && first !== '0/0') expect(text, `revocation ${pair.slice(0, 14)}: revokedAt never changes once set`).to.equal(first);
      ledger.revocations.set(pair, text);
    }
  }

  // Revokers.
  const revokerPairs = new Set([...(touched ? touched.revokers : ledger.revokerPairs), ...model.revokers]);
  for (const pair of revokerPairs) {
    const [memberId, account] = pair.split('/');
    if (account === ZeroAddress) continue;
    expect(await one('isRevoker', Number(memberId), account), `isRevoker(${pair.slice(0, 14)})`).to.equal(model.revokers.has(pair));
  }

  // Endorsements.
  const endorsementKeys = new Set([...(touched ? touched.endorsements : ledger.endorsementKeys), ...model.endorsements.keys()]);
  for (const key of endorsementKeys) {
    const [endorser, kind, subject] = key.split('/');
    const [since, claimURI] = Array.from(await call('getEndorsement', Number(endorser), Number(kind), subject));
    const modelEndorsement = model.endorsements.get(key);
    expect(norm([since, claimURI]), `getEndorsement(${key.slice(0, 16)})`).to.deep.equal(
      norm(modelEndorsement ? [modelEndorsement.since, modelEndorsement.claimURI] : [0, '']),
    );
  }

  // checkCredential: each anchored root is a one-credential batch (root = leaf of the digest, empty proof), checked
  // as issued by the member that anchored it (and, in the deep check, by another member too); checkCredentials
  // answers the same for all of them in one call.
  const queries: unknown[][] = [];
  const answers: unknown[] = [];
  for (const [i, digest] of DIGESTS.entries()) {
    const anchor = model.anchors.get(ROOTS[i]);
    if (anchor === undefined) continue;
    const issuers = [anchor.memberId, ...(touched ? [] : [(anchor.memberId % model.members.length) + 1])];
    for (const issuerId of new Set(issuers)) {
      const issuer = model.member(issuerId)!;
      const owned = [...model.keys].filter(([, k]) => k.memberId === issuer.id).map(([hash]) => hash);
      const keys = touched ? [...owned, KEYS.find((k) => !owned.includes(k))!] : KEYS.slice(0, -1);
      for (const keyHash of keys) {
        const query = [didHash(issuer.did), keyHash, digest, [], ROOTS[i]];
        const check = ((await one('checkCredential', ...query)) as Result).toObject();
        const revocation = model.revocations.get(`${issuer.id}/${digest}`);
        const expected = {
          rootAnchored: true,
          anchoredAt: anchor.anchoredAt,
          anchoredBy: anchor.memberId,
          issuerId: issuer.id,
          issuerRole: issuer.role,
          issuerStatusNow: issuer.status,
          issuerActiveAtAnchor: model.statusAt(issuer.id, anchor.anchoredAt) === Status.Active,
          keyRegistered: model.keys.get(keyHash)?.memberId === issuer.id,
          keyValidAtAnchor: model.isKeyValidAt(issuer.id, keyHash, anchor.anchoredAt),
          proofValid: true,
          revoked: revocation !== undefined,
          revokedAt: revocation?.revokedAt ?? 0n,
          revocationReason: revocation?.reason ?? 0,
        };
        const where = `checkCredential(digest ${i + 1} as member ${issuer.id}'s, key ${keyHash.slice(0, 10)})`;
        expect(norm(Object.values(check)), where).to.deep.equal(norm(Object.values(expected)));
        expect(Object.keys(check), where).to.deep.equal(Object.keys(expected));
        queries.push(query);
        answers.push(Object.values(check));
      }
    }
  }
  if (queries.length > 0) {
    const batch = (await one('checkCredentials', queries)) as Result[];
    expect(norm(batch.map((check) => Object.values(check.toObject()))), 'checkCredentials answers as checkCredential, in order').to.deep.equal(norm(answers));

    // checkCredentialGroups: each distinct (issuer, key, root) once, a revocation per digest; the same answers
    // (every proof here is valid, and checking it is the caller's part).
    const groups: unknown[][] = [];
    const groupOf = new Map<string, number>();
    const digestQueries = queries.map(([issuerDidHash, keyHash, digest, , root]) => {
      const id = `${issuerDidHash}/${keyHash}/${root}`;
      let group = groupOf.get(id);
      if (group === undefined) group = groups.push([issuerDidHash, keyHash, root]) - 1;
      groupOf.set(id, group);
      return [group, digest];
    });
    const [groupChecks, revocations] = (await call('checkCredentialGroups', groups, digestQueries)) as unknown as [Result[], Result[]];
    const composed = digestQueries.map(([group], i) => [
      ...Object.values(groupChecks[group as number].toObject()), true, ...Object.values(revocations[i].toObject())
    ]);
    expect(norm(composed), 'checkCredentialGroups answers as checkCredential, in order').to.deep.equal(norm(answers));
  }
}

/** How often each command was accepted and refused with each error, over every run of a property. */
export class Coverage {
  readonly counts = new Map<string, Map<string, number>>();

  record(kind: string, outcome: string): void {
    const row = this.counts.get(kind) ?? new Map<string, number>();
    row.set(outcome, (row.get(outcome) ?? 0) + 1);
    this.counts.set(kind, row);
  }

  accepted(kind: string): number {
    return this.counts.get(kind)?.get('accepted') ?? 0;
  }

  refusals(): Set<string> {
    const names = new Set<string>();
    for (const row of this.counts.values()) for (const name of row.keys()) if (name !== 'accepted') names.add(name);
    return names;
  }

  table(): string {
    return [...this.counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, row]) => {
        const cells = [...row].sort(([a], [b]) => (a === 'accepted' ? -1 : b === 'accepted' ? 1 : a.localeCompare(b)));
        return `  ${kind.padEnd(20)} ${cells.map(([name, n]) => `${name} ${n}`).join(', ')}`;
      })
      .join('\n');
  }
}
