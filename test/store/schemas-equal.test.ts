import { expect } from 'chai';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { migrate } from '../../service/store/database';
import { listPostgresMigrations, migratePostgres } from '../../service/store/postgres/migrate';
import { postgresBinaries, startPostgres, type PostgresServer } from '../support/postgres-server';

/** What two stores must agree on: per table, its columns, keys and indexes. */
interface TableShape {
  columns: string[];
  primaryKey: string[];
  unique: string[];
  indexes: string[];
  foreignKeys: string[];
}
type Schema = Record<string, TableShape>;

/** Tables only PostgreSQL has, and why. */
const POSTGRES_ONLY: Record<string, string> = {
  schema_migrations: 'PostgreSQL records its migrations in a table; SQLite in PRAGMA user_version',
  leases: "the anchorer's lease between processes; on SQLite one process owns the data directory",
  service_keys: 'the status-list key every process shares; on SQLite it is a file in the data directory',
};

/** Columns only PostgreSQL has, and why. */
const POSTGRES_ONLY_COLUMNS: Record<string, string> = {
  'anchor_transactions.seq': "the order rows were written in, which SQLite's rowid gives",
  'api_clients.seq': "the order clients were made in within a millisecond, which SQLite's rowid gives",
  'catalogue_documents.seq': 'the order the shared documents were stored in, which each replica copies them in (with a unique constraint)',
};

/** Tables only SQLite has, and why. */
const SQLITE_ONLY: Record<string, string> = {
  catalogue_document_copies: "how far a replica's SQLite cache has copied PostgreSQL's class documents; PostgreSQL is what they are copied from",
};

/** A key or index over PostgreSQL-only columns alone belongs to them. */
const onPostgresOnlyColumns = (table: string, columns: readonly string[]) => columns.every((column) => `${table}.${column}` in POSTGRES_ONLY_COLUMNS);

const SQLITE_TYPES: Record<string, string> = { INTEGER: 'integer', TEXT: 'text', BLOB: 'bytes' };
const POSTGRES_TYPES: Record<string, string> = { bigint: 'integer', text: 'text', bytea: 'bytes' };

function sqliteSchema(db: Database.Database): Schema {
  const schema: Schema = {};
  const all = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
  // A full-text index is each engine's own (SQLite's FTS5 virtual table and its shadow tables; PostgreSQL's
  // tsvector and GIN index): the tables it indexes are compared, not the index.
  const fullText = all.filter((table) => /^CREATE VIRTUAL TABLE/i.test(table.sql)).map((table) => table.name);
  const tables = all.map((table) => table.name).filter((name) => !fullText.some((index) => name === index || name.startsWith(`${index}_`)));
  for (const table of tables) {
    const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
    const indexes = db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string; partial: number }[];
    const columnsOf = (index: string) => (db.prepare(`PRAGMA index_info("${index}")`).all() as { name: string }[]).map((c) => c.name).join(',');
    const keys = db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { from: string; table: string; to: string }[];
    schema[table] = {
      columns: columns.map((c) => `${c.name} ${SQLITE_TYPES[c.type] ?? c.type}${c.notnull || c.pk ? ' required' : ''}`).sort(),
      primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      unique: indexes.filter((i) => i.origin === 'u').map((i) => columnsOf(i.name)).sort(),
      indexes: indexes.filter((i) => i.origin === 'c').map((i) => `${i.name} (${columnsOf(i.name)})${i.unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`).sort(),
      foreignKeys: keys.map((k) => `${k.from} -> ${k.table}.${k.to}`).sort(),
    };
  }
  return schema;
}

async function postgresSchema(pool: Pool): Promise<Schema> {
  const schema: Schema = {};
  const { rows: columns } = await pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const shape = (table: string) => (schema[table] ??= { columns: [], primaryKey: [], unique: [], indexes: [], foreignKeys: [] });
  for (const c of columns) {
    if (`${c.table_name}.${c.column_name}` in POSTGRES_ONLY_COLUMNS) continue;
    shape(c.table_name).columns.push(`${c.column_name} ${POSTGRES_TYPES[c.data_type] ?? c.data_type}${c.is_nullable === 'NO' ? ' required' : ''}`);
  }
  type ConstraintRow = { table_name: string; kind: string; columns: string[]; target: string | null; target_columns: string[] | null };
  const { rows: constraints } = await pool.query<ConstraintRow>(
    `SELECT rel.relname AS table_name, con.contype AS kind,
            array(SELECT att.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.n ORDER BY k.i) AS columns,
            ref.relname AS target,
            array(SELECT att.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute att ON att.attrelid = con.confrelid AND att.attnum = k.n ORDER BY k.i) AS target_columns
       FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid LEFT JOIN pg_class ref ON ref.oid = con.confrelid
       JOIN pg_namespace ns ON ns.oid = rel.relnamespace WHERE ns.nspname = 'public' AND con.contype IN ('p', 'u', 'f')`,
  );
  for (const c of constraints) {
    const table = shape(c.table_name);
    if (c.kind === 'p') table.primaryKey = c.columns;
    if (c.kind === 'u' && !onPostgresOnlyColumns(c.table_name, c.columns)) table.unique.push(c.columns.join(','));
    if (c.kind === 'f') table.foreignKeys.push(`${c.columns.join(',')} -> ${c.target}.${c.target_columns!.join(',')}`);
  }
  const { rows: indexes } = await pool.query<{ table_name: string; index_name: string; unique: boolean; partial: boolean; columns: string[] }>(
    `SELECT t.relname AS table_name, i.relname AS index_name, x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
            array(SELECT att.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o) JOIN pg_attribute att ON att.attrelid = t.oid AND att.attnum = k.n ORDER BY k.o) AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
      WHERE ns.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)`,
  );
  for (const i of indexes.filter((index) => !onPostgresOnlyColumns(index.table_name, index.columns))) shape(i.table_name).indexes.push(`${i.index_name} (${i.columns.join(',')})${i.unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`);
  for (const table of Object.values(schema)) {
    table.columns.sort();
    table.unique.sort();
    table.indexes.sort();
    table.foreignKeys.sort();
  }
  return schema;
}

