import type { SqliteDatabase } from './database';

/** The ids (jti) of the member-signed JWTs already used (used_jwts, migration 007), until they expire. */
export class UsedJwtRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Records that `issuer`'s JWT `jti` is used, and whether this was its first use. Rows of tokens expired
   * before `nowSeconds` are pruned on the way.
   */
  async claim(issuer: string, jti: string, expiresAt: number, nowSeconds: number): Promise<boolean> {
    this.db.prepare('DELETE FROM used_jwts WHERE expires_at < ?').run(nowSeconds);
    const { changes } = this.db.prepare('INSERT OR IGNORE INTO used_jwts (issuer, jti, expires_at) VALUES (?, ?, ?)').run(issuer, jti, expiresAt);
    return changes === 1;
  }

  /** How many are remembered (for tests and metrics). */
  async count(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM used_jwts').get() as { n: number }).n;
  }
}
