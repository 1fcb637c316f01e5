/**
 * The network dashboard's read model (docs/dashboard.md): members with their roles and status history, badges
 * notarised per member per month, roots anchored per member per month, this service's batches with their
 * confirmations, revocations by reason, and the anchoring fees this service paid per day and per month. It only
 * reads: the registry mirror, this service's batches, and the store's aggregates, through ./ports.
 */
import { UseCaseError } from '../notary/errors';
import type { Member, StatusChange } from '../registry';
import { daysEndingAt, dayStartMs, MAX_MONTHS, monthEndSeconds, monthIndex, monthOf, monthOfIndex, monthsBetween, monthStartSeconds } from './periods';
import type { BatchSource, MemberPeriodCount, MirrorSource, StatsBatch, StatsSource } from './ports';

/** What a request may ask; every field is optional. */
export interface StatsQuery {
  /** The first month, `YYYY-MM` (UTC). Default: 11 months before `to`. */
  from?: string;
  /** The last month, `YYYY-MM` (UTC). Default: the month of now. */
  to?: string;
  /** How many days of fees per day, ending today (1 to 366). Default 30. */
  days?: number;
  /** How many of this service's newest batches (1 to 500). Default 20. */
  batches?: number;
}

/** A query with its defaults filled in and its ranges checked. */
export interface StatsWindow {
  months: string[];
  days: string[];
  batches: number;
}

export const STATS_DEFAULTS = { months: 12, days: 30, batches: 20 } as const;
export const MAX_DAYS = 366;
export const MAX_BATCHES = 500;

const invalid = (field: string, message: string) => new UseCaseError('invalid-input', 'invalid-request', message, { field });

/** Fills in the defaults and checks the ranges; a bad one is an invalid-input UseCaseError naming its field. */
export function statsWindow(query: StatsQuery, nowMs: number): StatsWindow {
  const to = query.to ?? monthOf(nowMs);
  if (monthIndex(to) === undefined) throw invalid('to', `to must be a month as YYYY-MM, got "${to.slice(0, 20)}"`);
  const from = query.from ?? monthOfIndex(monthIndex(to)! - (STATS_DEFAULTS.months - 1));
  if (monthIndex(from) === undefined) throw invalid('from', `from must be a month as YYYY-MM, got "${from.slice(0, 20)}"`);
  const span = monthIndex(to)! - monthIndex(from)! + 1;
  if (span < 1) throw invalid('from', `from (${from}) must not be after to (${to})`);
  if (span > MAX_MONTHS) throw invalid('from', `from and to span ${span} months; at most ${MAX_MONTHS}`);
  const days = query.days ?? STATS_DEFAULTS.days;
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) throw invalid('days', `days must be a whole number from 1 to ${MAX_DAYS}`);
  const batches = query.batches ?? STATS_DEFAULTS.batches;
  if (!Number.isInteger(batches) || batches < 1 || batches > MAX_BATCHES) throw invalid('batches', `batches must be a whole number from 1 to ${MAX_BATCHES}`);
  return { months: monthsBetween(from, to), days: daysEndingAt(nowMs, days), batches };
}

/** Counts per member, each aligned with the window's periods, and their sum per period. */
export interface PeriodSeries {
  byMember: { memberId: number; counts: number[]; total: number }[];
  counts: number[];
  total: number;
}

export interface FeeSeries {
  feeWei: bigint[];
  transactions: number[];
  totalWei: bigint;
}

export interface NetworkStats {
  window: StatsWindow;
  /** The mirror's last block; null before the indexer ran. */
  asOfBlock: number | null;
  /** The chain's head when asked; null when the chain did not answer. */
  head: number | null;
  members: { member: Member; history: StatusChange[] }[];
  notarised: PeriodSeries;
  anchors: PeriodSeries;
  batches: { batch: StatsBatch; confirmations: number | null }[];
  revocations: { byMember: { memberId: number; reason: number; count: number }[]; byReason: { reason: number; count: number }[]; total: number };
  fees: { perMonth: FeeSeries; perDay: FeeSeries };
}

export interface NetworkStatsSources {
  stats: StatsSource;
  mirror: MirrorSource;
  batches: BatchSource;
}

/** Reads the dashboard's figures for a window; `head` is the chain's head block (null if unknown). */
export async function readNetworkStats(sources: NetworkStatsSources, window: StatsWindow, head: number | null): Promise<NetworkStats> {
  const { stats, mirror } = sources;
  const first = window.months[0]!;
  const last = window.months[window.months.length - 1]!;
  const fromSeconds = monthStartSeconds(first);
  const toSeconds = monthEndSeconds(last);
  const cursor = mirror.cursor();
  const revocations = mirror.revocationsPerMemberReason();
  const byReason = new Map<number, number>();
  for (const row of revocations) byReason.set(row.reason, (byReason.get(row.reason) ?? 0) + row.count);
  const lastDay = window.days[window.days.length - 1]!;
  return {
    window,
    asOfBlock: cursor && cursor.lastBlockHash !== null ? cursor.lastBlock : null,
    head,
    members: mirror.members().map((member) => ({ member, history: mirror.statusHistory(member.id) })),
    notarised: series(await stats.notarisedPerMemberMonth(fromSeconds, toSeconds), window.months),
    anchors: series(mirror.anchorsPerMemberMonth(fromSeconds, toSeconds), window.months),
    batches: (await sources.batches.list({ limit: window.batches })).map((batch) => ({ batch, confirmations: confirmationsOf(batch, head) })),
    revocations: {
      byMember: revocations,
      byReason: [...byReason].sort(([a], [b]) => a - b).map(([reason, count]) => ({ reason, count })),
      total: revocations.reduce((sum, row) => sum + row.count, 0),
    },
    fees: {
      perMonth: fees(await stats.feesPerPeriod('month', fromSeconds * 1000, toSeconds * 1000), window.months),
      perDay: fees(await stats.feesPerPeriod('day', dayStartMs(window.days[0]!), dayStartMs(lastDay) + 86_400_000), window.days),
    },
  };
}

/** Blocks from the anchor's block to the head, both counted (1 when it is the head); null when unanchored or the head is unknown. */
function confirmationsOf(batch: StatsBatch, head: number | null): number | null {
  if (batch.blockNumber === null || head === null) return null;
  return Math.max(0, head - batch.blockNumber + 1);
}

function series(rows: MemberPeriodCount[], periods: string[]): PeriodSeries {
  const position = new Map(periods.map((period, index) => [period, index]));
  const members = new Map<number, number[]>();
  const counts = periods.map(() => 0);
  for (const row of rows) {
    const index = position.get(row.period);
    if (index === undefined) continue;
    if (!members.has(row.memberId)) members.set(row.memberId, periods.map(() => 0));
    members.get(row.memberId)![index] += row.count;
    counts[index] += row.count;
  }
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    byMember: [...members].sort(([a], [b]) => a - b).map(([memberId, memberCounts]) => ({ memberId, counts: memberCounts, total: sum(memberCounts) })),
    counts,
    total: sum(counts),
  };
}

function fees(rows: { period: string; feeWei: bigint; transactions: number }[], periods: string[]): FeeSeries {
  const byPeriod = new Map(rows.map((row) => [row.period, row]));
  const feeWei = periods.map((period) => byPeriod.get(period)?.feeWei ?? 0n);
  return {
    feeWei,
    transactions: periods.map((period) => byPeriod.get(period)?.transactions ?? 0),
    totalWei: feeWei.reduce((sum, value) => sum + value, 0n),
  };
}
