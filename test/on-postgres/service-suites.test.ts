/**
 * Issue #13: the service's suites run on both stores, the same tests. Mocha has loaded each of them on SQLite (the
 * default); this file loads them a second time inside a suite whose hooks switch the store the helpers open
 * (test/support/service-store.ts) to PostgreSQL, on a real server the run starts once and stops at its end.
 *
 * Which suites: every test file that opens the service's store through the shared helpers (makeEnv of
 * test/http/helpers.ts and test/batching/helpers.ts, or openServiceStore), or starts the service as a process
 * through the shared starters (startKillableService, runStartScript, storeUnderTestEnv: the process gets the
 * PostgreSQL database of its data directory), found by reading the files, so that a new suite is run on both
 * without being listed; except those below whose subject is SQLite itself, and those that set
 * BADGE_NOTARY_DATABASE_URL for their processes: they choose their store themselves (the replica fault test runs on PostgreSQL only).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { dropProcessDatabases, postgresMissing, stopSharedPostgres, useServiceStore } from '../support/service-store';

const testRoot = join(__dirname, '..');

/** Suites about SQLite itself, with where PostgreSQL's side of the same question is tested. */
export const SQLITE_ONLY: Record<string, string> = {
  'faults/storage-errors.test.ts':
    "SQLite's disk errors (SQLITE_FULL, SQLITE_READONLY) made with its pragmas; PostgreSQL's faults: faults/replicas.fault.test.ts (the server restarted under load: 503 storage-unavailable, then 202 again)",
  'faults/crash.fault.test.ts':
    'reads a copy of the SQLite file (and its WAL) a SIGKILLed process left, to show what the next start finds; on PostgreSQL the leader is SIGKILLed at each anchoring state and the database read after each kill in faults/replicas.fault.test.ts',
  'faults/disk.fault.test.ts':
    "the disk under SQLite's file filled (a small tmpfs: SQLITE_FULL) or turned read-only (a loop device), then the file checked with PRAGMA integrity_check; PostgreSQL's storage faults: faults/replicas.fault.test.ts (the server restarted under load)",
  'e2e/start-script.e2e.test.ts':
    "npm start's embedded default is SQLite (issue #13: it stays the default): the SQLite file's modes with its -wal and -shm, and a restart on the fresh local chain moving that file aside; on PostgreSQL the restart on a fresh chain is refused instead (e2e/service.e2e.test.ts, 'npm start’s embedded chain, restarted', run on both stores)",
};

/** Whether a test file opens the service's store, or starts a service process, through the shared helpers. */
export function opensServiceStore(source: string): boolean {
  // A file that sets the variable itself (as a key of a process's environment) chose its store.
  if (/\bBADGE_NOTARY_DATABASE_URL\s*:/.test(source)) return false;
  return /\b(makeEnv|openServiceStore|startKillableService|runStartScript|storeUnderTestEnv)\(/.test(source);
}

export function serviceSuiteFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.test.ts') && path !== __filename) files.push(path);
    }
  };
  walk(testRoot);
  return files
    .filter((file) => !(relative(testRoot, file) in SQLITE_ONLY))
    .filter((file) => opensServiceStore(readFileSync(file, 'utf8')))
    .sort();
}

/** Loads a test file again (its suites register under the running describe), leaving no copy in the cache. */
function loadAgain(file: string): void {
  const load = createRequire(__filename);
  const resolved = load.resolve(file);
  delete load.cache[resolved];
  try {
    load(resolved);
  } finally {
    // Mocha requires every test file itself, maybe after this one: it must find none cached, or it would
    // register nothing.
    delete load.cache[resolved];
  }
}

describe('on PostgreSQL: the service suites again (issue #13)', function () {
  before(function () {
    const missing = postgresMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    useServiceStore('postgres');
  });
  after(async function () {
    useServiceStore('sqlite');
    await stopSharedPostgres();
  });
  for (const file of serviceSuiteFiles()) {
    describe(relative(testRoot, file), () => {
      loadAgain(file);
      // After the file's own hooks, which stop the processes it started.
      after(dropProcessDatabases);
    });
  }
});
