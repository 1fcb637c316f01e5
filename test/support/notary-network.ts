import { ZeroHash, type Signer } from 'ethers';
import { connectChain, registryAt, type ChainConnection } from '../../service/chain/connection';
import { deployRegistry } from '../../service/chain/deploy-registry';
import { writeDeploymentRecord, type DeploymentRecord } from '../../service/chain/deployment-record';
import { startLocalNode, type LocalNode } from '../../service/chain/local-node';
import { parseCredential } from '../../service/credentials/parse';
import { BatchTree, buildReceipt, type Receipt } from '../../service/merkle';
import type { ConfederationRegistry } from '../../typechain-types';
import { wellKnownAccount } from './well-known-accounts';

export interface NotaryNetwork {
  node: LocalNode;
  record: DeploymentRecord;
  /** Registry handles signed by each well-known account used here. */
  as(accountIndex: number): ConfederationRegistry;
  /**
   * Anchors the credentials in one batch through a notary of member 1 (account 9, or another account member 1
   * authorised, e.g. beside a service process that anchors with account 9) and returns their receipts.
   */
  notarise(artifacts: (string | object)[], notaryAccount?: number): Promise<Receipt[]>;
  writeRecord(path: string): void;
  stop(): Promise<void>;
}

export interface NotaryNetworkOptions {
  /** Adds member 3, did:web:chamber-c.example (account 2), a validation point: the co-signer of co-issued badges. */
  withValidationPoint?: boolean;
}

/** Member 3 when `withValidationPoint` is set. */
export const CHAMBER_DID = 'did:web:chamber-c.example';

/**
 * A real `hardhat node` process on a free loopback port, with the registry deployed: member 1
 * did:web:school-a.example (account 0, notary account 9) and member 2 did:web:ngo-b.example (account 1), both
 * issuing points, quorum 1.
 */
export async function startNotaryNetwork(options: NotaryNetworkOptions = {}): Promise<NotaryNetwork> {
  const node = await startLocalNode();
  const connections: ChainConnection[] = [];
  const signerOf = (index: number): Signer => {
    const connection = connectChain({ rpcUrl: node.rpcUrl, privateKey: wellKnownAccount(index).privateKey });
    connections.push(connection);
    return connection.signer!;
  };
  const signers = new Map<number, ConfederationRegistry>();
  let record: DeploymentRecord;
  try {
    record = await deployRegistry(
      signerOf(0),
      [
        { did: 'did:web:school-a.example', controller: wellKnownAccount(0).address, role: 1, metadataURI: '', metadataHash: ZeroHash },
        { did: 'did:web:ngo-b.example', controller: wellKnownAccount(1).address, role: 1, metadataURI: '', metadataHash: ZeroHash },
        ...(options.withValidationPoint ? [{ did: CHAMBER_DID, controller: wellKnownAccount(2).address, role: 2, metadataURI: '', metadataHash: ZeroHash }] : []),
      ],
      1,
    );
  } catch (error) {
    await node.stop();
    throw error;
  }
  const as = (index: number) => {
    if (!signers.has(index)) signers.set(index, registryAt(record.registry, signerOf(index)));
    return signers.get(index)!;
  };
  await (await as(0).authoriseNotary(1, wellKnownAccount(9).address)).wait();

  return {
    node,
    record,
    as,
    async notarise(artifacts, notaryAccount = 9) {
      const digests = await Promise.all(artifacts.map(async (artifact) => (await parseCredential(artifact as never)).digest));
      const tree = await BatchTree.build(digests);
      const mined = (await (await as(notaryAccount).anchor(tree.root)).wait())!;
      const block = (await as(notaryAccount).runner!.provider!.getBlock(mined.blockNumber))!;
      return Promise.all(
        digests.map((digest, index) =>
          buildReceipt({
            tree,
            index,
            digest,
            batchId: `test-${mined.blockNumber}`,
            anchor: {
              chainId: record.chainId,
              registry: record.registry,
              transactionHash: mined.hash,
              blockNumber: mined.blockNumber,
              blockTimestamp: block.timestamp,
              memberId: 1,
            },
          }),
        ),
      );
    },
    writeRecord(path) {
      writeDeploymentRecord(path, record);
    },
    async stop() {
      for (const connection of connections) connection.close();
      await node.stop();
    },
  };
}