describe('store: the SQLite and PostgreSQL migrations give the same schema', function () {
  this.timeout(120_000);
  let server: PostgresServer;
  let pool: Pool;

  before(async function () {
    if (!postgresBinaries()) {
      console.log(`      skipped: PostgreSQL is missing; install Debian's with: apt-get install -y postgresql`);
      this.skip();
    }
    server = await startPostgres();
    pool = new Pool({ connectionString: server.url, max: 4 });
  });
  after(async () => {
    await pool?.end();
    await server?.destroy();
  });

  it('has the same tables, columns (type, required), primary keys, unique constraints, indexes and foreign keys', async () => {
    const sqlite = new Database(':memory:');
    migrate(sqlite);
    await migratePostgres(pool);
    const postgres = await postgresSchema(pool);
    for (const table of Object.keys(POSTGRES_ONLY)) delete postgres[table];
    const expected = sqliteSchema(sqlite);
    for (const table of Object.keys(SQLITE_ONLY)) {
      expect(expected, `SQLITE_ONLY names ${table}, which SQLite lacks`).to.have.property(table);
      delete expected[table];
    }
    const hint = 'a migration added to one store needs its twin in the other (service/store/migrations, service/store/postgres/migrations)';
    expect(Object.keys(postgres).sort(), `tables: ${hint}`).to.deep.equal(Object.keys(expected).sort());
    for (const table of Object.keys(expected)) expect(postgres[table], `${table}: ${hint}`).to.deep.equal(expected[table]);
    sqlite.close();
  });

  it('tells a difference (the comparison itself): a column SQLite has and PostgreSQL lacks', async () => {
    const sqlite = new Database(':memory:');
    migrate(sqlite);
    sqlite.exec('ALTER TABLE credentials ADD COLUMN extra TEXT');
    const postgres = await postgresSchema(pool);
    expect(postgres.credentials).to.not.deep.equal(sqliteSchema(sqlite).credentials);
    sqlite.close();
  });

  it('migrates once when several processes start at once, and again is a no-op', async () => {
    const fresh = new Pool({ connectionString: server.url, max: 8 });
    try {
      await fresh.query('CREATE DATABASE twice');
    } finally {
      await fresh.end();
    }
    const twice = new Pool({ connectionString: server.url.replace(/\/notary$/, '/twice'), max: 8 });
    try {
      const known = listPostgresMigrations().at(-1)!.version;
      expect(await Promise.all([migratePostgres(twice), migratePostgres(twice), migratePostgres(twice)])).to.deep.equal([known, known, known]);
      const { rows } = await twice.query('SELECT version::int FROM schema_migrations ORDER BY version');
      expect(rows.map((row) => row.version)).to.deep.equal(listPostgresMigrations().map((m) => m.version));
      expect(await migratePostgres(twice)).to.equal(known);
    } finally {
      await twice.end();
    }
  });

  it('rolls a failing migration back whole, and refuses a database newer than the program', async () => {
    const admin = new Pool({ connectionString: server.url, max: 2 });
    await admin.query('CREATE DATABASE broken');
    await admin.end();
    const broken = new Pool({ connectionString: server.url.replace(/\/notary$/, '/broken'), max: 2 });
    try {
      const bad = [{ version: 1, name: '001-bad.sql', sql: 'CREATE TABLE half (id bigint); SELECT * FROM missing_table;' }];
      let failure: unknown;
      await migratePostgres(broken, bad).catch((error) => (failure = error));
      expect(String(failure)).to.match(/migration 001-bad\.sql failed: relation "missing_table" does not exist/);
      const { rowCount } = await broken.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half'");
      expect(rowCount).to.equal(0);
      await migratePostgres(broken, [{ version: 5, name: '005-later.sql', sql: 'SELECT 1' }]);
      let refusal: unknown;
      await migratePostgres(broken, [{ version: 1, name: '001-first.sql', sql: 'SELECT 1' }]).catch((error) => (refusal = error));
      expect(String(refusal)).to.match(/schema version 5, newer than this program knows \(1\)/);
    } finally {
      await broken.end();
    }
  });
});
