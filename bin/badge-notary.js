#!/usr/bin/env node
// The badge-notary command line. It runs the compiled JavaScript in dist/ (built by `npm ci`, `npm start`,
// `npm test` and `npm run build:ts`), which starts at once. When a source changed after the last build it runs the
// TypeScript sources through ts-node instead, which is slower but never stale, and says so on stderr.
const path = require('node:path');
const { buildState } = require('./build-state');

const build = buildState();
let cli;
if (build.fresh) {
  cli = require('../dist/service/cli/main.js');
} else {
  process.stderr.write(`badge-notary: ${build.reason}: running the sources through ts-node (slower; \`npm run build:ts\` makes it start at once)\n`);
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  cli = require('../service/cli/main');
}

cli.runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
