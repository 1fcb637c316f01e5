// The class documents of a PostgreSQL deployment (issue #13, docs/catalogue.md "Documents on PostgreSQL"):
// PostgreSQL holds them for every replica, each replica copies them into its own SQLite cache, whose full-text
// index its search reads. A real PostgreSQL server and real SQLite files, one per replica.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { badgeClassId, canonicalBadgeClass, parseBadgeClass, type BadgeClassDocument, type BadgeClassId } from '../../service/catalogue';
import { Store, StoreError, type IndexedBlock, type StoredBadgeClassDocument } from '../../service/store';
import { CatalogueDocumentSync } from '../../service/store/postgres/catalogue-document-sync';
import { migratePostgres } from '../../service/store/postgres/migrate';
import { PgCatalogueDocuments } from '../../service/store/postgres/pg-catalogue-documents';
import { PgDatabase } from '../../service/store/postgres/pg-database';
import { SharedBadgeClassDocuments } from '../../service/store/postgres/shared-badge-class-documents';
import { certificationClass } from '../support/class-badges';
import { postgresBinaries, startPostgres, type PostgresServer } from '../support/postgres-server';
import { rejects } from '../support/rejects';

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const CATALOGUE = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const word = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const block = (number: number): IndexedBlock => ({ number, hash: word(1_000 + number), parentHash: word(999 + number), time: 1_700_000_000 + number });

/** A class document of its own: its English name carries `kw<n>x`, a word no other variant's name starts with. */
function variant(n: number): BadgeClassDocument {
  const base = certificationClass();
  return parseBadgeClass({ ...base, name: { ...base.name, en: `Certified digital skills kw${n}x` }, image: `https://badges.example.org/classes/${n}.png` });
}

function storedOf(document: BadgeClassDocument, uploadedBy = 1, uploadedAt = 5): StoredBadgeClassDocument {
  return { classId: badgeClassId(document), canonical: canonicalBadgeClass(document), uploadedBy, uploadedAt };
}

/** One service process: its pool on the shared database, its SQLite cache, its upload path and its copy loop. */
interface Replica {
  cache: Store;
  path: string;
  db: PgDatabase;
  uploads: SharedBadgeClassDocuments;
  sync: CatalogueDocumentSync;
  upload(document: BadgeClassDocument, uploadedBy?: number): Promise<'created' | 'unchanged'>;
  /** The classes a search for the variant's own word finds in this cache. */
  found(n: number): BadgeClassId[];
  holds(document: BadgeClassDocument): boolean;
}

