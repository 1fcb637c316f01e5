/** The used JWT ids in PostgreSQL: one claim wins across every process, as in the SQLite UsedJwtRepository. */
import type { UsedJwtRepository } from '../used-jwt-repository';
import type { PgDatabase } from './pg-database';

type UsedJwtStorage = { [K in keyof UsedJwtRepository]: UsedJwtRepository[K] };

export class PgUsedJwtRepository implements UsedJwtStorage {
  constructor(private readonly db: PgDatabase) {}

  /** The primary key (issuer, jti) decides between replicas that see the same token at once. */
  async claim(issuer: string, jti: string, expiresAt: number, nowSeconds: number): Promise<boolean> {
    await this.db.query('DELETE FROM used_jwts WHERE expires_at < $1', [nowSeconds]);
    const { rowCount } = await this.db.query('INSERT INTO used_jwts (issuer, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      issuer,
      jti,
      expiresAt,
    ]);
    return rowCount === 1;
  }

  async count(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::bigint AS n FROM used_jwts');
    return rows[0]!.n;
  }
}
