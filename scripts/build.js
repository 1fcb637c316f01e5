// `npm run build:ts` (and `npm ci`, `npm start`, `npm test`): compiles the service and the command line into dist/
// (tsconfig.build.json) and copies the files they read beside their code: the web page, the console and the SQL migrations.
// With --if-stale it does nothing when dist/ already holds the build of the current sources (bin/build-state.js).
'use strict';
const { cpSync, rmSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');
const { buildState, PROJECT_ROOT, STAMP } = require('../bin/build-state');

const ASSETS = ['service/web/page', 'service/web/backpack', 'service/web/dashboard', 'service/web/console', 'service/store/migrations', 'service/store/postgres/migrations'];
// Plain JavaScript modules of the domain that the compiled code requires and the web console serves as they are
// (tsc compiles TypeScript only): the rules the service and the browser share.
const SHARED_MODULES = ['service/baking/crc32.mjs', 'service/catalogue/class-levels.mjs', 'service/issuing/earner-rules.mjs'];
// Plain JavaScript that a process the service spawns loads as it is (node --require), found beside the code that spawns it.
const PRELOADS = ['service/chain/end-with-parent.js'];

async function build() {
  const startedAt = new Date();
  // No stamp while the build runs: a command started meanwhile runs the sources instead of a half-written dist/.
  rmSync(join(PROJECT_ROOT, 'dist'), { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (tsc.status !== 0) return tsc.status ?? 1;
  for (const folder of ASSETS) cpSync(join(PROJECT_ROOT, folder), join(PROJECT_ROOT, 'dist', folder), { recursive: true });
  for (const file of [...SHARED_MODULES, ...PRELOADS]) cpSync(join(PROJECT_ROOT, file), join(PROJECT_ROOT, 'dist', file));
  try {
    // Required here, not at the top: a checkout whose node_modules predates esbuild then says what to do.
    const { buildBrowserSigner, buildBrowserVerifier } = require('./build-browser-verifier');
    await buildBrowserVerifier(join(PROJECT_ROOT, 'dist', 'service', 'web', 'backpack', 'chain-verifier.js'));
    await buildBrowserSigner(join(PROJECT_ROOT, 'dist', 'service', 'web', 'console', 'ld-signer.js'));
  } catch (error) {
    const missing = error.code === 'MODULE_NOT_FOUND' ? ' (a package the bundle needs is not installed: run npm install)' : '';
    console.error(`the browser verifier or signer did not build: ${error.message}${missing}`);
    return 1;
  }
  const stamp = join(PROJECT_ROOT, STAMP);
  writeFileSync(stamp, 'the build of the sources as they were at this file’s modification time\n');
  utimesSync(stamp, startedAt, startedAt);
  return 0;
}

const state = buildState();
if (process.argv.includes('--if-stale') && state.fresh) process.exitCode = 0;
else {
  if (!state.fresh) console.error(`building dist/: ${state.reason}`);
  build().then((code) => {
    process.exitCode = code;
  });
}
