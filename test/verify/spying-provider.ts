import { Interface, type Provider } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';

const REGISTRY = new Interface(ConfederationRegistry__factory.abi);
const CHECKS = new Map(['checkCredential', 'checkCredentials', 'checkCredentialGroups'].map((name) => [REGISTRY.getFunction(name)!.selector, name]));

/** A provider that records, in order, which of the registry's check views are called through it. */
export function spyingOnChecks(provider: Provider): { provider: Provider; called: string[] } {
  const called: string[] = [];
  const spy = new Proxy(provider, {
    get(target, property, receiver) {
      if (property === 'call') {
        return (tx: { data?: string }) => {
          const name = CHECKS.get(tx.data?.slice(0, 10) ?? '');
          if (name) called.push(name);
          return target.call(tx);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return { provider: spy, called };
}
