/**
 * Which JSON-RPC URL the backpack's pages are given to verify badges straight against the chain when the service is
 * out of reach (docs/backpack.md). An RPC URL often carries a provider's API key in its path or query, so the
 * service's own URL is published only when it is on loopback (the embedded chain, a local node: nothing secret,
 * and only the machine's own browser can reach it); any other must be named on purpose, BADGE_NOTARY_PUBLIC_RPC_URL.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The URL to publish: the configured one, else the service's own when on loopback over http(s), else undefined. */
export function browserRpcUrl(configured: string | undefined, serviceRpcUrl: string): string | undefined {
  if (configured !== undefined) return configured;
  let parsed: URL;
  try {
    parsed = new URL(serviceRpcUrl);
  } catch {
    return undefined;
  }
  const http = parsed.protocol === 'http:' || parsed.protocol === 'https:';
  return http && LOOPBACK_HOSTS.has(parsed.hostname) && parsed.username === '' && parsed.password === '' ? serviceRpcUrl : undefined;
}
