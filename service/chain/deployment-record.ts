import { readFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { getAddress, isAddress } from 'ethers';
import { writeFileDurably } from '../durable-file';
import { NotaryError, type NotaryErrorOptions } from '../errors';

/** What a deployment of the registry leaves behind for the service, the CLI and verifiers. */
export interface DeploymentRecord {
  /** Format version of this file. */
  version: 1;
  chainId: number;
  /** The registry's address (checksummed). */
  registry: string;
  /** The badge-class catalogue's address (checksummed); absent in records written before the catalogue existed. */
  catalogue?: string;
  /** Block of the deployment transaction: the indexer starts there. */
  blockNumber: number;
  transactionHash: string;
  deployer: string;
  quorum: number;
  founders: number;
  deployedAt: string;
}

export class DeploymentRecordError extends NotaryError {
  override name = 'DeploymentRecordError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('invalid-deployment-record', message, options);
  }
}

/** The CAIP-10 identifier of the registry, e.g. eip155:31337:0xabc... */
export function registryCaip10(record: Pick<DeploymentRecord, 'chainId' | 'registry'>): string {
  return `eip155:${record.chainId}:${record.registry}`;
}

export function readDeploymentRecord(path: string): DeploymentRecord {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new DeploymentRecordError(`cannot read the deployment record ${path}: ${(cause as Error).message}`, { cause });
  }
  let value: Partial<DeploymentRecord>;
  try {
    value = JSON.parse(text) as Partial<DeploymentRecord>;
  } catch (cause) {
    throw new DeploymentRecordError(`the deployment record ${path} is not JSON`, { cause });
  }
  const problem = (field: string, expected: string) =>
    new DeploymentRecordError(`the deployment record ${path} has no valid "${field}": expected ${expected}`);
  if (value.version !== 1) throw problem('version', '1');
  if (!Number.isSafeInteger(value.chainId) || (value.chainId as number) <= 0) throw problem('chainId', 'a positive integer');
  if (typeof value.registry !== 'string' || !isAddress(value.registry)) throw problem('registry', 'a 0x address');
  if (value.catalogue !== undefined && (typeof value.catalogue !== 'string' || !isAddress(value.catalogue))) {
    throw problem('catalogue', 'a 0x address, or no such field');
  }
  if (!Number.isSafeInteger(value.blockNumber) || (value.blockNumber as number) < 0) {
    throw problem('blockNumber', 'a block number');
  }
  const record: DeploymentRecord = { ...(value as DeploymentRecord), registry: getAddress(value.registry) };
  if (value.catalogue !== undefined) record.catalogue = getAddress(value.catalogue);
  return record;
}

/** Writes the record durably (temporary file, fsync, rename), so a crash never leaves half a file or an empty one. */
export function writeDeploymentRecord(path: string, record: DeploymentRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileDurably(path, `${JSON.stringify(record, null, 2)}\n`);
}
