/* global document, window, navigator, URL */
/**
 * The backpack page: the earner adds badge files (each verified by POST /v1/verify, which stores nothing, or, when
 * the service cannot be reached, in this browser against the chain: verification.mjs), keeps them in this browser
 * (store.mjs), sees them by collection, each verified again live when the page opens, names collections, chooses
 * which to show, and makes a share link whose fragment carries the shown ones (shared.mjs opens it).
 */
import { ApiError, verifyImage } from '../web/api.mjs';
import { LANGUAGES, initialLanguage, language, setLanguage, t, formatNumber } from '../web/i18n.mjs';
import { InputError, readFile, readText } from '../web/input.mjs';
import { el } from '../web/render.mjs';
import { packJson } from '../web/share.mjs';
import { badgeCard } from './cards.mjs';
import { BundleError, bundleOf, collectionOf, groupBadges } from './collections.mjs';
import './messages.mjs';
import { keepOffline, unreachable } from './offline.mjs';
import { addBadge, loadBackpack, nameCollection, removeBadge, saveBackpack, setShown } from './store.mjs';
import { outcomeOf, verifyBadges } from './verification.mjs';

const $ = (id) => document.getElementById(id);
let backpack = loadBackpack();
/** The last import's outcome, kept to be said again in the other language: { added, failures: [{name, error}] }. */
let lastImport;

function start() {
  applyLanguage(initialLanguage(), false);
  for (const button of document.querySelectorAll('[data-language]')) button.addEventListener('click', () => applyLanguage(button.dataset.language, true));
  wireImport();
  $('share-button').addEventListener('click', makeShareLink);
  $('copy-button').addEventListener('click', copyLink);
  $('print-button').addEventListener('click', () => window.print());
  showBackpack();
  keepOffline();
  document.body.dataset.ready = 'true';
  checkAgain();
}

/**
 * Verifies every kept badge again, live, and shows what each is now. A badge neither the service nor the chain
 * could check keeps its last state, with the time it was checked.
 */
async function checkAgain() {
  if (backpack.badges.length === 0) return;
  document.body.dataset.busy = 'true';
  const outcomes = await verifyBadges(backpack.badges);
  const now = new Map(backpack.badges.map((badge, index) => [badge.id, outcomes[index]]));
  backpack = {
    ...backpack,
    badges: backpack.badges.map((badge) => {
      const outcome = now.get(badge.id);
      return outcome?.report ? { ...badge, summary: outcome.summary, state: outcome.state } : badge;
    }),
  };
  saveBackpack(backpack);
  $('chain-banner').hidden = !outcomes.some((outcome) => outcome.state.via === 'chain');
  showBackpack();
  document.body.dataset.busy = 'false';
}

function applyLanguage(lang, remember) {
  if (!LANGUAGES.includes(lang)) return;
  setLanguage(lang, { remember });
  document.title = t('backpack.title');
  for (const button of document.querySelectorAll('[data-language]')) button.setAttribute('aria-pressed', String(button.dataset.language === language()));
  showBackpack();
  showImport();
}

function wireImport() {
  const zone = $('drop-zone');
  const input = $('file-input');
  zone.addEventListener('click', () => input.click());
  zone.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      input.click();
    }
  });
  input.addEventListener('change', () => {
    const files = [...input.files];
    input.value = '';
    importAll(files.map((file) => ({ name: file.name, read: () => readFile(file) })));
  });
  zone.addEventListener('dragover', (event) => event.preventDefault());
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    const files = [...(event.dataTransfer?.files ?? [])];
    importAll(files.map((file) => ({ name: file.name, read: () => readFile(file) })));
  });
  $('paste-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('paste').value;
    importAll([{ name: t('verdict.source.paste'), read: async () => readText(text) }]);
    $('paste').value = '';
  });
}

/** Verifies each piece and adds the badges; one that cannot be read or verified is reported, not added. */
async function importAll(pieces) {
  if (pieces.length === 0) return;
  document.body.dataset.busy = 'true';
  $('import-status').textContent = t('backpack.importing', { count: pieces.length });
  const failures = [];
  let added = 0;
  for (const piece of pieces) {
    try {
      backpack = addBadge(backpack, await importOne(await piece.read()));
      added += 1;
    } catch (error) {
      failures.push({ name: piece.name, error });
    }
  }
  saveBackpack(backpack);
  lastImport = { added, failures };
  showImport();
  showBackpack();
  document.body.dataset.busy = 'false';
}

