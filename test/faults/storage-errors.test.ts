// Storage faults as the HTTP API answers them, on real SQLite errors (no mocks): SQLITE_FULL from the
// database's page limit (PRAGMA max_page_count: SQLite's own "database or disk is full" path), SQLITE_READONLY
// from PRAGMA query_only and from a connection opened read-only. Intake answers 503 storage-unavailable,
// stores nothing of the request, and works again once the fault is lifted. The disk itself (a full tmpfs, an
// ext4 remounted read-only) is in disk.fault.test.ts.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parseCredential } from '../../service/credentials/parse';
import { toHttpError } from '../../service/http/errors';
import { Store, StorageHealth, storageFaultOf } from '../../service/store';
import { bearer, deployNetwork, issueJwt, makeEnv, SCHOOL, type Env } from '../http/helpers';

describe('storage faults: SQLite errors of the disk are 503 storage-unavailable', function () {
  let directory: string;
  let db: Database.Database;

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-storage-'));
    db = new Database(join(directory, 'test.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE)');
  });

  afterEach(function () {
    if (db.open) db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const failure = (write: () => unknown): unknown => {
    try {
      write();
    } catch (error) {
      return error;
    }
    throw new Error('the write succeeded');
  };

  it('tells full, read-only and other SQLite errors apart', function () {
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const full = failure(() => db.prepare('INSERT INTO t (value) VALUES (?)').run('x'.repeat(20_000)));
    expect(full).to.have.property('code', 'SQLITE_FULL');
    expect(storageFaultOf(full)).to.equal('full');
    db.pragma('max_page_count = 1000000');

    db.prepare('INSERT INTO t (value) VALUES (?)').run('a');
    db.pragma('query_only = 1');
    const queryOnly = failure(() => db.prepare('INSERT INTO t (value) VALUES (?)').run('b'));
    expect(queryOnly).to.have.property('code', 'SQLITE_READONLY');
    expect(storageFaultOf(queryOnly)).to.equal('read-only');
    db.pragma('query_only = 0');

    const reader = new Database(join(directory, 'test.sqlite'), { readonly: true });
    try {
      const readOnly = failure(() => reader.prepare('INSERT INTO t (value) VALUES (?)').run('c'));
      expect(storageFaultOf(readOnly)).to.equal('read-only');
    } finally {
      reader.close();
    }

    // Not the disk's doing: a constraint, a syntax error, a plain error.
    expect(storageFaultOf(failure(() => db.prepare('INSERT INTO t (value) VALUES (?)').run('a')))).to.equal(undefined);
    expect(storageFaultOf(failure(() => db.exec('SELEC 1')))).to.equal(undefined);
    expect(storageFaultOf(new Error('SQLITE_FULL'))).to.equal(undefined);
    // Wrapped as a cause, it is still found.
    expect(storageFaultOf(new Error('writing failed', { cause: full }))).to.equal('full');
  });

  it('maps them to 503 storage-unavailable with Retry-After; other errors stay 500', function () {
    db.pragma('query_only = 1');
    const answer = toHttpError(failure(() => db.prepare('INSERT INTO t (value) VALUES (?)').run('b')));
    expect(answer.status).to.equal(503);
    expect(answer.body().error).to.include({ code: 'storage-unavailable', reason: 'read-only' });
    expect(answer.details.headers).to.deep.equal({ 'Retry-After': '30' });
    db.pragma('query_only = 0');
    db.prepare('INSERT INTO t (value) VALUES (?)').run('a');
    expect(toHttpError(failure(() => db.prepare('INSERT INTO t (value) VALUES (?)').run('a'))).status).to.equal(500);
  });
});

describe('storage faults: StorageHealth remembers the last fault a write met', function () {
  it('keeps storage faults only, the last one, and answers it for a window that starts at or before it', function () {
    const directory = mkdtempSync(join(tmpdir(), 'badge-notary-health-'));
    const db = new Database(join(directory, 'test.sqlite'));
    try {
      db.pragma('query_only = 1');
      let readOnly: unknown;
      try {
        db.exec('CREATE TABLE t (x)');
      } catch (error) {
        readOnly = error;
      }
      const health = new StorageHealth();
      expect(health.lastFaultSince(0)).to.equal(undefined);
      expect(health.noteFailure(new Error('a bug, not the disk'), 1_000)).to.equal(undefined);
      expect(health.lastFaultSince(0), 'other errors are not storage faults').to.equal(undefined);
      expect(health.noteFailure(new Error('wrapped', { cause: readOnly }), 2_000)).to.equal('read-only');
      expect(health.lastFaultSince(2_000)).to.include({ fault: 'read-only', at: 2_000 });
      expect(health.lastFaultSince(2_001), 'older than the window').to.equal(undefined);
      health.noteFailure(new Error('another bug'), 3_000);
      expect(health.lastFaultSince(1_500), 'a later non-storage error changes nothing').to.include({ at: 2_000 });
    } finally {
      db.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('storage faults: intake on a database that cannot be written', function () {
  let env: Env;
  afterEach(async () => env?.close());

  const post = (body: string | object) => request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send(body);
  // SQLite's own faults: this suite is not run again on PostgreSQL (its faults: test/faults/replicas.fault.test.ts).
  const sqlite = () => {
    if (!(env.store instanceof Store)) throw new Error('this suite makes SQLite fail: run it on SQLite only');
    return env.store.db;
  };
  const count = () => (sqlite().prepare('SELECT count(*) AS n FROM credentials').get() as { n: number }).n;

  it('full (SQLITE_FULL): 503 without acknowledging anything of the bulk; stored rows intact; 202 once lifted', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const first = await post({ credentials: await Promise.all([1, 2, 3].map(() => issueJwt(env.chain.schoolKey, SCHOOL))) });
    expect(first.status).to.equal(202);
    expect((await request(env.app).get('/ready')).body).to.include({ status: 'ready' });
    const stored = sqlite().prepare('SELECT * FROM credentials ORDER BY digest').all();

    // No page may be added: 12 credentials (a JWS each, about 1 KiB) need new pages.
    sqlite().pragma(`max_page_count = ${sqlite().pragma('page_count', { simple: true }) as number}`);
    const refused = await Promise.all([...Array(12).keys()].map(() => issueJwt(env.chain.schoolKey, SCHOOL)));
    const answer = await post({ credentials: refused });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(503);
    expect(answer.body.error).to.include({ code: 'storage-unavailable', reason: 'full' });
    expect(answer.headers['retry-after']).to.equal('30');
    expect(count()).to.equal(3);
    for (const digest of await digestsOf(refused)) expect((await request(env.app).get(`/v1/credentials/${digest}`)).status).to.equal(404);

    // Readiness: still 200, since reads are served, but degraded, naming the fault the write met.
    const ready = await request(env.app).get('/ready');
    expect(ready.status, JSON.stringify(ready.body)).to.equal(200);
    expect(ready.body.status).to.equal('degraded');
    expect(ready.body.checks.database).to.include({ ok: true, writesFailing: true, fault: 'full' });
    expect(ready.body.checks.database.message).to.match(/^reads are served, but a write failed \d+ s ago: its disk is full \(database or disk is full\)$/);

    sqlite().pragma('max_page_count = 4294967294');
    const again = await post({ credentials: refused });
    expect(again.status, JSON.stringify(again.body)).to.equal(202);
    expect(again.body.created).to.equal(12);
    expect(sqlite().prepare('SELECT * FROM credentials ORDER BY digest').all()).to.deep.include.members(stored);
    expect(count()).to.equal(15);
    expect(sqlite().pragma('integrity_check', { simple: true })).to.equal('ok');
  });

  it('read-only (SQLITE_READONLY): 503 for one credential too; 202 once lifted', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
    sqlite().pragma('query_only = 1');
    const answer = await post({ credential: jwt });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(503);
    expect(answer.body.error).to.include({ code: 'storage-unavailable', reason: 'read-only' });
    expect(count()).to.equal(0);
    sqlite().pragma('query_only = 0');
    expect((await post({ credential: jwt })).status).to.equal(202);
    expect(count()).to.equal(1);
  });
});

const digestsOf = (jwts: string[]) => Promise.all(jwts.map(async (jwt) => (await parseCredential(jwt)).digest));
