/**
 * Deploys the registry to the network named by environment variables and writes its deployment record.
 *
 *   BADGE_NOTARY_RPC_URL           JSON-RPC endpoint (default http://127.0.0.1:8545)
 *   BADGE_NOTARY_DEPLOYER_KEY      0x private key that pays for the deployment (or BADGE_NOTARY_DEPLOYER_KEY_FILE)
 *   BADGE_NOTARY_FOUNDERS          path to a JSON array of founders (see service/chain/founders-file.ts)
 *   BADGE_NOTARY_QUORUM            approvals a collective decision needs (default 1 for one founder; required otherwise)
 *   BADGE_NOTARY_DEPLOYMENT_FILE   where to write the record (default deployments/<chainId>.json)
 *
 * Run: npm run deploy   (after `npm ci`, which compiles the contract)
 */
import { readFileSync } from 'node:fs';
import { isHexString } from 'ethers';
import { connectChain } from '../service/chain/connection';
import { deployRegistry } from '../service/chain/deploy-registry';
import { registryCaip10, writeDeploymentRecord } from '../service/chain/deployment-record';
import { readFoundersFile } from '../service/chain/founders-file';

class DeployConfigError extends Error {}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new DeployConfigError(`${name} is not set`);
  return value;
}

function deployerKey(): string {
  const file = process.env.BADGE_NOTARY_DEPLOYER_KEY_FILE;
  const key = file ? readFileSync(file, 'utf8').trim() : required('BADGE_NOTARY_DEPLOYER_KEY');
  if (!isHexString(key, 32)) {
    throw new DeployConfigError(`${file ? 'BADGE_NOTARY_DEPLOYER_KEY_FILE' : 'BADGE_NOTARY_DEPLOYER_KEY'} must hold a 0x private key (64 hex digits)`);
  }
  return key;
}

function quorum(founders: number): number {
  const text = process.env.BADGE_NOTARY_QUORUM;
  if (text === undefined) {
    if (founders === 1) return 1;
    throw new DeployConfigError(`BADGE_NOTARY_QUORUM is not set: with ${founders} founders, choose how many must approve`);
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > founders) {
    throw new DeployConfigError(`BADGE_NOTARY_QUORUM must be a whole number from 1 to ${founders} (the founders), not "${text}"`);
  }
  return value;
}

async function main(): Promise<void> {
  const rpcUrl = process.env.BADGE_NOTARY_RPC_URL ?? 'http://127.0.0.1:8545';
  const founders = readFoundersFile(required('BADGE_NOTARY_FOUNDERS'));
  const connection = connectChain({ rpcUrl, privateKey: deployerKey() });
  try {
    const record = await deployRegistry(connection.signer!, founders, quorum(founders.length));
    const file = process.env.BADGE_NOTARY_DEPLOYMENT_FILE ?? `deployments/${record.chainId}.json`;
    writeDeploymentRecord(file, record);
    console.log(`registry deployed at ${record.registry} (${registryCaip10(record)}), block ${record.blockNumber}`);
    console.log(`badge-class catalogue deployed at ${record.catalogue}`);
    console.log(`deployment record written to ${file}`);
  } finally {
    connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof DeployConfigError ? 2 : 1;
});
