import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../service/config/config';

const KEY = `0x${'11'.repeat(32)}`;

function problemsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return Object.fromEntries((error as ConfigError).problems.map((p) => [p.variable, p.message]));
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', function () {
  it('defaults to the embedded chain, loopback and ./data', function () {
    const config = loadConfig({});
    expect(config.chain).to.deep.equal({ mode: 'embedded', nodePort: 8545 });
    expect(config.http).to.deep.equal({ host: '127.0.0.1', port: 8080 });
    expect(config.databasePath).to.equal(join(process.cwd(), 'data', 'notary.sqlite'));
    expect(config.confirmations).to.equal(1);
  });

  it('reads an external chain with its registry, key, confirmations and batch limits', function () {
    const config = loadConfig({
      BADGE_NOTARY_RPC_URL: 'https://rpc.example',
      BADGE_NOTARY_REGISTRY: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      BADGE_NOTARY_DEPLOYMENT_BLOCK: '12',
      BADGE_NOTARY_ANCHOR_KEY: KEY,
      BADGE_NOTARY_CONFIRMATIONS: '3',
      BADGE_NOTARY_BATCH_MAX_SIZE: '500',
      BADGE_NOTARY_BATCH_MAX_AGE_MS: '1500',
    });
    expect(config.chain).to.include({ mode: 'external', rpcUrl: 'https://rpc.example', deploymentBlock: 12, anchorKey: KEY });
    expect(config.confirmations).to.equal(3);
    expect(config.batch).to.deep.equal({ maxSize: 500, maxAgeMs: 1500 });
  });

  it('keeps the notary on SQLite unless BADGE_NOTARY_DATABASE_URL names a PostgreSQL database', function () {
    expect(loadConfig({}).postgres).to.equal(undefined);
    const config = loadConfig({ BADGE_NOTARY_DATA_DIR: '/srv/notary-1', BADGE_NOTARY_DATABASE_URL: 'postgres://notary:secret@db.internal:5432/notary' });
    expect(config.postgres).to.deep.equal({ url: 'postgres://notary:secret@db.internal:5432/notary', poolSize: 10, leaseTtlMs: 15_000 });
    // The SQLite file is then the chain mirror's cache, this process's own.
    expect(config.databasePath).to.equal('/srv/notary-1/chain-mirror.sqlite');
    const tuned = loadConfig({ BADGE_NOTARY_DATABASE_URL: 'postgresql://db/notary', BADGE_NOTARY_DATABASE_POOL_SIZE: '4', BADGE_NOTARY_LEASE_TTL_MS: '5000' });
    expect(tuned.postgres).to.deep.equal({ url: 'postgresql://db/notary', poolSize: 4, leaseTtlMs: 5000 });
    expect(problemsOf({ BADGE_NOTARY_DATABASE_URL: 'mysql://db/notary', BADGE_NOTARY_LEASE_TTL_MS: '10' })).to.deep.equal({
      BADGE_NOTARY_DATABASE_URL: 'expected a postgres:// URL (got "mysql://db/notary")',
      BADGE_NOTARY_LEASE_TTL_MS: 'expected a whole number from 1000 to 600000 (got "10")',
    });
  });

  it('reads the rate limits per minute, 60,000 per address and 300,000 per member by default', function () {
    expect(loadConfig({}).rateLimits).to.deep.equal({ perAddressPerMinute: 60_000, perMemberPerMinute: 300_000 });
    const config = loadConfig({ BADGE_NOTARY_RATE_LIMIT_PER_ADDRESS: '600', BADGE_NOTARY_RATE_LIMIT_PER_MEMBER: '1200' });
    expect(config.rateLimits).to.deep.equal({ perAddressPerMinute: 600, perMemberPerMinute: 1200 });
    expect(problemsOf({ BADGE_NOTARY_RATE_LIMIT_PER_ADDRESS: '0' }).BADGE_NOTARY_RATE_LIMIT_PER_ADDRESS).to.contain('from 1 to');
  });

  it('reads public verification’s bounds: 1,000 JSON values, slots half the pool (unset), 16 admitted beyond them by default', function () {
    expect(loadConfig({}).verification).to.deep.equal({ maxCredentialValues: 1_000, queue: 16 });
    const config = loadConfig({ BADGE_NOTARY_VERIFY_MAX_VALUES: '5000', BADGE_NOTARY_VERIFY_SLOTS: '3', BADGE_NOTARY_VERIFY_QUEUE: '0' });
    expect(config.verification).to.deep.equal({ maxCredentialValues: 5_000, slots: 3, queue: 0 });
    expect(problemsOf({ BADGE_NOTARY_VERIFY_SLOTS: '0' }).BADGE_NOTARY_VERIFY_SLOTS).to.contain('from 1 to');
    expect(problemsOf({ BADGE_NOTARY_VERIFY_MAX_VALUES: '10' }).BADGE_NOTARY_VERIFY_MAX_VALUES).to.contain('from 100 to');
  });

  it('names every wrong variable and what it expects', function () {
    const problems = problemsOf({
      BADGE_NOTARY_PORT: 'eighty',
      BADGE_NOTARY_CONFIRMATIONS: '0',
      BADGE_NOTARY_LOG_LEVEL: 'loud',
      BADGE_NOTARY_RPC_URL: 'ftp://x',
    });
    expect(problems.BADGE_NOTARY_PORT).to.equal('expected a whole number from 0 to 65535 (got "eighty")');
    expect(problems.BADGE_NOTARY_CONFIRMATIONS).to.contain('from 1 to 1000');
    expect(problems.BADGE_NOTARY_LOG_LEVEL).to.contain('(got "loud")');
    expect(problems.BADGE_NOTARY_RPC_URL).to.contain('expected an http(s) or ws(s) URL');
  });

  it('requires the anchoring key and the deployment block on an external chain', function () {
    const problems = problemsOf({ BADGE_NOTARY_RPC_URL: 'http://127.0.0.1:9', BADGE_NOTARY_REGISTRY: '0x5FbDB2315678afecb367f032d93F642f64180aa3' });
    expect(problems.BADGE_NOTARY_ANCHOR_KEY).to.contain('required with BADGE_NOTARY_RPC_URL');
    expect(problems.BADGE_NOTARY_DEPLOYMENT_BLOCK).to.contain('required with BADGE_NOTARY_REGISTRY');
  });

  it('reads the anchoring key from a file, and says when the file is wrong', function () {
    const directory = mkdtempSync(join(tmpdir(), 'badge-notary-config-'));
    try {
      const good = join(directory, 'good.key');
      const bad = join(directory, 'bad.key');
      writeFileSync(good, `${KEY}\n`);
      writeFileSync(bad, 'hunter2');
      const env = { BADGE_NOTARY_RPC_URL: 'http://127.0.0.1:9' };
      expect((loadConfig({ ...env, BADGE_NOTARY_ANCHOR_KEY_FILE: good }).chain as { anchorKey: string }).anchorKey).to.equal(KEY);
      expect(problemsOf({ ...env, BADGE_NOTARY_ANCHOR_KEY_FILE: bad }).BADGE_NOTARY_ANCHOR_KEY_FILE).to.contain('must hold a 0x private key');
      expect(problemsOf({ ...env, BADGE_NOTARY_ANCHOR_KEY_FILE: join(directory, 'none') }).BADGE_NOTARY_ANCHOR_KEY_FILE).to.contain('cannot read it');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses external-chain settings without an RPC URL, instead of silently ignoring them', function () {
    expect(problemsOf({ BADGE_NOTARY_ANCHOR_KEY: KEY }).BADGE_NOTARY_ANCHOR_KEY).to.contain('only used with BADGE_NOTARY_RPC_URL');
  });
});
