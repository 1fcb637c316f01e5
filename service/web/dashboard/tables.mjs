/* global document */
/**
 * The dashboard's tables: the same figures as its charts, for screen readers, for copying, and for print. Built
 * with DOM nodes (never HTML from strings: the page's Trusted Types policy forbids it).
 */
import { formatDay, formatEth, formatMonth, formatNumber, formatTime, has, language, t } from './i18n.mjs';

/** A DOM element with attributes and children (strings become text nodes; null and undefined are skipped). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === '') continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** Fills `table` with a head row and body rows; `numeric` marks the columns aligned right, `total` the last row as the sum. */
function fill(table, headings, rows, { numeric = [], total = false } = {}) {
  const head = el('thead', {}, el('tr', {}, ...headings.map((heading, index) => el('th', { scope: 'col', class: numeric.includes(index) ? 'number' : null }, heading))));
  const body = el(
    'tbody',
    {},
    ...rows.map((cells, row) => el('tr', { class: total && row === rows.length - 1 ? 'total' : null }, ...cells.map((cell, index) => (index === 0 ? el('th', { scope: 'row' }, cell) : el('td', { class: numeric.includes(index) ? 'number' : null }, cell))))),
  );
  table.replaceChildren(head, body);
}

function empty(table, text) {
  table.replaceChildren(el('tbody', {}, el('tr', {}, el('td', { class: 'empty' }, text))));
}

export const roleText = (role) => (has(`role.${role}`) ? t(`role.${role}`) : role);
export const statusText = (status) => (has(`status.${status}`) ? t(`status.${status}`) : status);
export const reasonText = (row) => (has(`reason.${row.reason}`) ? t(`reason.${row.reason}`) : row.reasonText);
export const memberLabel = (stats, memberId) => {
  const member = stats.members.find((candidate) => candidate.id === memberId);
  return member ? `${memberId} · ${member.did}` : t('member', { id: memberId });
};

export function membersTable(table, stats) {
  if (stats.members.length === 0) return empty(table, t('members.none'));
  fill(
    table,
    [t('members.id'), t('members.did'), t('members.role'), t('members.status'), t('members.since'), t('members.history')],
    stats.members.map((member) => [
      String(member.id),
      el('code', {}, member.did),
      roleText(member.role),
      statusText(member.status),
      formatTime(member.statusSince),
      el('ol', { class: 'history' }, ...member.statusHistory.map((change) => el('li', {}, `${statusText(change.status)} (${formatTime(change.since)})`))),
    ]),
  );
}

/** Months down, members across, and the month's total. */
export function seriesTable(table, stats, series) {
  const members = series.byMember.map((row) => row.memberId);
  fill(
    table,
    [t('month'), ...members.map((id) => memberLabel(stats, id)), t('total')],
    [
      ...stats.window.months.map((month, index) => [
        formatMonth(month),
        ...series.byMember.map((row) => formatNumber(row.counts[index])),
        formatNumber(series.counts[index]),
      ]),
      [t('total'), ...series.byMember.map((row) => formatNumber(row.total)), formatNumber(series.total)],
    ],
    { numeric: members.map((_, index) => index + 1).concat(members.length + 1), total: true },
  );
}

export function batchesTable(table, stats) {
  if (stats.batches.length === 0) return empty(table, t('batches.none'));
  fill(
    table,
    [t('batches.id'), t('batches.size'), t('batches.state'), t('batches.block'), t('batches.anchoredAt'), t('batches.confirmations'), t('batches.transaction')],
    stats.batches.map((batch) => [
      String(batch.id),
      formatNumber(batch.size),
      has(`state.${batch.state}`) ? t(`state.${batch.state}`) : batch.state,
      batch.blockNumber === null ? '—' : formatNumber(batch.blockNumber),
      batch.anchoredAt === null ? '—' : formatTime(batch.anchoredAt),
      batch.confirmations === null ? '—' : formatNumber(batch.confirmations),
      batch.transactionHash === null ? '—' : el('code', { title: batch.transactionHash }, `${batch.transactionHash.slice(0, 10)}…${batch.transactionHash.slice(-6)}`),
    ]),
    { numeric: [1, 3, 5] },
  );
}

export function revocationsTable(table, stats) {
  if (stats.revocations.total === 0) return empty(table, t('revocations.none'));
  fill(
    table,
    [t('revocations.reason'), t('revocations.count')],
    [...stats.revocations.byReason.map((row) => [reasonText(row), formatNumber(row.count)]), [t('total'), formatNumber(stats.revocations.total)]],
    { numeric: [1], total: true },
  );
}

/** Periods down: fees in ETH and in wei, and the transactions that paid them; the window's total last. */
export function feesTable(table, periods, series, unit) {
  const label = unit === 'month' ? formatMonth : formatDay;
  fill(
    table,
    [t(unit), t('fees.eth'), t('fees.wei'), t('fees.transactions')],
    [
      ...periods.map((period, index) => [
        label(period),
        formatEth(series.feeWei[index]),
        formatNumber(BigInt(series.feeWei[index])),
        formatNumber(series.transactions[index]),
      ]),
      [t('total'), formatEth(series.totalWei), formatNumber(BigInt(series.totalWei)), formatNumber(series.transactions.reduce((sum, n) => sum + n, 0))],
    ],
    { numeric: [1, 2, 3], total: true },
  );
}

/** The adopted badge classes (docs/catalogue.md): name in the page's language, publisher, adopters, version. */
export function classesTable(table, stats) {
  if (stats.adoptedBadgeClasses === null) return empty(table, t('classes.none'));
  if (stats.adoptedBadgeClasses.length === 0) return empty(table, t('classes.empty'));
  fill(
    table,
    [t('classes.name'), t('classes.publisher'), t('classes.adopters'), t('classes.version')],
    stats.adoptedBadgeClasses.map((badgeClass) => [
      badgeClass.name === null ? t('classes.noDocument', { id: `${badgeClass.classId.slice(0, 10)}…` }) : badgeClass.name[language()],
      memberLabel(stats, badgeClass.publisher.memberId),
      formatNumber(badgeClass.adopters),
      t(badgeClass.current ? 'classes.current' : 'classes.superseded'),
    ]),
    { numeric: [2] },
  );
}
