/* global window */
/**
 * The dashboard's charts, drawn by chart.js (its UMD build, served by the service as dashboard/chart.umd.min.js,
 * sets window.Chart). No animation: the figures show at once, and motion helps no one read them.
 */
import { formatDay, formatMonth, t } from './i18n.mjs';
import { memberLabel, reasonText } from './tables.mjs';

const COLOURS = ['#1d4f91', '#d4a017', '#1e6b3a', '#a4161a', '#6b4fa0', '#0f7c8c', '#b87333', '#5c5f66'];

const charts = new Map();

function draw(canvas, config) {
  charts.get(canvas.id)?.destroy();
  const chart = new window.Chart(canvas, {
    ...config,
    options: { animation: false, responsive: true, maintainAspectRatio: false, ...config.options },
  });
  charts.set(canvas.id, chart);
  canvas.dataset.drawn = 'true';
}

/** Stacked bars: one bar a month, one colour a member. */
export function seriesChart(canvas, stats, series) {
  draw(canvas, {
    type: 'bar',
    data: {
      labels: stats.window.months.map(formatMonth),
      datasets: series.byMember.map((row, index) => ({
        label: memberLabel(stats, row.memberId),
        data: row.counts,
        backgroundColor: COLOURS[index % COLOURS.length],
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
}

export function revocationsChart(canvas, stats) {
  draw(canvas, {
    type: 'doughnut',
    data: {
      labels: stats.revocations.byReason.map(reasonText),
      datasets: [{ label: t('revocations.count'), data: stats.revocations.byReason.map((row) => row.count), backgroundColor: COLOURS }],
    },
    options: { plugins: { legend: { position: 'bottom' } } },
  });
}

/** Fees per day in ETH (a chart's scale; the tables keep every digit). */
export function feesChart(canvas, stats) {
  draw(canvas, {
    type: 'bar',
    data: {
      labels: stats.window.days.map(formatDay),
      datasets: [{ label: t('fees.eth'), data: stats.fees.perDay.feeWei.map((wei) => Number(wei) / 1e18), backgroundColor: COLOURS[0] }],
    },
    options: { scales: { y: { beginAtZero: true } }, plugins: { legend: { display: false } } },
  });
}
