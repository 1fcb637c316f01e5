/**
 * What the network dashboard reads, and nothing it could write with: the registry mirror's members and
 * aggregates, this service's batches, and the aggregates of service/store's StatsQueries (each fits as it is).
 */
import type { Member, StatusChange } from '../registry';

/** A count of one member in one period (`YYYY-MM` or `YYYY-MM-DD`, UTC). */
export interface MemberPeriodCount {
  memberId: number;
  period: string;
  count: number;
}

export interface MemberReasonCount {
  memberId: number;
  reason: number;
  count: number;
}

export interface PeriodFees {
  period: string;
  feeWei: bigint;
  transactions: number;
}

/** The aggregates of this service's own records, computed by its store (service/store StatsQueries). */
export interface StatsSource {
  notarisedPerMemberMonth(fromSeconds: number, toSeconds: number): Promise<MemberPeriodCount[]>;
  feesPerPeriod(unit: 'month' | 'day', fromMs: number, toMs: number): Promise<PeriodFees[]>;
}

/** The registry mirror: the members, how far it goes, and the network's aggregates (every notary's). */
export interface MirrorSource {
  cursor(): { lastBlock: number; lastBlockHash: string | null } | undefined;
  members(): Member[];
  statusHistory(memberId: number): StatusChange[];
  anchorsPerMemberMonth(fromSeconds: number, toSeconds: number): MemberPeriodCount[];
  revocationsPerMemberReason(): MemberReasonCount[];
}

/** This service's batches, newest first (service/store BatchRepository.list). */
export interface BatchSource {
  list(options: { limit: number }): Promise<StatsBatch[]>;
}

/** What the dashboard shows of a batch. */
export interface StatsBatch {
  id: number;
  root: string;
  size: number;
  state: string;
  sealedAt: number;
  txHash: string | null;
  blockNumber: number | null;
  anchoredAt: number | null;
  anchoredBy: number | null;
}
