import { isHexString } from 'ethers';
import type { Command } from 'commander';
import { keyHashOf } from '../credentials/key-hash';
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

export function registerKeyCommands(program: Command, environment: CommandEnvironment): void {
  const key = program.command('key').description('register, revoke and check the signing keys of a member');

  key
    .command('add <key>')
    .description('register a signing key for your member')
    .option('--member <member>', 'the member (number or DID); default: the one your account controls')
    .option('--valid-from <time>', 'ISO 8601 or unix seconds, not in the past; default: now')
    .option('--valid-until <time>', 'ISO 8601 or unix seconds; default: no planned end')
    .action(async (keyText: string, options: { member?: string; validFrom?: string; validUntil?: string }) => {
      const chain = environment.chain();
      const keyHash = await resolveKeyHash(keyText);
      const validFrom = options.validFrom ? parseTime(options.validFrom, '--valid-from') : 0n;
      const validUntil = options.validUntil ? parseTime(options.validUntil, '--valid-until') : 0n;
      const memberId = await chain.actingMember(optionalMember(options.member));
      const { registry } = chain.writer();
      const sent = await sendRegistryTransaction(registry, `cannot register key ${keyHash} for member ${memberId}`, () =>
        registry.registerKey(memberId, keyHash, validFrom, validUntil),
      );
      const event = sent.events.find((e) => e.name === 'SigningKeyRegistered');
      const from = Number(event?.args.validFrom ?? 0);
      environment.output().result(
        [
          `key ${keyHash} registered for member ${memberId}, valid from ${formatTime(from)}${validUntil ? ` until ${formatTime(validUntil)}` : ''}`,
          `transaction ${sent.hash}`,
        ],
        { memberId, keyHash, validFrom: from, validUntil: Number(validUntil), transaction: sent.hash },
      );
    });

  key
    .command('revoke <key>')
    .description('revoke a key, stating when its compromise began; signatures anchored before stay valid')
    .option('--member <member>', 'the member (number or DID); default: the one your account controls')
    .option('--compromised-at <time>', 'ISO 8601 or unix seconds, not in the future; default: now')
    .action(async (keyText: string, options: { member?: string; compromisedAt?: string }) => {
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
    });

  key
    .command('show <key>')
    .description('show a key: its member, validity window and revocation; with --at, whether it was valid then')
    .option('--at <time>', 'ISO 8601 or unix seconds')
    .action(async (keyText: string, options: { at?: string }) => {
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
    });

  const notary = program.command('notary').description('authorise the accounts that anchor and revoke for your member');
  for (const [name, verb, call, done, description] of [
    ['add', 'authorise', 'authoriseNotary', 'now notarises for', 'authorise an account to anchor roots and revoke credentials for your member'],
    ['remove', 'remove notary', 'deauthoriseNotary', 'no longer notarises for', 'withdraw a notary’s authorisation'],
  ] as const) {
    notary
      .command(`${name} <address>`)
      .description(description)
      .option('--member <member>', 'the member (number or DID); default: the one your account controls')
      .action(async (addressText: string, options: { member?: string }) => {
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
      });
  }
}

/** Revokers: accounts a member lets revoke its credentials, e.g. the account of a notary service another member runs. */
export function registerRevokerCommands(program: Command, environment: CommandEnvironment): void {
  const revoker = program.command('revoker').description('let an account revoke your member’s credentials (e.g. the notary service you use)');
  for (const [name, verb, call, done] of [
    ['add', 'authorise', 'authoriseRevoker', 'may now revoke'],
    ['remove', 'remove', 'deauthoriseRevoker', 'may no longer revoke'],
  ] as const) {
    revoker
      .command(`${name} <address>`)
      .description(name === 'add' ? 'let an account revoke your member’s credentials' : 'withdraw a revoker’s authorisation')
      .option('--member <member>', 'the member (number or DID); default: the one your account controls')
      .action(async (addressText: string, options: { member?: string }) => {
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
      });
  }
}

function optionalMember(text: string | undefined) {
  return text === undefined ? undefined : parseMemberReference(text);
}
