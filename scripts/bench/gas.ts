/**
 * npm run bench:gas — gas of the registry's operations, with the peers measured in the same run on the same
 * network (Hardhat's in-process chain): the Ethereum Attestation Service's attest, multiAttest and
 * timestamp (deployed from the compiled artifacts its npm package ships) and a bare transaction carrying a
 * 32-byte root. Gas is deterministic for a given input, so one run suffices; medians are taken anyway.
 */
import { config, ethers, network } from 'hardhat';
import { AbiCoder, ContractFactory, ZeroAddress, ZeroHash, concat, keccak256, randomBytes, toUtf8Bytes, type Signer, type TransactionResponse } from 'ethers';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import easArtifact from '@ethereum-attestation-service/eas-contracts/artifacts/contracts/EAS.sol/EAS.json';
import schemaRegistryArtifact from '@ethereum-attestation-service/eas-contracts/artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json';
import { BadgeClassCatalogue__factory, ConfederationRegistry__factory, type ConfederationRegistry } from '../../typechain-types';
import { Role } from '../../service/registry';
import { FeeOracle } from '../../service/chain/fee-oracle';
import { DEFAULT_FEE_POLICY, chooseFees, formatGwei, type FeeSettings } from '../../service/chain/fees';

const BATCH_SIZES = [1, 1_000, 1_000_000];
const SAMPLES = 5;

const randomBytes32 = () => ethers.hexlify(ethers.randomBytes(32));

async function gasOf(send: Promise<TransactionResponse>): Promise<bigint> {
  const receipt = await (await send).wait();
  return receipt!.gasUsed;
}

async function median(samples: number, measure: () => Promise<bigint>): Promise<bigint> {
  const values: bigint[] = [];
  for (let i = 0; i < samples; i++) values.push(await measure());
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return values[Math.floor(values.length / 2)];
}

interface Row {
  operation: string;
  gas: bigint;
  /** How many credentials one such transaction covers at batch size n; undefined when not per-batch. */
  credentialsCovered?: (n: number) => number;
  /** Gas for a batch of n credentials when it scales with n (one call per credential, or a multi call). */
  gasForBatch?: (n: number) => bigint | undefined;
  note?: string;
}

async function deployRegistry(controllers: Signer[]): Promise<ConfederationRegistry> {
  const founders = await Promise.all(
    controllers.map(async (signer, i) => ({
      did: `did:web:member${i + 1}.example`,
      controller: await signer.getAddress(),
      role: Role.IssuingPoint,
      metadataURI: `https://member${i + 1}.example/metadata.json`,
      metadataHash: keccak256(toUtf8Bytes(`metadata ${i + 1}`)),
    })),
  );
  const registry = await new ConfederationRegistry__factory(controllers[0]).deploy(founders, 2);
  await registry.waitForDeployment();
  return registry;
}

