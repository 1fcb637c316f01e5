import type { Interface, LogDescription, ParamType } from 'ethers';
import { IBadgeClassCatalogue__factory, IConfederationRegistry__factory } from '../../typechain-types';
import type { RegistryEventArg, RegistryEventRecord } from '../store';
import type { ChainLog } from './chain-reader';

/** The registry's ABI, from which its events are decoded. */
const registryInterface: Interface = IConfederationRegistry__factory.createInterface();
/** The badge-class catalogue's ABI (issue #11), whose events the mirror keeps beside the registry's. */
const catalogueInterface: Interface = IBadgeClassCatalogue__factory.createInterface();

/** Integers of up to this many bits fit a JavaScript number exactly and are kept as numbers; wider ones as text. */
const NUMBER_BITS = 48;

/**
 * Decodes one log of the registry into the record the mirror keeps, or returns undefined for a log that is no
 * event of IConfederationRegistry (which the registry never emits).
 *
 * @example
 *   const record = decodeRegistryLog(log, block.timestamp);
 *   // { name: 'RootAnchored', args: { root: '0x…', memberId: 1 }, blockNumber: 42, … }
 */
export function decodeRegistryLog(log: ChainLog, blockTime: number): RegistryEventRecord | undefined {
  return decodeLog(registryInterface, log, blockTime);
}

/** Decodes one log of the badge-class catalogue (IBadgeClassCatalogue), as decodeRegistryLog does the registry's. */
export function decodeCatalogueLog(log: ChainLog, blockTime: number): RegistryEventRecord | undefined {
  return decodeLog(catalogueInterface, log, blockTime);
}

function decodeLog(contract: Interface, log: ChainLog, blockTime: number): RegistryEventRecord | undefined {
  let description: LogDescription | null;
  try {
    description = contract.parseLog({ topics: [...log.topics], data: log.data });
  } catch {
    return undefined;
  }
  if (description === null) return undefined;
  const args: Record<string, RegistryEventArg> = {};
  description.fragment.inputs.forEach((input, i) => {
    args[input.name] = toJsonValue(input, description.args[i]);
  });
  return {
    blockNumber: log.blockNumber,
    logIndex: log.index,
    blockHash: log.blockHash.toLowerCase(),
    txHash: log.transactionHash.toLowerCase(),
    blockTime,
    name: description.name,
    args,
  };
}

function toJsonValue(input: ParamType, value: unknown): RegistryEventArg {
  const integer = /^u?int(\d*)$/.exec(input.type);
  if (integer) {
    const bits = Number(integer[1] || 256);
    const big = value as bigint;
    return bits <= NUMBER_BITS ? Number(big) : big.toString();
  }
  if (input.type === 'bool') return value as boolean;
  if (input.type === 'address' || input.type === 'string') return value as string;
  if (input.type.startsWith('bytes')) return (value as string).toLowerCase();
  // The registry's events have no arrays, tuples or indexed strings; keep anything else readable anyway.
  return String(value);
}
