import type { ContractTransactionResponse, LogDescription } from 'ethers';
import type { ConfederationRegistry } from '../../typechain-types';
import { withRegistryErrors } from '../chain/registry-errors';

export interface SentTransaction {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
  /** The registry's events in the receipt, decoded. */
  events: LogDescription[];
}

/**
 * Sends one registry transaction and waits for its receipt. A revert, whether at gas estimation or on
 * chain, comes back as a RegistryRevertError whose message says in words what was refused.
 */
export async function sendRegistryTransaction(
  registry: ConfederationRegistry,
  context: string,
  send: () => Promise<ContractTransactionResponse>,
): Promise<SentTransaction> {
  return withRegistryErrors(context, async () => {
    const response = await send();
    const receipt = await response.wait();
    if (!receipt) throw new Error(`${context}: the transaction ${response.hash} has no receipt`);
    const events = receipt.logs
      .map((log) => {
        try {
          return registry.interface.parseLog(log);
        } catch {
          return null;
        }
      })
      .filter((event): event is LogDescription => event !== null);
    return { hash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, events };
  });
}

export function findEvent(sent: SentTransaction, name: string): LogDescription | undefined {
  return sent.events.find((event) => event.name === name);
}
