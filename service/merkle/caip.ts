import { getAddress } from 'ethers';
import { MerkleError } from './errors';

/** A CAIP-2 chain identifier of an EVM chain: eip155 and the decimal EIP-155 chain id. */
export type Caip2ChainId = `eip155:${string}`;
/** A CAIP-10 account identifier on an EVM chain: the CAIP-2 chain, a colon, the EIP-55 checksummed address. */
export type Caip10AccountId = `eip155:${string}:0x${string}`;

const CAIP2_EIP155 = /^eip155:([1-9][0-9]{0,31})$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const CAIP10_EIP155 = /^(eip155:[1-9][0-9]{0,31}):(0x[0-9a-fA-F]{40})$/;

/** eip155:CHAINID for a chain id (ethers gives it as a bigint). */
export function caip2(chainId: number | bigint): Caip2ChainId {
  const id = BigInt(chainId);
  if (id < 1n || id.toString().length > 32) {
    throw new MerkleError(`chain id ${chainId} cannot be written as CAIP-2`, {
      details: 'expected a positive integer',
    });
  }
  return `eip155:${id}`;
}

/**
 * The EIP-55 form of an address, remembered: a service names the same few registries in every receipt it builds
 * or reads, and checksumming costs two keccak256 runs (most of a receipt lookup's CPU before it was remembered).
 */
const checksummed = new Map<string, string>();
const CHECKSUMMED_KEPT = 1024;

/** The EIP-55 form of a 0x address of 20 bytes; undefined for anything else, or for mixed case with a wrong checksum. */
function checksumAddress(address: string): string | undefined {
  const known = checksummed.get(address);
  if (known !== undefined) return known;
  if (!ADDRESS.test(address)) return undefined;
  let eip55: string;
  try {
    eip55 = getAddress(address);
  } catch {
    return undefined;
  }
  if (checksummed.size >= CHECKSUMMED_KEPT) checksummed.clear();
  checksummed.set(address, eip55);
  return eip55;
}

/** eip155:CHAINID:ADDRESS, the address EIP-55 checksummed. */
export function caip10(chainId: number | bigint, address: string): Caip10AccountId {
  const eip55 = typeof address === 'string' ? checksumAddress(address) : undefined;
  if (eip55 === undefined) {
    throw new MerkleError(`${address} cannot be written as CAIP-10`, { details: 'expected a 0x address of 20 bytes' });
  }
  return `${caip2(chainId)}:${eip55}` as Caip10AccountId;
}

/** The chain id of a canonical CAIP-2 eip155 identifier, or undefined when `value` is not one. */
export function parseCaip2(value: unknown): { chainId: bigint } | undefined {
  const match = typeof value === 'string' ? CAIP2_EIP155.exec(value) : null;
  return match ? { chainId: BigInt(match[1]) } : undefined;
}

/**
 * The chain and address of a canonical CAIP-10 eip155 identifier (address EIP-55 checksummed), or undefined when
 * `value` is not one.
 */
export function parseCaip10(value: unknown): { chain: Caip2ChainId; chainId: bigint; address: string } | undefined {
  const match = typeof value === 'string' ? CAIP10_EIP155.exec(value) : null;
  if (!match) return undefined;
  const [, chain, address] = match;
  if (checksumAddress(address) !== address) return undefined;
  return { chain: chain as Caip2ChainId, chainId: BigInt(chain.slice('eip155:'.length)), address };
}
