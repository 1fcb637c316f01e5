// Bundles the verifier for the browser (service/browser-verifier, docs/backpack.md): the project's own verifyBadge and
// JSON-RPC registry reader, ethers, the JSON-LD suites and the context documents, as one ES module that the backpack
// serves as backpack-files/chain-verifier.js. The node-only modules the domain imports are replaced by the browser
// versions in service/browser-verifier/node-shims/. scripts/build.js runs it after the TypeScript build.
// buildBrowserSigner bundles the console's Data Integrity signer (service/browser-signer) the same way, with its own
// node:crypto (which signs with a WebCrypto key) in place of the verifier's.
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

/** The node-only modules replaced by the shims; `crypto` by `cryptoShim` when given. */
const replaceNodeModules = (cryptoShim) => ({
  name: 'browser-shims',
  setup(build) {
    build.onResolve({ filter: /^(node:)?(crypto|zlib|os|worker_threads)$|^hash-wasm$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      return { path: name === 'crypto' && cryptoShim ? cryptoShim : join(SHIMS, REPLACED[name]) };
    });
  },
});

/** Builds `outfile`; resolves with esbuild's metafile (the test and the docs quote the bundle's size). */
async function buildBrowserVerifier(outfile) {
  return bundle(join(__dirname, '..', 'service', 'browser-verifier', 'index.ts'), outfile);
}

/** Builds the console's Data Integrity signer into `outfile` (the console serves it as /console/ld-signer.js). */
async function buildBrowserSigner(outfile) {
  const folder = join(__dirname, '..', 'service', 'browser-signer');
  return bundle(join(folder, 'index.ts'), outfile, join(folder, 'node-shims', 'crypto.ts'));
}

async function bundle(entry, outfile, cryptoShim) {
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    legalComments: 'eof',
    inject: [join(SHIMS, 'buffer.ts')],
    define: { 'process.env.BADGE_NOTARY_LD_CANONICALISATION': 'undefined', global: 'globalThis' },
    plugins: [replaceNodeModules(cryptoShim)],
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

module.exports = { buildBrowserSigner, buildBrowserVerifier };

if (require.main === module) {
  buildBrowserVerifier(process.argv[2] ?? join(__dirname, '..', 'dist', 'service', 'web', 'backpack', 'chain-verifier.js')).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
