/* global document, window, fetch, location, URL, setTimeout, Blob */
/**
 * The Issue page (docs/console.md "Issue"): a badge class (the catalogue, or a class document file), the member's
 * key file, the earners' spreadsheet checked row by row, then each badge built (issue-credential.mjs), signed as a
 * VC-JWT in this browser (issue-sign.mjs), sent to the notary with the API key, watched until its batch is anchored,
 * baked into a badge image, and all of it downloadable as one ZIP with a share link per earner. The spreadsheet and
 * the key file are read here and never sent: the service receives signed credentials only. A class that requires a
 * co-signature is issued by two consoles (issue-cosign.mjs): the validation point signs with Data Integrity and
 * exports the batch; the issuing point imports it, reviews it, adds its proof and goes on as above.
 */
import { addMessages, initialLanguage, language, setLanguage, t } from '../web/i18n.mjs';
import { el } from '../web/render.mjs';
import { packJson } from '../web/share.mjs';
import { isEmailAddress } from './earner-rules.mjs';
import { ClassProblem, fetchClassDocument, readClassFile, searchClasses } from './issue-class.mjs';
import { BatchProblem, batchFileText, reviewBatch } from './issue-cosign.mjs';
import { badgeInputFor, bothLanguages, buildCredential } from './issue-credential.mjs';
import { checkEarners, readCsv, readXlsx } from './issue-rows.mjs';
import { KeyFileProblem, memberKeyId, readKeyFile, signVcJwt } from './issue-sign.mjs';
import { ISSUE_MESSAGES } from './issue-words.mjs';
import { zipBlob } from './issue-zip.mjs';

const $ = (id) => document.getElementById(id);
/** How many credentials one request carries (the notary takes up to its bulk maximum, 1,000 by default). */
const SUBMIT_CHUNK = 250;
const POLL_INTERVAL_MS = 1000;

const state = {
  badgeClass: undefined,
  key: undefined,
  /** For a co-issued class: the member's part ('validation' or 'issuing'), its Data Integrity key, the batch's signer. */
  role: undefined,
  ldKey: undefined,
  validationPoint: undefined,
  table: undefined,
  earners: [],
  /** Per earner, once issuing starts: { signed (a VC-JWT, or a co-issued JSON credential), digest, receipt, state, shareLink, png }. */
  issued: new Map(),
  running: false,
  /** What the status lines say, kept to say it again in the other language: id -> { text: () => string, kind }. */
  lines: new Map(),
  problems: new Map(),
};

addMessages(ISSUE_MESSAGES);
setLanguage(initialLanguage());
for (const button of document.querySelectorAll('[data-language]')) button.addEventListener('click', () => switchLanguage(button.dataset.language));
markLanguage();
$('class-search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  search();
});
$('class-file').addEventListener('change', () => readFile($('class-file'), (text) => useClass(() => readClassFile(text))));
$('key-file').addEventListener('change', () => readFile($('key-file'), readKey));
$('rows-file').addEventListener('change', importRows);
$('batch-file').addEventListener('change', importBatch);
for (const radio of document.querySelectorAll('input[name="cosign-role"]')) radio.addEventListener('change', () => chooseRole(radio.value));
$('submit-form').addEventListener('submit', (event) => {
  event.preventDefault();
  issue();
});
$('download').addEventListener('click', download);
$('print').addEventListener('click', () => window.print());
document.body.dataset.ready = 'true';

function switchLanguage(lang) {
  setLanguage(lang, { remember: true });
  markLanguage();
  for (const id of state.lines.keys()) paintLine(id);
  for (const id of state.problems.keys()) paintProblems(id);
  showRole();
  renderTable();
}

function markLanguage() {
  for (const button of document.querySelectorAll('[data-language]')) button.setAttribute('aria-pressed', String(button.dataset.language === language()));
}

/** A status line: its words, made again in the other language, and its kind (problem, done). */
function say(id, text, kind) {
  state.lines.set(id, { text, kind });
  paintLine(id);
}

