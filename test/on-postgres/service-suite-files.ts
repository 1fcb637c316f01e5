/**
 * Which test files run again on PostgreSQL (issue #13), read from the files themselves (test/on-postgres/
 * service-suites.test.ts loads them; process-store.test.ts tests the rule).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const testRoot = join(__dirname, '..');

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
  'store/sqlite-to-postgres-copy.test.ts':
    'the copy reads a SQLite notary (made with makeEnv on SQLite) and writes PostgreSQL itself: it is about both stores at once, so it runs once',
};

/** Whether a test file opens the service's store, or starts a service process, through the shared helpers. */
export function opensServiceStore(source: string): boolean {
  // A file that sets the variable itself (as a key of a process's environment) chose its store.
  if (/\bBADGE_NOTARY_DATABASE_URL\s*:/.test(source)) return false;
  return /\b(makeEnv|openServiceStore|startKillableService|runStartScript|storeUnderTestEnv|withStoreUnderTest)\(/.test(source);
}

export function serviceSuiteFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      // This folder holds the machinery itself, and its own tests.
      if (entry.isDirectory()) {
        if (path !== __dirname) walk(path);
      } else if (entry.name.endsWith('.test.ts')) files.push(path);
    }
  };
  walk(testRoot);
  return files
    .filter((file) => !(relative(testRoot, file) in SQLITE_ONLY))
    .filter((file) => opensServiceStore(readFileSync(file, 'utf8')))
    .sort();
}

