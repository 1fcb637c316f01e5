/**
 * How deeply a JSON document taken from outside (an HTTP body, a JWS payload, a baked image's credential, a
 * file the CLI verifies) may nest arrays and objects. A credential with its proofs and receipt nests a dozen
 * levels; thousands of levels overflow the stack of the recursive readers further in (JSON-LD expansion,
 * canonicalisation, JSON.stringify), which must never see them.
 */
export const MAX_JSON_DEPTH = 100;

/** Whether arrays and objects nest more than `limit` levels in `value`; walked without recursion. */
export function nestedDeeperThan(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Whether a credential or receipt as given nests more than MAX_JSON_DEPTH levels: an object; JSON text inside
 * a string; or a compact JWS, whose payload is JSON too. Neither kind of text is seen by a body's own depth
 * check, and both are decoded further in (verification, intake, a baked image's credential) by readers that recurse.
 */
export function nestsTooDeep(value: unknown): boolean {
  if (typeof value !== 'string') return nestedDeeperThan(value);
  const text = value.replace(/^\uFEFF/, '').trim();
  const json = COMPACT_JWS.test(text) ? Buffer.from(text.split('.')[1], 'base64url').toString('utf8') : text;
  if (!json.trimStart().startsWith('{') && !json.trimStart().startsWith('[')) return false;
  try {
    return nestedDeeperThan(JSON.parse(json));
  } catch {
    // Not JSON: the readers further in say so.
    return false;
  }
}

/** A compact JWS: three base64url parts, the signature possibly empty (as credentials/jws.ts reads one). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
