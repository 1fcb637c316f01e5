import { keccak256, toUtf8Bytes, type Provider } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import type { RegistryViews } from '../notary/ports';
import { decodeRegistryRevert } from './registry-errors';

/**
 * The registry's views over JSON-RPC, for the use cases' RegistryDirectory: "no such member" (the registry's
 * UnknownMember revert, a zero id or key owner, a zero revocation time) is undefined; a failing chain rejects.
 *
 * @example
 * const views = createRegistryViews(provider, registryAddress)
 */
export function createRegistryViews(provider: Provider, registry: string): RegistryViews {
  const contract = ConfederationRegistry__factory.connect(registry, provider);
  return {
    async member(id) {
      try {
        const view = await contract.getMember(id);
        return { id: Number(view.id), did: view.did, role: Number(view.role), status: Number(view.status) };
      } catch (error) {
        if (decodeRegistryRevert(error)?.name === 'UnknownMember') return undefined;
        throw error;
      }
    },
    async memberIdByDid(did) {
      const id = await contract.memberIdByDidHash(keccak256(toUtf8Bytes(did)));
      return id === 0n ? undefined : Number(id);
    },
    async key(keyHash) {
      const key = await contract.getKey(keyHash);
      if (Number(key.memberId) === 0) return undefined;
      return {
        memberId: Number(key.memberId),
        validFrom: Number(key.validFrom),
        validUntil: Number(key.validUntil),
        revoked: key.revoked,
        compromisedAt: Number(key.compromisedAt),
      };
    },
    async revocationOf(memberId, digest) {
      const [revokedAt, reason] = await contract.revocationOf(memberId, digest);
      return revokedAt === 0n ? undefined : { revokedAt: Number(revokedAt), reason: Number(reason) };
    },
  };
}
