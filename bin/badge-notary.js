#!/usr/bin/env node
// The badge-notary command line. It runs the TypeScript sources through ts-node (type checks happen in
// `npm test`), so a checkout works without a build step.
const path = require('node:path');
require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
const { runCli } = require('../service/cli/main');

runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
