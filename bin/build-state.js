// Whether dist/ holds the build of the current sources, so that bin/ and `npm start` never run stale code.
// The stamp dist/.build-started carries the time the last successful build began (scripts/build.js); any source
// file or folder changed since (edited, added, removed, renamed, checked out) makes the build stale. The check is
// a stat of each of the few hundred sources: a few milliseconds.
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const PROJECT_ROOT = join(__dirname, '..');
/** What the build compiles (tsconfig.build.json's include) or copies beside its output, and its settings. */
const SOURCES = ['service', 'typechain-types', 'types', 'scripts/start.ts', 'scripts/build-browser-verifier.js', 'tsconfig.json', 'tsconfig.build.json'];
const STAMP = join('dist', '.build-started');

/** The first path under `path` (itself included) changed after `since` (ms), or undefined. */
function changedSince(path, since) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return undefined;
  }
  if (stats.mtimeMs > since) return path;
  if (!stats.isDirectory()) return undefined;
  for (const name of readdirSync(path)) {
    const changed = changedSince(join(path, name), since);
    if (changed) return changed;
  }
  return undefined;
}

/** { fresh: true } when dist/ is the build of the sources in `root`; otherwise { fresh: false, reason }. */
function buildState(root = PROJECT_ROOT) {
  let builtAt;
  try {
    builtAt = statSync(join(root, STAMP)).mtimeMs;
  } catch {
    return { fresh: false, reason: 'dist/ holds no complete build' };
  }
  for (const source of SOURCES) {
    const changed = changedSince(join(root, source), builtAt);
    if (changed) return { fresh: false, reason: `${changed.slice(root.length + 1)} changed after the last build` };
  }
  return { fresh: true };
}

module.exports = { buildState, PROJECT_ROOT, SOURCES, STAMP };
