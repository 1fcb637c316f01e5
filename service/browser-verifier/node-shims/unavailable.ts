/**
 * node:zlib, node:os and node:worker_threads in the browser bundle: on the verification path only as imports of
 * modules whose other functions need them (a status list's bitstring, a Merkle tree built in parallel). Verifying
 * a badge calls none of them; each throws, saying so, if a later change makes it do.
 */
const notInBrowser = (what: string) => () => {
  throw new Error(`${what} is not in the browser verifier`);
};

export const gzipSync = notInBrowser('gzip');
export const gunzipSync = notInBrowser('gunzip (a status list’s bitstring)');
export const availableParallelism = () => 1;
export class Worker {
  constructor() {
    notInBrowser('a worker thread')();
  }
}
export const parentPort = null;
export const workerData = undefined;
