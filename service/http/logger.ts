import pino, { type DestinationStream, type Logger } from 'pino';
import { redactUrls, sanitisedMessage } from '../errors';

/**
 * How a logged error is written: pino's standard form, but with a sanitised message and stack and without the
 * fields where ethers keeps the request URL and the response body (a hosted provider's URL carries its key), and
 * with every URL in its other text fields cut to its host.
 */
export function sanitisedErrorLog(error: Error): Record<string, unknown> {
  const { info: _info, request: _request, response: _response, payload: _payload, ...plain } = pino.stdSerializers.err(error) as Record<string, unknown>;
  const message = sanitisedMessage(error);
  const stack = typeof plain.stack === 'string' ? redactUrls(plain.stack.replace(error.message, message)) : undefined;
  // Any other text of the error (ethers' shortMessage, a code's detail) may quote the URL too.
  const redacted = Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, typeof value === 'string' ? redactUrls(value) : value]));
  return { ...redacted, message, stack };
}

/** The service's JSON logger (to stdout unless told otherwise): every `err` it writes goes through sanitisedErrorLog. */
export function serviceLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: 'badge-notary' }, serializers: { err: sanitisedErrorLog } }, destination);
}
