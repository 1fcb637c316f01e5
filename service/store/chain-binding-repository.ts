import type { SqliteDatabase } from './database';

/** The chain and registry a database belongs to. */
export interface ChainBinding {
  chainId: number;
  registry: string;
  deploymentBlock: number;
  deploymentBlockHash: string;
}

export class ChainBindingRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async get(): Promise<ChainBinding | undefined> {
    const row = this.db
      .prepare<[], { chain_id: number; registry: string; deployment_block: number; deployment_block_hash: string }>(
        'SELECT chain_id, registry, deployment_block, deployment_block_hash FROM chain_binding WHERE id = 1',
      )
      .get();
    return (
      row && {
        chainId: row.chain_id,
        registry: row.registry,
        deploymentBlock: row.deployment_block,
        deploymentBlockHash: row.deployment_block_hash,
      }
    );
  }

  /** Binds an unbound database; binding it again to the same chain is a no-op. */
  async bind(binding: ChainBinding, now: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO chain_binding (id, chain_id, registry, deployment_block, deployment_block_hash, bound_at)
         VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(binding.chainId, binding.registry, binding.deploymentBlock, binding.deploymentBlockHash, now);
  }
}

/** Whether a database bound to `stored` may be used with `current`. */
export function sameChain(stored: ChainBinding, current: ChainBinding): boolean {
  return (
    stored.chainId === current.chainId &&
    stored.registry.toLowerCase() === current.registry.toLowerCase() &&
    stored.deploymentBlock === current.deploymentBlock &&
    stored.deploymentBlockHash === current.deploymentBlockHash
  );
}
