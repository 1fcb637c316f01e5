import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's default security headers, worked out once at start and then set on every answer: its defaults
 * depend on nothing in the request, and running its dozen middlewares per request was 6% of a receipt
 * lookup's CPU. The verifier page replaces the Content-Security-Policy with its own (service/web).
 */
export function securityHeaders(): RequestHandler {
  const headers: [string, string | string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.push([name, typeof value === 'number' ? String(value) : (value as string | string[])]);
      return recorder;
    },
    removeHeader(name: string) {
      removed.push(name);
    },
  };
  let finished = false;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    finished = true;
  });
  // A helmet that one day answered asynchronously, or read the request, would need to run per request again.
  if (!finished || headers.length === 0) throw new Error('helmet did not set its headers synchronously');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
