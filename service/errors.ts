/**
 * The one base of the service's errors. Every module's errors derive from `NotaryError`: a stable `code`, a
 * `shortMessage` that names what is wrong, optional `details` (the particulars), an optional `hint` (what to do
 * about it) and the `cause`. The HTTP layer and the command line present one through `presentError`, so that a
 * client sees the same code, message, details and hint whichever way it asked. Pure: imports nothing.
 */

export interface NotaryErrorOptions<Details = string | undefined> {
  details?: Details | undefined;
  /** What the reader can do about it, e.g. "start the node, or pass --rpc-url". */
  hint?: string | undefined;
  cause?: unknown;
  /** The whole message, where a module words it otherwise than "short message: details". */
  message?: string | undefined;
}

/** What a client is shown of an error, by HTTP (`{ "error": … }`) and by the CLI (the lines, or `--json`). */
export interface ErrorPresentation {
  /** Lower-case kebab: clients branch on it. */
  code: string;
  message: string;
  details?: string;
  hint?: string;
}

/**
 * `Details` is the particulars: a sentence for most errors; the HTTP error keeps its structured answer fields
 * (field, headers, …) there.
 */
export class NotaryError<Details extends string | object | undefined = string | undefined> extends Error {
  override name = 'NotaryError';
  /**
   * Stable: callers branch on it. Kebab case; the credential and baking errors keep the UPPER_SNAKE codes their
   * reports have always carried, and `presentError` says those in kebab case too.
   */
  readonly code: string;
  readonly shortMessage: string;
  readonly details: Details;
  readonly hint: string | undefined;

  constructor(code: string, shortMessage: string, options: NotaryErrorOptions<Details> = {}) {
    const { details } = options;
    super(options.message ?? (typeof details === 'string' && details ? `${shortMessage}: ${details}` : shortMessage), {
      cause: options.cause,
    });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = details as Details;
    this.hint = options.hint;
  }
}

/** The error's code in kebab case (`NOT_JSON` -> `not-json`). */
export function kebabCode(code: string): string {
  return code.toLowerCase().replace(/_/g, '-');
}

/** How HTTP and the CLI show an error of this service: code, short message, details and hint. */
export function presentError(error: NotaryError<string | object | undefined>): ErrorPresentation {
  return {
    code: kebabCode(error.code),
    message: error.shortMessage,
    ...(typeof error.details === 'string' && error.details ? { details: error.details } : {}),
    ...(error.hint ? { hint: error.hint } : {}),
  };
}

/** A URL in free text: scheme, then everything up to a space, quote or bracket. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*):\/\/([^\s"'<>()[\]{},]+)/gi;

/**
 * The text with every URL cut to its scheme, host and port: no user, password, path or query, where hosted
 * JSON-RPC providers put their API keys (`https://eth.example/v3/KEY`, `?apikey=KEY`).
 */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (_url, scheme: string, rest: string) => {
    const hostAndPort = rest.replace(/^[^/?#]*@/, '').split(/[/?#]/)[0];
    return `${scheme}://${hostAndPort}`;
  });
}

/**
 * What may be shown of a failure of the chain's provider (or of any other outside party) in a report, an HTTP
 * body or a log line: ethers' short message rather than its message (which carries the request URL and the
 * response body), with every URL cut to its host.
 */
export function sanitisedMessage(error: unknown): string {
  const short = (error as { shortMessage?: unknown } | null)?.shortMessage;
  const text = typeof short === 'string' && short ? short : error instanceof Error ? error.message : String(error);
  return redactUrls(text);
}
