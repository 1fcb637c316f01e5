import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ZeroHash } from 'ethers';
import { connectChain, registryAt } from '../chain/connection';
import { deployRegistry } from '../chain/deploy-registry';
import { writeDeploymentRecord, type DeploymentRecord } from '../chain/deployment-record';
import { startLocalNode, type LocalNode } from '../chain/local-node';
import { exportIssuerKey, generateIssuerKey, importIssuerKey, type IssuerKey } from '../credentials/keys';
import { multicodecHexOf } from '../credentials/key-hash';
import { writeFileDurably } from '../durable-file';
import { Role } from '../registry';
import { wellKnownAccount } from '../chain/well-known-accounts';

/** The demo member that `npm start` sets up on its local chain. */
export const DEMO_MEMBER = {
  did: 'did:web:scuola-demo.example',
  name: 'Scuola Demo',
  email: 'badges@scuola-demo.example',
  metadataURI: 'https://scuola-demo.example/organisation.json',
} as const;

/** Well-known Hardhat accounts (public keys, local use only): the demo member's controller and its notary. */
export const DEMO_CONTROLLER_ACCOUNT = 0;
export const DEMO_NOTARY_ACCOUNT = 1;

export interface EmbeddedChain {
  node: LocalNode;
  record: DeploymentRecord;
  /** The notary account's private key: a well-known Hardhat test key. */
  anchorKey: string;
  demoIssuerKey: IssuerKey;
  stop(): Promise<void>;
}

export interface StartEmbeddedChainOptions {
  dataDir: string;
  nodePort: number;
  log?: (message: string) => void;
}

/**
 * Starts a Hardhat node on 127.0.0.1, deploys the registry with the demo member as founder, registers the
 * demo member's signing key (kept in dataDir/demo-issuer-key.json across restarts) and authorises its
 * notary, and writes dataDir/deployment.json. The node keeps nothing across restarts: every start is a new chain.
 */
export async function startEmbeddedChain(options: StartEmbeddedChainOptions): Promise<EmbeddedChain> {
  const log = options.log ?? (() => undefined);
  const node = await startLocalNode({ port: options.nodePort }).catch((error: Error) => {
    throw new Error(`cannot start the local chain on 127.0.0.1:${options.nodePort} (set BADGE_NOTARY_NODE_PORT to use another port): ${error.message}`);
  });
  try {
    const controller = wellKnownAccount(DEMO_CONTROLLER_ACCOUNT);
    const notary = wellKnownAccount(DEMO_NOTARY_ACCOUNT);
    const connection = connectChain({ rpcUrl: node.rpcUrl, privateKey: controller.privateKey });
    try {
      const record = await deployRegistry(
        connection.signer!,
        [{ did: DEMO_MEMBER.did, controller: controller.address, role: Role.IssuingPoint, metadataURI: DEMO_MEMBER.metadataURI, metadataHash: ZeroHash }],
        1,
      );
      const registry = registryAt(record.registry, connection.signer!);
      const demoIssuerKey = loadOrCreateDemoKey(options.dataDir);
      // Published with its registration: the demo member's DID document is generated from the chain.
      await (await registry.registerPublicKey(1, multicodecHexOf(demoIssuerKey.publicKey), 0, 0)).wait();
      await (await registry.authoriseNotary(1, notary.address)).wait();
      const recordFile = join(options.dataDir, 'deployment.json');
      writeDeploymentRecord(recordFile, record);
      chmodSync(recordFile, 0o600);
      log(`registry deployed at ${record.registry} on the local chain ${node.rpcUrl}`);
      return { node, record, anchorKey: notary.privateKey, demoIssuerKey, stop: () => node.stop() };
    } finally {
      connection.close();
    }
  } catch (error) {
    await node.stop();
    throw error;
  }
}

function loadOrCreateDemoKey(dataDir: string): IssuerKey {
  const path = join(dataDir, 'demo-issuer-key.json');
  if (existsSync(path)) return importIssuerKey(readFileSync(path, 'utf8'));
  const key = generateIssuerKey({ type: 'Ed25519' });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileDurably(path, `${JSON.stringify(exportIssuerKey(key), null, 2)}\n`, { mode: 0o600, exclusive: true });
  return key;
}

/**
 * Moves a database that belongs to another chain out of the way (to dataDir/previous/), so that the service
 * never hands out a receipt for an anchor the current chain does not have. Returns where it went.
 */
export function archiveDatabase(databasePath: string, dataDir: string, now: Date): string | undefined {
  if (!existsSync(databasePath)) return undefined;
  const archiveDir = join(dataDir, 'previous');
  mkdirSync(archiveDir, { recursive: true, mode: 0o700 });
  const target = join(archiveDir, `notary-${now.toISOString().replace(/[:.]/g, '-')}.sqlite`);
  renameSync(databasePath, target);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(databasePath + suffix)) renameSync(databasePath + suffix, target + suffix);
  }
  return target;
}
