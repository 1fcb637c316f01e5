import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { listMigrations, migrate, openDatabase, Store, StoreError, type NewCredential } from '../../service/store';

const digest = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const credential = (n: number, receivedAt = 1000 + n): NewCredential => ({
  digest: digest(n),
  memberId: 1,
  issuerDid: 'did:web:school.example',
  keyHash: digest(999),
  format: 'vc-jwt',
  artifact: `artifact-${n}`,
  submittedBy: 'client-1',
  receivedAt,
});

describe('store', function () {
  let directory: string;
  let store: Store;

  beforeEach(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-store-'));
    store = Store.open({ path: join(directory, 'notary.sqlite') });
  });

  afterEach(async function () {
    store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('opening', function () {
    it('applies every migration, in WAL mode with foreign keys on', async function () {
      expect(store.db.pragma('user_version', { simple: true })).to.equal(listMigrations().at(-1)!.version);
      expect(store.db.pragma('journal_mode', { simple: true })).to.equal('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).to.equal(1);
    });

    it('reopens an existing database without re-applying migrations, keeping its rows', async function () {
      await store.credentials.insertMany([credential(1)]);
      store.close();
      store = Store.open({ path: join(directory, 'notary.sqlite') });
      expect((await store.credentials.get(digest(1)))?.artifact).to.equal('artifact-1');
    });

    it('compiles a statement once: the same SQL answers the same statement, other SQL another', async function () {
      const sql = 'SELECT count(*) AS n FROM credentials';
      expect(store.db.prepare(sql)).to.equal(store.db.prepare(sql));
      expect(store.db.prepare(sql)).to.not.equal(store.db.prepare(`${sql} WHERE batch_id IS NULL`));
      expect(() => store.db.prepare('SELECT x FROM missing_table')).to.throw(/no such table/);
    });

    it('moves the trees of a database made before migration 005 into batch_trees, keeping every batch', async function () {
      store.close();
      const path = join(directory, 'before-005.sqlite');
      const old = new Database(path);
      migrate(old, listMigrations().filter((migration) => migration.version < 5));
      old.prepare(`INSERT INTO batches (id, root, size, tree, state, sealed_at, state_changed_at) VALUES (7, ?, 2, ?, 'sealed', 5, 5)`).run(digest(7), Buffer.from('the tree'));
      old.close();
      store = Store.open({ path });
      expect((await store.batches.tree(7))?.toString()).to.equal('the tree');
      expect(await store.batches.get(7)).to.include({ id: 7, root: digest(7), size: 2, state: 'sealed' });
      const columns = store.db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('batches')").all().map((column) => column.name);
      expect(columns).to.not.include('tree');
    });

    it('refuses a database newer than the program', async function () {
      store.db.pragma('user_version = 999');
      store.close();
      expect(() => openDatabase({ path: join(directory, 'notary.sqlite') })).to.throw(StoreError, 'schema version 999');
      store = Store.open({ path: ':memory:' });
    });
  });

  describe('intake', function () {
    it('reads the queue through its partial index alone: its depth, its oldest, its next digests', async function () {
      const plans = [
        'SELECT count(*) AS n FROM credentials INDEXED BY credentials_queue WHERE batch_id IS NULL',
        'SELECT min(received_at) AS t FROM credentials WHERE batch_id IS NULL',
        'SELECT digest FROM credentials WHERE batch_id IS NULL ORDER BY received_at, digest LIMIT ?',
      ].map((sql) => store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.endsWith('?') ? [10] : [])) as { detail: string }[]);
      for (const plan of plans) expect(plan.map((step) => step.detail).join('; ')).to.match(/USING (COVERING )?INDEX credentials_queue/);
      await store.credentials.insertMany([credential(1), credential(2)]);
      expect(await store.credentials.queueDepth()).to.equal(2);
    });

    it('tells where a credential stands without reading its artifact', async function () {
      await store.credentials.insertMany([credential(1)]);
      const placement = await store.credentials.placement(digest(1));
      expect(placement).to.deep.equal({ digest: digest(1), receivedAt: credential(1).receivedAt, batchId: null, leafIndex: null });
      expect(await store.credentials.placement(digest(2))).to.equal(undefined);
      const plan = store.db
        .prepare<[string], { detail: string }>('EXPLAIN QUERY PLAN SELECT digest, received_at, batch_id, leaf_index FROM credentials INDEXED BY credentials_placement WHERE digest = ?')
        .all(digest(1));
      expect(plan.map((step) => step.detail).join('; '), 'answered from the index, without reading the artifact').to.match(/COVERING INDEX credentials_placement/);
    });

    it('acknowledges a credential once: the same digest again is not new and changes nothing', async function () {
      expect(await store.credentials.insertMany([credential(1), credential(2)])).to.deep.equal([true, true]);
      expect(await store.credentials.insertMany([{ ...credential(1), artifact: 'other' }, credential(3)])).to.deep.equal([false, true]);
      expect((await store.credentials.get(digest(1)))?.artifact).to.equal('artifact-1');
      expect(await store.credentials.queueDepth()).to.equal(3);
    });

    it('queues oldest first', async function () {
      await store.credentials.insertMany([credential(1, 30), credential(2, 10), credential(3, 20)]);
      expect(await store.credentials.nextQueued(2)).to.deep.equal([digest(2), digest(3)]);
      expect(await store.credentials.oldestQueuedAt()).to.equal(10);
    });
  });
});
