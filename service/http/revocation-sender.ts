import type { Provider } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { withRegistryErrors } from '../chain/registry-errors';
import type { TransactionQueue } from '../chain/transaction-queue';
import type { RevocationSender } from './ports';

/**
 * Sends revokeCredentials through the notary account's transaction queue (service/chain/transaction-queue.ts),
 * the same queue the anchorer must use, so that a revocation and an anchor never take the same nonce.
 *
 * @example
 * const sender = createRevocationSender({ queue: await TransactionQueue.for(wallet), provider, registry })
 */
export function createRevocationSender(options: { queue: TransactionQueue; provider: Provider; registry: string }): RevocationSender {
  const registry = ConfederationRegistry__factory.connect(options.registry, options.provider);
  return {
    account: options.queue.address,
    send(request, beforeBroadcast) {
      return withRegistryErrors(`revoking ${request.digests.length} credential(s) of member ${request.memberId}`, async () => {
        const sent = await options.queue.send(
          () => registry.revokeCredentials.populateTransaction(request.memberId, [...request.digests], request.reason),
          { beforeBroadcast: ({ hash, nonce }) => beforeBroadcast({ hash, nonce }) },
        );
        return { hash: sent.hash, nonce: sent.nonce };
      });
    },
    async receipt(hash) {
      const receipt = await options.provider.getTransactionReceipt(hash);
      return receipt ? { blockNumber: receipt.blockNumber, succeeded: receipt.status === 1 } : undefined;
    },
  };
}
