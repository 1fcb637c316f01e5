/* global crypto, TextEncoder */
/**
 * Co-issuance on the Issue page (docs/console.md "Co-issuance"): a class that requires a co-signature is issued by
 * two members. The validation point signs each badge first (Data Integrity, eddsa-rdfc-2022, with the project's
 * signer bundled for the browser: ld-signer.js) and exports the batch as one JSON file; the issuing point imports it,
 * reviews each badge (its earner, level and score, the validation point's proof checked here), adds its own proof
 * first in the proof set and notarises. The file goes from one member to the other, never through the service. No
 * DOM: `ld` is the signer bundle's module.
 */

/** The batch file's schema name. */
export const BATCH_SCHEMA = 'badge-notary/co-issuance-batch/1';

/** The batch file cannot be reviewed at all: `key` and `values` are the page's words for why. */
export class BatchProblem extends Error {
  constructor(key, values = {}) {
    super(key);
    this.name = 'BatchProblem';
    this.key = key;
    this.values = values;
  }
}

/**
 * The validation point's batch as the file's text: the class, both members, and per earner the spreadsheet's line,
 * the earner as the spreadsheet gave it (for the issuing point's review and list) and the signed credential.
 */
export function batchFileText({ classId, issuer, validationPoint, signedAt, earners, credentials }) {
  const badges = earners.map((earner) => ({
    line: earner.line,
    name: earner.name,
    ...(earner.email ? { email: earner.email } : { identifier: earner.identifier }),
    ...(earner.evidence ? { evidence: earner.evidence } : {}),
    level: earner.level,
    ...(earner.score !== undefined ? { score: earner.score } : {}),
    credential: credentials.get(earner.line),
  }));
  return `${JSON.stringify({ schema: BATCH_SCHEMA, classId, issuer, validationPoint, signedAt, badges }, null, 2)}\n`;
}

/**
 * Reads and reviews a batch file against the class and the issuing point's DID: throws BatchProblem when the file
 * is not such a batch, or is for another class or issuer; otherwise answers { validationPoint, earners, problems },
 * a problem per row that fails ({ line, key, values }), earners only when no row fails. Each earner carries the
 * validation point's signed credential in `coSigned`.
 */
export async function reviewBatch(text, { classId, badgeClass, issuerDid }, ld) {
  let batch;
  try {
    batch = JSON.parse(text);
  } catch {
    throw new BatchProblem('cosign.notJson');
  }
  if (batch?.schema !== BATCH_SCHEMA || !Array.isArray(batch.badges)) throw new BatchProblem('cosign.notBatch', { schema: BATCH_SCHEMA });
  if (batch.classId !== classId) throw new BatchProblem('cosign.otherClass', { found: String(batch.classId), expected: classId });
  if (batch.issuer !== issuerDid) throw new BatchProblem('cosign.otherIssuer', { found: String(batch.issuer), expected: issuerDid });
  if (typeof batch.validationPoint !== 'string' || !/^did:web:[^#?\s]+$/.test(batch.validationPoint)) throw new BatchProblem('cosign.noValidationPoint');
  if (batch.badges.length === 0) throw new BatchProblem('cosign.empty');
  const problems = [];
  const earners = [];
  const lines = new Set();
  for (const [index, badge] of batch.badges.entries()) {
    const line = Number.isInteger(badge?.line) && !lines.has(badge.line) ? badge.line : `#${index + 1}`;
    lines.add(line);
    const found = await reviewBadge(badge, { badgeClass, issuerDid, validationPoint: batch.validationPoint }, ld);
    if (found) problems.push({ line, ...found });
    else earners.push({ line, ...earnerOf(badge), coSigned: badge.credential });
  }
  return { validationPoint: batch.validationPoint, earners: problems.length > 0 ? [] : earners, problems };
}

/** The earner as the validation point's spreadsheet gave it. */
const earnerOf = ({ name, email, identifier, evidence, level, score }) => ({ name, email, identifier, evidence, level, score });

/** The first thing wrong with one badge of the batch, as { key, values }; undefined when it is right. */
async function reviewBadge(badge, { badgeClass, issuerDid, validationPoint }, ld) {
  const credential = badge?.credential;
  if (typeof badge?.name !== 'string' || badge.name === '') return { key: 'cosign.noName' };
  if (typeof credential !== 'object' || credential === null) return { key: 'cosign.noCredential' };
  const checked = await ld.checkProofs(credential);
  if (!checked.verified) return { key: 'cosign.signature', values: { reason: checked.reason } };
  if (checked.signers.length !== 1 || !checked.signers[0].startsWith(`${validationPoint}#`)) {
    return { key: 'cosign.signer', values: { found: checked.signers.join(', '), expected: validationPoint } };
  }
  const issuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
  if (issuer !== issuerDid) return { key: 'cosign.credentialIssuer', values: { found: String(issuer), expected: issuerDid } };
  const claimed = ld.claimedLevel(credential, badgeClass);
  if (claimed.field) return { key: 'cosign.claim', values: { field: claimed.field, reason: claimed.reason } };
  if (claimed.level !== badge.level) return { key: 'cosign.mismatch', values: { what: 'level', row: String(badge.level), credential: claimed.level } };
  if (claimed.score !== badge.score) return { key: 'cosign.mismatch', values: { what: 'score', row: String(badge.score), credential: String(claimed.score) } };
  if (!(await namesEarner(credential, badge))) return { key: 'cosign.earner', values: { earner: String(badge.email ?? badge.identifier) } };
  return undefined;
}

/** Whether the credential's subject is the row's earner: its DID, or its e-mail under the credential's salted hash. */
async function namesEarner(credential, badge) {
  const subject = Array.isArray(credential.credentialSubject) ? credential.credentialSubject[0] : credential.credentialSubject;
  if (typeof badge.identifier === 'string') return subject?.id === badge.identifier;
  const identity = Array.isArray(subject?.identifier) ? subject.identifier.find((one) => one?.identityType === 'emailAddress') : undefined;
  if (typeof badge.email !== 'string' || typeof identity?.salt !== 'string') return false;
  const bytes = new TextEncoder().encode(`${badge.email.trim().toLowerCase()}${identity.salt}`);
  const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return identity.identityHash === `sha256$${hash}`;
}
