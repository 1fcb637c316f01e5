import type { SqliteDatabase } from './database';

/** A count of one member in one period (a month `YYYY-MM` or a day `YYYY-MM-DD`, UTC). */
export interface MemberPeriodCount {
  memberId: number;
  period: string;
  count: number;
}

/** Revocations of one member for one reason code. */
export interface MemberReasonCount {
  memberId: number;
  reason: number;
  count: number;
}

/** What the mined anchor transactions of one period paid in all (wei), and how many there were. */
export interface PeriodFees {
  period: string;
  feeWei: bigint;
  transactions: number;
}

const MONTH = "'%Y-%m'";
const DAY = "'%Y-%m-%d'";

/**
 * The aggregates of the network dashboard (GET /v1/stats, service/stats): read-only GROUP BY queries over this
 * service's credentials and anchor transactions and over the registry mirror. Periods are UTC months or days.
 */
export class StatsQueries {
  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Credentials this service notarised, per issuing member and month of their anchor's block time: only those
   * whose batch is anchored (confirmed or final), from `fromSeconds` to before `toSeconds`.
   */
  notarisedPerMemberMonth(fromSeconds: number, toSeconds: number): MemberPeriodCount[] {
    return this.db
      .prepare<[number, number], MemberPeriodCount>(
        `SELECT c.member_id AS memberId, strftime(${MONTH}, b.anchored_at, 'unixepoch') AS period, count(*) AS count
         FROM batches b JOIN credentials c ON c.batch_id = b.id
         WHERE b.state IN ('confirmed', 'final') AND b.anchored_at >= ? AND b.anchored_at < ?
         GROUP BY memberId, period ORDER BY period, memberId`,
      )
      .all(fromSeconds, toSeconds);
  }

  /** Roots anchored in the registry by every member (the mirror: all notaries of the network), per month. */
  anchorsPerMemberMonth(fromSeconds: number, toSeconds: number): MemberPeriodCount[] {
    return this.db
      .prepare<[number, number], MemberPeriodCount>(
        `SELECT member_id AS memberId, strftime(${MONTH}, anchored_at, 'unixepoch') AS period, count(*) AS count
         FROM registry_anchors WHERE anchored_at >= ? AND anchored_at < ?
         GROUP BY memberId, period ORDER BY period, memberId`,
      )
      .all(fromSeconds, toSeconds);
  }

  /** Every revocation the registry recorded (the mirror), per revoking member and reason code. */
  revocationsPerMemberReason(): MemberReasonCount[] {
    return this.db
      .prepare<[], MemberReasonCount>(
        'SELECT member_id AS memberId, reason, count(*) AS count FROM registry_revocations GROUP BY member_id, reason ORDER BY member_id, reason',
      )
      .all();
  }

  /**
   * Fees paid by this service's mined anchor transactions (migration 010), per UTC month or day of when they
   * were seen mined, from `fromMs` to before `toMs`. Summed here in bigint: wei overflow SQLite's integers.
   */
  feesPerPeriod(unit: 'month' | 'day', fromMs: number, toMs: number): PeriodFees[] {
    const rows = this.db
      .prepare<[number, number], { period: string; fee_paid: string }>(
        `SELECT strftime(${unit === 'month' ? MONTH : DAY}, mined_at / 1000, 'unixepoch') AS period, fee_paid
         FROM anchor_transactions WHERE fee_paid IS NOT NULL AND mined_at >= ? AND mined_at < ? ORDER BY mined_at`,
      )
      .all(fromMs, toMs);
    const byPeriod = new Map<string, PeriodFees>();
    for (const row of rows) {
      const sum = byPeriod.get(row.period) ?? { period: row.period, feeWei: 0n, transactions: 0 };
      sum.feeWei += BigInt(row.fee_paid);
      sum.transactions += 1;
      byPeriod.set(row.period, sum);
    }
    return [...byPeriod.values()];
  }
}
