/**
 * The layout's rules (README, "Layout"), read from the source: no import circle, dependencies pointing one way,
 * rooms small enough to read. Every import counts, type-only ones too: a circle of types still ties two modules.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SERVICE = join(ROOT, 'service');
const MAX_LINES = 450;

/** The domain: pure rules and formats. */
const DOMAIN = ['credentials', 'merkle', 'verify', 'registry', 'status-list', 'catalogue', 'leadership'];
/** Files every layer may import: the one error base. */
const SHARED = ['errors.ts'];
/** Presentation and process wiring: nothing below them may import them. */
const EDGES = ['http', 'cli', 'web', 'browser-verifier', 'browser-signer', 'notary-process.ts', 'embedded', 'demo'];
/** Adapters to the outside world. */
const ADAPTERS = ['store', 'chain', 'indexer', 'batching', 'config'];
/** Packages that only adapters and edges may use. */
const OUTSIDE_WORLD_PACKAGES = ['express', 'better-sqlite3', 'pg', 'pino', 'prom-client', 'helmet', 'commander'];

interface SourceFile {
  path: string;
  /** service/-relative, e.g. "http/app.ts". */
  name: string;
  text: string;
  /** service/-relative names of the files it imports. */
  imports: string[];
  packages: string[];
}

function sourceFiles(): SourceFile[] {
  const paths: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) paths.push(path);
    }
  };
  walk(SERVICE);
  const known = new Set(paths);
  const resolve = (from: string, spec: string) => {
    const base = normalize(join(dirname(from), spec));
    return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => known.has(candidate));
  };
  return paths.map((path) => {
    const text = readFileSync(path, 'utf8');
    const specifiers = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gms)].map((match) => match[1]!);
    specifiers.push(...[...text.matchAll(/\b(?:import|require)\(\s*'([^']+)'\s*\)/g)].map((match) => match[1]!));
    const imports = specifiers
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolve(path, spec))
      .filter((resolved): resolved is string => resolved !== undefined && resolved.startsWith(SERVICE))
      .map((resolved) => relative(SERVICE, resolved));
    const packages = specifiers.filter((spec) => !spec.startsWith('.') && !spec.startsWith('node:'));
    return { path, name: relative(SERVICE, path), text, imports, packages };
  });
}

/** The import circles among files (Tarjan's strongly connected components of more than one file, or a self-import). */
export function importCircles(files: readonly { name: string; imports: string[] }[]): string[][] {
  const graph = new Map(files.map((file) => [file.name, file.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) circles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return circles;
}

const topFolder = (name: string) => name.split('/')[0]!;

describe('architecture', function () {
  const files = sourceFiles();

  it('reads the service: every file, with its imports', function () {
    expect(files.length).to.be.greaterThan(100);
    const app = files.find((file) => file.name === 'http/app.ts');
    expect(app?.imports.length).to.be.greaterThan(5);
  });

  it('finds a circle when there is one (the check itself)', function () {
    const circles = importCircles([
      { name: 'a.ts', imports: ['b.ts'] },
      { name: 'b.ts', imports: ['c.ts'] },
      { name: 'c.ts', imports: ['a.ts'] },
      { name: 'd.ts', imports: ['a.ts'] },
    ]);
    expect(circles).to.deep.equal([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has no import circle under service/, type-only imports included', function () {
    expect(importCircles(files)).to.deep.equal([]);
  });

  it(`has no file under service/ over ${MAX_LINES} lines`, function () {
    const large = files
      .map((file) => ({ name: file.name, lines: file.text.split('\n').length }))
      .filter((file) => file.lines > MAX_LINES)
      .map((file) => `${file.name}: ${file.lines} lines`);
    expect(large).to.deep.equal([]);
  });

  it('keeps the domain pure: credentials, merkle, verify, registry, status-list, catalogue and leadership import no adapter, edge or outside-world package', function () {
    const wrong: string[] = [];
    for (const file of files.filter((candidate) => DOMAIN.includes(topFolder(candidate.name)))) {
      for (const target of file.imports) {
        const folder = topFolder(target);
        if (!DOMAIN.includes(folder) && !SHARED.includes(target)) wrong.push(`${file.name} imports ${target}`);
      }
      for (const name of file.packages) if (OUTSIDE_WORLD_PACKAGES.includes(name)) wrong.push(`${file.name} uses ${name}`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('points one way: adapters import no edge, and the command line and the HTTP layer do not import each other', function () {
    const wrong: string[] = [];
    for (const file of files) {
      const from = topFolder(file.name);
      for (const target of file.imports) {
        const to = topFolder(target);
        if (ADAPTERS.includes(from) && EDGES.includes(to)) wrong.push(`${file.name} imports ${target}`);
        if ((from === 'cli' && to === 'http') || (from === 'http' && to === 'cli')) wrong.push(`${file.name} imports ${target}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });
});