async function registryRows(signers: Signer[]): Promise<Row[]> {
  const [founderA, founderB, founderC, notary, applicant] = signers;
  const registry = await deployRegistry([founderA, founderB, founderC]);
  await (await registry.connect(founderA).authoriseNotary(1, await notary.getAddress())).wait();
  const asNotary = registry.connect(notary);

  const anchorGas = await median(SAMPLES, () => gasOf(asNotary.anchor(randomBytes32())));
  const revokeOne = await median(SAMPLES, () => gasOf(asNotary.revokeCredentials(1, [randomBytes32()], 1)));
  const revokeHundred = await median(SAMPLES, () =>
    gasOf(asNotary.revokeCredentials(1, Array.from({ length: 100 }, randomBytes32), 1)),
  );
  const registerKey = await median(SAMPLES, () => gasOf(registry.connect(founderA).registerKey(1, randomBytes32(), 0, 0)));
  const registerEd25519 = await median(SAMPLES, () =>
    gasOf(registry.connect(founderA).registerPublicKey(1, concat(['0xed01', randomBytes(32)]), 0, 0)),
  );
  const registerP256 = await median(SAMPLES, () =>
    gasOf(registry.connect(founderA).registerPublicKey(1, concat(['0x802402', randomBytes(32)]), 0, 0)),
  );

  const apply = await gasOf(
    registry.connect(applicant).applyForMembership('did:web:applicant.example', 1, 'https://applicant.example/m.json', ZeroHash),
  );
  const firstApproval = await gasOf(registry.connect(founderA).approveAdmission(4));
  const quorumApproval = await gasOf(registry.connect(founderB).approveAdmission(4));

  // The one-call verification, for a credential in a batch of 1,000,000 (a proof of 20 hashes). Trees of that
  // size take minutes to build with StandardMerkleTree, so the proof is built over 1,024 leaves and padded
  // with 10 more sibling hashes of the same cost: gas depends only on the proof's length.
  const digests = Array.from({ length: 1024 }, randomBytes32);
  const tree = StandardMerkleTree.of(digests.map((d) => [d]), ['bytes32']);
  const keyHash = randomBytes32();
  await (await registry.connect(founderA).registerKey(1, keyHash, 0, 0)).wait();
  await (await asNotary.anchor(tree.root)).wait();
  const didHash = keccak256(toUtf8Bytes('did:web:member1.example'));
  const check = await registry.checkCredential(didHash, keyHash, digests[7], tree.getProof(7), tree.root);
  if (!check.proofValid || !check.rootAnchored || !check.keyValidAtAnchor) throw new Error('checkCredential did not pass');
  const proofOf20 = [...tree.getProof(7), ...Array.from({ length: 10 }, randomBytes32)];
  const checkGas = await registry.checkCredential.estimateGas(didHash, keyHash, digests[7], proofOf20, tree.root);
  // The bulk verifier's view: the group's facts once, then a revocation read per digest (proofs folded off-chain).
  const groupDigests = Array.from({ length: 100 }, (_, i) => ({ group: 0, digest: digests[i % digests.length] }));
  const groupGas = await registry.checkCredentialGroups.estimateGas([{ issuerDidHash: didHash, keyHash, root: tree.root }], groupDigests);

  return [
    { operation: 'registry: anchor (one root per batch)', gas: anchorGas, credentialsCovered: (n) => n },
    { operation: 'registry: revoke 1 digest', gas: revokeOne },
    { operation: 'registry: revoke 100 digests', gas: revokeHundred, note: `${revokeHundred / 100n} per digest` },
    { operation: 'registry: register a signing key', gas: registerKey, note: 'registerKey: by its hash only' },
    {
      operation: 'registry: register and publish an Ed25519 key',
      gas: registerEd25519,
      note: `registerPublicKey: ${registerEd25519 - registerKey} more than by hash, for the key in the log`,
    },
    {
      operation: 'registry: register and publish a P-256 key',
      gas: registerP256,
      note: `registerPublicKey: ${registerP256 - registerKey} more than by hash`,
    },
    { operation: 'registry: apply for membership', gas: apply },
    { operation: 'registry: approve admission (below quorum)', gas: firstApproval },
    { operation: 'registry: approve admission (reaching quorum 2)', gas: quorumApproval },
    {
      operation: 'registry: checkCredential, proof of 20 (eth_call)',
      gas: checkGas,
      credentialsCovered: () => 1,
      note: 'a view, free through eth_call: one per credential verified',
    },
    {
      operation: 'registry: checkCredentialGroups, 1 group, 100 digests (eth_call)',
      gas: groupGas,
      note: `${groupGas / 100n} per credential; a view: what bulk verification asks`,
    },
  ];
}

/**
 * The badge-class catalogue, deployed beside a registry of three founders: a publish carries a class URI of the
 * usual length (https, the content id in the path); adopt and withdraw are by a second member.
 */
