/**
 * W3C Bitstring Status Lists (docs/status-list.md): the bitstring and its encoding, a credential's revocation
 * entry, and the list credential the notary serves, mirrored from the registry's revocations. Pure.
 */
export { STATUS_LIST_LENGTH, bitAt, decodeBitstring, encodeBitstring } from './bitstring';
export {
  REVOCATION_PURPOSE,
  STATUS_ENTRY_TYPE,
  buildStatusEntry,
  isListName,
  randomStatusIndex,
  revocationEntriesOf,
  statusListAddressOf,
  statusListUrl,
  statusSlotKey,
  type StatusEntry,
  type StatusListAddress,
  type StatusSlot,
} from './entry';
export { StatusListError } from './errors';
export {
  buildStatusListCredential,
  signStatusListCredential,
  verifyStatusListCredential,
  type RegistryBlock,
  type StatusListContent,
  type VerifiedStatusList,
} from './list-credential';
