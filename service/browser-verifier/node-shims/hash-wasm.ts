/**
 * hash-wasm's createKeccak for the browser bundle, on @noble/hashes: the backpack's Content-Security-Policy
 * allows no WebAssembly compilation ('wasm-unsafe-eval'), and verifying a few badges needs no speed. The same
 * init / update / digest interface the domain's keccak callers use.
 */
import { keccak_256 } from '@noble/hashes/sha3';
import { Buffer } from './buffer';

export interface IHasher {
  init(): IHasher;
  update(data: Uint8Array | string): IHasher;
  digest(outputType: 'binary'): Uint8Array;
  digest(outputType?: 'hex'): string;
}

export async function createKeccak(bits: number): Promise<IHasher> {
  if (bits !== 256) throw new Error(`keccak-${bits} is not in the browser verifier`);
  let hash = keccak_256.create();
  const hasher = {
    init() {
      hash = keccak_256.create();
      return hasher;
    },
    update(data: Uint8Array | string) {
      hash.update(typeof data === 'string' ? new TextEncoder().encode(data) : data);
      return hasher;
    },
    digest(outputType?: 'binary' | 'hex') {
      const bytes = hash.digest();
      return outputType === 'binary' ? bytes : Buffer.from(bytes).toString('hex');
    },
  };
  return hasher as IHasher;
}
