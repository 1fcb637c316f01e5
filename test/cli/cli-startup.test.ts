// Issue #18, point 1: the command line starts at once. `--help` loads commander and the command tree, never the
// heavy modules (ethers, JSON-LD, SQLite, hardhat), which only the commands that use them load; bin/ runs the build
// in dist/ only when it is the build of the current sources (bin/build-state.js).
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../support/run-node-script';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildState } = require('../../bin/build-state') as { buildState(root?: string): { fresh: boolean; reason?: string } };

const projectRoot = join(__dirname, '..', '..');
const bin = join(projectRoot, 'bin', 'badge-notary.js');
const HEAVY = ['ethers', 'jsonld', 'better-sqlite3', 'hardhat', 'jose', '@digitalbazaar'];

describe('badge-notary starts at once (issue #18)', function () {
  this.timeout(120_000);
  let directory: string;
  let hook: string;

  before(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-startup-'));
    // Preloaded into the CLI's process: at exit, writes the file of every module it loaded.
    hook = join(directory, 'record-modules.js');
    writeFileSync(hook, "process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_MODULES, Object.keys(require.cache).join('\\n')));\n");
  });

  after(function () {
    rmSync(directory, { recursive: true, force: true });
  });

  /** Runs the installed command with `args`; its exit status, stderr and the packages it loaded. */
  async function loadedBy(...args: string[]) {
    const record = join(directory, `modules-${args.join('-').replace(/[^a-z0-9-]/gi, '_')}.txt`);
    const result = await runProcess(process.execPath, ['--require', hook, bin, ...args], { RECORD_MODULES: record });
    const files = readFileSync(record, 'utf8').split('\n');
    const packages = new Set(files.filter((file) => file.includes('node_modules/')).map((file) => packageOf(file)));
    return { ...result, files, packages };
  }

  function packageOf(file: string): string {
    const [first, second] = file.slice(file.lastIndexOf('node_modules/') + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }

  const heavyIn = (packages: Set<string>) => [...packages].filter((name) => HEAVY.some((heavy) => name === heavy || name.startsWith(`${heavy}/`)));

  for (const args of [['--help'], ['member', '--help'], ['verify', '--help'], ['badge', 'issue', '--help'], ['store', 'copy-to-postgres', '--help']]) {
    it(`\`${args.join(' ')}\` loads commander and none of ${HEAVY.join(', ')}`, async function () {
      const result = await loadedBy(...args);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.contain('Usage: badge-notary');
      expect(result.packages.has('commander')).to.equal(true);
      expect(heavyIn(result.packages)).to.deep.equal([]);
    });
  }

  it('loads ethers once a command needs it (the recording sees heavy modules)', async function () {
    const notABadge = join(directory, 'not-a-badge.txt');
    writeFileSync(notABadge, 'hello\n');
    const result = await loadedBy('verify', notABadge);
    expect(result.code).to.equal(2);
    expect(result.packages.has('ethers')).to.equal(true);
  });

  it('runs the build in dist/ when it is current, else the sources, saying why', async function () {
    const result = await loadedBy('--help');
    const state = buildState();
    if (state.fresh) {
      expect(result.files).to.include(join(projectRoot, 'dist', 'service', 'cli', 'main.js'));
      expect(result.stderr).to.equal('');
    } else {
      expect(result.files).to.include(join(projectRoot, 'service', 'cli', 'main.ts'));
      expect(result.stderr).to.contain(`badge-notary: ${state.reason}: running the sources through ts-node`);
    }
  });

  describe('the build state (bin/build-state.js)', function () {
    let root: string;
    const past = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
    const setTime = (path: string, time: Date) => utimesSync(join(root, path), time, time);

    beforeEach(function () {
      root = mkdtempSync(join(tmpdir(), 'badge-notary-build-state-'));
      for (const folder of ['service/cli', 'typechain-types', 'types', 'scripts', 'dist']) mkdirSync(join(root, folder), { recursive: true });
      for (const file of ['service/cli/main.ts', 'service/errors.ts', 'scripts/start.ts', 'tsconfig.json', 'tsconfig.build.json', 'typechain-types/index.ts', 'types/x.d.ts']) {
        writeFileSync(join(root, file), '');
        setTime(file, past(120));
      }
      for (const folder of ['service/cli', 'service', 'typechain-types', 'types', 'scripts']) setTime(folder, past(120));
      writeFileSync(join(root, 'dist', '.build-started'), '');
      setTime('dist/.build-started', past(60));
    });

    afterEach(function () {
      rmSync(root, { recursive: true, force: true });
    });

    it('is fresh when nothing changed since the build began', function () {
      expect(buildState(root)).to.deep.equal({ fresh: true });
    });

    it('is stale without a complete build', function () {
      rmSync(join(root, 'dist', '.build-started'));
      expect(buildState(root)).to.deep.equal({ fresh: false, reason: 'dist/ holds no complete build' });
    });

    it('is stale when a source changed after the build began, naming it', function () {
      setTime('service/cli/main.ts', past(30));
      expect(buildState(root)).to.deep.equal({ fresh: false, reason: 'service/cli/main.ts changed after the last build' });
    });

    it('is stale when a source was removed (its folder changed)', function () {
      rmSync(join(root, 'service', 'errors.ts'));
      expect(buildState(root)).to.deep.equal({ fresh: false, reason: 'service changed after the last build' });
    });

    it('is stale when the build settings changed', function () {
      setTime('tsconfig.build.json', past(1));
      expect(buildState(root).reason).to.equal('tsconfig.build.json changed after the last build');
    });
  });
});
