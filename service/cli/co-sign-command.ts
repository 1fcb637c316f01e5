// `badge-notary badge co-sign`: a second member (a validation point, a commission member) adds its own Data
// Integrity proof to credentials another member signed (docs/catalogue.md "Co-issuance").
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkClassClaims, classClaimsOf, type BadgeClassDocument, type BadgeClassId } from '../catalogue';
import { CredentialError } from '../credentials/errors';
import { importIssuerKey, type IssuerKey } from '../credentials/keys';
import { memberKeyId } from '../credentials/key-id';
import { addCoSignature } from '../credentials/signer';
import { isJsonObject, type JsonObject } from '../credentials/types';
import { verifyCredential } from '../credentials/verify';
import { readClassArgument } from './class-commands';
import { CliUsageError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { writeStaged } from './staged-output';

export interface CoSignOptions {
  issuerKey: string;
  memberDid: string;
  outDir: string;
  /** The class the credentials cite (a file or a published id): each level is checked against its bands first. */
  class?: string;
  /** The notary service to fetch a class document from, for --class <id>. */
  url?: string;
  force?: boolean;
}

/**
 * Co-signs every file or none: each must be a Data Integrity credential whose proofs verify, that this key has not
 * signed yet, and (with --class) that cites the class with the level its score earns. A co-signer vouches for what
 * it signs, so it never signs a credential it could not check.
 */
export async function coSignBadges(environment: CommandEnvironment, files: string[], options: CoSignOptions): Promise<void> {
  const key = await readCoSignerKey(options.issuerKey);
  let verificationMethod: string;
  try {
    verificationMethod = memberKeyId(options.memberDid, key);
  } catch (error) {
    if (error instanceof CredentialError) throw new CliUsageError(`--member-did ${options.memberDid}: ${error.shortMessage}`);
    throw error;
  }
  const badgeClass = options.class === undefined ? undefined : await readClassArgument(environment, options.class, { url: options.url });
  const names = new Set<string>();
  for (const file of files) {
    if (names.has(basename(file))) throw new CliUsageError(`two files are named ${basename(file)}: they would be written to the same place in ${options.outDir}`);
    names.add(basename(file));
  }

  const now = new Date();
  const coSigned: { name: string; credential: JsonObject }[] = [];
  for (const file of files) {
    const credential = await readDataIntegrityCredential(file);
    await checkBeforeCoSigning(file, credential, now, badgeClass);
    try {
      coSigned.push({ name: basename(file), credential: await addCoSignature({ credential, key, verificationMethod, created: now }) });
    } catch (error) {
      if (error instanceof CredentialError) throw new CliUsageError(`${file}: cannot co-sign: ${error.message}`);
      throw error;
    }
  }
  await writeStaged(options.outDir, 'folder', options.force, async (output) => {
    for (const { name, credential } of coSigned) await output.write(name, `${JSON.stringify(credential, null, 2)}\n`);
  });
  environment.output().result(`${coSigned.length} credential(s) co-signed by ${verificationMethod} and written to ${options.outDir}`, {
    count: coSigned.length,
    verificationMethod,
    outDir: options.outDir,
  });
}

async function readDataIntegrityCredential(file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (cause) {
    throw new CliUsageError(`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
  }
  if (!text.startsWith('{')) {
    throw new CliUsageError(`${file} is not a JSON credential: a VC-JWT carries one signature, so co-issued badges are issued with --format data-integrity`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CliUsageError(`${file} is not JSON: ${(cause as Error).message}`);
  }
  if (!isJsonObject(value)) throw new CliUsageError(`${file} is not a credential: it is JSON but not an object`);
  return value;
}

/** The signatures already there verify, and the level is the class's for the score, or the command stops. */
type ClassToCheck = { document: BadgeClassDocument; classId: BadgeClassId };

async function checkBeforeCoSigning(file: string, credential: JsonObject, now: Date, badgeClass: ClassToCheck | undefined) {
  const verified = await verifyCredential({ credential, now });
  if (!verified.verified) {
    throw new CliUsageError(`${file}: not co-signed, its credential does not verify: ${verified.error?.shortMessage ?? 'unknown reason'}`);
  }
  if (!badgeClass) return;
  const claims = classClaimsOf(credential);
  if (!claims || claims.classId !== badgeClass.classId) {
    throw new CliUsageError(`${file}: not co-signed, it does not cite badge class ${badgeClass.classId} (${claims ? `it cites ${claims.classId}` : 'it cites no network class'})`);
  }
  const checked = checkClassClaims(badgeClass.document, claims);
  if ('problem' in checked) throw new CliUsageError(`${file}: not co-signed, ${checked.problem.field} ${checked.problem.reason}`);
}

async function readCoSignerKey(file: string): Promise<IssuerKey> {
  let key: IssuerKey;
  try {
    key = importIssuerKey(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new CliUsageError(`cannot use the key ${file}: ${(cause as Error).message}`);
  }
  if (key.type !== 'Ed25519') throw new CliUsageError(`${file} holds a ${key.type} key: a co-signature is an eddsa-rdfc-2022 proof, made with an Ed25519 key`);
  return key;
}
