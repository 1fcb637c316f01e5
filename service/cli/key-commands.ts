import { isHexString } from 'ethers';
import { keyHashOf, multicodecHexOf } from '../credentials/key-hash';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { formatTime, parseAddress, parseMemberReference, parseTime } from './parse-arguments';
import { sendRegistryTransaction } from './send-transaction';

const KEY_ARGUMENT = 'a did:key (or its verification method URL), a Multikey, or a key hash (0x + 64 hex digits)';

/** The registry's hash of a key given in any of the forms people hold it in. */
export async function resolveKeyHash(text: string): Promise<string> {
  if (isHexString(text, 32)) return text.toLowerCase();
  try {
    return keyHashOf(text);
  } catch (cause) {
    throw new CliUsageError(`"${text}" is not a key: expected ${KEY_ARGUMENT} (${(cause as Error).message})`);
  }
}

/** Whom a command acts for: --member, else the member the signing account controls. */
export interface MemberOption {
  member?: string;
}

export interface KeyAddOptions extends MemberOption {
  validFrom?: string;
  validUntil?: string;
}

/** `key add`: registers a signing key for a member, publishing its public key when given one (not a bare hash). */
export async function addKey(environment: CommandEnvironment, keyText: string, options: KeyAddOptions): Promise<void> {
  const chain = environment.chain();
  const keyHash = await resolveKeyHash(keyText);
  // A public key is published with its registration, so that the member's DID document comes from the chain.
  const publicKey = isHexString(keyText, 32) ? undefined : multicodecHexOf(keyText);
  const validFrom = options.validFrom ? parseTime(options.validFrom, '--valid-from') : 0n;
  const validUntil = options.validUntil ? parseTime(options.validUntil, '--valid-until') : 0n;
  const memberId = await chain.actingMember(optionalMember(options.member));
  const { registry } = chain.writer();
  const sent = await sendRegistryTransaction(registry, `cannot register key ${keyHash} for member ${memberId}`, () =>
    publicKey === undefined
      ? registry.registerKey(memberId, keyHash, validFrom, validUntil)
      : registry.registerPublicKey(memberId, publicKey, validFrom, validUntil),
  );
  const event = sent.events.find((e) => e.name === 'SigningKeyRegistered');
  const from = Number(event?.args.validFrom ?? 0);
  environment.output().result(
    [
      `key ${keyHash} registered for member ${memberId}${publicKey ? ' with its public key' : ' by its hash only'}, valid from ${formatTime(from)}${validUntil ? ` until ${formatTime(validUntil)}` : ''}`,
      `transaction ${sent.hash}`,
    ],
    { memberId, keyHash, publicKey: publicKey ?? null, validFrom: from, validUntil: Number(validUntil), transaction: sent.hash },
  );
}

export interface KeyRevokeOptions extends MemberOption {
  compromisedAt?: string;
}

/** `key revoke`: revokes a key from the time its compromise began. */
export async function revokeKey(environment: CommandEnvironment, keyText: string, options: KeyRevokeOptions): Promise<void> {
  const chain = environment.chain();
  const keyHash = await resolveKeyHash(keyText);
  const compromisedAt = options.compromisedAt ? parseTime(options.compromisedAt, '--compromised-at') : 0n;
  const memberId = await chain.actingMember(optionalMember(options.member));
  const { registry } = chain.writer();
  const sent = await sendRegistryTransaction(registry, `cannot revoke key ${keyHash} of member ${memberId}`, () =>
    registry.revokeKey(memberId, keyHash, compromisedAt),
  );
  const time = Number(sent.events.find((e) => e.name === 'SigningKeyRevoked')?.args.compromisedAt ?? 0);
  environment.output().result(
    [`key ${keyHash} of member ${memberId} revoked from ${formatTime(time)} on`, `transaction ${sent.hash}`],
    { memberId, keyHash, compromisedAt: time, transaction: sent.hash },
  );
}

