/**
 * How deeply a JSON document taken from outside (an HTTP body, a file the CLI verifies) may nest arrays and
 * objects. A credential with its proofs and receipt nests a dozen levels; thousands of levels overflow the
 * stack of the recursive readers further in (JSON-LD expansion, canonicalisation), which must never see them.
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
 * Whether a credential or receipt as given (an object, or JSON text inside a string, which a body's own depth
 * check does not see) nests more than MAX_JSON_DEPTH levels.
 */
export function nestsTooDeep(value: unknown): boolean {
  if (typeof value !== 'string') return nestedDeeperThan(value);
  const text = value.replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return false;
  try {
    return nestedDeeperThan(JSON.parse(text));
  } catch {
    return false;
  }
}
