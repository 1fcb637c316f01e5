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

/** The format of a UTC period in SQLite's strftime. */
export const SQLITE_PERIOD = { month: "'%Y-%m'", day: "'%Y-%m-%d'" } as const;

/** Adds up the fees of mined anchor transactions per period, in bigint: wei overflow the databases' integers. */
export function sumFees(rows: readonly { period: string; fee_paid: string }[]): PeriodFees[] {
  const byPeriod = new Map<string, PeriodFees>();
  for (const row of rows) {
    const sum = byPeriod.get(row.period) ?? { period: row.period, feeWei: 0n, transactions: 0 };
    sum.feeWei += BigInt(row.fee_paid);
    sum.transactions += 1;
    byPeriod.set(row.period, sum);
  }
  return [...byPeriod.values()];
}

/**
 * The dashboard's aggregates over this service's own records (GET /v1/stats, service/stats): read-only GROUP BY
 * queries over its credentials, batches and anchor transactions. Periods are UTC months or days. The network's
 * figures (every notary's anchors, the revocations) are the registry mirror's: RegistryMirrorQueries.
 */
export class StatsQueries {
  private readonly notarised;
  private readonly fees;

  constructor(db: SqliteDatabase) {
    this.notarised = db.prepare<[number, number], MemberPeriodCount>(
      `SELECT c.member_id AS memberId, strftime(${SQLITE_PERIOD.month}, b.anchored_at, 'unixepoch') AS period, count(*) AS count
       FROM batches b JOIN credentials c ON c.batch_id = b.id
       WHERE b.state IN ('confirmed', 'final') AND b.anchored_at >= ? AND b.anchored_at < ?
       GROUP BY memberId, period ORDER BY period, memberId`,
    );
    const feesIn = (unit: 'month' | 'day') =>
      db.prepare<[number, number], { period: string; fee_paid: string }>(
        `SELECT strftime(${SQLITE_PERIOD[unit]}, mined_at / 1000, 'unixepoch') AS period, fee_paid
         FROM anchor_transactions WHERE fee_paid IS NOT NULL AND mined_at >= ? AND mined_at < ? ORDER BY mined_at`,
      );
    this.fees = { month: feesIn('month'), day: feesIn('day') };
  }

  /**
   * Credentials this service notarised, per issuing member and month of their anchor's block time: only those
   * whose batch is anchored (confirmed or final), from `fromSeconds` to before `toSeconds`.
   */
  async notarisedPerMemberMonth(fromSeconds: number, toSeconds: number): Promise<MemberPeriodCount[]> {
    return this.notarised.all(fromSeconds, toSeconds);
  }

  /**
   * Fees paid by this service's mined anchor transactions (migration 010), per UTC month or day of when they
   * were seen mined, from `fromMs` to before `toMs`.
   */
  async feesPerPeriod(unit: 'month' | 'day', fromMs: number, toMs: number): Promise<PeriodFees[]> {
    return sumFees(this.fees[unit].all(fromMs, toMs));
  }
}