function paintLine(id) {
  const { text, kind } = state.lines.get(id);
  $(id).textContent = text();
  if (kind) $(id).dataset.kind = kind;
  else delete $(id).dataset.kind;
}

/** A list of problems, each () => words. */
function listProblems(id, problems) {
  state.problems.set(id, problems);
  paintProblems(id);
}

function paintProblems(id) {
  $(id).replaceChildren(...state.problems.get(id).map((text) => el('li', {}, text())));
}

async function readFile(input, use) {
  const file = input.files?.[0];
  if (file) await use(await file.text());
}

async function search() {
  const query = $('class-query').value.trim();
  $('class-results').replaceChildren();
  let found;
  try {
    found = await searchClasses(query);
  } catch (error) {
    say('class-line', () => t('class.problem', { reason: error.message }), 'problem');
    return;
  }
  if (found === undefined) return say('class-line', () => t('class.noCatalogue'), 'problem');
  if (found.length === 0) return say('class-line', () => t('class.none'));
  state.lines.delete('class-line');
  $('class-line').textContent = '';
  $('class-results').replaceChildren(
    ...found.map((summary) => {
      const name = summary.name ? summary.name[language()] ?? summary.name.en : summary.classId;
      const use = el('button', { type: 'button', class: 'button', 'data-class-id': summary.classId }, t('class.use'));
      use.setAttribute('aria-label', `${t('class.use')}: ${name}`);
      use.addEventListener('click', () => useClass(() => fetchClassDocument(summary)));
      return el('li', {}, el('span', {}, name, ' ', el('span', { class: 'code' }, summary.classId.slice(0, 12), '…')), use);
    }),
  );
}

async function useClass(read) {
  try {
    state.badgeClass = await read();
  } catch (error) {
    if (!(error instanceof ClassProblem)) throw error;
    state.badgeClass = undefined;
    say('class-line', () => t('class.problem', { reason: error.message }), 'problem');
    return;
  }
  const { document: badgeClass, classId } = state.badgeClass;
  say(
    'class-line',
    () =>
      `${t('class.chosen', { name: badgeClass.name[language()], id: classId })} ${t('class.scheme', {
        bands: badgeClass.score.bands.map((band) => `${band.level} ${band.from}-${band.to}`).join(', '),
        evidence: t(badgeClass.evidence.required ? 'class.evidenceRequired' : 'class.evidenceOptional'),
      })}`,
    'done',
  );
  if (!coIssued()) state.role = undefined;
  showRole();
  await readKeyFromInput();
  if (state.table) checkTable();
}

const coIssued = () => state.badgeClass?.document.coIssuance?.required === true;

/** The project's Data Integrity signer, bundled for the browser (loaded only for a co-issued class). */
let signerModule;
const ldSigner = () =>
  (signerModule ??= import('./ld-signer.js').catch((error) => {
    signerModule = undefined;
    throw new SignerUnavailable(error.message);
  }));

/** The signer bundle did not load (a service run without its build serves none). */
class SignerUnavailable extends Error {
  name = 'SignerUnavailable';
}

function chooseRole(role) {
  state.role = role;
  state.earners = [];
  state.table = undefined;
  state.issued.clear();
  listProblems('rows-problems', []);
  state.lines.delete('rows-line');
  $('rows-line').textContent = '';
  showRole();
  renderTable();
}

/** The fields of the member's part: the role choice for a co-issued class, the batch or the spreadsheet, the button. */
function showRole() {
  const role = coIssued() ? state.role : undefined;
  $('cosign-role').hidden = !coIssued();
  const show = (id, visible) => {
    $(id).hidden = !visible;
    const label = document.querySelector(`label[for="${id}"]`);
    if (label) label.hidden = !visible;
  };
  $('issuer-hint').hidden = role !== 'validation';
  show('validation-did', role === 'validation');
  show('rows-file', role !== 'issuing');
  show('batch-file', role === 'issuing');
  show('api-key', role !== 'validation');
  const button = $('submit-button');
  button.dataset.i18n = role === 'validation' ? 'cosign.exportButton' : role === 'issuing' ? 'cosign.coSignButton' : 'submit.button';
  button.textContent = t(button.dataset.i18n);
}

