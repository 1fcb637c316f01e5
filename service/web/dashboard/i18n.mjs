/* global document, navigator, localStorage */
/**
 * The dashboard's words in Italian and English, and its numbers, months and moments in either. The language: the
 * one remembered (shared with the verifier page), else the browser's first Italian or English, else English.
 */

export const LANGUAGES = ['it', 'en'];
const STORAGE_KEY = 'badge-verifier.language';
const LOCALES = { it: 'it-IT', en: 'en-GB' };

const en = {
  'page.title': 'Network dashboard',
  'skip': 'Skip to the figures',
  'brand': 'Badge notary',
  'brand.tagline': 'The confederated network at a glance',
  'language.label': 'Language',
  'title': 'Network dashboard',
  'intro': 'The members of the network, the badges notarised, the anchors on the blockchain, the revocations and what anchoring costs.',
  'asOf': 'Registry read up to block {block}; newest block {head}. Figures of {time}.',
  'asOf.unknown': 'unknown',
  'loading': 'Loading the figures…',
  'error.title': 'The figures could not be loaded',
  'error.service': 'The service answered {status}: {message}',
  'error.network': 'The service could not be reached: {message}',
  'members.title': 'Members',
  'members.id': 'No.',
  'members.did': 'Identifier (DID)',
  'members.role': 'Role',
  'members.status': 'Status',
  'members.since': 'Since',
  'members.history': 'Status history',
  'members.none': 'The registry has no members yet.',
  'notarised.title': 'Badges notarised per member per month',
  'notarised.hint': 'Badges this service notarised, by issuing member and the month of their anchor on the blockchain.',
  'notarised.chart': 'Bar chart of the badges notarised per member per month; the table below holds the same figures.',
  'anchors.title': 'Anchors on the blockchain per member per month',
  'anchors.hint': 'Batch roots written in the network’s registry by every notary of the network.',
  'anchors.chart': 'Bar chart of the anchors per member per month; the table below holds the same figures.',
  'month': 'Month',
  'day': 'Day',
  'total': 'Total',
  'member': 'Member {id}',
  'batches.title': 'Batches and their anchors',
  'batches.hint': 'This service’s newest batches; confirmations count the blocks from the anchor’s to the newest.',
  'batches.id': 'Batch',
  'batches.size': 'Badges',
  'batches.state': 'State',
  'batches.block': 'Block',
  'batches.anchoredAt': 'Anchored',
  'batches.confirmations': 'Confirmations',
  'batches.transaction': 'Transaction',
  'batches.none': 'This service has sealed no batch yet.',
  'state.sealed': 'sealed, waiting to be sent',
  'state.submitted': 'sent, waiting to be mined',
  'state.confirmed': 'anchored',
  'state.final': 'anchored, final',
  'revocations.title': 'Revocations by reason',
  'revocations.chart': 'Doughnut chart of the revocations by reason; the table below holds the same figures.',
  'revocations.reason': 'Reason',
  'revocations.count': 'Revocations',
  'revocations.none': 'No badge has been revoked.',
  'reason.0': 'unspecified',
  'reason.1': 'issued in error',
  'reason.2': 'superseded by another credential',
  'reason.3': 'withdrawn at the holder’s request',
  'reason.4': 'misconduct or fraud in the assessment',
  'reason.5': 'the signing key was compromised',
  'fees.title': 'Anchoring fees',
  'fees.hint': 'What this service’s anchor transactions paid (gas and any L1 data fee), by the day they were mined.',
  'fees.chart': 'Bar chart of the anchoring fees per day in ETH; the tables below hold the same figures.',
  'fees.perMonth': 'Per month',
  'fees.perDay': 'Per day',
  'fees.eth': 'Fees (ETH)',
  'fees.wei': 'Fees (wei)',
  'fees.transactions': 'Transactions',
  'classes.title': 'Adopted badge classes',
  'classes.hint': 'The network’s shared badge classes that members adopt (they issue against them), most adopted first.',
  'classes.none': 'The network’s deployment names no badge-class catalogue.',
  'classes.empty': 'No member adopts a badge class yet.',
  'classes.name': 'Class',
  'classes.publisher': 'Published by',
  'classes.adopters': 'Adopters',
  'classes.version': 'Version',
  'classes.current': 'current',
  'classes.superseded': 'superseded',
  'classes.noDocument': 'class {id} (document not held here)',
  'footer.text': 'Read from the network’s registry on the blockchain and from this service.',
  'footer.data': 'The figures as JSON',
  'footer.verify': 'Verify a badge',
  'role.issuing-point': 'validation and issuing point',
  'role.validation-point': 'validation point',
  'role.information-point': 'information point',
  'status.pending': 'applying',
  'status.active': 'active',
  'status.suspended': 'suspended',
  'status.removed': 'removed',
  'status.rejected': 'rejected',
  'status.withdrawn': 'withdrawn',
  'status.lapsed': 'lapsed',
};

