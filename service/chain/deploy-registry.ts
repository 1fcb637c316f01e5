import type { Signer } from 'ethers';
import { BadgeClassCatalogue__factory, ConfederationRegistry__factory } from '../../typechain-types';
import type { IConfederationRegistry } from '../../typechain-types/contracts/ConfederationRegistry';
import type { DeploymentRecord } from './deployment-record';
import { requireOpcodesFor } from './evm-opcodes';

export type FounderInput = IConfederationRegistry.FounderStruct;

/**
 * Deploys the registry with its founders and quorum, then the badge-class catalogue bound to it, waits for the
 * receipts, and describes the deployment. First it checks that the chain runs every newer opcode either bytecode
 * uses (ChainLacksOpcodeError in ./evm-opcodes names what is missing), before anything is sent.
 */
export async function deployRegistry(
  signer: Signer,
  founders: FounderInput[],
  quorum: number,
): Promise<DeploymentRecord> {
  const provider = signer.provider;
  if (!provider) throw new Error('the deployer account has no provider to deploy through');
  const network = await provider.getNetwork();
  const factory = new ConfederationRegistry__factory(signer);
  const catalogueFactory = new BadgeClassCatalogue__factory(signer);
  await requireOpcodesFor(provider, network.chainId, factory.bytecode);
  await requireOpcodesFor(provider, network.chainId, catalogueFactory.bytecode);
  const contract = await factory.deploy(founders, quorum);
  const receipt = await contract.deploymentTransaction()!.wait();
  if (!receipt || receipt.status !== 1) throw new Error('the registry deployment transaction failed');
  const catalogue = await catalogueFactory.deploy(await contract.getAddress());
  const catalogueReceipt = await catalogue.deploymentTransaction()!.wait();
  if (!catalogueReceipt || catalogueReceipt.status !== 1) throw new Error('the catalogue deployment transaction failed');
  return {
    version: 1,
    chainId: Number(network.chainId),
    registry: await contract.getAddress(),
    catalogue: await catalogue.getAddress(),
    blockNumber: receipt.blockNumber,
    transactionHash: receipt.hash,
    deployer: await signer.getAddress(),
    quorum,
    founders: founders.length,
    deployedAt: new Date().toISOString(),
  };
}
