// The README a newcomer follows (issue #17, point 13): the small errors it had are checked against the code, so
// they cannot come back when a page, a variable or a path is added.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DOCS = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|js|mjs)$/.test(name))
    .map((name) => join(ROOT, folder, name));
}

/** A variable is documented by its full name, or as `_SUFFIX` in a row that starts with a sibling's full name. */
function documented(variable: string, text: string): boolean {
  if (new RegExp(`${variable}\\b`).test(text)) return true;
  const suffix = variable.replace(/^BADGE_NOTARY_/, '');
  return text.split('\n').some((line) => line.includes('BADGE_NOTARY_') && new RegExp(`\`_${suffix}\``).test(line));
}

describe('the README against the code', function () {
  it('lists every page of docs/', function () {
    const missing = DOCS.filter((page) => !README.includes(page));
    expect(missing, 'docs pages the README does not name').to.deep.equal([]);
  });

  it('documents every BADGE_NOTARY_ variable the service, the CLI and the scripts read (in the README or a docs page)', function () {
    const read = new Set<string>();
    for (const file of [...sourceFiles('service'), ...sourceFiles('scripts'), ...sourceFiles('bin')]) {
      // Every name the code spells out: process.env.X, the config schema's keys, messages naming a variable.
      for (const [variable] of readFileSync(file, 'utf8').matchAll(/\bBADGE_NOTARY_[A-Z0-9_]*[A-Z0-9]\b/g)) read.add(variable);
    }
    expect(read.size, 'the scan finds the variables').to.be.greaterThan(20);
    const everything = [README, ...DOCS.map((page) => readFileSync(join(ROOT, 'docs', page), 'utf8'))].join('\n');
    const undocumented = [...read].filter((variable) => !documented(variable, everything)).sort();
    expect(undocumented, 'variables read but documented nowhere').to.deep.equal([]);
  });

  it('names the deployment records where the code writes them, and the CLI\'s service and API key settings', function () {
    expect(readFileSync(join(ROOT, 'service', 'config', 'config.ts'), 'utf8')).to.contain("'deployment.json'");
    expect(README).to.contain('data/deployment.json');
    expect(readFileSync(join(ROOT, 'scripts', 'deploy.ts'), 'utf8')).to.contain('`deployments/${record.chainId}.json`');
    expect(README).to.contain('deployments/<chainId>.json');
    for (const setting of ['--url', 'BADGE_NOTARY_URL', '--api-key-file', 'BADGE_NOTARY_API_KEY_FILE', 'BADGE_NOTARY_API_KEY']) {
      expect(README, setting).to.contain(setting);
    }
  });
});
