import { zeroPadValue, toBeHex } from 'ethers';
import { ENDORSEMENT_KINDS, type EndorsementKindName } from '../registry';
import { CliUsageError } from './cli-errors';
import type { ChainContext } from './chain-context';
import type { CommandEnvironment } from './command-environment';
import { parseBytes32, parseMemberReference } from './parse-arguments';
import { sendRegistryTransaction } from './send-transaction';

interface Subject {
  kind: number;
  kindName: EndorsementKindName;
  /** The bytes32 the registry keys the endorsement by. */
  value: string;
  label: string;
}

/** A member is endorsed by its number (as bytes32); a badge class by the hash of its identifier. */
async function resolveSubject(chain: ChainContext, kindName: string, subject: string): Promise<Subject> {
  const kind = ENDORSEMENT_KINDS.indexOf(kindName as EndorsementKindName);
  if (kind < 0) throw new CliUsageError(`"${kindName}" is not something to endorse: expected member or badge-class`);
  if (kindName === 'member') {
    const memberId = await chain.memberId(parseMemberReference(subject));
    return { kind, kindName: 'member', value: zeroPadValue(toBeHex(memberId), 32), label: `member ${memberId}` };
  }
  return { kind, kindName: 'badge-class', value: parseBytes32(subject, 'badge class hash'), label: `badge class ${subject}` };
}

/** `endorse add`: the acting member endorses another member or a badge class, pointing at its claim. */
export async function endorse(
  environment: CommandEnvironment,
  kindName: string,
  subjectText: string,
  options: { claim: string; member?: string }
): Promise<void> {
  const chain = environment.chain();
  const subject = await resolveSubject(chain, kindName, subjectText);
  const endorser = await chain.actingMember(options.member ? parseMemberReference(options.member) : undefined);
  const { registry } = chain.writer();
  const sent = await sendRegistryTransaction(registry, `member ${endorser} cannot endorse ${subject.label}`, () =>
    registry.endorse(endorser, subject.kind, subject.value, options.claim),
  );
  environment.output().result(
    [`member ${endorser} endorses ${subject.label} (claim ${options.claim})`, `transaction ${sent.hash}`],
    { endorser, kind: subject.kindName, subject: subject.value, claimURI: options.claim, transaction: sent.hash },
  );
}

/** `endorse withdraw`: withdraws a standing endorsement. */
export async function withdrawEndorsement(environment: CommandEnvironment, kindName: string, subjectText: string, options: { member?: string }): Promise<void> {
  const chain = environment.chain();
  const subject = await resolveSubject(chain, kindName, subjectText);
  const endorser = await chain.actingMember(options.member ? parseMemberReference(options.member) : undefined);
  const { registry } = chain.writer();
  const sent = await sendRegistryTransaction(registry, `member ${endorser} cannot withdraw its endorsement of ${subject.label}`, () =>
    registry.withdrawEndorsement(endorser, subject.kind, subject.value),
  );
  environment.output().result(
    [`member ${endorser} no longer endorses ${subject.label}`, `transaction ${sent.hash}`],
    { endorser, kind: subject.kindName, subject: subject.value, withdrawn: true, transaction: sent.hash },
  );
}
