// `badge-notary store copy-to-postgres` (docs/store-copy.md): a notary's SQLite
// file made by the real service (credentials notarised and anchored, one batch sealed, one queued, API clients, a
// revocation request, used JWTs, status-list entries, a class document) copied into a real PostgreSQL server, then
// read back through the PostgreSQL repositories and compared with the SQLite store's answers.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import Database from 'better-sqlite3';
import pino from 'pino';
import request from 'supertest';
import { StoredReceiptLookup } from '../../service/batching';
import { badgeClassId, parseBadgeClass, type BadgeClassDocument } from '../../service/catalogue';
import { loadSharedStatusListKey, STATUS_LIST_KEY_FILE } from '../../service/config/status-list-key';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { exportIssuerKey, generateIssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { Leadership } from '../../service/leadership';
import { createApp, ServiceMetrics } from '../../service/http';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { migrate, Store, type NotaryStore } from '../../service/store';
import { NOTARY_TABLES, TABLES_NOT_COPIED, unclassifiedTables } from '../../service/store/copy';
import { PgLeaseStore } from '../../service/store/postgres/lease-store';
import { migratePostgres } from '../../service/store/postgres/migrate';
import { PgCatalogueDocuments } from '../../service/store/postgres/pg-catalogue-documents';
import { PgDatabase } from '../../service/store/postgres/pg-database';
import { PgStore } from '../../service/store/postgres/pg-store';
import { apiJwt, bearer, deployNetwork, issueJwt, makeEnv, NGO, SCHOOL, type Env } from '../http/helpers';
import { runCliCapturing } from '../support/in-process-cli';
import { postgresBinaries, startPostgres, type PostgresServer } from '../support/postgres-server';

const vector = (name: string): BadgeClassDocument => JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'classes', `${name}.json`), 'utf8'));
const PILOT = vector('pilot-soft-skills');
const PILOT_ID = badgeClassId(parseBadgeClass(PILOT));

