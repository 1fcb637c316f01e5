import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash } from 'ethers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { BadgeClassCatalogue__factory, ConfederationRegistry__factory, type BadgeClassCatalogue, type ConfederationRegistry } from '../../typechain-types';
import { badgeClassId, type BadgeClassDocument } from '../../service/catalogue';
import { JsonRpcCatalogueReader } from '../../service/chain/json-rpc-catalogue-reader';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { memberKeyId } from '../../service/credentials/key-id';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { parseCredential } from '../../service/credentials/parse';
import { addCoSignature, signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { VerificationReport as VerificationReportSchema } from '../../service/http/schemas';
import { attachReceiptToCredential, BatchTree, buildReceipt } from '../../service/merkle';
import { verifyBadge, type StepName, type VerificationReport } from '../../service/verify';
import { certificationClass, classCredential, unpublishedClassCredential, withForgedLevel } from '../support/class-badges';

// The verifier against the catalogue contract on Hardhat's in-process chain: the school issues, the chamber (a
// validation point) co-signs, the school's notary anchors. Class documents come from a map standing for their URIs.
const SCHOOL = 'did:web:school-a.example';
const NGO = 'did:web:ngo-b.example';
const CHAMBER = 'did:web:chamber-c.example';
const FORMER = 'did:web:former-d.example';

interface Network {
  registry: ConfederationRegistry;
  catalogue: BadgeClassCatalogue;
  school: HardhatEthersSigner;
  ngo: HardhatEthersSigner;
  chamber: HardhatEthersSigner;
  former: HardhatEthersSigner;
  notary: HardhatEthersSigner;
  schoolKey: IssuerKey;
  ngoKey: IssuerKey;
  chamberKey: IssuerKey;
  /** The documents "at their URIs". */
  documents: Map<string, BadgeClassDocument>;
}

async function deployNetwork(): Promise<Network> {
  const [school, ngo, chamber, notary, former] = await ethers.getSigners();
  const founder = (did: string, controller: HardhatEthersSigner, role: number) => ({ did, controller: controller.address, role, metadataURI: '', metadataHash: ZeroHash });
  const registry = await new ConfederationRegistry__factory(school).deploy(
    [founder(SCHOOL, school!, 1), founder(NGO, ngo!, 1), founder(CHAMBER, chamber!, 2), founder(FORMER, former!, 1)],
    1,
  );
  const catalogue = await new BadgeClassCatalogue__factory(school).deploy(await registry.getAddress());
  await registry.connect(school).authoriseNotary(1, notary!.address);
  const [schoolKey, ngoKey, chamberKey] = [0, 1, 2].map(() => generateIssuerKey({ type: 'Ed25519' })) as [IssuerKey, IssuerKey, IssuerKey];
  await registry.connect(school).registerKey(1, schoolKey.keyHash, 0, 0);
  await registry.connect(ngo).registerKey(2, ngoKey.keyHash, 0, 0);
  await registry.connect(chamber).registerKey(3, chamberKey.keyHash, 0, 0);
  const signers = { school: school!, ngo: ngo!, chamber: chamber!, former: former!, notary: notary! };
  return { registry, catalogue, ...signers, schoolKey, ngoKey, chamberKey, documents: new Map() };
}

/** The network with the co-issued certification class published by the chamber and adopted by the NGO and the school. */
async function withPublishedClass(): Promise<Network & { document: BadgeClassDocument }> {
  const network = await deployNetwork();
  const document = certificationClass({ coIssued: true });
  await publish(network, network.chamber, document);
  await network.catalogue.connect(network.ngo).adopt(badgeClassId(document));
  await network.catalogue.connect(network.school).adopt(badgeClassId(document));
  return { ...network, document };
}

async function publish(network: Network, publisher: HardhatEthersSigner, document: BadgeClassDocument): Promise<void> {
  const uri = `https://classes.example/${badgeClassId(document)}.json`;
  network.documents.set(uri, document);
  await network.catalogue.connect(publisher).publish(badgeClassId(document), uri);
}

async function issue(network: Network, credential: JsonObject, coSigner?: { did: string; key: IssuerKey }): Promise<JsonObject> {
  const signed = await signCredential({ credential, key: network.schoolKey, format: 'data-integrity' });
  const issued = coSigner
    ? await addCoSignature({ credential: signed, key: coSigner.key, verificationMethod: memberKeyId(coSigner.did, coSigner.key) })
    : signed;
  const { digest } = await parseCredential(issued);
  const tree = await BatchTree.build([digest]);
  const mined = (await (await network.registry.connect(network.notary).anchor(tree.root)).wait())!;
  const block = (await ethers.provider.getBlock(mined.blockNumber))!;
  const anchor = {
    chainId: 31337,
    registry: String(network.registry.target),
    transactionHash: mined.hash,
    blockNumber: mined.blockNumber,
    blockTimestamp: block.timestamp,
    memberId: 1,
  };
  return attachReceiptToCredential(issued, await buildReceipt({ tree, index: 0, digest, batchId: 'batch-1', anchor }));
}

async function verify(network: Network, credential: JsonObject, options: { documents?: boolean; classDocument?: unknown } = {}): Promise<VerificationReport> {
  const registry = String(network.registry.target);
  return verifyBadge({
    credential,
    reader: new JsonRpcRegistryReader(ethers.provider, registry),
    catalogue: new JsonRpcCatalogueReader(ethers.provider, String(network.catalogue.target), registry),
    ...(options.documents === false ? {} : { classDocuments: async (_id: string, uri: string) => network.documents.get(uri) }),
    ...(options.classDocument !== undefined ? { classDocument: options.classDocument } : {}),
    now: new Date(),
  });
}

const step = (report: VerificationReport, name: StepName) => report.steps.find((s) => s.name === name);

function expectFailures(report: VerificationReport, failures: Partial<Record<StepName, string>>) {
  expect(report.verified).to.equal(false);
  const failed = report.steps.filter((s) => s.status !== 'passed').map((s) => s.name);
  expect(failed, JSON.stringify(report.steps, null, 2)).to.have.members(Object.keys(failures));
  for (const [name, message] of Object.entries(failures)) expect(step(report, name as StepName)!.message).to.contain(message);
}

describe('verifyBadge: a credential issued against a badge class, against the catalogue contract', function () {
  this.timeout(60_000);

  it('verifies a co-issued badge with a score and reports the class, its level, alignment, publisher and adopters', async function () {
    const network = await loadFixture(withPublishedClass);
    const credential = await issue(network, classCredential(network.document, SCHOOL, 85), { did: CHAMBER, key: network.chamberKey });
    const report = await verify(network, credential);
    expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
    expect(report.steps.map((s) => s.name)).to.deep.equal(['format', 'signature', 'issuer-key', 'issuer-member', 'badge-class', 'anchor', 'revocation', 'validity']);
    const id = badgeClassId(network.document);
    expect(step(report, 'badge-class')!.message).to.equal(
      `issued against badge class "Certified digital skills" (${id}) published by member 3 (${CHAMBER}): level Gold for a score of 85 fits the class; ` +
        `the issuer adopts it; also adopted by ${NGO}`,
    );
    expect(report.coIssuance?.summary).to.equal(`co-issued by ${SCHOOL} (issuing point) and ${CHAMBER} (validation point)`);
    expect(report.badgeClass).to.deep.include({
      id,
      level: 'Gold',
      score: 85,
      issuerAdopts: true,
      adoptedBy: [{ memberId: 2, did: NGO }],
      publisher: { memberId: 3, did: CHAMBER, status: 'active' },
      documentSource: 'source',
      coIssuanceRole: 'validation-point',
      supersededBy: null,
    });
    expect(report.badgeClass?.name?.it).to.equal('Competenze digitali certificate');
    expect(report.badgeClass?.alignments?.map((a) => `${a.framework} ${a.targetCode}`)).to.deep.equal(['ESCO S5', 'EQF 4']);
    const answer = VerificationReportSchema.safeParse(JSON.parse(JSON.stringify({ ...report, receiptSource: 'credential' })));
    expect(answer.success, answer.error?.message).to.equal(true);
  });

  it('a credential citing no class has no badge-class step (the report is as before)', async function () {
    const network = await loadFixture(withPublishedClass);
    const plain = classCredential(network.document, SCHOOL, 85);
    ((plain.credentialSubject as JsonObject).achievement as JsonObject).id = 'urn:uuid:4bbd0b1d-0c1c-5b6b-9a53-1a2b3c4d5e6f';
    const report = await verify(network, await issue(network, plain));
    expect(report.steps.map((s) => s.name)).to.not.include('badge-class');
    expect(report.badgeClass).to.equal(undefined);
  });

  it('fails a forged level (score 85, level Platinum) with a sentence', async function () {
    const network = await loadFixture(withPublishedClass);
    const forged = withForgedLevel(classCredential(network.document, SCHOOL, 85), 'Platinum');
    const report = await verify(network, await issue(network, forged, { did: CHAMBER, key: network.chamberKey }));
    expectFailures(report, {
      'badge-class':
        'the credential does not fit badge class "Certified digital skills" in credentialSubject.result[0].achievedLevel: "Platinum" does not match score 85, which the class\'s bands give "Gold"',
    });
  });

  it('fails a badge of a co-issued class without the co-signature (signature and badge-class steps)', async function () {
    const network = await loadFixture(withPublishedClass);
    const report = await verify(network, await issue(network, classCredential(network.document, SCHOOL, 85)));
    expectFailures(report, {
      signature: "the credential's class requires 1 co-signature(s) besides the issuer's; it carries 0",
      'badge-class': 'requires co-issuance by a validation-point: the credential carries no co-signature',
    });
  });

  it('fails a co-signature by a member without the class\'s role', async function () {
    const network = await loadFixture(withPublishedClass);
    const report = await verify(network, await issue(network, classCredential(network.document, SCHOOL, 85), { did: NGO, key: network.ngoKey }));
    expectFailures(report, { 'badge-class': `co-signer ${NGO} is a issuing-point` });
  });

  it('fails a class never published', async function () {
    const network = await loadFixture(withPublishedClass);
    const report = await verify(network, await issue(network, unpublishedClassCredential(SCHOOL, 85)));
    expectFailures(report, { 'badge-class': "is not published in the network's catalogue: the credential cites a class that does not exist" });
  });

  it('fails a class whose publisher was removed from the network', async function () {
    const network = await loadFixture(withPublishedClass);
    const document = certificationClass();
    await publish(network, network.former, document);
    await network.registry.connect(network.school).voteRemoval(4);
    const report = await verify(network, await issue(network, classCredential(document, SCHOOL, 75)));
    expectFailures(report, { 'badge-class': `published by member 4 (${FORMER}), removed from the network since` });
  });

  it('says the level could not be checked without a document (not a pass), and checks a given document against the id', async function () {
    const network = await loadFixture(withPublishedClass);
    const credential = await issue(network, classCredential(network.document, SCHOOL, 85), { did: CHAMBER, key: network.chamberKey });
    const without = await verify(network, credential, { documents: false });
    expect(without.verified).to.equal(false);
    expect(step(without, 'badge-class')).to.deep.include({ status: 'skipped' });
    expect(step(without, 'badge-class')!.message).to.contain('the level could not be checked against badge class');
    const wrong = await verify(network, credential, { documents: false, classDocument: certificationClass() });
    expect(step(wrong, 'badge-class')!.message).to.contain(`the document given is not this class: its keccak-256 (JCS) is ${badgeClassId(certificationClass())}`);
    const given = await verify(network, credential, { documents: false, classDocument: JSON.parse(JSON.stringify(network.document)) });
    expect(given.verified, JSON.stringify(given.steps, null, 2)).to.equal(true);
    expect(given.badgeClass?.documentSource).to.equal('given');
  });

  it('a badge issued against a superseded version still verifies, and the report names the newer version', async function () {
    const network = await loadFixture(withPublishedClass);
    const id = badgeClassId(network.document);
    const next = certificationClass({ coIssued: true, supersedes: id });
    await network.catalogue.connect(network.chamber).supersede(id, badgeClassId(next), 'https://classes.example/next.json');
    const report = await verify(network, await issue(network, classCredential(network.document, SCHOOL, 95), { did: CHAMBER, key: network.chamberKey }));
    expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
    expect(report.badgeClass?.supersededBy).to.equal(badgeClassId(next));
    expect(step(report, 'badge-class')!.message).to.contain(`(a later version, ${badgeClassId(next)}, supersedes it)`);
  });
});
