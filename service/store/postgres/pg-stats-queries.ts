/**
 * The dashboard's aggregates over this service's own records in PostgreSQL: the same answers as the SQLite
 * StatsQueries (test/store/stats-queries.test.ts runs one suite on both).
 */
import { sumFees, type MemberPeriodCount, type PeriodFees, type StatsQueries } from '../stats-queries';
import type { PgDatabase } from './pg-database';

/** The public methods of the SQLite queries, which these answer the same way. */
type StatsStorage = { [K in keyof StatsQueries]: StatsQueries[K] };

/** The format of a UTC period in PostgreSQL's to_char. */
const PERIOD = { month: 'YYYY-MM', day: 'YYYY-MM-DD' } as const;

export class PgStatsQueries implements StatsStorage {
  constructor(private readonly db: PgDatabase) {}

  async notarisedPerMemberMonth(fromSeconds: number, toSeconds: number): Promise<MemberPeriodCount[]> {
    const { rows } = await this.db.query<MemberPeriodCount>(
      `SELECT c.member_id AS "memberId", to_char(to_timestamp(b.anchored_at) AT TIME ZONE 'UTC', '${PERIOD.month}') AS period, count(*) AS count
       FROM batches b JOIN credentials c ON c.batch_id = b.id
       WHERE b.state IN ('confirmed', 'final') AND b.anchored_at >= $1 AND b.anchored_at < $2
       GROUP BY 1, 2 ORDER BY 2, 1`,
      [fromSeconds, toSeconds],
    );
    return rows;
  }

  async feesPerPeriod(unit: 'month' | 'day', fromMs: number, toMs: number): Promise<PeriodFees[]> {
    // mined_at / 1000 is bigint division, as SQLite's: a fee paid in the last second of a day falls in that day.
    const { rows } = await this.db.query<{ period: string; fee_paid: string }>(
      `SELECT to_char(to_timestamp(mined_at / 1000) AT TIME ZONE 'UTC', '${PERIOD[unit]}') AS period, fee_paid
       FROM anchor_transactions WHERE fee_paid IS NOT NULL AND mined_at >= $1 AND mined_at < $2 ORDER BY mined_at`,
      [fromMs, toMs],
    );
    return sumFees(rows);
  }
}
