/** The JSON of GET /v1/stats (docs/api.md); its zod schema is NetworkStats in ./schemas/stats.ts. */
import { statusName } from '../registry';
import type { FeeSeries, NetworkStats } from '../stats';
import { adoptedBadgeClassJson } from './badge-class-presenter';
import { memberJson, revocationTextOf } from './presenters';
import type { BadgeClassCatalogueStore } from '../notary';

const iso = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString());

/**
 * The figures as JSON. `catalogue` gives the adopted badge classes: null when the deployment names no catalogue
 * (or none is given), otherwise every class with at least one adopter, most adopters first.
 */
export function networkStatsJson(stats: NetworkStats, generatedAtMs: number, catalogue?: Pick<BadgeClassCatalogueStore, 'catalogueAddress' | 'adoptedClasses'>) {
  const didOf = (memberId: number) => stats.members.find(({ member }) => member.id === memberId)?.member.did ?? null;
  const feesJson = (series: FeeSeries) => ({
    feeWei: series.feeWei.map(String),
    transactions: series.transactions,
    totalWei: series.totalWei.toString(),
  });
  return {
    generatedAt: new Date(generatedAtMs).toISOString(),
    asOfBlock: stats.asOfBlock,
    head: stats.head,
    window: { months: stats.window.months, days: stats.window.days },
    members: stats.members.map(({ member, history }) => ({
      ...memberJson(member),
      statusHistory: history.map((change) => ({ since: iso(change.since)!, status: statusName(change.status) })),
    })),
    notarised: stats.notarised,
    anchors: stats.anchors,
    batches: stats.batches.map(({ batch, confirmations }) => ({
      id: batch.id,
      root: batch.root,
      size: batch.size,
      state: batch.state,
      sealedAt: new Date(batch.sealedAt).toISOString(),
      transactionHash: batch.txHash,
      blockNumber: batch.blockNumber,
      anchoredAt: iso(batch.anchoredAt),
      anchoredBy: batch.anchoredBy,
      confirmations,
    })),
    revocations: {
      byReason: stats.revocations.byReason.map((row) => ({ reason: row.reason, reasonText: revocationTextOf(row.reason), count: row.count })),
      byMember: stats.revocations.byMember.map((row) => ({
        memberId: row.memberId,
        reason: row.reason,
        reasonText: revocationTextOf(row.reason),
        count: row.count,
      })),
      total: stats.revocations.total,
    },
    fees: { perMonth: feesJson(stats.fees.perMonth), perDay: feesJson(stats.fees.perDay) },
    adoptedBadgeClasses:
      catalogue === undefined || catalogue.catalogueAddress() === null ? null : catalogue.adoptedClasses().map((entry) => adoptedBadgeClassJson(entry, didOf)),
  };
}
