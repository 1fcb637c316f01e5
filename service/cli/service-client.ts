// The notary service's HTTP API as the command line sees it: its address, its client and its refusals.
import { NotaryError } from '../errors';
import { UnreachableError } from './cli-errors';

export const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8080';

/** One credential the service refused, and why. */
export interface RefusedItem {
  /** The file it came from, when the command read it from one. */
  file?: string;
  index: number;
  /** The field the service names, in the request's terms (`credentials[0].credentialSubject...`). */
  field?: string;
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
    const details = items?.map((item) => `${item.file ?? `credentials[${item.index}]`}: ${item.message}${item.field ? ` (${item.code}, field ${item.field})` : ''}`).join('\n') ?? (typeof error?.details === 'string' ? error.details : undefined);
    super(error?.code ?? `http-${status}`, message, { details, hint: error?.hint, message });
    this.items = items;
  }
}

function refusedItems(value: unknown, files: readonly string[] | undefined): RefusedItem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter((item): item is { index: number; field?: unknown; code?: unknown; message?: unknown } => typeof item?.index === 'number')
    .map((item) => ({
      ...(files?.[item.index] !== undefined ? { file: files[item.index] } : {}),
      index: item.index,
      ...(typeof item.field === 'string' ? { field: item.field } : {}),
      code: String(item.code ?? 'refused'),
      message: String(item.message ?? 'no reason given'),
    }));
}

export interface ServiceOptions {
  url?: string;
  apiKeyFile?: string;
}

/** A small client of the notary's HTTP API, authenticated by an API key or a member-signed JWT. */
export class ServiceClient {
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

export function serviceUrl(options: ServiceOptions, env: NodeJS.ProcessEnv): string {
  return options.url ?? env.BADGE_NOTARY_URL ?? DEFAULT_SERVICE_URL;
}

