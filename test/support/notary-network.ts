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
  /** Anchors the credentials in one batch through member 1's notary (account 9) and returns their receipts. */
  notarise(artifacts: (string | object)[]): Promise<Receipt[]>;
  writeRecord(path: string): void;
  stop(): Promise<void>;
}

/**
 * A real `hardhat node` process on a free loopback port, with the registry deployed: member 1
 * did:web:school-a.example (account 0, notary account 9) and member 2 did:web:ngo-b.example (account 1), quorum 1.
 */
export async function startNotaryNetwork(): Promise<NotaryNetwork> {
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
    async notarise(artifacts) {
      const digests = await Promise.all(artifacts.map(async (artifact) => (await parseCredential(artifact as never)).digest));
      const tree = await BatchTree.build(digests);
      const mined = (await (await as(9).anchor(tree.root)).wait())!;
      const block = (await as(9).runner!.provider!.getBlock(mined.blockNumber))!;
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
