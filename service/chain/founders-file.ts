import { readFileSync } from 'node:fs';
import { isAddress, getAddress, isHexString, ZeroHash } from 'ethers';
import { parseRole, ROLES } from '../registry';
import type { FounderInput } from './deploy-registry';
import { NotaryError, type NotaryErrorOptions } from '../errors';

export class FoundersFileError extends NotaryError {
  override name = 'FoundersFileError';
  constructor(message: string, options: NotaryErrorOptions = {}) {
    super('invalid-founders-file', message, options);
  }
}

/**
 * Reads the founders of a new network from a JSON file: an array of
 * { did, controller, role: "issuing-point" | "validation-point" | "information-point", metadataURI?, metadataHash? }.
 */
export function readFoundersFile(path: string): FounderInput[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new FoundersFileError(`cannot read the founders file ${path}: ${(cause as Error).message}`, { cause });
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new FoundersFileError(`the founders file ${path} must hold a non-empty JSON array`);
  }
  return value.map((entry, index) => parseFounder(entry, `${path}[${index}]`));
}

export function parseFounder(entry: unknown, where: string): FounderInput {
  const founder = (entry ?? {}) as Record<string, unknown>;
  const fail = (field: string, expected: string) =>
    new FoundersFileError(`${where}.${field} is invalid: expected ${expected}`);
  if (typeof founder.did !== 'string' || !founder.did.startsWith('did:')) throw fail('did', 'a DID string (did:...)');
  if (typeof founder.controller !== 'string' || !isAddress(founder.controller)) throw fail('controller', 'a 0x address');
  const role = typeof founder.role === 'string' ? parseRole(founder.role) : undefined;
  if (role === undefined) throw fail('role', `one of ${ROLES.slice(1).join(', ')}`);
  if (founder.metadataURI !== undefined && typeof founder.metadataURI !== 'string') throw fail('metadataURI', 'a string');
  if (founder.metadataHash !== undefined && !isHexString(founder.metadataHash, 32)) {
    throw fail('metadataHash', '0x and 64 hex digits');
  }
  return {
    did: founder.did,
    controller: getAddress(founder.controller),
    role,
    metadataURI: (founder.metadataURI as string | undefined) ?? '',
    metadataHash: (founder.metadataHash as string | undefined) ?? ZeroHash,
  };
}
