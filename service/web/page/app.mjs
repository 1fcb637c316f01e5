/* global document, window, location, history, navigator, URL */
/**
 * The verifier page: takes a badge (a dropped or chosen file, pasted text, a share link), sends it to the
 * service's verification API, and shows the report (render.mjs), in Italian or English (i18n.mjs).
 */
import { ApiError, memberWithPeers, verifyCredential, verifyImage } from './api.mjs';
import { LANGUAGES, initialLanguage, language, setLanguage, t, formatNumber } from './i18n.mjs';
import { InputError, combine, readFile, readText } from './input.mjs';
import { renderResult } from './render.mjs';
import { ShareLinkError, readShare, shareData, shareLink } from './share.mjs';

const $ = (id) => document.getElementById(id);

const state = {
  /** The shown result: { report, source, imageUrl?, member?, share? }. */
  result: undefined,
  /** The shown error, kept so that it can be said again in the other language. */
  error: undefined,
  /** Counts runs: an answer to an older run is dropped. */
  run: 0,
};

function start() {
  setLanguage(initialLanguage());
  showLanguage();
  for (const button of document.querySelectorAll('[data-language]')) {
    button.addEventListener('click', () => switchLanguage(button.dataset.language));
  }
  wireDropZone();
  $('paste-form').addEventListener('submit', (event) => {
    event.preventDefault();
    take(() => [readText($('paste').value)], { key: 'verdict.source.paste' });
  });
  $('link-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const data = shareData($('link').value);
    if (data === undefined) showError(new ShareLinkError('not a share link'));
    else verify({ kind: 'share', data });
  });
  $('result').addEventListener('click', onResultClick);
  window.addEventListener('hashchange', openSharedFromLocation);
  document.body.dataset.ready = 'true';
  openSharedFromLocation();
}

function switchLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  setLanguage(lang, { remember: true });
  showLanguage();
  if (state.result) showResult({ focus: false });
  if (state.error) showError(state.error);
}

function showLanguage() {
  for (const button of document.querySelectorAll('[data-language]')) {
    button.setAttribute('aria-pressed', String(button.dataset.language === language()));
  }
}

function wireDropZone() {
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
    takeFiles(files);
  });
  zone.addEventListener('dragenter', (event) => {
    event.preventDefault();
    zone.classList.add('drop-zone-active');
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    zone.classList.add('drop-zone-active');
  });
  zone.addEventListener('dragleave', (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove('drop-zone-active');
  });
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('drop-zone-active');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) takeFiles(files);
    else {
      const text = event.dataTransfer?.getData('text/plain') ?? '';
      take(() => [readText(text)], { key: 'verdict.source.paste' });
    }
  });
}

function takeFiles(files) {
  const names = files.map((file) => file.name).join(', ');
  take(() => Promise.all(files.map(readFile)), { key: 'verdict.source.file', params: { name: names } });
}

/** Reads the pieces, makes them one request, and verifies it. */
async function take(read, source) {
  try {
    const request = combine(await read());
    await verify(request, source);
  } catch (error) {
    showError(error);
  }
}

function openSharedFromLocation() {
  const data = shareData(location.hash);
  if (data !== undefined) verify({ kind: 'share', data }, { key: 'verdict.source.share' }, { keepHash: true });
}

/** Sends the request to the service and shows the answer. */
async function verify(request, source, { keepHash = false } = {}) {
  const run = ++state.run;
  if (!keepHash && location.hash) history.replaceState(null, '', location.pathname + location.search);
  setBusy(true);
  try {
    let report;
    let share;
    let imageUrl;
    if (request.kind === 'share') {
      share = await readShare(request.data);
      report = await verifyCredential(share);
      source = { key: 'verdict.source.share' };
    } else if (request.kind === 'image') {
      report = await verifyImage(request.file, request.mediaType);
      share = report.baked ? { credential: report.baked.credential, receipt: report.baked.receipt } : undefined;
      imageUrl = URL.createObjectURL(request.file);
      source = { key: 'verdict.source.image', params: { name: request.name ?? '' } };
    } else {
      share = request.receipt === undefined ? { credential: request.credential } : { credential: request.credential, receipt: request.receipt };
      report = await verifyCredential(share);
    }
    // A receipt this service found goes into the share link, so that the link verifies wherever it is opened.
    if (share && share.receipt === undefined && report.receiptSource === 'store' && report.receipt) share = { ...share, receipt: report.receipt };
    const member = report.issuer ? await memberWithPeers(report.issuer.memberId) : undefined;
    if (run !== state.run) {
      if (imageUrl) URL.revokeObjectURL(imageUrl);
      return;
    }
    if (state.result?.imageUrl) URL.revokeObjectURL(state.result.imageUrl);
    state.result = { report, source, imageUrl, member, share };
    state.error = undefined;
    $('error').hidden = true;
    // Whoever opens a share link came to see that badge: the form waits behind "Verify another badge".
    $('input').hidden = request.kind === 'share' && keepHash;
    showResult({ focus: true });
    $('live').textContent = t(report.verified ? 'status.done.ok' : 'status.done.failed');
  } catch (error) {
    if (run === state.run) showError(error);
  } finally {
    if (run === state.run) setBusy(false);
  }
}

function setBusy(busy) {
  $('busy').hidden = !busy;
  document.body.dataset.busy = String(busy);
  if (busy) $('live').textContent = t('status.verifying');
}

function showResult({ focus }) {
  const container = $('result');
  const heading = renderResult(container, state.result);
  container.hidden = false;
  document.body.dataset.verified = String(state.result.report.verified === true);
  if (focus && heading) heading.focus();
}

function showError(error) {
  state.error = error;
  let text;
  if (error instanceof InputError) text = t(error.key, error.params);
  else if (error instanceof ShareLinkError) text = `${t('error.badShare')} (${error.message})`;
  else if (error instanceof ApiError) {
    text = error.status === 0 ? t('error.network', { message: error.message }) : t('error.service', { status: error.status, message: error.message });
  } else text = error instanceof Error ? error.message : String(error);
  $('error-text').textContent = text;
  $('error').hidden = false;
  setBusy(false);
}

async function onResultClick(event) {
  const button = event.target.closest('button');
  if (!button) return;
  if (button.id === 'print-button') window.print();
  else if (button.id === 'share-button') await toggleShare(button);
  else if (button.id === 'copy-button') await copyShare(button);
  else if (button.id === 'again-button') again();
}

async function toggleShare(button) {
  const box = $('share-box');
  const open = box.hidden;
  box.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (!open || !state.result?.share) return;
  const url = await shareLink(state.result.share, document.baseURI);
  $('share-link').value = url;
  $('share-size').textContent = t('share.size', { bytes: formatNumber(url.length) });
  $('share-link').focus();
  $('share-link').select();
}

async function copyShare(button) {
  const field = $('share-link');
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    field.select();
    document.execCommand('copy');
  }
  button.textContent = t('action.copied');
}

function again() {
  if (state.result?.imageUrl) URL.revokeObjectURL(state.result.imageUrl);
  state.result = undefined;
  state.error = undefined;
  $('result').hidden = true;
  $('result').replaceChildren();
  $('error').hidden = true;
  $('input').hidden = false;
  $('paste').value = '';
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  delete document.body.dataset.verified;
  $('input-title').focus();
}

start();