const it = {
  'page.title': 'Cruscotto della rete',
  'skip': 'Vai ai dati',
  'brand': 'Badge notary',
  'brand.tagline': 'La rete confederata in sintesi',
  'language.label': 'Lingua',
  'title': 'Cruscotto della rete',
  'intro': 'I membri della rete, i badge notarizzati, gli ancoraggi sulla blockchain, le revoche e quanto costa ancorare.',
  'asOf': 'Registro letto fino al blocco {block}; blocco più recente {head}. Dati del {time}.',
  'asOf.unknown': 'sconosciuto',
  'loading': 'Caricamento dei dati…',
  'error.title': 'Non è stato possibile caricare i dati',
  'error.service': 'Il servizio ha risposto {status}: {message}',
  'error.network': 'Il servizio non è raggiungibile: {message}',
  'members.title': 'Membri',
  'members.id': 'N.',
  'members.did': 'Identificativo (DID)',
  'members.role': 'Ruolo',
  'members.status': 'Stato',
  'members.since': 'Dal',
  'members.history': 'Storia dello stato',
  'members.none': 'Il registro non ha ancora membri.',
  'notarised.title': 'Badge notarizzati per membro e per mese',
  'notarised.hint': 'I badge notarizzati da questo servizio, per membro emittente e mese del loro ancoraggio sulla blockchain.',
  'notarised.chart': 'Grafico a barre dei badge notarizzati per membro e per mese; la tabella sotto riporta gli stessi dati.',
  'anchors.title': 'Ancoraggi sulla blockchain per membro e per mese',
  'anchors.hint': 'Le radici dei lotti scritte nel registro della rete da tutti i notai della rete.',
  'anchors.chart': 'Grafico a barre degli ancoraggi per membro e per mese; la tabella sotto riporta gli stessi dati.',
  'month': 'Mese',
  'day': 'Giorno',
  'total': 'Totale',
  'member': 'Membro {id}',
  'batches.title': 'Lotti e loro ancoraggi',
  'batches.hint': 'I lotti più recenti di questo servizio; le conferme contano i blocchi da quello dell’ancoraggio al più recente.',
  'batches.id': 'Lotto',
  'batches.size': 'Badge',
  'batches.state': 'Stato',
  'batches.block': 'Blocco',
  'batches.anchoredAt': 'Ancorato',
  'batches.confirmations': 'Conferme',
  'batches.transaction': 'Transazione',
  'batches.none': 'Questo servizio non ha ancora chiuso alcun lotto.',
  'state.sealed': 'chiuso, in attesa di invio',
  'state.submitted': 'inviato, in attesa di conferma',
  'state.confirmed': 'ancorato',
  'state.final': 'ancorato, definitivo',
  'revocations.title': 'Revoche per motivo',
  'revocations.chart': 'Grafico ad anello delle revoche per motivo; la tabella sotto riporta gli stessi dati.',
  'revocations.reason': 'Motivo',
  'revocations.count': 'Revoche',
  'revocations.none': 'Nessun badge è stato revocato.',
  'reason.0': 'non specificato',
  'reason.1': 'emesso per errore',
  'reason.2': 'sostituito da un’altra credenziale',
  'reason.3': 'ritirato su richiesta del titolare',
  'reason.4': 'condotta scorretta o frode nella valutazione',
  'reason.5': 'la chiave di firma è stata compromessa',
  'fees.title': 'Costi di ancoraggio',
  'fees.hint': 'Quanto hanno pagato le transazioni di ancoraggio di questo servizio (gas ed eventuale costo dati L1), per giorno di conferma.',
  'fees.chart': 'Grafico a barre dei costi di ancoraggio per giorno in ETH; le tabelle sotto riportano gli stessi dati.',
  'fees.perMonth': 'Per mese',
  'fees.perDay': 'Per giorno',
  'fees.eth': 'Costo (ETH)',
  'fees.wei': 'Costo (wei)',
  'fees.transactions': 'Transazioni',
  'classes.title': 'Classi di badge adottate',
  'classes.hint': 'Le classi di badge condivise della rete che i membri adottano (rilasciano badge su di esse), dalla più adottata.',
  'classes.none': 'La rete non ha un catalogo delle classi di badge.',
  'classes.empty': 'Nessun membro adotta ancora una classe di badge.',
  'classes.name': 'Classe',
  'classes.publisher': 'Pubblicata da',
  'classes.adopters': 'Membri che la adottano',
  'classes.version': 'Versione',
  'classes.current': 'in vigore',
  'classes.superseded': 'sostituita',
  'classes.noDocument': 'classe {id} (documento non presente qui)',
  'footer.text': 'Dati letti dal registro della rete sulla blockchain e da questo servizio.',
  'footer.data': 'I dati in JSON',
  'footer.verify': 'Verifica un badge',
  'role.issuing-point': 'punto di validazione e rilascio',
  'role.validation-point': 'punto di validazione',
  'role.information-point': 'punto informativo',
  'status.pending': 'in ammissione',
  'status.active': 'attivo',
  'status.suspended': 'sospeso',
  'status.removed': 'rimosso',
  'status.rejected': 'respinto',
  'status.withdrawn': 'ritirato',
  'status.lapsed': 'decaduto',
};

