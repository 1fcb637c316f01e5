/**
 * What the indexer reads from the chain: three JSON-RPC calls. An ethers v6 Provider fits as it is (a
 * JsonRpcProvider from service/chain/connection.ts, or Hardhat's in-process `ethers.provider`).
 *
 * A provider must not answer from a cache: ethers' JsonRpcProvider caches identical calls for 250 ms unless it
 * is built with `cacheTimeout: -1`, as connectChain does, and a cached block can hide a reorg.
 */
export interface ChainReader {
  getBlockNumber(): Promise<number>;
  getBlock(blockNumber: number): Promise<ChainBlock | null>;
  getLogs(filter: LogFilter): Promise<readonly ChainLog[]>;
}

export interface ChainBlock {
  number: number;
  hash: string | null;
  parentHash: string;
  /** Unix seconds. */
  timestamp: number;
}

export interface LogFilter {
  address: string;
  fromBlock: number;
  toBlock: number;
}

export interface ChainLog {
  address: string;
  blockNumber: number;
  blockHash: string;
  /** The log's index in its block. */
  index: number;
  transactionHash: string;
  topics: readonly string[];
  data: string;
  removed: boolean;
}
