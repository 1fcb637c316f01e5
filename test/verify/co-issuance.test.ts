import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash } from 'ethers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { ConfederationRegistry__factory, type ConfederationRegistry } from '../../typechain-types';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { memberKeyId } from '../../service/credentials/key-id';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { parseCredential } from '../../service/credentials/parse';
import { addCoSignature, signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { attachReceiptToCredential, BatchTree, buildReceipt, type Receipt } from '../../service/merkle';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { verifyBadge, type StepName, type VerificationReport } from '../../service/verify';
import { VerificationReport as VerificationReportSchema } from '../../service/http/schemas';

// The NGO (an issuing point) issues; the chamber (a validation point) co-signs; the school's notary anchors.
const SCHOOL = 'did:web:school-a.example';
const NGO = 'did:web:ngo-b.example';
const CHAMBER = 'did:web:chamber-c.example';
const INFO = 'did:web:info-d.example';

interface Network {
  registry: ConfederationRegistry;
  readonly reader: JsonRpcRegistryReader;
  ngo: HardhatEthersSigner;
  chamber: HardhatEthersSigner;
  notary: HardhatEthersSigner;
  ngoKey: IssuerKey;
  chamberKey: IssuerKey;
  infoKey: IssuerKey;
}

async function deployNetwork(): Promise<Network> {
  const [school, ngo, chamber, notary, info] = await ethers.getSigners();
  const founder = (did: string, controller: HardhatEthersSigner, role: number) => ({ did, controller: controller.address, role, metadataURI: '', metadataHash: ZeroHash });
  const registry = await new ConfederationRegistry__factory(school).deploy(
    [founder(SCHOOL, school!, 1), founder(NGO, ngo!, 1), founder(CHAMBER, chamber!, 2), founder(INFO, info!, 3)],
    1,
  );
  await registry.connect(school).authoriseNotary(1, notary!.address);
  const ngoKey = generateIssuerKey({ type: 'Ed25519' });
  const chamberKey = generateIssuerKey({ type: 'Ed25519' });
  const infoKey = generateIssuerKey({ type: 'Ed25519' });
  await registry.connect(ngo).registerKey(2, ngoKey.keyHash, 0, 0);
  await registry.connect(chamber).registerKey(3, chamberKey.keyHash, 0, 0);
  await registry.connect(info).registerKey(4, infoKey.keyHash, 0, 0);
  const address = await registry.getAddress();
  return {
    registry,
    get reader() {
      return new JsonRpcRegistryReader(ethers.provider, address);
    },
    ngo: ngo!,
    chamber: chamber!,
    notary: notary!,
    ngoKey,
    chamberKey,
    infoKey,
  };
}

async function issued(network: Network): Promise<JsonObject> {
  return signCredential({ credential: buildAchievementCredential(demoBadgeInput({ issuerDid: NGO })), key: network.ngoKey, format: 'data-integrity' });
}

async function coIssued(network: Network, key = network.chamberKey, memberDid = CHAMBER): Promise<JsonObject> {
  return addCoSignature({ credential: await issued(network), key, verificationMethod: memberKeyId(memberDid, key) });
}

/** Anchors one credential and returns it with its receipt in its proof set. */
async function notarised(network: Network, credential: JsonObject): Promise<{ withReceipt: JsonObject; receipt: Receipt }> {
  const { digest } = await parseCredential(credential);
  const tree = await BatchTree.build([digest]);
  const mined = (await (await network.registry.connect(network.notary).anchor(tree.root)).wait())!;
  const block = (await ethers.provider.getBlock(mined.blockNumber))!;
  const receipt = await buildReceipt({
    tree,
    index: 0,
    digest,
    batchId: 'batch-1',
    anchor: {
      chainId: 31337,
      registry: String(network.registry.target),
      transactionHash: mined.hash,
      blockNumber: mined.blockNumber,
      blockTimestamp: block.timestamp,
      memberId: 1,
    },
  });
  return { withReceipt: attachReceiptToCredential(credential, receipt), receipt };
}

function step(report: VerificationReport, name: StepName) {
  return report.steps.find((s) => s.name === name)!;
}

function expectOnlyFailure(report: VerificationReport, name: StepName, message: string) {
  expect(report.verified).to.equal(false);
  const failed = report.steps.filter((s) => s.status !== 'passed').map((s) => s.name);
  expect(failed, JSON.stringify(report.steps, null, 2)).to.deep.equal([name]);
  expect(step(report, name).message).to.contain(message);
}

describe('verifyBadge: a co-issued credential (two members, a proof set), against the registry', function () {
  this.timeout(60_000);
  const now = () => new Date();

  it('verifies it and reports each signer, its member and role at the anchor time: "co-issued by A and B"', async function () {
    const network = await loadFixture(deployNetwork);
    const { withReceipt } = await notarised(network, await coIssued(network));
    const report = await verifyBadge({ credential: withReceipt, reader: network.reader, now: now() });
    expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
    const summary = `co-issued by ${NGO} (issuing point) and ${CHAMBER} (validation point)`;
    expect(report.coIssuance?.summary).to.equal(summary);
    expect(step(report, 'signature').message).to.contain(summary);
    expect(report.coIssuance?.signers.map(({ memberId, role, verificationMethod }) => ({ memberId, role, verificationMethod }))).to.deep.equal([
      { memberId: 2, role: 'issuing-point', verificationMethod: memberKeyId(NGO, network.ngoKey) },
      { memberId: 3, role: 'validation-point', verificationMethod: memberKeyId(CHAMBER, network.chamberKey) },
    ]);
    // POST /v1/verify sends this report: the answer's documented schema (OpenAPI) must describe its coIssuance.
    const answer = VerificationReportSchema.safeParse(JSON.parse(JSON.stringify({ ...report, receiptSource: 'request' })));
    expect(answer.success, answer.error?.message).to.equal(true);
  });

  it('fails when the co-signer key is not registered to the member its key id names', async function () {
    const network = await loadFixture(deployNetwork);
    const stranger = generateIssuerKey({ type: 'Ed25519' });
    const { withReceipt } = await notarised(network, await coIssued(network, stranger));
    const report = await verifyBadge({ credential: withReceipt, reader: network.reader, now: now() });
    expectOnlyFailure(report, 'issuer-key', `co-signer key ${stranger.keyHash} is not registered to member 3 (${CHAMBER})`);
  });

  it('fails when the co-signer key names another member than the one it is registered to', async function () {
    const network = await loadFixture(deployNetwork);
    const { withReceipt } = await notarised(network, await coIssued(network, network.chamberKey, SCHOOL));
    const report = await verifyBadge({ credential: withReceipt, reader: network.reader, now: now() });
    expectOnlyFailure(report, 'issuer-key', 'is not registered to member 1');
  });

  it('fails when the co-signer key was revoked as compromised before the anchor', async function () {
    const network = await loadFixture(deployNetwork);
    const credential = await coIssued(network);
    const compromisedAt = (await time.latest()) - 1;
    await network.registry.connect(network.chamber).revokeKey(3, network.chamberKey.keyHash, compromisedAt);
    const { withReceipt } = await notarised(network, credential);
    const report = await verifyBadge({ credential: withReceipt, reader: network.reader, now: now() });
    expectOnlyFailure(report, 'issuer-key', 'was not valid at');
  });

  it('fails when the co-signer is an information point, which does not co-sign', async function () {
    const network = await loadFixture(deployNetwork);
    const { withReceipt } = await notarised(network, await coIssued(network, network.infoKey, INFO));
    const report = await verifyBadge({ credential: withReceipt, reader: network.reader, now: now() });
    expectOnlyFailure(report, 'issuer-member', 'co-signer member 4 is a information-point, which does not co-sign badges');
  });

  it('fails on a forged co-signature, naming the co-signer key', async function () {
    const network = await loadFixture(deployNetwork);
    const credential = await coIssued(network);
    const [issuerProof, coProof] = credential.proof as [JsonObject, JsonObject];
    const forged = { ...credential, proof: [issuerProof, { ...coProof, proofValue: issuerProof.proofValue }] };
    const { withReceipt } = await notarised(network, forged);
    const report = await verifyBadge({ credential: withReceipt, reader: network.reader, now: now() });
    expect(report.verified).to.equal(false);
    expect(step(report, 'signature').status).to.equal('failed');
    expect(step(report, 'signature').message).to.contain(memberKeyId(CHAMBER, network.chamberKey));
  });

  it('requiredCoSigners: a credential without the second signature fails the signature step; with it, passes', async function () {
    const network = await loadFixture(deployNetwork);
    const single = await notarised(network, await issued(network));
    const report = await verifyBadge({ credential: single.withReceipt, reader: network.reader, now: now(), requiredCoSigners: 1 });
    expectOnlyFailure(report, 'signature', "the credential's class requires 1 co-signature(s) besides the issuer's; it carries 0");
    const both = await notarised(network, await coIssued(network));
    const passed = await verifyBadge({ credential: both.withReceipt, reader: network.reader, now: now(), requiredCoSigners: 1 });
    expect(passed.verified, JSON.stringify(passed.steps, null, 2)).to.equal(true);
  });
});