async function catalogueRows(signers: Signer[]): Promise<Row[]> {
  const [founderA, founderB, founderC] = signers;
  const registry = await deployRegistry([founderA, founderB, founderC]);
  const catalogue = await new BadgeClassCatalogue__factory(founderA).deploy(await registry.getAddress());
  await catalogue.waitForDeployment();
  const classUri = (classId: string) => `https://member1.example/classes/${classId.slice(2)}.json`;
  const published: string[] = [];
  const publish = await median(SAMPLES, () => {
    const classId = randomBytes32();
    published.push(classId);
    return gasOf(catalogue.connect(founderA).publish(classId, classUri(classId)));
  });
  const supersede = await median(SAMPLES, () => {
    const newClassId = randomBytes32();
    return gasOf(catalogue.connect(founderA).supersede(published.pop()!, newClassId, classUri(newClassId)));
  });
  const current = randomBytes32();
  await (await catalogue.connect(founderA).publish(current, classUri(current))).wait();
  const firstAdopt = await gasOf(catalogue.connect(founderB).adopt(current));
  const secondAdopt = await gasOf(catalogue.connect(founderC).adopt(current));
  const withdraw = await gasOf(catalogue.connect(founderC).withdrawAdoption(current));
  return [
    { operation: 'catalogue: publish a badge class', gas: publish, note: 'content id, publisher, time, a 101-byte URI' },
    { operation: 'catalogue: supersede with a new version', gas: supersede, note: 'publishes the new version and links both' },
    { operation: 'catalogue: adopt (first adopter)', gas: firstAdopt },
    { operation: 'catalogue: adopt (second adopter)', gas: secondAdopt },
    { operation: 'catalogue: withdraw an adoption', gas: withdraw, note: 'gas after the refund of the cleared slot' },
  ];
}

async function easRows(signers: Signer[]): Promise<Row[]> {
  const [deployer] = signers;
  const schemaRegistry = await new ContractFactory(schemaRegistryArtifact.abi, schemaRegistryArtifact.bytecode, deployer).deploy();
  await schemaRegistry.waitForDeployment();
  const eas = await new ContractFactory(easArtifact.abi, easArtifact.bytecode, deployer).deploy(await schemaRegistry.getAddress());
  await eas.waitForDeployment();

  const schemaText = 'bytes32 credentialDigest';
  const registerSchema = await gasOf(schemaRegistry.getFunction('register')('bytes32 credentialDigest', ZeroAddress, true));
  const schema = keccak256(
    ethers.solidityPacked(['string', 'address', 'bool'], [schemaText, ZeroAddress, true]),
  );
  const coder = AbiCoder.defaultAbiCoder();
  const attestationData = () => ({
    recipient: ZeroAddress,
    expirationTime: 0n,
    revocable: true,
    refUID: ZeroHash,
    data: coder.encode(['bytes32'], [randomBytes32()]),
    value: 0n,
  });

  const attest = await median(SAMPLES, () => gasOf(eas.getFunction('attest')({ schema, data: attestationData() })));
  const multiAttest = async (count: number) =>
    median(3, () =>
      gasOf(eas.getFunction('multiAttest')([{ schema, data: Array.from({ length: count }, attestationData) }])),
    );
  const multi10 = await multiAttest(10);
  const multi100 = await multiAttest(100);
  // multiAttest is linear in the batch: base + marginal * n, measured from 10 and 100.
  const marginal = (multi100 - multi10) / 90n;
  const base = multi10 - marginal * 10n;
  const timestamp = await median(SAMPLES, () => gasOf(eas.getFunction('timestamp')(randomBytes32())));

  return [
    { operation: 'EAS: SchemaRegistry register (a schema record)', gas: registerSchema, note: 'beside catalogue publish' },
    { operation: 'EAS: attest (one attestation per credential)', gas: attest, gasForBatch: (n) => attest * BigInt(n) },
    {
      operation: 'EAS: multiAttest (n attestations in one call)',
      gas: multi100,
      note: `100 in one call; ${marginal} per extra attestation; beyond the block gas limit past ~${(30_000_000n - base) / marginal}`,
      gasForBatch: (n) => base + marginal * BigInt(n),
    },
    { operation: 'EAS: timestamp (one root per batch)', gas: timestamp, credentialsCovered: (n) => n },
  ];
}

