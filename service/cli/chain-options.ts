/** The options every chain command shares (flags win over environment variables). */
export interface ChainOptions {
  rpcUrl?: string;
  registry?: string;
  deployment?: string;
  keyFile?: string;
}

export const DEFAULT_RPC_URL = 'http://127.0.0.1:8545';
export const DEFAULT_DEPLOYMENT_FILE = 'data/deployment.json';

/** The chain's JSON-RPC URL: --rpc-url, else BADGE_NOTARY_RPC_URL, else the local default. */
export function rpcUrlOf(options: ChainOptions, env: NodeJS.ProcessEnv): string {
  return options.rpcUrl ?? env.BADGE_NOTARY_RPC_URL ?? DEFAULT_RPC_URL;
}
