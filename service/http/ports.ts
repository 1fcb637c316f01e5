/**
 * What the HTTP layer needs beside the use cases' ports (service/notary/ports.ts): the chain, for readiness
 * and for verification runs.
 */
import type { Provider } from 'ethers';
import type { CatalogueReader, RegistryReader } from '../verify';

export interface ChainAccess {
  chainId: number;
  /** The registry's address. */
  registry: string;
  /** The registry's deployment block (the console reads the registry's events from it); 0 when not known. */
  deploymentBlock?: number;
  /** For readiness (the head) and for the registry's views when the mirror does not know something yet. */
  provider: Provider;
  /** A reader for ONE verification run (it remembers the head): a new one per request. */
  newReader(): RegistryReader;
  /** The badge-class catalogue's reader (its address is in the deployment record); absent when none is known. */
  newCatalogueReader?(): CatalogueReader;
}