/** Batch sizes and base fees of the cost table. */
const COST_BATCH_SIZES = [1, 1_000, 100_000];
const BASE_FEES_GWEI = [1n, 10n, 100n];

interface CostRow {
  operation: string;
  baseFee: bigint;
  /** Wei per credential at each of COST_BATCH_SIZES. */
  perCredential: bigint[];
  note: string;
}

/**
 * What a credential costs at three base fees: an anchor and an EAS attest (and timestamp) are sent in a block
 * whose base fee is set (hardhat_setNextBlockBaseFeePerGas), with the fees the anchorer would choose
 * (service/chain/fees over the fee oracle), and what each paid (gas used times the effective gas price) is read
 * from its receipt. multiAttest is priced from its gas line (base + marginal per attestation) at the same price.
 */
async function costRows(signers: Signer[], multiAttestGas: (n: number) => bigint): Promise<CostRow[]> {
  const [founderA, founderB, notary, attester] = signers;
  const registry = await deployRegistry([founderA, founderB]);
  await (await registry.connect(founderA).authoriseNotary(1, await notary.getAddress())).wait();
  const schemaRegistry = await new ContractFactory(schemaRegistryArtifact.abi, schemaRegistryArtifact.bytecode, attester).deploy();
  const eas = await new ContractFactory(easArtifact.abi, easArtifact.bytecode, attester).deploy(await schemaRegistry.getAddress());
  await (await schemaRegistry.getFunction('register')('bytes32 credentialDigest', ZeroAddress, true)).wait();
  const schema = keccak256(ethers.solidityPacked(['string', 'address', 'bool'], ['bytes32 credentialDigest', ZeroAddress, true]));
  const data = () => ({ recipient: ZeroAddress, expirationTime: 0n, revocable: true, refUID: ZeroHash, data: AbiCoder.defaultAbiCoder().encode(['bytes32'], [randomBytes32()]), value: 0n });
  const oracle = new FeeOracle(ethers.provider);
  const paid = async (send: (fees: FeeSettings) => Promise<TransactionResponse>) => {
    const decision = chooseFees(await oracle.market(), DEFAULT_FEE_POLICY);
    if (!decision.ok) throw new Error(decision.reason);
    const receipt = await (await send(decision.fees)).wait();
    return { fee: receipt!.gasUsed * receipt!.gasPrice, price: receipt!.gasPrice };
  };
  const overrides = (fees: FeeSettings) =>
    fees.kind === 'eip1559' ? { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas } : { gasPrice: fees.gasPrice };
  const rows: CostRow[] = [];
  for (const gwei of BASE_FEES_GWEI) {
    const baseFee = gwei * 1_000_000_000n;
    const atBaseFee = async (send: (fees: FeeSettings) => Promise<TransactionResponse>) => {
      await network.provider.send('hardhat_setNextBlockBaseFeePerGas', [`0x${baseFee.toString(16)}`]);
      return paid(send);
    };
    const anchor = await atBaseFee((fees) => registry.connect(notary).anchor(randomBytes32(), overrides(fees)));
    const attest = await atBaseFee((fees) => eas.connect(attester).getFunction('attest')({ schema, data: data() }, overrides(fees)));
    const stamp = await atBaseFee((fees) => eas.connect(attester).getFunction('timestamp')(randomBytes32(), overrides(fees)));
    const price = `effective ${formatGwei(anchor.price)}/gas`;
    rows.push(
      { operation: 'registry: anchor (one root per batch)', baseFee, perCredential: COST_BATCH_SIZES.map((n) => anchor.fee / BigInt(n)), note: price },
      { operation: 'EAS: attest (one per credential)', baseFee, perCredential: COST_BATCH_SIZES.map(() => attest.fee), note: `effective ${formatGwei(attest.price)}/gas` },
      {
        operation: 'EAS: multiAttest (n in calls of 100)',
        baseFee,
        perCredential: COST_BATCH_SIZES.map((n) => {
          const calls = BigInt(Math.ceil(n / 100));
          return (multiAttestGas(Math.min(n, 100)) * calls * attest.price) / BigInt(n);
        }),
        note: 'priced from its gas line at the attest price',
      },
      { operation: 'EAS: timestamp (one root per batch)', baseFee, perCredential: COST_BATCH_SIZES.map((n) => stamp.fee / BigInt(n)), note: `effective ${formatGwei(stamp.price)}/gas` },
    );
  }
  return rows;
}

