import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SignJWT } from 'jose';
import { importIssuerKey, type IssuerKey } from '../credentials/keys';
import { NotaryError } from '../errors';
import { CliUsageError, EXIT_FAILED, EXIT_OK, UnreachableError } from './cli-errors';
import type { CommandEnvironment } from './command-environment';
import { parsePositiveInteger } from './parse-arguments';

export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8080';
/** Credentials per intake request; the service's documented maximum is 1,000. */
const INTAKE_CHUNK = 500;

/** One credential the service refused, and why. */
export interface RefusedItem {
  /** The file it came from, when the command read it from one. */
  file?: string;
  index: number;
  code: string;
  message: string;
}

/** A 4xx or 5xx answer of the service, with its JSON error. */
export class ServiceRefusedError extends NotaryError {
  override name = 'ServiceRefusedError';
  /** Each credential the service refused and its reason, when it answered per item (intake). */
  readonly items: RefusedItem[] | undefined;

  /** `files`: the file of each credential sent, by its index in the request, to name refused items by. */
  constructor(
    readonly status: number,
    readonly body: { error?: { code?: string; message?: string; field?: string; details?: unknown; hint?: string; items?: unknown } },
    files?: readonly string[],
  ) {
    const error = body.error;
    const message = `${status}${error?.code ? ` ${error.code}` : ''}: ${error?.message ?? 'no reason given'}${error?.field ? ` (field ${error.field})` : ''}`;
    const items = refusedItems(error?.items, files);
    const details = items?.map((item) => `${item.file ?? `credentials[${item.index}]`}: ${item.message}`).join('\n') ?? (typeof error?.details === 'string' ? error.details : undefined);
    super(error?.code ?? `http-${status}`, message, { details, hint: error?.hint, message });
    this.items = items;
  }
}

function refusedItems(value: unknown, files: readonly string[] | undefined): RefusedItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter((item): item is { index: number; code?: unknown; message?: unknown } => typeof item?.index === 'number')
    .map((item) => ({
      ...(files?.[item.index] !== undefined ? { file: files[item.index] } : {}),
      index: item.index,
      code: String(item.code ?? 'refused'),
      message: String(item.message ?? 'no reason given'),
    }));
}

interface ServiceOptions {
  url?: string;
  apiKeyFile?: string;
}

/** A small client of the notary's HTTP API, authenticated by an API key or a member-signed JWT. */
class ServiceClient {
  constructor(
    readonly url: string,
    private readonly authorization?: string,
  ) {}

  /** `files`: the file of each credential in the body, by index, to name the items the service refuses. */
  async request<T>(method: string, path: string, body?: unknown, files?: readonly string[]): Promise<{ status: number; body: T }> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.url), {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      throw new UnreachableError('service', this.url, cause);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new NotaryError('service-not-json', `the service at ${this.url} answered ${response.status} with something that is not JSON`, {
        hint: 'is --url (or BADGE_NOTARY_URL) the notary service, and not another server?',
      });
    }
    if (response.status >= 400) throw new ServiceRefusedError(response.status, json as never, files);
    return { status: response.status, body: json as T };
  }
}

function serviceUrl(options: ServiceOptions, env: NodeJS.ProcessEnv): string {
  return options.url ?? env.BADGE_NOTARY_URL ?? DEFAULT_SERVICE_URL;
}

async function apiKeyFrom(options: ServiceOptions, env: NodeJS.ProcessEnv): Promise<string> {
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
 * signing keys registered on-chain, issuer = the member's DID, audience "badge-notary".
 */
export async function memberJwt(key: IssuerKey, memberDid: string, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.type === 'Ed25519' ? 'EdDSA' : 'ES256', kid: key.verificationMethod, typ: 'JWT' })
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

export function registerServiceCommands(program: Command, environment: CommandEnvironment, setExitCode: (code: number) => void): void {
  program
    .command('notarise <files...>')
    .description('send signed credentials (JWT or JSON files) to a notary service; with --wait, save each receipt beside its file')
    .option('--url <url>', `the notary service (env BADGE_NOTARY_URL; default ${DEFAULT_SERVICE_URL})`)
    .option('--api-key-file <file>', 'file holding an API key of your member (env BADGE_NOTARY_API_KEY_FILE, or BADGE_NOTARY_API_KEY)')
    .option('--wait', 'wait until every credential is anchored, and write FILE.receipt.json')
    .option('--timeout <seconds>', 'how long --wait waits', '300')
    .action(async (files: string[], options: ServiceOptions & { wait?: boolean; timeout: string }) => {
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
    });

  const apiKey = program.command('api-key').description('manage your member’s API keys on a notary service');
  apiKey
    .command('create')
    .description('create an API key, authenticating with one of your member’s signing keys registered on-chain')
    .requiredOption('--issuer-key <file>', 'a signing key of your member (JSON, as generated by generateIssuerKey/exportIssuerKey)')
    .requiredOption('--member-did <did>', 'your member’s DID')
    .option('--role <role>', 'editor (submits and revokes) or admin (also manages keys)', 'editor')
    .option('--label <label>', 'what the key is for', 'badge-notary CLI')
    .option('--url <url>', `the notary service (env BADGE_NOTARY_URL; default ${DEFAULT_SERVICE_URL})`)
    .option('--out <file>', 'write the API key to this file (mode 600) instead of printing it')
    .action(async (options: { issuerKey: string; memberDid: string; role: string; label: string; url?: string; out?: string }) => {
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
    });
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