export const MESSAGES = { en, it };

let current = 'en';

export function language() {
  return current;
}

/** The remembered choice, else the browser's first Italian or English, else English. */
export function initialLanguage() {
  let stored = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // storage may be disabled: fall back to the browser's languages
  }
  if (LANGUAGES.includes(stored)) return stored;
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

/** Switches the language: <html lang>, the static labels, the title, and the choice remembered. */
export function setLanguage(lang, { remember = false } = {}) {
  current = LANGUAGES.includes(lang) ? lang : 'en';
  document.documentElement.lang = current;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, current);
    } catch {
      // not remembered: storage is disabled
    }
  }
  for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll('[data-i18n-label]')) element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  document.title = t('page.title');
}

/** The text of `key` in the current language, with {name} placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function has(key) {
  return key in MESSAGES[current];
}

/** A whole number (or a BigInt) in the current language. */
export function formatNumber(value) {
  return new Intl.NumberFormat(LOCALES[current]).format(value);
}

/** A month `YYYY-MM` as "Nov 2026" / "nov 2026". */
export function formatMonth(month) {
  return new Intl.DateTimeFormat(LOCALES[current], { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** A day `YYYY-MM-DD` as "4 Dec 2026" / "4 dic 2026". */
export function formatDay(day) {
  return new Intl.DateTimeFormat(LOCALES[current], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** A moment (ISO 8601) with its date and time. */
export function formatTime(value) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(LOCALES[current], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Wei (decimal text) as ETH, exactly: every significant digit, the decimal separator of the language. */
export function formatEth(wei) {
  const value = BigInt(wei);
  const whole = value / 10n ** 18n;
  const fraction = (value % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
  const separator = current === 'it' ? ',' : '.';
  return fraction ? `${formatNumber(whole)}${separator}${fraction}` : formatNumber(whole);
}
