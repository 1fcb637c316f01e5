/**
 * The rules a spreadsheet row of earners follows, wherever it is read: the CLI's `badge issue` (service/cli/earner-rows.ts)
 * and the web console's Issue page, which checks every row in the browser before anything is signed. Plain
 * JavaScript with no imports, so both run this one file. Nothing here throws: a check answers a reason or nothing.
 */

/** A header cell as a column name: "E-mail " -> "e_mail", "Evidence URL" -> "evidence_url". */
export function columnKey(header) {
  return String(header).trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** An e-mail address as the badge builder takes it: something@domain.tld, no spaces. */
export function isEmailAddress(text) {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
}

/** The score written in a cell: a whole number, or undefined ("7.5", "seven", "" are none). */
export function wholeNumber(text) {
  return /^[0-9]+$/.test(text) ? Number(text) : undefined;
}

/** Who a row names, compared without case and surrounding spaces: two rows naming the same earner are duplicates. */
export function earnerIdentity({ email, did }) {
  if (email) return `email:${email.trim().toLowerCase()}`;
  if (did) return `did:${did.trim()}`;
  return undefined;
}

/**
 * The rows that name an earner an earlier row already named: [{ line, firstLine }] (a row's `identity` from
 * earnerIdentity; rows without one are skipped).
 */
export function duplicateEarners(rows) {
  const first = new Map();
  const duplicates = [];
  for (const { line, identity } of rows) {
    if (identity === undefined) continue;
    if (first.has(identity)) duplicates.push({ line, firstLine: first.get(identity) });
    else first.set(identity, line);
  }
  return duplicates;
}
