/* global fetch */
/**
 * The service's API, as the page uses it (docs/api.md). Paths are relative, so the page works wherever the
 * service is mounted: from /verify, "v1/verify" is /v1/verify.
 */

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** POST /v1/verify with a credential and its receipt: the verification report. */
export function verifyCredential({ credential, receipt }) {
  const body = receipt === undefined ? { credential } : { credential, receipt };
  return call('v1/verify', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

/** POST /v1/verify with a baked badge image as it is: the report, with `baked` (what the image holds). */
export function verifyImage(file, mediaType) {
  return call('v1/verify', { method: 'POST', headers: { 'Content-Type': mediaType }, body: file });
}

/**
 * The issuing member from the registry mirror (GET /v1/members/{id}) and every member's DID (GET /v1/members),
 * for the endorsements it received. Undefined when the mirror does not know it.
 */
export async function memberWithPeers(id) {
  try {
    const [one, all] = await Promise.all([call(`v1/members/${encodeURIComponent(id)}`), call('v1/members')]);
    const dids = new Map(all.members.map((member) => [member.id, member.did]));
    return { member: one.member, dids };
  } catch {
    return undefined;
  }
}

async function call(path, init = {}) {
  let response;
  try {
    response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers }, credentials: 'same-origin', cache: 'no-store' });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(response.status, 'not-json', `the service answered ${response.status} without JSON`);
  }
  if (!response.ok) {
    const error = body && typeof body === 'object' ? body.error : undefined;
    throw new ApiError(response.status, error?.code ?? 'error', error?.message ?? `the service answered ${response.status}`);
  }
  return body;
}