describe('store copy-to-postgres: a notary moves from its SQLite file to PostgreSQL without losing a record', function () {
  this.timeout(180_000);
  let server: PostgresServer;
  let admin: PgDatabase;
  let env: Env;
  let source: string;
  let digests: string[];
  const statusListKey = generateIssuerKey({ type: 'Ed25519' });
  const opened: { close(): unknown }[] = [];

  /** A new database on the server: empty, not migrated (the copy migrates it). */
  async function newDatabase(): Promise<string> {
    const name = `copy_${randomUUID().replaceAll('-', '')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return url.toString();
  }

  function connect(url: string): PgDatabase {
    const db = PgDatabase.connect(url, { max: 2 });
    opened.push({ close: () => db.close() });
    return db;
  }

  async function counts(url: string): Promise<Record<string, number>> {
    const db = connect(url);
    const result: Record<string, number> = {};
    for (const table of [...NOTARY_TABLES, 'service_keys'])
      result[table] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    return result;
  }

  const copy = (...args: string[]) => runCliCapturing(['store', 'copy-to-postgres', ...args]);

  before(async function () {
    if (!postgresBinaries()) {
      console.log("      skipped: PostgreSQL is missing; install Debian's with: apt-get install -y postgresql");
      this.skip();
    }
    server = await startPostgres();
    admin = PgDatabase.connect(server.url, { max: 1 });

    // The notary, as the service leaves it: what every route of it wrote.
    env = await makeEnv(await loadFixture(deployNetwork));
    source = env.sqlitePath;
    const submit = async (credential: unknown) => {
      const answer = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential });
      expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
      return answer.body.digest as string;
    };
    const withStatus = async (index: number) =>
      signCredential({
        credential: buildAchievementCredential({
          ...demoBadgeInput({ issuerDid: SCHOOL }),
          status: { statusListCredential: 'http://notary.test/v1/status-lists/1/main', index },
        }),
        key: env.chain.schoolKey,
        format: 'data-integrity',
      });
    digests = [];
    for (let i = 0; i < 5; i++) digests.push(await submit(await issueJwt(env.chain.schoolKey, SCHOOL)));
    digests.push(await submit(await withStatus(7)), await submit(await withStatus(4242)));
    await env.anchorAll();
    for (let i = 0; i < 3; i++) digests.push(await submit(await issueJwt(env.chain.schoolKey, SCHOOL)));
    await env.anchorAll();
    digests.push(await submit(await issueJwt(env.chain.schoolKey, SCHOOL)));
    await env.seal();
    digests.push(await submit(await withStatus(9)), await submit(await issueJwt(env.chain.schoolKey, SCHOOL)));
    const revoked = await request(env.app).post('/v1/revocations').set(bearer(env.keys.schoolEditor)).send({ digest: digests[0], reason: 4 });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(202);
    const minted = await request(env.app)
      .post('/v1/clients')
      .set(bearer(await apiJwt(env.chain.ngoKey, NGO, env.now())))
      .send({ role: 'editor', label: 'NGO editor' });
    expect(minted.status, JSON.stringify(minted.body)).to.equal(201);
    await request(env.app).put(`/v1/badge-classes/${PILOT_ID}/document`).set(bearer(env.keys.schoolEditor)).send(PILOT).expect(201);
    writeFileSync(join(dirname(source), STATUS_LIST_KEY_FILE), `${JSON.stringify(exportIssuerKey(statusListKey), null, 2)}\n`, { mode: 0o600 });
    // The service stops: its store closes (the file stays until env.close()).
    await env.store.close();
  });

  after(async () => {
    for (const handle of opened) await handle.close();
    await env?.close();
    await admin?.close();
    await server?.destroy();
  });

  it('names every table of both schemas as copied or left behind, so a new notary table cannot be forgotten', async function () {
    const sqlite = new Database(':memory:');
    migrate(sqlite);
    const sqliteTables = (
      sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'catalogue_search_%'").all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    sqlite.close();
    const db = connect(await newDatabase());
    await migratePostgres(db.pool);
    const postgresTables = (
      await db.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'")
    ).rows.map((row) => row.name);
    expect(unclassifiedTables([...sqliteTables, ...postgresTables]), 'say in service/store/copy/notary-tables.ts whether each is copied').to.deep.equal([]);
    for (const table of NOTARY_TABLES) {
      expect(sqliteTables, `${table} in SQLite`).to.include(table);
      expect(postgresTables, `${table} in PostgreSQL`).to.include(table);
      expect(TABLES_NOT_COPIED).to.not.have.property(table);
    }
    // The check itself: a table nobody classified is reported.
    expect(unclassifiedTables(['credentials', 'member_notes'])).to.deep.equal(['member_notes']);
  });

  it('copies every record, and a PgStore on the target answers receipts, status, clients, revocations, status lists and documents as the SQLite store', async function () {
    const url = await newDatabase();
    // A password in the URL (the test server trusts any) is never printed.
    const withPassword = new URL(url);
    withPassword.password = 'not-to-be-printed';
    const run = await copy('--from', source, '--to', withPassword.toString());
    expect(run.code, run.err).to.equal(0);
    expect(run.out).to.contain(`database ${new URL(url).pathname.slice(1)} in one transaction`);
    expect(run.out + run.err).to.not.contain('not-to-be-printed');
    expect(run.out).to.match(/credentials\s+13\b/);
    expect(run.out).to.match(/batches\s+3\b/);
    expect(run.out).to.contain(`status-list key ${statusListKey.did}`);
    expect(run.out).to.match(/check: row counts equal on both sides in 10 tables; 11 credentials have the same batch, root and proof/);

    // Read-only, and closed at the end: the next tests copy this file again.
    const sqlite = Store.open({ path: source, readonly: true });
    const db = connect(url);
    const mirror = Store.open({ path: join(dirname(source), `mirror-${randomUUID()}.sqlite`) });
    const leadership = new Leadership(new PgLeaseStore(db.pool), { lease: 'anchorer', holder: 'copy-test', ttlMs: 60_000 });
    const postgres = new PgStore(db, mirror, leadership.fence());
    try {
      const [before, after] = [new StoredReceiptLookup({ store: sqlite }), new StoredReceiptLookup({ store: postgres })];
      const states: string[] = [];
      for (const digest of digests) {
        const expected = await before.status(digest);
        expect(await after.status(digest), digest).to.deep.equal(expected);
        states.push(expected!.state);
      }
      // The sample covers every state a credential can be in when the service stops.
      expect(states.filter((state) => state === 'final')).to.have.length(10);
      expect(states.filter((state) => state === 'sealed')).to.have.length(1);
      expect(states.filter((state) => state === 'queued')).to.have.length(2);

      for (const member of [1, 2, 3])
        expect(await postgres.clients.listForMember(member), `clients of ${member}`).to.deep.equal(await sqlite.clients.listForMember(member));
      expect(await postgres.clients.authenticate(env.keys.schoolEditor)).to.deep.equal(await sqlite.clients.authenticate(env.keys.schoolEditor));
      expect(await postgres.revocations.listForMember(1, { limit: 100 }))
        .to.deep.equal(await sqlite.revocations.listForMember(1, { limit: 100 }))
        .and.to.have.length(1);
      expect(await postgres.revocations.forDigest(digests[0]!)).to.deep.equal(await sqlite.revocations.forDigest(digests[0]!));
      expect(await postgres.statusLists.indexesOf(1, 'main', digests))
        .to.deep.equal(await sqlite.statusLists.indexesOf(1, 'main', digests))
        .and.to.have.members([7, 4242, 9]);
      expect(await postgres.usedJwts.count())
        .to.equal(await sqlite.usedJwts.count())
        .and.to.be.greaterThan(0);
      expect(await postgres.chainBinding.get()).to.deep.equal(await sqlite.chainBinding.get());
      // What the API answers over each store: status, receipt (200, or 404 while there is none) and revocation status.
      const appOn = (store: NotaryStore) =>
        createApp({
          store,
          config: { intake: { maxBulk: 50, maxBodyBytes: 4 * 1024 * 1024 }, confirmations: 1 },
          chain: {
            chainId: env.chain.chainId,
            registry: env.chain.registryAddress,
            deploymentBlock: env.chain.deploymentBlock,
            provider: env.chain.provider,
            newReader: () => new JsonRpcRegistryReader(env.chain.provider, env.chain.registryAddress, env.chain.deploymentBlock),
          },
          clock: env.now,
          logger: pino({ level: 'silent' }),
          // Both apps read the revocation status from the SQLite file's mirror: a new replica's is filled by its indexer.
          mirror: sqlite.registry,
          metrics: new ServiceMetrics({ store, processMetrics: false, clock: env.now }),
        });
      const [sqliteApp, postgresApp] = [appOn(sqlite), appOn(postgres)];
      const answers: string[] = [];
      for (const digest of digests) {
        for (const path of [`/v1/credentials/${digest}`, `/v1/credentials/${digest}/receipt`, `/v1/credentials/${digest}/revocation`]) {
          const [expected, answered] = [await request(sqliteApp).get(path), await request(postgresApp).get(path)];
          expect([answered.status, answered.body], path).to.deep.equal([expected.status, expected.body]);
          answers.push(`${path.split('/').length === 4 ? 'status' : path.split('/')[4]} ${answered.status}`);
        }
      }
      // The ten anchored credentials have a receipt; the sealed and the queued ones are accepted, not yet anchored (202).
      const tally = (answer: string) => answers.filter((candidate) => candidate === answer).length;
      expect(['status 200', 'status 202', 'receipt 200', 'receipt 202', 'revocation 200'].map(tally)).to.deep.equal([10, 3, 10, 3, 13]);

      // The dashboard's figures, from the batches and their anchor transactions.
      const notarised = await sqlite.stats.notarisedPerMemberMonth(0, 2 ** 40);
      expect(notarised.length, 'the anchored credentials are counted').to.be.greaterThan(0);
      expect(await postgres.stats.notarisedPerMemberMonth(0, 2 ** 40)).to.deep.equal(notarised);
      expect(await postgres.stats.feesPerPeriod('day', 0, 2 ** 50)).to.deep.equal(await sqlite.stats.feesPerPeriod('day', 0, 2 ** 50));
      expect(await postgres.batches.transactions(1))
        .to.deep.equal(await sqlite.batches.transactions(1))
        .and.to.have.length.greaterThan(0);
      expect(await postgres.credentials.get(digests[11]!)).to.deep.equal(await sqlite.credentials.get(digests[11]!));
      expect(await postgres.credentials.nextQueued(10)).to.deep.equal(await sqlite.credentials.nextQueued(10));
      const document = await new PgCatalogueDocuments(db).get(PILOT_ID);
      expect({ ...document, seq: undefined }).to.deep.equal({ ...sqlite.badgeClasses.storedDocument(PILOT_ID), seq: undefined });
      expect((await loadSharedStatusListKey(postgres.serviceKeys)).did).to.equal(statusListKey.did);

      // Ids continue after the copied ones: the next revocation request and the next batch take new numbers.
      const next = await postgres.revocations.create({ memberId: 1, digests: [digests[1]!], reason: 1, requestedBy: 'test', requestedAt: env.now() });
      expect(next.id).to.equal(2);
      const { rows } = await db.query<{ next: string }>("SELECT nextval(pg_get_serial_sequence('batches', 'id'))::text AS next");
      expect(Number(rows[0]!.next)).to.equal(4);
    } finally {
      sqlite.close();
      mirror.close();
    }
  });

  it("refuses a target that holds a notary's records, naming the table, and leaves it as it was", async function () {
    const url = await newDatabase();
    expect((await copy('--from', source, '--to', url)).code).to.equal(0);
    const first = await counts(url);
    const again = await copy('--from', source, '--to', url);
    expect(again.code).to.equal(1);
    expect(again.err).to.contain('table chain_binding is not empty): nothing was copied');
    expect(await counts(url)).to.deep.equal(first);

    // A database with one API client of another notary, and nothing else: named too.
    const other = await newDatabase();
    const db = connect(other);
    await migratePostgres(db.pool);
    await db.query("INSERT INTO api_clients (id, member_id, role, label, secret_hash, created_at) VALUES ('c1', 1, 'admin', 'other', 'x', 1)");
    const refused = await copy('--from', source, '--to', other);
    expect(refused.code).to.equal(1);
    expect(refused.err).to.contain('table api_clients is not empty');
    expect(await counts(other)).to.deep.include({ api_clients: 1, credentials: 0, batches: 0, service_keys: 0 });
  });

  it('leaves the target without a record when the copy fails midway (a row PostgreSQL refuses, after most tables were copied)', async function () {
    const url = await newDatabase();
    const db = connect(url);
    await migratePostgres(db.pool);
    await db.query(`CREATE FUNCTION refuse_entry() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'status entry refused by the test'; END $$`);
    await db.query('CREATE TRIGGER refuse_entry BEFORE INSERT ON status_list_entries FOR EACH ROW EXECUTE FUNCTION refuse_entry()');
    const failed = await copy('--from', source, '--to', url);
    expect(failed.code).to.equal(1);
    expect(failed.err).to.contain('status entry refused by the test');
    expect(failed.err).to.contain('nothing was copied');
    expect(Object.values(await counts(url))).to.deep.equal(new Array(NOTARY_TABLES.length + 1).fill(0));
    // No sequence moved either: they are moved last, after the check.
    for (const table of ['batches', 'revocation_requests']) {
      const sequence = (await db.query<{ name: string }>('SELECT pg_get_serial_sequence($1, $2) AS name', [table, 'id'])).rows[0]!.name;
      expect((await db.query<{ is_called: boolean }>(`SELECT is_called FROM ${sequence}`)).rows[0]!.is_called, sequence).to.equal(false);
    }
    // With the obstacle gone, the same target takes the copy.
    await db.query('DROP TRIGGER refuse_entry ON status_list_entries');
    expect((await copy('--from', source, '--to', url)).code).to.equal(0);
    expect(await counts(url)).to.deep.include({ credentials: 13, status_list_entries: 3, service_keys: 1 });
  });

  it('refuses while another process (a running service) has the SQLite file open, and refuses a table it does not know', async function () {
    const url = await newDatabase();
    const running = Store.open({ path: source });
    try {
      const refused = await copy('--from', source, '--to', url);
      expect(refused.code).to.equal(1);
      expect(refused.err).to.contain('is open in another process (a running badge-notary?): stop the service first');
    } finally {
      running.close();
    }
    const db = connect(url);
    await migratePostgres(db.pool);
    await db.query('CREATE TABLE member_notes (id bigint PRIMARY KEY)');
    const unknown = await copy('--from', source, '--to', url);
    expect(unknown.code).to.equal(1);
    expect(unknown.err).to.contain('does not know whether to copy table member_notes: nothing was copied');
    expect(await counts(url)).to.deep.include({ credentials: 0, chain_binding: 0 });
  });

  it('refuses bad arguments with a message and exit status 2, before touching either database', async function () {
    const url = await newDatabase();
    const cases: [string[], RegExp][] = [
      [['--to', url], /required option '--from <file>'/],
      [['--from', source], /name the PostgreSQL database: --to/],
      [['--from', source, '--to', 'mysql://db/notary'], /is not a PostgreSQL URL/],
      [['--from', join(dirname(source), 'missing.sqlite'), '--to', url], /missing\.sqlite: no such file/],
      [['--from', source, '--to', url, '--sample', 'some'], /--sample some: expected a whole number/],
      [['--from', source, '--to', url, '--status-list-key', join(dirname(source), 'nokey.json')], /--status-list-key .*nokey\.json: no such file/],
    ];
    for (const [args, message] of cases) {
      const run = await copy(...args);
      expect(run.code, args.join(' ')).to.equal(2);
      expect(run.err, args.join(' ')).to.match(message);
    }
    const db = connect(url);
    expect((await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'")).rowCount, 'not even migrated').to.equal(0);
    // A server that does not answer: a failure (exit 1) that names it, without its password.
    const unreachable = await copy('--from', source, '--to', 'postgres://notary:secret@127.0.0.1:1/notary');
    expect(unreachable.code).to.equal(1);
    expect(unreachable.err).to.match(/the copy into PostgreSQL at postgres:\/\/127\.0\.0\.1:1 failed, and nothing was copied: .*ECONNREFUSED/);
    expect(unreachable.err).to.not.contain('secret');
  });
});
