import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { SignJWT } from 'jose';
import { importIssuerKey, type IssuerKey } from '../credentials/keys';
import { memberKeyId } from '../credentials/key-id';
import { CliUsageError, EXIT_FAILED, EXIT_OK } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { parsePositiveInteger } from './parse-arguments';
import { ServiceClient, serviceUrl, type ServiceOptions } from './service-client';

/** Credentials per intake request; the service's documented maximum is 1,000. */
const INTAKE_CHUNK = 500;

export async function apiKeyFrom(options: ServiceOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const file = options.apiKeyFile ?? env.BADGE_NOTARY_API_KEY_FILE;
  if (file) {
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch (cause) {
      throw new CliUsageError(`cannot read the API key file ${file}: ${(cause as Error).message}`);
    }
  }
  if (env.BADGE_NOTARY_API_KEY) return env.BADGE_NOTARY_API_KEY;
  throw new CliUsageError('this command needs an API key: give --api-key-file FILE or set BADGE_NOTARY_API_KEY');
}

/**
 * A single-use JWT (a fresh jti, 2 minutes) by which a member acts as its own administrator: signed by one of its
 * signing keys registered on-chain, issuer = the member's DID, audience "badge-notary", kid the key's id under a
 * did:web member's DID (as its credentials name it), the did:key otherwise.
 */
export async function memberJwt(key: IssuerKey, memberDid: string, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  const kid = memberDid.startsWith('did:web:') ? memberKeyId(memberDid, key) : key.verificationMethod;
  return new SignJWT({})
    .setProtectedHeader({ alg: key.type === 'Ed25519' ? 'EdDSA' : 'ES256', kid, typ: 'JWT' })
    .setIssuer(memberDid)
    .setAudience('badge-notary')
    .setIssuedAt(iat)
    .setJti(randomUUID())
    .setExpirationTime(iat + 120)
    .sign(key.privateKey);
}

interface IntakeItem {
  digest: string;
  created: boolean;
  state: string;
}

export interface NotariseOptions extends ServiceOptions {
  wait?: boolean;
  timeout: string;
}

/** `notarise`: sends credential files to the service; with --wait, writes each one's receipt beside it. */
export async function notarise(environment: CommandEnvironment, files: string[], options: NotariseOptions, setExitCode: (code: number) => void): Promise<void> {
  const env = environment.env();
  const client = new ServiceClient(serviceUrl(options, env), `Bearer ${await apiKeyFrom(options, env)}`);
  const timeoutMs = parsePositiveInteger(options.timeout, '--timeout') * 1000;
  const credentials = await Promise.all(files.map((file) => readCredentialFile(file)));

  const accepted: IntakeItem[] = [];
  for (let start = 0; start < credentials.length; start += INTAKE_CHUNK) {
    const { body } = await client.request<{ credentials: IntakeItem[] }>('POST', '/v1/credentials', {
      credentials: credentials.slice(start, start + INTAKE_CHUNK),
    }, files.slice(start, start + INTAKE_CHUNK));
    accepted.push(...body.credentials);
  }
  const io = environment.io();
  files.forEach((file, index) => io.out(`${file}: ${accepted[index].digest} ${accepted[index].created ? 'accepted' : 'already notarised'} (${accepted[index].state})`));
  if (!options.wait) return;

  const deadline = Date.now() + timeoutMs;
  const pending = new Set(files.keys());
  while (pending.size > 0) {
    for (const index of [...pending]) {
      const { status, body } = await client.request<unknown>('GET', `/v1/credentials/${accepted[index].digest}/receipt`);
      if (status === 200) {
        await writeFile(`${files[index]}.receipt.json`, `${JSON.stringify(body, null, 2)}\n`);
        io.out(`${files[index]}: anchored; receipt written to ${files[index]}.receipt.json`);
        pending.delete(index);
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      io.err(`error: ${pending.size} credential(s) not anchored after ${options.timeout} s`);
      setExitCode(EXIT_FAILED);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  setExitCode(EXIT_OK);
}

export interface ApiKeyCreateOptions {
  issuerKey: string;
  memberDid: string;
  role: string;
  label: string;
  url?: string;
  out?: string;
}

/** `api-key create`: an API key for the member, asked for with a JWT signed by one of its registered keys. */
export async function createApiKey(environment: CommandEnvironment, options: ApiKeyCreateOptions): Promise<void> {
  if (options.role !== 'editor' && options.role !== 'admin') throw new CliUsageError(`"${options.role}" is not a role: expected editor or admin`);
  let key: IssuerKey;
  try {
    key = importIssuerKey(await readFile(options.issuerKey, 'utf8'));
  } catch (cause) {
    throw new CliUsageError(`cannot use the issuer key ${options.issuerKey}: ${(cause as Error).message}`);
  }
  const client = new ServiceClient(serviceUrl(options, environment.env()), `Bearer ${await memberJwt(key, options.memberDid)}`);
  const { body } = await client.request<{ client: { id: string; role: string }; apiKey: string }>('POST', '/v1/clients', {
    role: options.role,
    label: options.label,
  });
  if (options.out) {
    await writeFile(options.out, `${body.apiKey}\n`, { mode: 0o600 });
    environment.io().out(`API key ${body.client.id} (${body.client.role}) written to ${options.out}`);
  } else {
    environment.output().result([`API key ${body.client.id} (${body.client.role}), shown once:`, body.apiKey], body);
  }
}

async function readCredentialFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (cause) {
    throw new CliUsageError(`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`);
  }
  if (!text.startsWith('{')) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new CliUsageError(`${file} starts like JSON but does not parse`);
  }
}