/** The key file chosen, read again (a class chosen after the key may need its Data Integrity form). */
async function readKeyFromInput() {
  const file = $('key-file').files?.[0];
  if (file) await readKey(await file.text());
}

async function readKey(text) {
  try {
    state.ldKey = undefined;
    state.key = await readKeyFile(text);
    if (coIssued()) state.ldKey = await readDataIntegrityKey(text);
    const { did, type } = state.key;
    say('key-line', () => t('issuer.keyRead', { did: `${did.slice(0, 24)}…`, type }), 'done');
  } catch (error) {
    if (!(error instanceof KeyFileProblem) && !(error instanceof SignerUnavailable) && error.name !== 'SigningKeyProblem') throw error;
    state.key = undefined;
    if (error instanceof SignerUnavailable) say('key-line', () => t('cosign.noSigner', { message: error.message }), 'problem');
    else say('key-line', () => t('issuer.keyProblem', { reason: error.message }), 'problem');
  }
}

/** The key file as the Data Integrity signer reads it (Ed25519 only). */
async function readDataIntegrityKey(text) {
  const ld = await ldSigner();
  return ld.readSigningKeyFile(text);
}

/** The issuing point's review of the validation point's batch: each badge checked, problems by the spreadsheet's line. */
async function importBatch() {
  const file = $('batch-file').files?.[0];
  if (!file || !state.badgeClass) return;
  const did = $('issuer-did').value.trim();
  if (!/^did:web:[^#?\s]+$/.test(did)) return say('rows-line', () => t('cosign.didFirst'), 'problem');
  state.issued.clear();
  let review;
  try {
    review = await reviewBatch(await file.text(), { ...state.badgeClass, badgeClass: state.badgeClass.document, issuerDid: did }, await ldSigner());
  } catch (error) {
    if (!(error instanceof BatchProblem)) throw error;
    state.earners = [];
    listProblems('rows-problems', []);
    say('rows-line', () => t('cosign.batchProblem', { reason: t(error.key, error.values) }), 'problem');
    renderTable();
    return;
  }
  state.earners = review.earners;
  state.validationPoint = review.validationPoint;
  listProblems(
    'rows-problems',
    review.problems.map((found) => () => t('rows.problemRow', { line: found.line, message: t(found.key, found.values) })),
  );
  if (review.problems.length > 0) say('rows-line', () => t('rows.bad', { count: review.problems.length }), 'problem');
  else say('rows-line', () => t('cosign.reviewed', { count: review.earners.length, validationPoint: review.validationPoint }), 'done');
  renderTable();
}

async function importRows() {
  const file = $('rows-file').files?.[0];
  if (!file) return;
  const progress = $('rows-progress');
  progress.hidden = false;
  progress.value = 0;
  say('rows-line', () => t('rows.reading'));
  const report = async (fraction) => {
    progress.value = fraction;
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  try {
    state.table = /\.xlsx$/i.test(file.name) ? await readXlsx(window.ExcelJS, await file.arrayBuffer(), report) : await readCsv(window.Papa, await file.text(), report);
  } catch (error) {
    state.table = undefined;
    say('rows-line', () => t('progress.failed', { message: error.message }), 'problem');
    return;
  }
  progress.value = 1;
  checkTable();
}

/** Checks the rows against the class (once there is one) and lists the problems or the earners. */
function checkTable() {
  state.issued.clear();
  if (!state.badgeClass) {
    state.earners = [];
    say('rows-line', () => t('submit.notReady'), 'problem');
    return;
  }
  const { earners, problems } = checkEarners(state.table, state.badgeClass.document);
  state.earners = earners;
  listProblems(
    'rows-problems',
    problems.map((found) => () => {
      const message = t(found.key, found.values);
      return found.column === undefined ? t('rows.problemRow', { line: found.line, message }) : t('rows.problem', { line: found.line, column: found.column, message });
    }),
  );
  if (problems.length > 0) say('rows-line', () => t('rows.bad', { count: problems.length }), 'problem');
  else say('rows-line', () => t('rows.ready', { count: earners.length }), 'done');
  renderTable();
}

function renderTable() {
  $('issued').hidden = state.earners.length === 0;
  $('issued-title').textContent = t(state.issued.size > 0 ? 'issued.title' : 'rows.caption');
  if (state.badgeClass) $('issued-class').textContent = `${bothLanguages(state.badgeClass.document.name)} (${state.badgeClass.classId})`;
  $('issued-rows').replaceChildren(
    ...state.earners.map((earner) => {
      const issued = state.issued.get(earner.line);
      const share = issued?.shareLink ? el('a', { href: issued.shareLink, target: '_blank', rel: 'noopener', 'data-share': String(earner.line) }, t('issued.copy')) : '';
      return el(
        'tr',
        { 'data-line': String(earner.line) },
        el('td', {}, String(earner.line)),
        el('td', {}, earner.name),
        el('td', {}, earner.email ?? earner.identifier),
        el('td', {}, `${earner.level} (${earner.score})`),
        el('td', { 'data-state': issued?.state ?? '' }, issued ? t(`state.${issued.state}`) : earner.coSigned ? t('state.reviewed') : '–'),
        el('td', { class: 'no-print' }, share),
      );
    }),
  );
}

/** The issuer form, or a problem naming its field. */
function readIssuer() {
  const did = $('issuer-did').value.trim();
  const name = $('issuer-name').value.trim();
  const email = $('issuer-email').value.trim();
  const url = $('issuer-url').value.trim();
  if (!/^did:web:[^#?\s]+$/.test(did)) return { field: 'issuer-did', reason: 'the member’s DID is did:web:…' };
  // the co-signing issuing point signs the profile the validation point wrote, which its review showed
  if (state.role === 'issuing' && coIssued()) return { issuer: { did } };
  if (!name) return { field: 'issuer-name', reason: 'required' };
  if (!isEmailAddress(email)) return { field: 'issuer-email', reason: 'an e-mail address is required' };
  if (url && !/^https?:\/\/\S+$/.test(url)) return { field: 'issuer-url', reason: 'a web address (http or https)' };
  const validationPoint = $('validation-did').value.trim();
  if (state.role === 'validation' && coIssued() && (!/^did:web:[^#?\s]+$/.test(validationPoint) || validationPoint === did)) {
    return { field: 'validation-did', reason: 'your member’s DID is did:web:…, not the issuing point’s' };
  }
  return { issuer: { did, name, email, ...(url ? { url } : {}) }, validationPoint };
}

async function issue() {
  if (state.running) return;
  const apiKey = $('api-key').value.trim();
  if (coIssued() && !state.role) return say('issue-line', () => t('cosign.chooseRole'), 'problem');
  if (!state.badgeClass || !state.key || (coIssued() && !state.ldKey) || state.earners.length === 0) return say('issue-line', () => t('submit.notReady'), 'problem');
  const read = readIssuer();
  if (read.field) {
    const label = document.querySelector(`label[for="${read.field}"]`).textContent;
    $(read.field).focus();
    return say('issue-line', () => `${label}: ${read.reason}`, 'problem');
  }
  if (state.role === 'validation' && coIssued()) return exportBatch(read);
  if (!apiKey) return say('issue-line', () => t('submit.apiKeyMissing'), 'problem');
  state.running = true;
  document.body.dataset.busy = 'true';
  listProblems('issue-problems', []);
  try {
    await signAll(read.issuer);
    if (await submitAll(apiKey)) {
      await watchAnchors();
      await bakeAll();
      say('issue-line', () => t('progress.done', { total: state.earners.length }), 'done');
      $('download').disabled = false;
      $('issued-title').focus();
    }
  } catch (error) {
    say('issue-line', () => t('progress.failed', { message: error.message }), 'problem');
  } finally {
    state.running = false;
    document.body.dataset.busy = 'false';
  }
}

function showProgress(key, done, total) {
  const bar = $('issue-progress');
  bar.hidden = false;
  bar.max = total;
  bar.value = done;
  say('issue-line', () => t(key, { done, total }));
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function signAll(issuer) {
  const { document: badgeClass, classId } = state.badgeClass;
  const keyId = memberKeyId(issuer.did, state.key);
  const issuedOn = new Date();
  const ld = coIssued() ? await ldSigner() : undefined;
  state.issued.clear();
  for (const [index, earner] of state.earners.entries()) {
    if (ld) {
      // the validation point's proof was checked at import; the issuing point's proof goes first (addIssuerProof)
      state.issued.set(earner.line, { signed: await ld.signAsIssuer(earner.coSigned, state.ldKey, issuedOn), state: 'signed' });
    } else {
      const input = badgeInputFor({ badgeClass, classId, issuer, earner, score: earner.score, evidence: earner.evidence, issuedOn });
      const credential = await buildCredential(input, badgeClass, { name: earner.level });
      state.issued.set(earner.line, { signed: await signVcJwt(credential, state.key, keyId), state: 'signed' });
    }
    if (index % 25 === 24 || index === state.earners.length - 1) {
      showProgress('progress.signing', index + 1, state.earners.length);
      await pause(0);
    }
  }
  renderTable();
}

/** Sends the signed badges in bulk requests; false (with the problems listed by line) when the notary refuses some. */
async function submitAll(apiKey) {
  const earners = state.earners;
  for (let start = 0; start < earners.length; start += SUBMIT_CHUNK) {
    const chunk = earners.slice(start, start + SUBMIT_CHUNK);
    const response = await fetch('/v1/credentials', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ credentials: chunk.map((earner) => state.issued.get(earner.line).signed) }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const message = body?.error?.message ?? String(response.status);
      say('issue-line', () => t('progress.refused', { message }), 'problem');
      const items = body?.error?.items ?? [];
      listProblems(
        'issue-problems',
        items.map((item) => () => t('progress.refusedItem', { line: chunk[item.index]?.line ?? '?', message: item.message })),
      );
      return false;
    }
    for (const item of body.credentials) {
      const issued = state.issued.get(chunk[item.index].line);
      issued.digest = item.digest;
      issued.state = 'queued';
    }
    showProgress('progress.submitting', Math.min(start + SUBMIT_CHUNK, earners.length), earners.length);
  }
  renderTable();
  return true;
}

/** Polls each badge's status until its batch is anchored (200 with the receipt). */
async function watchAnchors() {
  const total = state.earners.length;
  for (;;) {
    const pending = [...state.issued.values()].filter((issued) => !issued.receipt);
    showProgress('progress.anchoring', total - pending.length, total);
    if (pending.length === 0) break;
    for (let start = 0; start < pending.length; start += 20) {
      await Promise.all(
        pending.slice(start, start + 20).map(async (issued) => {
          const response = await fetch(`/v1/credentials/${issued.digest}`, { headers: { accept: 'application/json' } });
          if (response.status !== 200) return;
          issued.receipt = (await response.json()).receipt;
          issued.state = 'anchored';
        }),
      );
    }
    renderTable();
    if ([...state.issued.values()].some((issued) => !issued.receipt)) await pause(POLL_INTERVAL_MS);
  }
  renderTable();
}

/** Each badge's image with the credential and its receipt baked in (the service bakes), and its share link. */
async function bakeAll() {
  const className = bothLanguages(state.badgeClass.document.name);
  for (const [index, earner] of state.earners.entries()) {
    const issued = state.issued.get(earner.line);
    const response = await fetch('/console/bake', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential: issued.signed, receipt: issued.receipt, label: earner.level }),
    });
    if (!response.ok) throw new Error((await response.json().catch(() => ({})))?.error?.message ?? `baking answered ${response.status}`);
    issued.png = new Uint8Array(await response.arrayBuffer());
    const link = new URL('/backpack-share', location.href);
    link.hash = `show=${await packJson({ v: 1, g: [{ n: className, b: [{ c: issued.signed, r: issued.receipt }] }] })}`;
    issued.shareLink = link.href;
    if (index % 10 === 9 || index === state.earners.length - 1) showProgress('progress.baking', index + 1, state.earners.length);
  }
  renderTable();
}

/** The validation point's part: each badge signed with Data Integrity under its member key id, saved as one batch file. */
async function exportBatch({ issuer, validationPoint }) {
  state.running = true;
  document.body.dataset.busy = 'true';
  listProblems('issue-problems', []);
  try {
    const ld = await ldSigner();
    const { document: badgeClass, classId } = state.badgeClass;
    const signedAt = new Date();
    const credentials = new Map();
    for (const [index, earner] of state.earners.entries()) {
      const input = badgeInputFor({ badgeClass, classId, issuer, earner, score: earner.score, evidence: earner.evidence, issuedOn: signedAt });
      const credential = await buildCredential(input, badgeClass, { name: earner.level });
      credentials.set(earner.line, await ld.signAsValidationPoint(credential, state.ldKey, validationPoint, signedAt));
      showProgress('progress.signing', index + 1, state.earners.length);
      await pause(0);
    }
    const text = batchFileText({ classId, issuer: issuer.did, validationPoint, signedAt: signedAt.toISOString(), earners: state.earners, credentials });
    const file = `co-issuance-${classId.slice(2, 10)}-${signedAt.toISOString().slice(0, 10)}.json`;
    save(new Blob([text], { type: 'application/json' }), file);
    say('issue-line', () => t('cosign.exported', { total: state.earners.length, validationPoint, file }), 'done');
  } catch (error) {
    say('issue-line', () => t('progress.failed', { message: error.message }), 'problem');
  } finally {
    state.running = false;
    document.body.dataset.busy = 'false';
  }
}

/** One ZIP: per earner its credential, receipt, baked badge and share link, and the issued list as CSV. */
function download() {
  const width = Math.max(4, String(state.earners.length).length);
  const files = [];
  const list = [['line', 'name', 'earner', 'level', 'score', 'digest', 'share_link'].join(',')];
  for (const [index, earner] of state.earners.entries()) {
    const issued = state.issued.get(earner.line);
    const folder = `${String(index + 1).padStart(width, '0')}-${safeName(earner.name)}`;
    files.push(
      typeof issued.signed === 'string'
        ? { name: `${folder}/credential.jwt`, data: `${issued.signed}\n` }
        : { name: `${folder}/credential.json`, data: `${JSON.stringify(issued.signed, null, 2)}\n` },
      { name: `${folder}/receipt.json`, data: `${JSON.stringify(issued.receipt, null, 2)}\n` },
      { name: `${folder}/badge.png`, data: issued.png },
      { name: `${folder}/share-link.txt`, data: `${issued.shareLink}\n` },
    );
    list.push([earner.line, earner.name, earner.email ?? earner.identifier, earner.level, earner.score, issued.digest, issued.shareLink].map(csvCell).join(','));
  }
  files.push({ name: 'issued.csv', data: `${list.join('\n')}\n` });
  save(zipBlob(files), `badges-${state.badgeClass.classId.slice(2, 10)}.zip`);
}

/** Saves a blob as a download named `name`. */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const safeName = (name) => name.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'earner';
const csvCell = (value) => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));