/** `key show`: a key's member, validity window and revocation; with --at, whether it was valid then. */
export async function showKey(environment: CommandEnvironment, keyText: string, options: { at?: string }): Promise<void> {
  const registry = environment.chain().reader();
  const keyHash = await resolveKeyHash(keyText);
  const stored = await registry.getKey(keyHash);
  const memberId = Number(stored.memberId);
  if (memberId === 0) throw new CliUsageError(`key ${keyHash} is not registered`);
  const at = options.at ? parseTime(options.at, '--at') : undefined;
  const validAt = at === undefined ? undefined : await registry.isKeyValidAt(memberId, keyHash, at);
  const details = {
    keyHash,
    memberId,
    validFrom: Number(stored.validFrom),
    validUntil: Number(stored.validUntil),
    revoked: stored.revoked,
    compromisedAt: stored.revoked ? Number(stored.compromisedAt) : undefined,
    validAt: at === undefined ? undefined : { time: Number(at), valid: validAt },
  };
  const lines = [
    `key ${keyHash} of member ${memberId}`,
    `  valid from  ${formatTime(details.validFrom)}${details.validUntil ? ` until ${formatTime(details.validUntil)}` : ''}`,
    `  revoked     ${stored.revoked ? `yes, compromised from ${formatTime(stored.compromisedAt)}` : 'no'}`,
  ];
  if (at !== undefined) lines.push(`  at ${formatTime(at)}: ${validAt ? 'valid' : 'NOT valid'}`);
  environment.output().result(lines, details);
}

/** What `notary add|remove` and `revoker add|remove` call on the registry, and the words of their messages. */
const NOTARY_CHANGES = {
  add: { verb: 'authorise', call: 'authoriseNotary', done: 'now notarises for' },
  remove: { verb: 'remove notary', call: 'deauthoriseNotary', done: 'no longer notarises for' },
} as const;
const REVOKER_CHANGES = {
  add: { verb: 'authorise', call: 'authoriseRevoker', done: 'may now revoke' },
  remove: { verb: 'remove', call: 'deauthoriseRevoker', done: 'may no longer revoke' },
} as const;

/** `notary add|remove`: authorises an account to anchor roots and revoke credentials for a member, or withdraws it. */
export async function changeNotary(environment: CommandEnvironment, name: 'add' | 'remove', addressText: string, options: MemberOption): Promise<void> {
  const { verb, call, done } = NOTARY_CHANGES[name];
  const chain = environment.chain();
  const address = parseAddress(addressText, 'account address');
  const memberId = await chain.actingMember(optionalMember(options.member));
  const { registry } = chain.writer();
  const context = name === 'add' ? `cannot authorise ${address} for member ${memberId}` : `cannot ${verb} ${address} of member ${memberId}`;
  const sent = await sendRegistryTransaction(registry, context, () => registry[call](memberId, address));
  environment.output().result([`${address} ${done} member ${memberId}`, `transaction ${sent.hash}`], {
    memberId,
    notary: address,
    authorised: name === 'add',
    transaction: sent.hash,
  });
}

/** `revoker add|remove`: lets an account revoke a member's credentials, or withdraws it. */
export async function changeRevoker(environment: CommandEnvironment, name: 'add' | 'remove', addressText: string, options: MemberOption): Promise<void> {
  const { verb, call, done } = REVOKER_CHANGES[name];
  const chain = environment.chain();
  const address = parseAddress(addressText, 'account address');
  const memberId = await chain.actingMember(optionalMember(options.member));
  const { registry } = chain.writer();
  const sent = await sendRegistryTransaction(registry, `cannot ${verb} revoker ${address} for member ${memberId}`, () =>
    registry[call](memberId, address),
  );
  environment.output().result(
    [`${address} ${done} member ${memberId}’s credentials`, `transaction ${sent.hash}`],
    { memberId, revoker: address, authorised: name === 'add', transaction: sent.hash },
  );
}

function optionalMember(text: string | undefined) {
  return text === undefined ? undefined : parseMemberReference(text);
}