/** Wei in gwei, rounded for reading: whole gwei from 100 up, else 4 significant digits. */
function roundedGwei(wei: bigint): string {
  const gwei = Number(wei) / 1e9;
  return `${gwei >= 100 ? Math.round(gwei).toLocaleString('en-US') : gwei.toPrecision(4)} gwei`;
}

function printCostTable(rows: CostRow[]): void {
  const headers = ['base fee', 'operation', ...COST_BATCH_SIZES.map((n) => `per credential, n=${n.toLocaleString('en-US')}`), 'note'];
  const body = rows.map((row) => [formatGwei(row.baseFee), row.operation, ...row.perCredential.map(roundedGwei), row.note]);
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
}

async function bareTransactionRow(signers: Signer[]): Promise<Row> {
  const [sender, receiver] = signers;
  const to = await receiver.getAddress();
  const gas = await median(SAMPLES, () => gasOf(sender.sendTransaction({ to, data: randomBytes32() })));
  return { operation: 'bare transaction carrying a 32-byte root', gas, credentialsCovered: (n) => n, note: 'no registry, no authorisation' };
}

function formatGas(value: bigint | number | undefined): string {
  if (value === undefined) return '';
  const number = typeof value === 'bigint' ? Number(value) : value;
  return number >= 100 ? Math.round(number).toLocaleString('en-US') : number.toFixed(3);
}

function printTable(rows: Row[]): void {
  const headers = ['operation', 'gas', ...BATCH_SIZES.map((n) => `per credential, n=${n.toLocaleString('en-US')}`), 'note'];
  const body = rows.map((row) => {
    const perCredential = BATCH_SIZES.map((n) => {
      if (row.credentialsCovered) return formatGas(Number(row.gas) / row.credentialsCovered(n));
      if (row.gasForBatch) return formatGas(Number(row.gasForBatch(n)) / n);
      return '';
    });
    return [row.operation, formatGas(row.gas), ...perCredential, row.note ?? ''];
  });
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
}

async function main(): Promise<void> {
  const signers = await ethers.getSigners();
  const rows = [
    ...(await registryRows(signers.slice(0, 5))),
    ...(await catalogueRows(signers.slice(12, 15))),
    ...(await easRows(signers.slice(5, 6))),
    await bareTransactionRow(signers.slice(6, 8)),
  ];
  const hardfork = (network.config as { hardfork?: string }).hardfork ?? 'default';
  console.log(
    `Gas on Hardhat's in-process chain (hardfork ${hardfork}; contracts built by solc ${config.solidity.compilers[0].version} for ${config.solidity.compilers[0].settings.evmVersion}, optimizer 10,000 runs); medians of ${SAMPLES} where repeated.`,
  );
  printTable(rows);
  const anchor = rows[0].gas;
  console.log(`\nanchor: ${anchor.toLocaleString('en-US')} gas (target <= 50,000: ${anchor <= 50_000n ? 'met' : 'MISSED'})`);
  const multi = rows.find((row) => row.operation.startsWith('EAS: multiAttest'))!;
  console.log(
    `\nWhat a credential costs (wei shown in gwei) at three base fees, each transaction sent in a block of that base fee with the fees the anchorer chooses (tip ${formatGwei(DEFAULT_FEE_POLICY.minPriorityFeePerGas)} minimum), paid read from the receipts; no L1 data fee (see docs/operations.md):`,
  );
  printCostTable(await costRows(signers.slice(8, 12), (n) => multi.gasForBatch!(n)!));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
