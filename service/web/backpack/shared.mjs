/* global document, window, location, performance */
/**
 * The share page (/backpack-share#show=<data>): reads the badges the link's fragment carries (never sent to a
 * server), verifies each live (verification.mjs: through POST /v1/verify, or, when the service cannot be reached,
 * in this browser straight against the chain), and shows them by collection with their state and the path that
 * verified it. The page opens without the service once visited (offline.mjs); when neither the service nor the
 * chain answers, it says that nothing could be checked.
 */
import { LANGUAGES, initialLanguage, language, setLanguage, t } from '../web/i18n.mjs';
import { el } from '../web/render.mjs';
import { ShareLinkError, unpackJson } from '../web/share.mjs';
import { badgeCard } from './cards.mjs';
import { BundleError, readBundle } from './collections.mjs';
import './messages.mjs';
import { keepOffline } from './offline.mjs';
import { verifyBadges } from './verification.mjs';

const $ = (id) => document.getElementById(id);
/** [{ name, badges: [{ credential, receipt?, summary?, state }] }], kept to be drawn again in the other language. */
let groups = [];
let failure;
let run = 0;

function start() {
  applyLanguage(initialLanguage(), false);
  for (const button of document.querySelectorAll('[data-language]')) button.addEventListener('click', () => applyLanguage(button.dataset.language, true));
  $('print-button').addEventListener('click', () => window.print());
  window.addEventListener('hashchange', open);
  keepOffline();
  document.body.dataset.ready = 'true';
  open();
}

function applyLanguage(lang, remember) {
  if (!LANGUAGES.includes(lang)) return;
  setLanguage(lang, { remember });
  document.title = t('shared.title');
  for (const button of document.querySelectorAll('[data-language]')) button.setAttribute('aria-pressed', String(button.dataset.language === language()));
  show();
}

/** Reads the link's badges, then verifies them all at once. */
async function open() {
  const current = ++run;
  const match = /^#show=([A-Za-z0-9_-]+)$/.exec(location.hash);
  groups = [];
  failure = match ? undefined : 'shared.none';
  if (match) {
    try {
      groups = readBundle(await unpackJson(match[1])).map((group) => ({ ...group, badges: group.badges.map((badge) => ({ ...badge, state: { status: 'pending' } })) }));
    } catch (error) {
      if (!(error instanceof ShareLinkError || error instanceof BundleError)) throw error;
      failure = 'shared.error';
    }
  }
  document.body.dataset.busy = 'true';
  show();
  const badges = groups.flatMap((group) => group.badges);
  const started = performance.now();
  const outcomes = await verifyBadges(badges);
  if (current !== run) return;
  badges.forEach((badge, index) => {
    if (outcomes[index].summary) badge.summary = outcomes[index].summary;
    badge.state = outcomes[index].state;
  });
  // How long verifying took, for the tests' measurement (docs/backpack.md quotes it).
  document.body.dataset.verifyMs = String(Math.round(performance.now() - started));
  document.body.dataset.busy = 'false';
  show();
}

function show() {
  $('shared-error').hidden = failure === undefined;
  $('shared-error-text').textContent = failure ? t(failure) : '';
  const all = groups.flatMap((group) => group.badges);
  const count = (status) => all.filter((badge) => badge.state.status === status).length;
  $('offline-banner').hidden = count('unchecked') === 0;
  $('chain-banner').hidden = !all.some((badge) => badge.state.via === 'chain');
  $('summary').textContent = all.length && count('pending') === 0
    ? t('shared.summary', { count: all.length, verified: count('verified'), revoked: count('revoked'), failed: count('failed') + count('unchecked') })
    : '';
  $('collections').replaceChildren(
    ...groups.map((group, index) =>
      el(
        'section',
        { class: 'bp-collection', 'aria-labelledby': `collection-title-${index}` },
        el('h2', { id: `collection-title-${index}`, class: 'bp-collection-title' }, group.name || '—'),
        el('div', { class: 'bp-cards' }, ...group.badges.map((badge) => badgeCard(badge.summary ?? { name: '' }, badge.state, [], 'h3'))),
      ),
    ),
  );
}

start();
