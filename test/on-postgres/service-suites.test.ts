/**
 * Issue #13: the service's suites run on both stores, the same tests. Mocha has loaded each of them on SQLite (the
 * default); this file loads them a second time inside a suite whose hooks switch the store the helpers open
 * (test/support/service-store.ts) to PostgreSQL, on a real server the run starts once and stops at its end.
 *
 * Which suites: every test file that opens the service's store through the shared helpers (makeEnv of
 * test/http/helpers.ts and test/batching/helpers.ts, or openServiceStore), or starts the whole service through
 * the shared starters (as a process: startKillableService, runStartScript, storeUnderTestEnv; in-process:
 * startNotary(loadConfig(withStoreUnderTest(...))): the service gets the PostgreSQL database of its data
 * directory), found by reading the files, so that a new suite is run on both
 * without being listed; except those whose subject is SQLite itself, and those that set
 * BADGE_NOTARY_DATABASE_URL for their processes, which choose their store themselves (the replica fault test runs
 * on PostgreSQL only). The rule is in service-suite-files.ts.
 */
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { dropProcessDatabases, postgresMissing, stopSharedPostgres, useServiceStore } from '../support/service-store';
import { serviceSuiteFiles, testRoot } from './service-suite-files';

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