async function importOne(item) {
  let outcome;
  let share;
  if (item.type === 'image') {
    // A baked image is read by the service (its PNG or SVG chunks): without the service it cannot be imported.
    const report = await verifyImage(item.file, item.mediaType);
    if (!report.baked) throw new InputError('error.badFile', { name: item.name ?? '' });
    share = { credential: report.baked.credential, receipt: report.baked.receipt };
    outcome = outcomeOf(report, 'service');
  } else if (item.type === 'credential' || item.type === 'pair') {
    share = item.type === 'pair' ? { credential: item.credential, receipt: item.receipt } : { credential: item.value };
    if (share.receipt === undefined) delete share.receipt;
    [outcome] = await verifyBadges([share]);
    if (!outcome.report) throw outcome.error;
  } else if (item.type === 'receipt') {
    throw new InputError('error.onlyReceipt');
  } else {
    throw new InputError('error.unknownText');
  }
  const { report } = outcome;
  // A receipt the service found in its store goes with the badge, so that the share link verifies anywhere.
  if (share.receipt === undefined && report.receiptSource === 'store' && report.receipt) share = { ...share, receipt: report.receipt };
  const credentialDocument = report.credential?.document;
  return {
    id: report.credential?.digest ?? JSON.stringify(share.credential).slice(0, 64),
    credential: share.credential,
    ...(share.receipt === undefined ? {} : { receipt: share.receipt }),
    collection: collectionOf(credentialDocument, report.credential?.format),
    summary: outcome.summary,
    state: outcome.state,
  };
}

function showImport() {
  const box = $('import-result');
  box.replaceChildren();
  if (!lastImport) return;
  $('import-status').textContent = t('backpack.imported', { count: lastImport.added });
  for (const failure of lastImport.failures) box.append(el('li', {}, t('backpack.importFailed', { name: failure.name, reason: reason(failure.error) })));
  box.hidden = lastImport.failures.length === 0;
  $('offline-banner').hidden = !lastImport.failures.some((failure) => unreachable(failure.error));
}

function reason(error) {
  if (error instanceof InputError) return t(error.key, error.params);
  if (error instanceof ApiError) return error.status === 0 ? t('error.network', { message: error.message }) : t('error.service', { status: error.status, message: error.message });
  return error instanceof Error ? error.message : String(error);
}

/** The list: one section per collection, with its name to edit, and each badge's card with its controls. */
function showBackpack() {
  const list = $('collections');
  const groups = groupBadges(backpack.badges, backpack.names);
  $('empty').hidden = groups.length > 0;
  $('share-panel').hidden = groups.length === 0;
  list.replaceChildren(...groups.map((group, index) => collectionSection(group, index)));
}

function collectionSection(group, index) {
  const nameId = `collection-name-${index}`;
  const field = el('input', { id: nameId, class: 'bp-collection-field', type: 'text', value: group.name, 'data-key': group.key, autocomplete: 'off' });
  const rename = () => {
    if (field.value.trim() === group.name) return;
    backpack = nameCollection(backpack, group.key, field.value);
    saveBackpack(backpack);
    showBackpack();
    $(nameId)?.focus();
  };
  const form = el('form', { class: 'bp-collection-rename no-print', novalidate: true }, el('label', { for: nameId }, t('backpack.collection.name')), field);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    rename();
  });
  field.addEventListener('change', rename);
  return el(
    'section',
    { class: 'bp-collection', 'aria-labelledby': `collection-title-${index}` },
    el('h3', { id: `collection-title-${index}`, class: 'bp-collection-title' }, group.name, el('span', { class: 'bp-collection-count' }, ` · ${t('backpack.collection.count', { count: group.badges.length })}`)),
    form,
    el('div', { class: 'bp-cards' }, ...group.badges.map((badge) => badgeCard(badge.summary, badge.state, [controls(badge)]))),
  );
}

function controls(badge) {
  const id = `show-${badge.id.replace(/[^A-Za-z0-9_-]/g, '')}`;
  const box = el('input', { id, type: 'checkbox', class: 'bp-show', checked: badge.shown, 'data-id': badge.id });
  box.addEventListener('change', () => {
    backpack = setShown(backpack, badge.id, box.checked);
    saveBackpack(backpack);
  });
  const remove = el('button', { type: 'button', class: 'button button-quiet bp-remove', 'aria-label': t('backpack.removeLabel', { name: badge.summary.name }) }, t('backpack.remove'));
  remove.addEventListener('click', () => {
    backpack = removeBadge(backpack, badge.id);
    saveBackpack(backpack);
    showBackpack();
  });
  return el('div', { class: 'bp-card-controls no-print' }, el('span', { class: 'bp-show-field' }, box, el('label', { for: id }, t('backpack.show'))), remove);
}

async function makeShareLink() {
  let bundle;
  try {
    bundle = bundleOf(backpack.badges, backpack.names);
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    $('share-size').textContent = t('backpack.share.none');
    $('share-box').hidden = true;
    return;
  }
  const url = new URL('backpack-share', document.baseURI);
  url.hash = `show=${await packJson(bundle)}`;
  const count = bundle.g.reduce((sum, group) => sum + group.b.length, 0);
  $('share-link').value = url.href;
  $('share-open').href = url.href;
  $('share-size').textContent = t('backpack.share.size', { count, chars: formatNumber(url.href.length) });
  $('share-box').hidden = false;
  $('share-link').select();
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText($('share-link').value);
    $('copy-button').textContent = t('action.copied');
  } catch {
    $('share-link').select();
  }
}

start();
