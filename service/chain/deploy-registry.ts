import type { Signer } from 'ethers';
import { ConfederationRegistry__factory } from '../../typechain-types';
import type { IConfederationRegistry } from '../../typechain-types/contracts/ConfederationRegistry';
import type { DeploymentRecord } from './deployment-record';

export type FounderInput = IConfederationRegistry.FounderStruct;

/** Deploys the registry with its founders and quorum, waits for the receipt, and describes the deployment. */
export async function deployRegistry(
  signer: Signer,
  founders: FounderInput[],
  quorum: number,
): Promise<DeploymentRecord> {
  const factory = new ConfederationRegistry__factory(signer);
  const contract = await factory.deploy(founders, quorum);
  const receipt = await contract.deploymentTransaction()!.wait();
  if (!receipt || receipt.status !== 1) throw new Error('the registry deployment transaction failed');
  const network = await signer.provider!.getNetwork();
  return {
    version: 1,
    chainId: Number(network.chainId),
    registry: await contract.getAddress(),
    blockNumber: receipt.blockNumber,
    transactionHash: receipt.hash,
    deployer: await signer.getAddress(),
    quorum,
    founders: founders.length,
    deployedAt: new Date().toISOString(),
  };
}
