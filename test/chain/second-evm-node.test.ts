import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, NonceManager, Wallet } from 'ethers';
import { EthersAnchorGateway } from '../../service/chain/anchor-gateway';
import { registryAt } from '../../service/chain/connection';
import type { DeploymentRecord } from '../../service/chain/deployment-record';
import { ChainLacksOpcodeError, missingOpcodes, NEWER_OPCODES, requireOpcodesFor } from '../../service/chain/evm-opcodes';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey } from '../../service/credentials/keys';
import { parseCredential } from '../../service/credentials/parse';
import { signCredential } from '../../service/credentials/signer';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { BatchTree, buildReceipt } from '../../service/merkle';
import { verifyBadge } from '../../service/verify';
import { startGanache, type GanacheNode } from '../support/ganache-node';
import { runTsScript } from '../support/run-node-script';
import { wellKnownAccount } from '../support/well-known-accounts';

const SCHOOL = 'did:web:school-a.example';

/** Runs `npm run deploy`'s script against `rpcUrl` with one founder, the well-known account 0. */
async function runDeployScript(rpcUrl: string, directory: string) {
  const foundersFile = join(directory, 'founders.json');
  writeFileSync(foundersFile, JSON.stringify([{ did: SCHOOL, controller: wellKnownAccount(0).address, role: 'issuing-point' }]));
  const deploymentFile = join(directory, 'deployment.json');
  const result = await runTsScript('scripts/deploy.ts', [], {
    BADGE_NOTARY_RPC_URL: rpcUrl,
    BADGE_NOTARY_DEPLOYER_KEY: wellKnownAccount(0).privateKey,
    BADGE_NOTARY_FOUNDERS: foundersFile,
    BADGE_NOTARY_DEPLOYMENT_FILE: deploymentFile,
  });
  return { ...result, deploymentFile };
}

describe('the registry on a second EVM implementation (Ganache, on @ethereumjs)', function () {
  this.timeout(300_000);
  let directory: string;

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-evm-'));
  });

  afterEach(function () {
    rmSync(directory, { recursive: true, force: true });
  });

  describe('on a Shanghai chain (no MCOPY)', function () {
    let node: GanacheNode;
    let provider: JsonRpcProvider;

    before(async function () {
      node = await startGanache('shanghai');
      provider = new JsonRpcProvider(node.rpcUrl, undefined, { cacheTimeout: -1 });
      provider.pollingInterval = 100;
    });

    after(async function () {
      provider?.destroy();
      await node?.stop();
    });

    it('deploys with npm run deploy, anchors a root through the anchor gateway, and verifies a badge against it', async function () {
      const deployed = await runDeployScript(node.rpcUrl, directory);
      expect(deployed.code, deployed.stderr).to.equal(0);
      const record = JSON.parse(readFileSync(deployed.deploymentFile, 'utf8')) as DeploymentRecord;
      expect(record.chainId).to.equal(node.chainId);

      // The founder registers its signing key and authorises a notary.
      const founder = new NonceManager(wellKnownAccount(0).connect(provider));
      const registry = registryAt(record.registry, founder);
      const issuerKey = generateIssuerKey({ type: 'Ed25519' });
      await (await registry.registerKey(1, issuerKey.keyHash, 0, 0)).wait();
      const notary = new Wallet(wellKnownAccount(1).privateKey, provider);
      await (await registry.authoriseNotary(1, notary.address)).wait();

      const credential = buildAchievementCredential(demoBadgeInput({ issuerDid: SCHOOL }));
      const jwt = await signCredential({ credential, key: issuerKey, format: 'vc-jwt' });
      const { digest } = await parseCredential(jwt);
      const tree = await BatchTree.build([digest]);

      const gateway = new EthersAnchorGateway({ provider, wallet: notary, registry: record.registry, fromBlock: record.blockNumber });
      const prepared = await gateway.prepareAnchor(tree.root);
      await gateway.broadcast(prepared.raw);
      const mined = await provider.waitForTransaction(prepared.hash);
      expect(mined?.status).to.equal(1);
      const block = (await provider.getBlock(mined!.blockNumber))!;

      const receipt = await buildReceipt({
        tree,
        index: 0,
        digest,
        batchId: 'batch-1',
        anchor: {
          chainId: node.chainId,
          registry: record.registry,
          transactionHash: prepared.hash,
          blockNumber: mined!.blockNumber,
          blockTimestamp: block.timestamp,
          memberId: 1,
        },
      });
      const reader = new JsonRpcRegistryReader(provider, record.registry, record.blockNumber);
      const report = await verifyBadge({ credential: jwt, receipt, reader, now: new Date() });
      expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
      expect(report.anchor).to.include({ root: tree.root, transactionHash: prepared.hash });
    });

    it('finds PUSH0 there and MCOPY missing, and names MCOPY in one sentence for code that uses it', async function () {
      const missing = (await missingOpcodes(provider, NEWER_OPCODES)).map((opcode) => opcode.name);
      expect(missing).to.include('MCOPY');
      expect(missing).not.to.include('PUSH0');

      // PUSH1 0 (x3) MCOPY STOP: what a Cancun build of the registry carries.
      const cancunCode = '0x6000600060005e00';
      const refusal = await requireOpcodesFor(provider, BigInt(node.chainId), cancunCode).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).to.be.instanceOf(ChainLacksOpcodeError);
      expect((refusal as Error).message).to.match(/^chain 1337 lacks MCOPY \(Cancun, EIP-5656\): this registry build needs it; [^.\n]+$/);
    });
  });

  describe('on a Byzantium chain (no SHL, SHR)', function () {
    let node: GanacheNode;

    before(async function () {
      node = await startGanache('byzantium');
    });

    after(async function () {
      await node?.stop();
    });

    it('npm run deploy refuses before sending anything, saying in one sentence which opcodes the chain lacks', async function () {
      const deployed = await runDeployScript(node.rpcUrl, directory);
      expect(deployed.code).to.equal(1);
      expect(deployed.stderr.trim()).to.match(
        /^deploy failed: chain 1337 lacks SHL \(Constantinople, EIP-145\), SHR \(Constantinople, EIP-145\): this registry build needs them; [^.\n]+$/,
      );
      const provider = new JsonRpcProvider(node.rpcUrl);
      try {
        expect(await provider.getTransactionCount(wellKnownAccount(0).address)).to.equal(0);
      } finally {
        provider.destroy();
      }
    });
  });
});
