import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { RequestStep } from './request-steps';

/**
 * The API's answers are JSON (and the metrics' text), never a document to render: OWASP's REST set. Nothing may
 * load or frame them; the headers that only mean something to an HTML page (DNS prefetch, IE's download
 * options, Flash's cross-domain policies, the XSS auditor, origin-keyed agent clusters) are left to the
 * verifier page, which sets helmet's full set with its own Content-Security-Policy (service/web).
 */
const API_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"], objectSrc: ["'none'"] },
  },
  xFrameOptions: { action: 'deny' as const },
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/**
 * The API's security headers, worked out once at start with helmet and then set on every answer: they depend
 * on nothing in the request, and running helmet's middlewares per request was 6% of a receipt lookup's CPU.
 */
export function securityHeaders(): RequestStep {
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
  helmet(API_HEADERS)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    finished = true;
  });
  // A helmet that one day answered asynchronously, or read the request, would need to run per request again.
  if (!finished || headers.length === 0) throw new Error('helmet did not set its headers synchronously');
  return (_req, res) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of headers) res.setHeader(name, value);
  };
}