describe('store: class documents shared through PostgreSQL, copied into each replica’s SQLite cache', function () {
  this.timeout(120_000);
  let server: PostgresServer;
  let admin: PgDatabase;
  let folder: string;
  let replicas: Replica[] = [];
  /** Classes the caches' mirrors record as published (search lists published classes only). */
  const PUBLISHED = Array.from({ length: 40 }, (_, n) => variant(n));

  function openCache(path: string): Store {
    const cache = Store.open({ path });
    if (cache.registry.cursor() === undefined) {
      cache.registry.initCursor({ registry: REGISTRY, startBlock: 10, catalogue: CATALOGUE }, 1);
      const catalogueEvents = PUBLISHED.map((document, n) => {
        const { hash: blockHash, time: blockTime } = block(11);
        return { blockNumber: 11, logIndex: n, blockHash, txHash: word(5_000 + n), blockTime, name: 'BadgeClassPublished', args: { classId: badgeClassId(document), publisher: 1, uri: 'https://x.example/' } };
      });
      cache.registry.applyChunk({ fromBlock: 10, toBlock: 11, events: [], catalogueEvents, blocks: [block(11)], keepBlocks: 64 }, 1);
    }
    return cache;
  }

  function replica(name: string, options: { pageSize?: number; path?: string } = {}): Replica {
    const path = options.path ?? join(folder, `${name}.sqlite`);
    const cache = openCache(path);
    const db = PgDatabase.connect(server.url, { max: 4 });
    const documents = new PgCatalogueDocuments(db);
    const uploads = new SharedBadgeClassDocuments({ documents, cache: cache.badgeClasses });
    const made: Replica = {
      cache,
      path,
      db,
      uploads,
      sync: new CatalogueDocumentSync({ documents, cache: cache.badgeClasses, ...(options.pageSize ? { pageSize: options.pageSize } : {}) }),
      upload: (document, uploadedBy = 1) => uploads.putDocument(storedOf(document, uploadedBy), document),
      found: (n) => cache.badgeClasses.search({ words: [`kw${n}x`], limit: 10, offset: 0 }).map((entry) => entry.record.classId),
      holds: (document) => cache.badgeClasses.storedDocument(badgeClassId(document))?.canonical === canonicalBadgeClass(document),
    };
    replicas.push(made);
    return made;
  }

  async function closeReplica(replica: Replica): Promise<void> {
    replicas = replicas.filter((r) => r !== replica);
    replica.cache.close();
    await replica.db.close();
  }

  const sharedRows = async () =>
    (await admin.query<{ seq: number; class_id: string }>('SELECT seq, class_id FROM catalogue_documents ORDER BY seq')).rows;

  before(async function () {
    if (!postgresBinaries()) {
      console.log(`      skipped: PostgreSQL is missing; install Debian's with: apt-get install -y postgresql`);
      this.skip();
    }
    server = await startPostgres();
    admin = PgDatabase.connect(server.url, { max: 2 });
    await migratePostgres(admin.pool);
  });

  after(async () => {
    await admin?.close();
    await server?.destroy();
  });

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'badge-notary-shared-docs-'));
    await admin.query('TRUNCATE catalogue_documents RESTART IDENTITY');
  });

  afterEach(async () => {
    for (const replica of [...replicas]) await closeReplica(replica);
    rmSync(folder, { recursive: true, force: true });
  });

  describe('PgCatalogueDocuments', function () {
    it('keeps a document once: the same bytes again are unchanged, other bytes under a held id are refused', async () => {
      const documents = new PgCatalogueDocuments(admin);
      const first = storedOf(variant(1), 7, 1_000);
      expect(await documents.put(first)).to.equal('created');
      expect(await documents.put({ ...first, uploadedBy: 8, uploadedAt: 2_000 })).to.equal('unchanged');
      expect(await documents.put({ ...first, classId: first.classId.toUpperCase().replace('0X', '0x') as BadgeClassId })).to.equal('unchanged');
      await rejects(documents.put({ ...first, canonical: canonicalBadgeClass(variant(2)) }), StoreError, 'is held with another document: its id cannot be its hash');
      expect(await documents.get(first.classId)).to.deep.equal({ ...first, seq: 1 });
      expect(await sharedRows(), 'one row, the first uploader’s').to.have.length(1);
    });

    it('lists the documents after a seq in seq order, a page at a time', async () => {
      const documents = new PgCatalogueDocuments(admin);
      const ids = [];
      for (let n = 0; n < 5; n += 1) {
        await documents.put(storedOf(variant(n)));
        ids.push(badgeClassId(variant(n)));
      }
      const firstPage = await documents.after(0, 2);
      expect(firstPage.map((d) => [d.seq, d.classId])).to.deep.equal([[1, ids[0]], [2, ids[1]]]);
      expect((await documents.after(2, 10)).map((d) => d.classId)).to.deep.equal(ids.slice(2));
      expect(await documents.after(5, 10)).to.deep.equal([]);
      expect(await documents.classAt(3)).to.equal(ids[2]);
      expect(await documents.classAt(6)).to.equal(undefined);
    });
  });

  it('an upload through replica A is served and found by search on A at once, and on B after B’s copy step', async () => {
    const a = replica('a');
    const b = replica('b');
    expect(await a.upload(variant(1))).to.equal('created');
    expect(a.holds(variant(1)), 'A’s cache, written after PostgreSQL').to.equal(true);
    expect(a.found(1)).to.deep.equal([badgeClassId(variant(1))]);
    expect((await sharedRows()).map((row) => row.class_id)).to.deep.equal([badgeClassId(variant(1))]);

    expect(b.holds(variant(1)), 'B before its step').to.equal(false);
    expect(b.found(1)).to.deep.equal([]);
    expect(await b.sync.step()).to.deep.equal({ copied: 1, created: 1, through: 1, startedOver: false });
    expect(b.holds(variant(1))).to.equal(true);
    expect(b.found(1)).to.deep.equal([badgeClassId(variant(1))]);
    expect(b.cache.badgeClasses.storedDocument(badgeClassId(variant(1)))).to.deep.equal(storedOf(variant(1)));

    // A's own upload is in its cache already: its step finds it there.
    expect(await a.sync.step()).to.deep.equal({ copied: 1, created: 0, through: 1, startedOver: false });
  });

  it('a re-upload through either replica is unchanged: one row, its seq kept, nothing new to copy', async () => {
    const a = replica('a');
    const b = replica('b');
    expect(await a.upload(variant(1), 1)).to.equal('created');
    await b.sync.step();
    expect(await b.upload(variant(1), 2)).to.equal('unchanged');
    expect(await a.upload(variant(1), 3)).to.equal('unchanged');
    expect(await sharedRows()).to.deep.equal([{ seq: 1, class_id: badgeClassId(variant(1)) }]);
    expect(await b.sync.step()).to.deep.equal({ copied: 0, created: 0, through: 1, startedOver: false });
    expect(b.cache.badgeClasses.storedDocument(badgeClassId(variant(1)))?.uploadedBy, 'the first upload is the one kept').to.equal(1);
    expect(b.cache.badgeClasses.counts().documents).to.equal(1);
  });

  it('a restarted process (a new sync on its reopened cache file) copies nothing twice, and goes on from where it was', async () => {
    const a = replica('a');
    const b = replica('b');
    for (const n of [1, 2, 3]) await a.upload(variant(n));
    expect((await b.sync.step()).copied).to.equal(3);
    const path = b.path;
    await closeReplica(b);
    await a.upload(variant(4));

    const restarted = replica('b', { path });
    expect(restarted.cache.badgeClasses.copiedThrough()).to.deep.equal({ seq: 3, classId: badgeClassId(variant(3)) });
    expect(await restarted.sync.step()).to.deep.equal({ copied: 1, created: 1, through: 4, startedOver: false });
    expect(await restarted.sync.step()).to.deep.equal({ copied: 0, created: 0, through: 4, startedOver: false });
    expect([1, 2, 3, 4].every((n) => restarted.holds(variant(n)))).to.equal(true);
  });

  it('a new replica with an empty cache copies every document, a page per cache transaction', async () => {
    const a = replica('a');
    for (let n = 0; n < 7; n += 1) await a.upload(variant(n));
    const fresh = replica('fresh', { pageSize: 3 });
    expect(fresh.cache.badgeClasses.copiedThrough()).to.equal(undefined);
    expect(await fresh.sync.step()).to.deep.equal({ copied: 7, created: 7, through: 7, startedOver: false });
    for (let n = 0; n < 7; n += 1) expect(fresh.found(n), `variant ${n}`).to.deep.equal([badgeClassId(variant(n))]);
  });

  it('two steps asked at once on one replica run as one', async () => {
    const a = replica('a');
    for (const n of [1, 2]) await a.upload(variant(n));
    const b = replica('b');
    const [first, second] = await Promise.all([b.sync.step(), b.sync.step()]);
    expect(second).to.equal(first);
    expect(first).to.deep.equal({ copied: 2, created: 2, through: 2, startedOver: false });
  });

  it('an upload that waits to commit holds back the uploads after it, so a copy step meanwhile skips nothing', async () => {
    const a = replica('a');
    const b = replica('b');
    const reader = replica('reader');
    // Another writer holds variant 1's row uncommitted: A's upload of it waits for that writer, as a slow
    // commit would. B's upload of variant 2 must wait behind A's, or it would commit a higher seq first.
    const other = new Client({ connectionString: server.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('INSERT INTO catalogue_documents (class_id, canonical, uploaded_by, uploaded_at) VALUES ($1, $2, 9, 9)', [
        badgeClassId(variant(1)),
        canonicalBadgeClass(variant(1)),
      ]);
      const waiting = async () =>
        Number((await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = 'notary'")).rows[0]!.n);
      const until = async (what: string, done: () => Promise<boolean>) => {
        const deadline = Date.now() + 20_000;
        while (!(await done())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const slow = a.upload(variant(1));
      await until('A’s upload waits for the other writer', async () => (await waiting()) === 1);
      let laterSettled = false;
      const later = b.upload(variant(2)).finally(() => (laterSettled = true));
      await until('B’s upload waits too, or commits', async () => laterSettled || (await waiting()) === 2);
      expect(laterSettled, 'the later upload committed before the earlier one').to.equal(false);
      expect(await reader.sync.step()).to.deep.equal({ copied: 0, created: 0, through: 0, startedOver: false });

      await other.query('ROLLBACK');
      expect(await slow).to.equal('created');
      expect(await later).to.equal('created');
    } finally {
      await other.end();
    }
    const step = await reader.sync.step();
    expect(step.copied).to.equal(2);
    expect(reader.holds(variant(1)) && reader.holds(variant(2))).to.equal(true);
    const rows = await sharedRows();
    expect(rows.map((row) => row.class_id), 'seq order is commit order').to.deep.equal([badgeClassId(variant(1)), badgeClassId(variant(2))]);
  });

  it('concurrent uploads through two replicas while a third copies: every document reaches every cache', async () => {
    const a = replica('a');
    const b = replica('b');
    const reader = replica('reader', { pageSize: 4 });
    const COUNT = 30;
    let uploading = true;
    const steps: number[] = [];
    const copying = (async () => {
      while (uploading) {
        steps.push((await reader.sync.step()).through);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const outcomes = await Promise.all(Array.from({ length: COUNT }, (_, n) => (n % 2 === 0 ? a : b).upload(variant(n), n)));
    uploading = false;
    await copying;
    expect(outcomes.every((outcome) => outcome === 'created')).to.equal(true);
    expect(steps.length, 'steps ran while uploads were under way').to.be.greaterThan(1);
    expect(steps, 'the cursor never goes back').to.deep.equal([...steps].sort((x, y) => x - y));

    const rows = await sharedRows();
    expect(rows.map((row) => row.seq)).to.deep.equal(Array.from({ length: COUNT }, (_, n) => n + 1));
    await Promise.all([reader, a, b].map((r) => r.sync.step()));
    for (const r of [reader, a, b]) {
      expect(r.cache.badgeClasses.counts().documents, r.path).to.equal(COUNT);
      expect(r.cache.badgeClasses.copiedThrough()).to.deep.equal({ seq: COUNT, classId: rows[COUNT - 1]!.class_id });
    }
    for (let n = 0; n < COUNT; n += 1) expect(reader.found(n), `variant ${n}`).to.deep.equal([badgeClassId(variant(n))]);
  });

  it('copies from the first again when PostgreSQL no longer holds the cursor’s document at its seq (a database restored or replaced)', async () => {
    const a = replica('a');
    const b = replica('b');
    for (const n of [1, 2, 3]) await a.upload(variant(n));
    await b.sync.step();
    // A restore from a backup taken before any upload: the seq starts again, and new uploads take 1, 2, 3.
    await admin.query('TRUNCATE catalogue_documents RESTART IDENTITY');
    for (const n of [4, 5, 6]) await a.upload(variant(n));
    expect(await b.sync.step()).to.deep.equal({ copied: 3, created: 3, through: 3, startedOver: true });
    expect([4, 5, 6].every((n) => b.holds(variant(n)))).to.equal(true);
    expect(b.cache.badgeClasses.copiedThrough()).to.deep.equal({ seq: 3, classId: badgeClassId(variant(6)) });
  });

  it('stops before a shared document that is not its class id’s, having copied the ones before it', async () => {
    const a = replica('a');
    for (const n of [1, 2, 3]) await a.upload(variant(n));
    await admin.query('UPDATE catalogue_documents SET class_id = $1 WHERE seq = 2', [word(77)]);
    const b = replica('b', { pageSize: 1 });
    const error = await rejects(b.sync.step(), StoreError);
    expect(error.message).to.match(/the shared document at seq 2 is filed under class 0x0+4d, but its id is 0x[0-9a-f]{64}: not copied/);
    expect(b.holds(variant(1))).to.equal(true);
    expect(b.cache.badgeClasses.storedDocument(word(77) as BadgeClassId)).to.equal(undefined);
    expect(b.cache.badgeClasses.copiedThrough()?.seq).to.equal(1);
  });
});
