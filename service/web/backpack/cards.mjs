/**
 * A badge as a card (the backpack's list and the share page): its image (only one inline in the credential; else
 * a disc in its level's colour), name, issuer, level, and its verification state. Built with el() (render.mjs):
 * DOM nodes, never HTML from a string.
 */
import { isInlineImage } from '../web/badge.mjs';
import { has, language, t, formatTime } from '../web/i18n.mjs';
import { el } from '../web/render.mjs';

/** The level's name in the current language (Gold -> Oro), or as written. */
export function levelName(name) {
  return has(`levelName.${name}`) ? t(`levelName.${name}`) : name;
}

/**
 * A card: `summary` as summaryOf made it, `state` { status: verified | revoked | failed | pending | unchecked,
 * checkedAt?, failed?: [step names] }, `controls`: nodes appended at the card's foot (the backpack's checkbox),
 * `heading`: the name's heading element, one below the collection's.
 */
export function badgeCard(summary, state, controls = [], heading = 'h4') {
  const level = summary.level ? String(summary.level) : undefined;
  const image =
    summary.image && isInlineImage(summary.image)
      ? el('img', { class: 'bp-card-image', src: summary.image, alt: '', width: 72, height: 72 })
      : el('span', { class: `bp-card-disc level-${(level ?? 'none').toLowerCase()}`, 'aria-hidden': 'true' }, level ? levelName(level).slice(0, 1) : '★');
  return el(
    'article',
    { class: 'bp-card', 'data-status': state.status },
    el(
      'div',
      { class: 'bp-card-head' },
      image,
      el(
        'div',
        { class: 'bp-card-title' },
        el(heading, { class: 'bp-card-name' }, summary.name || '—'),
        summary.issuer ? el('p', { class: 'bp-card-issuer' }, t('badge.issuer', { issuer: summary.issuer })) : null,
        level ? el('p', { class: 'bp-card-level' }, t('badge.level', { level: levelName(level) })) : null,
        summary.coIssuers?.length > 1 ? coIssuersLine(summary.coIssuers) : null,
      ),
    ),
    statusLine(state),
    ...controls,
  );
}

/** "Co-issued by did:web:a (issuing point) and did:web:b (validation point)", in the page's language. */
function coIssuersLine(signers) {
  const names = signers.map((signer) => (has(`role.${signer.role}`) ? `${signer.did} (${t(`role.${signer.role}`)})` : signer.did));
  const list = new Intl.ListFormat(language(), { style: 'long', type: 'conjunction' }).format(names);
  return el(
    'p',
    { class: 'bp-card-coissuers' },
    t('badge.coIssued', { signers: list }),
  );
}

/** Which path verified the badge: the service, or this browser straight against the chain. */
function viaLine(state) {
  if (state.via !== 'service' && state.via !== 'chain') return null;
  return el('span', { class: 'bp-status-via', 'data-via': state.via }, ` · ${t(`badge.via.${state.via}`)}`);
}

function statusLine(state) {
  const mark = { verified: '✓', revoked: '✗', failed: '✗', pending: '…', unchecked: '?' }[state.status] ?? '?';
  return el(
    'p',
    { class: `bp-status bp-status-${state.status}`, role: 'status' },
    el('span', { class: 'bp-status-mark', 'aria-hidden': 'true' }, mark),
    el('span', { class: 'bp-status-text' }, t(`badge.status.${state.status}`)),
    state.checkedAt ? el('span', { class: 'bp-status-time' }, ` · ${t('badge.status.checkedAt', { time: formatTime(state.checkedAt) })}`) : null,
    viaLine(state),
    state.status === 'failed' && state.failed?.length
      ? el('span', { class: 'bp-status-steps' }, ` · ${t('badge.failedSteps', { steps: state.failed.map((step) => t(`step.${step}`)).join(', ') })}`)
      : null,
  );
}

/** The state a verification report gives a card (verification.mjs adds `via`, the path that verified it). */
export function cardState(status, report) {
  return {
    status,
    checkedAt: report?.checkedAt,
    failed: (report?.steps ?? []).filter((step) => step.status === 'failed').map((step) => step.name),
  };
}
