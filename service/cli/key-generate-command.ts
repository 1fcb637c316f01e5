import { memberKeyId } from '../credentials/key-id';
import { exportIssuerKey, generateIssuerKey } from '../credentials/keys';
import type { KeyType } from '../credentials/types';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { writeStaged } from './staged-output';

const KEY_TYPES: Record<string, KeyType> = { ed25519: 'Ed25519', p256: 'P-256' };

export interface KeyGenerateOptions {
  out: string;
  type: string;
  memberDid?: string;
  force?: boolean;
}

/** `key generate`: a new issuer key in a file only its owner can read, and what to do next with it. */
export async function generateKey(environment: CommandEnvironment, options: KeyGenerateOptions): Promise<void> {
  const type = KEY_TYPES[options.type.toLowerCase()];
  if (!type) throw new CliUsageError(`"${options.type}" is not a key type: expected ed25519 or p256`);
  if (options.memberDid !== undefined && !/^did:[a-z0-9]+:[^#?\s]+$/.test(options.memberDid)) {
    throw new CliUsageError(`"${options.memberDid}" is not a DID: expected e.g. did:web:school.example`);
  }
  const issuerKey = generateIssuerKey({ type });
  await writeStaged(options.out, 'file', options.force, (output) =>
    output.write(options.out, `${JSON.stringify(exportIssuerKey(issuerKey), null, 2)}\n`, 0o600),
  );
  const keyId = options.memberDid === undefined ? undefined : memberKeyId(options.memberDid, issuerKey);
  const keyAdd = `npx badge-notary key add ${issuerKey.did}${options.memberDid ? ` --member ${options.memberDid}` : ''}`;
  environment.output().result(
    [
      `${type} key written to ${options.out} (mode 600: keep it secret)`,
      `did:key   ${issuerKey.did}`,
      ...(keyId ? [`key id    ${keyId}`] : []),
      `key hash  ${issuerKey.keyHash}`,
      'register it on-chain with your member’s controller account:',
      `  ${keyAdd}`,
    ],
    { file: options.out, type, did: issuerKey.did, keyId, keyHash: issuerKey.keyHash, keyAdd },
  );
}
