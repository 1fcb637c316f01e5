import { NotaryError, redactUrls, sanitisedMessage, type NotaryErrorOptions } from '../errors';

/** Input the user can fix: a wrong flag, a missing setting, an unreadable file. Exits with status 2. */
export class CliUsageError extends NotaryError {
  override name = 'CliUsageError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('usage', message, options);
  }
}

/** An endpoint the command needs does not answer: the chain's RPC URL or the notary service. */
export class UnreachableError extends NotaryError {
  override name = 'UnreachableError';
  constructor(
    readonly endpoint: 'chain' | 'service',
    url: string,
    cause: unknown,
  ) {
    super(`${endpoint}-unreachable`, `cannot reach the ${endpoint === 'chain' ? 'chain' : 'notary service'} at ${redactUrls(url)}`, {
      details: connectionProblem(cause),
      hint:
        endpoint === 'chain'
          ? 'is the node running? give its JSON-RPC URL with --rpc-url or BADGE_NOTARY_RPC_URL'
          : 'is the service running? give its URL with --url or BADGE_NOTARY_URL',
      cause,
    });
  }
}

/** A failure of the chain that is not a refusal of the registry's, said in a sentence. */
export class ChainFailureError extends NotaryError {
  override name = 'ChainFailureError';
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/** The system's code for a failed connection (ECONNREFUSED, ENOTFOUND, …) anywhere in an error's causes. */
export function connectionFailureCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
    const found = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT)\b/.exec(String((current as Error).message ?? ''));
    if (found) return found[1];
  }
  return undefined;
}

function connectionProblem(cause: unknown): string {
  const code = connectionFailureCode(cause);
  if (code === 'ECONNREFUSED') return 'nothing listens there (connection refused)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its host name does not resolve';
  if (code) return `the connection failed (${code})`;
  return sanitisedMessage((cause as { cause?: unknown })?.cause ?? cause);
}

/**
 * A failed chain call as a sentence: the endpoint that does not answer, an account that cannot pay, or ethers'
 * short message (never its long one, which carries the RPC URL and the raw JSON-RPC error).
 */
export function describeChainFailure(error: unknown, rpcUrl: string): NotaryError {
  if (connectionFailureCode(error)) return new UnreachableError('chain', rpcUrl, error);
  const code = (error as { code?: unknown }).code;
  const text = `${(error as Error)?.message ?? ''}`;
  if (code === 'INSUFFICIENT_FUNDS' || /insufficient funds|n(?:o|')t have enough funds/i.test(text)) {
    return new ChainFailureError('insufficient-funds', 'the signing account has not enough ether to pay for this transaction', {
      hint: 'send ether to the account of --key-file (or BADGE_NOTARY_PRIVATE_KEY) on this chain, or sign with a funded account',
      cause: error,
    });
  }
  if (code === 'TIMEOUT') return new ChainFailureError('chain-timeout', `the chain at ${redactUrls(rpcUrl)} did not answer in time`, { cause: error });
  if (code === 'NONCE_EXPIRED' || /nonce too low/i.test(text)) {
    return new ChainFailureError('nonce-used', 'the signing account sent another transaction with the same nonce meanwhile', { hint: 'run the command again', cause: error });
  }
  return new ChainFailureError('chain-failed', `the chain failed the call: ${sanitisedMessage(error)}`, { cause: error });
}

/** Whether an error came from ethers or the connection under it (rather than from this program). */
export function isChainError(error: unknown): boolean {
  const candidate = error as { shortMessage?: unknown; code?: unknown };
  return (typeof candidate?.shortMessage === 'string' && typeof candidate.code === 'string') || connectionFailureCode(error) !== undefined;
}

export const EXIT_OK = 0;
/** The operation ran and failed: the chain or the service refused, or a check did not pass. */
export const EXIT_FAILED = 1;
/** The input could not be used, or (verify) the verifier could not decide: an endpoint it needs does not answer. */
export const EXIT_USAGE = 2;
