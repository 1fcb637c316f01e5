-- The member-signed JWTs already used, by issuer and jti: each authenticates one request. A row is kept until
-- the token expires (unix seconds), after which the token is refused for its age anyway, and is then pruned.
CREATE TABLE used_jwts (
  issuer TEXT NOT NULL,
  jti TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (issuer, jti)
) WITHOUT ROWID;
CREATE INDEX used_jwts_expiry ON used_jwts (expires_at);
