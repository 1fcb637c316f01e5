import type { Provider } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { UseCaseError, type RevocationSender } from '../notary';
import { RegistryRevertError, withRegistryErrors } from './registry-errors';
import type { TransactionQueue } from './transaction-queue';

/**
 * Sends revokeCredentials through the notary account's transaction queue (service/chain/transaction-queue.ts),
 * the same queue the anchorer must use, so that a revocation and an anchor never take the same nonce. A
 * registry refusal rejects with a UseCaseError of kind "refused" (the registry's words as its message).
 *
 * @example
 * const sender = createRevocationSender({ queue: await TransactionQueue.for(wallet), provider, registry })
 */
export function createRevocationSender(options: { queue: TransactionQueue; provider: Provider; registry: string }): RevocationSender {
  const registry = ConfederationRegistry__factory.connect(options.registry, options.provider);
  return {
    account: options.queue.address,
    async send(request, beforeBroadcast) {
      try {
        return await withRegistryErrors(`revoking ${request.digests.length} credential(s) of member ${request.memberId}`, async () => {
          const sent = await options.queue.send(
            () => registry.revokeCredentials.populateTransaction(request.memberId, [...request.digests], request.reason),
            { beforeBroadcast: ({ hash, nonce }) => beforeBroadcast({ hash, nonce }) },
          );
          return { hash: sent.hash, nonce: sent.nonce };
        });
      } catch (error) {
        if (error instanceof RegistryRevertError) throw new UseCaseError('refused', 'registry-refused', error.message, { registryError: error.errorName });
        throw error;
      }
    },
    async receipt(hash) {
      const receipt = await options.provider.getTransactionReceipt(hash);
      return receipt ? { blockNumber: receipt.blockNumber, succeeded: receipt.status === 1 } : undefined;
    },
  };
}
