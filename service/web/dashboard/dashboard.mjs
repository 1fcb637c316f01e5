/* global document, fetch, location, URLSearchParams */
/**
 * The network dashboard: reads GET /v1/stats (with the page's own from, to, days and batches, if given), and shows
 * each figure twice: a chart (charts.mjs) and a table beside it (tables.mjs), in Italian or English (i18n.mjs).
 */
import { LANGUAGES, formatTime, initialLanguage, language, setLanguage, t } from './i18n.mjs';
import { feesChart, revocationsChart, seriesChart } from './charts.mjs';
import { batchesTable, classesTable, feesTable, membersTable, revocationsTable, seriesTable } from './tables.mjs';

const $ = (id) => document.getElementById(id);
const QUERY_PARAMETERS = ['from', 'to', 'days', 'batches'];

const state = { stats: undefined, error: undefined };

async function start() {
  setLanguage(initialLanguage());
  showLanguage();
  for (const button of document.querySelectorAll('[data-language]')) {
    button.addEventListener('click', () => switchLanguage(button.dataset.language));
  }
  const query = statsQuery();
  $('stats-link').setAttribute('href', `v1/stats${query}`);
  $('as-of').textContent = t('loading');
  try {
    const response = await fetch(`v1/stats${query}`, { headers: { accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) state.error = t('error.service', { status: response.status, message: body.error?.message ?? response.statusText });
    else state.stats = body;
  } catch (error) {
    state.error = t('error.network', { message: error.message });
  }
  show();
  document.body.dataset.ready = 'true';
}

/** The page's own query parameters that GET /v1/stats takes, passed on as they are. */
function statsQuery() {
  const own = new URLSearchParams(location.search);
  const passed = new URLSearchParams();
  for (const name of QUERY_PARAMETERS) if (own.has(name)) passed.set(name, own.get(name));
  const text = passed.toString();
  return text ? `?${text}` : '';
}

function switchLanguage(lang) {
  if (!LANGUAGES.includes(lang)) return;
  setLanguage(lang, { remember: true });
  showLanguage();
  show();
}

function showLanguage() {
  for (const button of document.querySelectorAll('[data-language]')) button.setAttribute('aria-pressed', String(button.dataset.language === language()));
}

function show() {
  $('error').hidden = state.error === undefined;
  $('error-text').textContent = state.error ?? '';
  const stats = state.stats;
  if (!stats) {
    $('as-of').textContent = '';
    return;
  }
  const unknown = t('asOf.unknown');
  $('as-of').textContent = t('asOf', { block: stats.asOfBlock ?? unknown, head: stats.head ?? unknown, time: formatTime(stats.generatedAt) });
  membersTable($('members-table'), stats);
  seriesChart($('notarised-chart'), stats, stats.notarised);
  seriesTable($('notarised-table'), stats, stats.notarised);
  seriesChart($('anchors-chart'), stats, stats.anchors);
  seriesTable($('anchors-table'), stats, stats.anchors);
  batchesTable($('batches-table'), stats);
  revocationsChart($('revocations-chart'), stats);
  revocationsTable($('revocations-table'), stats);
  feesChart($('fees-chart'), stats);
  feesTable($('fees-month-table'), stats.window.months, stats.fees.perMonth, 'month');
  feesTable($('fees-day-table'), stats.window.days, stats.fees.perDay, 'day');
  classesTable($('classes-table'), stats);
}

start();
