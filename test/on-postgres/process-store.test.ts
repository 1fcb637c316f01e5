/**
 * The machinery that runs the process-level suites on PostgreSQL too (issue #13): which files the wrapper in
 * service-suites.test.ts loads again, and which database a service process started by a test is given.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgDatabase } from '../../service/store/postgres/pg-database';
import { storeUnderTestEnv } from '../support/run-node-script';
import { dropProcessDatabases, postgresMissing, serviceProcessEnv, stopSharedPostgres, useServiceStore } from '../support/service-store';
import { SQLITE_ONLY, opensServiceStore, serviceSuiteFiles } from './service-suite-files';

const testRoot = join(__dirname, '..');

describe('on PostgreSQL: which suites run again', function () {
  it('takes the files that start the service as a process, and leaves those that set their own database', function () {
    expect(opensServiceStore('service = await startKillableService({ BADGE_NOTARY_DATA_DIR: dir });')).to.equal(true);
    expect(opensServiceStore('const result = await runStartScript(env);')).to.equal(true);
    expect(opensServiceStore('const env = makeEnv();')).to.equal(true);
    expect(opensServiceStore('notary = await startNotary(loadConfig(await withStoreUnderTest({ BADGE_NOTARY_DATA_DIR: dir })));')).to.equal(true);
    expect(opensServiceStore('await startKillableService({ BADGE_NOTARY_DATABASE_URL: postgres.url, ...env });')).to.equal(false);
    expect(opensServiceStore("expect(message).to.include('point BADGE_NOTARY_DATABASE_URL at another database'); await startKillableService(env);")).to.equal(true);
    expect(opensServiceStore('const tree = buildTree(leaves);')).to.equal(false);
  });

  it('runs the e2e, fault, security and web files that start a service (as a process, or in-process by startNotary), except the ones about SQLite itself', function () {
    const files = serviceSuiteFiles().map((file) => file.slice(testRoot.length + 1));
    for (const file of ['e2e/service.e2e.test.ts', 'e2e/start-script-stop.e2e.test.ts', 'faults/fees.fault.test.ts', 'faults/reorg.fault.test.ts', 'security/rpc-url-leak.test.ts', 'web/console-flow.test.ts', 'web/verifier-page.test.ts']) {
      expect(files, file).to.include(file);
    }
    for (const file of [...Object.keys(SQLITE_ONLY), 'faults/replicas.fault.test.ts']) expect(files, file).to.not.include(file);
    expect(files.filter((file) => file.startsWith('on-postgres/'))).to.deep.equal([]);
  });

  it('names in SQLITE_ONLY only files that exist and would be run otherwise, each with its reason', function () {
    for (const [file, reason] of Object.entries(SQLITE_ONLY)) {
      expect(existsSync(join(testRoot, file)), file).to.equal(true);
      expect(opensServiceStore(readFileSync(join(testRoot, file), 'utf8')), file).to.equal(true);
      expect(reason.length, file).to.be.greaterThan(40);
    }
  });
});

describe('on PostgreSQL: the database a service process is given', function () {
  this.timeout(120_000);
  before(function () {
    const missing = postgresMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
  });
  afterEach(async function () {
    useServiceStore('sqlite');
    await dropProcessDatabases();
  });
  after(() => stopSharedPostgres());

  it('on SQLite: nothing (the process keeps its file in its data directory)', async function () {
    useServiceStore('sqlite');
    expect(await serviceProcessEnv('/tmp/some-data')).to.deep.equal({});
    expect(await storeUnderTestEnv({ BADGE_NOTARY_DATA_DIR: '/tmp/some-data' })).to.deep.equal({});
  });

  it('on PostgreSQL: a migrated database per data directory, the same one for a restart on it, dropped after', async function () {
    useServiceStore('postgres');
    const first = await storeUnderTestEnv({ BADGE_NOTARY_DATA_DIR: '/tmp/data-a' });
    const restarted = await storeUnderTestEnv({ BADGE_NOTARY_DATA_DIR: '/tmp/data-a/../data-a', BADGE_NOTARY_PORT: '1' });
    const other = await storeUnderTestEnv({ BADGE_NOTARY_DATA_DIR: '/tmp/data-b' });
    expect(first.BADGE_NOTARY_DATABASE_URL).to.match(/^postgres:\/\/notary@127\.0\.0\.1:\d+\/notary_[0-9a-f]{32}$/);
    expect(restarted).to.deep.equal(first);
    expect(first.BADGE_NOTARY_LEASE_TTL_MS, 'a restart after a SIGKILL waits 5 s for its old lease, not 15').to.equal('5000');
    expect(other.BADGE_NOTARY_DATABASE_URL).to.not.equal(first.BADGE_NOTARY_DATABASE_URL);
    expect(await storeUnderTestEnv({ BADGE_NOTARY_DATA_DIR: '/tmp/data-c', BADGE_NOTARY_DATABASE_URL: 'postgres://chosen/db' }), 'a database the test chose').to.deep.equal({});

    const db = PgDatabase.connect(first.BADGE_NOTARY_DATABASE_URL!, { max: 1 });
    try {
      const { rows } = await db.query<{ n: number | string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'credentials'");
      expect(Number(rows[0].n), 'migrated').to.equal(1);
    } finally {
      await db.close();
    }

    await dropProcessDatabases();
    const server = new URL(first.BADGE_NOTARY_DATABASE_URL!);
    const names = [first, other].map((env) => new URL(env.BADGE_NOTARY_DATABASE_URL!).pathname.slice(1));
    server.pathname = '/notary';
    const admin = PgDatabase.connect(server.toString(), { max: 1 });
    try {
      const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [names]);
      expect(rows, 'dropped').to.deep.equal([]);
    } finally {
      await admin.close();
    }
    expect((await storeUnderTestEnv({ BADGE_NOTARY_DATA_DIR: '/tmp/data-a' })).BADGE_NOTARY_DATABASE_URL, 'a new one after the drop').to.not.equal(first.BADGE_NOTARY_DATABASE_URL);
  });
});
