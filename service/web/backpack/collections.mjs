/**
 * How the backpack sorts badges: into collections (a pathway: the levels of one competence, the badges of one
 * achievement), what each badge's verification came to, and what a share link carries. Pure functions: no DOM,
 * no storage, so they can be tried on their own.
 */
import { describeBadge } from '../web/badge.mjs';

/** The most badges one share link carries (a link of more is refused, not cut). */
export const MAX_SHARED_BADGES = 50;
export const BUNDLE_VERSION = 1;

export class BundleError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BundleError';
  }
}

/**
 * The collection a badge falls into by default: its competence (achievement.specialization: the three levels of
 * one competence are one path), else its achievement's id, else its name. `key` groups, `name` is shown.
 */
export function collectionOf(document, format) {
  const view = describeBadge(document, format);
  const subject = Array.isArray(document?.credentialSubject) ? document.credentialSubject[0] : document?.credentialSubject;
  const achievementId = typeof subject?.achievement?.id === 'string' ? subject.achievement.id : undefined;
  const name = view?.competence ?? view?.name ?? '';
  const key = view?.competence ? `competence:${view.competence}` : achievementId ? `achievement:${achievementId}` : `name:${name}`;
  return { key, name };
}

/** What a verification report says of a badge: 'verified', 'revoked' (the revocation step failed), or 'failed'. */
export function statusOf(report) {
  if (report?.verified === true) return 'verified';
  const revocation = report?.steps?.find((step) => step.name === 'revocation');
  return revocation?.status === 'failed' || report?.revocation ? 'revoked' : 'failed';
}

/** The badge as a card shows it, kept beside the credential so that the backpack lists it without the service. */
export function summaryOf(report) {
  const view = describeBadge(report?.credential?.document, report?.credential?.format) ?? {};
  return {
    name: view.name ?? '',
    issuer: view.issuer?.name ?? view.issuer?.id ?? '',
    level: view.level?.name,
    competence: view.competence,
    issued: view.dates?.issued,
    image: view.image,
    // A co-issued badge (docs/credentials.md, "Co-issuance"): every signer as the chain saw it, the issuer first.
    ...(report?.coIssuance ? { coIssuers: report.coIssuance.signers.map((signer) => ({ did: signer.memberDid, role: signer.role })) } : {}),
  };
}

/**
 * The badges in their collections: [{ key, name, badges }], in the order each collection's first badge was added;
 * a collection's name is the one the earner gave it, else its default.
 */
export function groupBadges(badges, names = {}) {
  const groups = new Map();
  for (const badge of badges) {
    const key = badge.collection.key;
    if (!groups.has(key)) groups.set(key, { key, name: names[key] || badge.collection.name, badges: [] });
    groups.get(key).badges.push(badge);
  }
  return [...groups.values()];
}

/** What a share link carries: the shown badges, by collection: {v, g: [{n: name, b: [{c: credential, r?: receipt}]}]}. */
export function bundleOf(badges, names = {}) {
  const shown = badges.filter((badge) => badge.shown);
  if (shown.length === 0) throw new BundleError('no badge is chosen');
  if (shown.length > MAX_SHARED_BADGES) throw new BundleError(`more than ${MAX_SHARED_BADGES} badges`);
  const g = groupBadges(shown, names).map((group) => ({
    n: group.name,
    b: group.badges.map((badge) => (badge.receipt === undefined ? { c: badge.credential } : { c: badge.credential, r: badge.receipt })),
  }));
  return { v: BUNDLE_VERSION, g };
}

/** A share link's bundle checked and read back: [{ name, badges: [{ credential, receipt? }] }]. Throws BundleError. */
export function readBundle(value) {
  if (typeof value !== 'object' || value === null || value.v !== BUNDLE_VERSION || !Array.isArray(value.g)) {
    throw new BundleError('the link does not hold a backpack');
  }
  let count = 0;
  const groups = value.g.map((group) => {
    if (typeof group !== 'object' || group === null || typeof group.n !== 'string' || !Array.isArray(group.b)) {
      throw new BundleError('a collection in the link is malformed');
    }
    const badges = group.b.map((item) => {
      if (typeof item !== 'object' || item === null || (typeof item.c !== 'string' && (typeof item.c !== 'object' || item.c === null))) {
        throw new BundleError('a badge in the link is malformed');
      }
      return item.r === undefined ? { credential: item.c } : { credential: item.c, receipt: item.r };
    });
    count += badges.length;
    return { name: group.n, badges };
  });
  if (count === 0) throw new BundleError('the link holds no badge');
  if (count > MAX_SHARED_BADGES) throw new BundleError(`the link holds more than ${MAX_SHARED_BADGES} badges`);
  return groups;
}
