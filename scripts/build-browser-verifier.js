// Bundles the verifier for the browser (service/browser-verifier, docs/backpack.md): the project's own verifyBadge and
// JSON-RPC registry reader, ethers, the JSON-LD suites and the context documents, as one ES module that the backpack
// serves as backpack-files/chain-verifier.js. The node-only modules the domain imports are replaced by the browser
// versions in service/browser-verifier/node-shims/. scripts/build.js runs it after the TypeScript build.
'use strict';
const { join } = require('node:path');
const esbuild = require('esbuild');

const SHIMS = join(__dirname, '..', 'service', 'browser-verifier', 'node-shims');
/** Module -> its browser version. */
const REPLACED = {
  crypto: 'crypto.ts',
  zlib: 'unavailable.ts',
  os: 'unavailable.ts',
  worker_threads: 'unavailable.ts',
  'hash-wasm': 'hash-wasm.ts',
};

const replaceNodeModules = {
  name: 'browser-verifier-shims',
  setup(build) {
    build.onResolve({ filter: /^(node:)?(crypto|zlib|os|worker_threads)$|^hash-wasm$/ }, (args) => ({
      path: join(SHIMS, REPLACED[args.path.replace(/^node:/, '')]),
    }));
  },
};

/** Builds `outfile`; resolves with esbuild's metafile (the test and the docs quote the bundle's size). */
async function buildBrowserVerifier(outfile) {
  const result = await esbuild.build({
    entryPoints: [join(__dirname, '..', 'service', 'browser-verifier', 'index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    legalComments: 'eof',
    inject: [join(SHIMS, 'buffer.ts')],
    define: { 'process.env.BADGE_NOTARY_LD_CANONICALISATION': 'undefined', global: 'globalThis' },
    plugins: [replaceNodeModules],
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

module.exports = { buildBrowserVerifier };

if (require.main === module) {
  buildBrowserVerifier(process.argv[2] ?? join(__dirname, '..', 'dist', 'service', 'web', 'backpack', 'chain-verifier.js')).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
