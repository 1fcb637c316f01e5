/** The chain a PostgreSQL database belongs to: the same row as the SQLite ChainBindingRepository's. */
import type { ChainBinding, ChainBindingRepository } from '../chain-binding-repository';
import type { PgDatabase } from './pg-database';

type ChainBindingStorage = { [K in keyof ChainBindingRepository]: ChainBindingRepository[K] };

export class PgChainBindingRepository implements ChainBindingStorage {
  constructor(private readonly db: PgDatabase) {}

  async get(): Promise<ChainBinding | undefined> {
    const { rows } = await this.db.query<ChainBinding>(
      `SELECT chain_id AS "chainId", registry, deployment_block AS "deploymentBlock", deployment_block_hash AS "deploymentBlockHash"
         FROM chain_binding WHERE id = 1`,
    );
    return rows[0];
  }

  /** Binds an unbound database; binding it again is a no-op (the first binding stays: sameChain compares them). */
  async bind(binding: ChainBinding, now: number): Promise<void> {
    await this.db.query(
      `INSERT INTO chain_binding (id, chain_id, registry, deployment_block, deployment_block_hash, bound_at)
       VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
      [binding.chainId, binding.registry, binding.deploymentBlock, binding.deploymentBlockHash, now],
    );
  }
}
