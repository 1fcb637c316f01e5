import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badgeClassId } from '../../service/catalogue';
import { runCliCapturing } from '../support/in-process-cli';
import { certificationClass } from '../support/class-badges';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { wellKnownAccount } from '../support/well-known-accounts';

// `badge-notary class ...` in-process against a real `hardhat node` process with the registry and the catalogue
// deployed (member 1 school-a: account 0; member 2 ngo-b: account 1). No notary service runs here: documents are
// given by --uri and read back with --document (the service's upload and search are in test/e2e/).
describe('badge-notary class: publish, adopt, withdraw, show, against a hardhat node process', function () {
  this.timeout(180_000);
  let network: NotaryNetwork;
  let workDir: string;
  let deploymentFile: string;
  const document = certificationClass({ coIssued: true });
  const classId = badgeClassId(document);
  let classFile: string;

  async function cli(account: number | undefined, ...argv: string[]) {
    const env: NodeJS.ProcessEnv = { BADGE_NOTARY_RPC_URL: network.node.rpcUrl, BADGE_NOTARY_DEPLOYMENT: deploymentFile };
    if (account !== undefined) env.BADGE_NOTARY_PRIVATE_KEY = wellKnownAccount(account).privateKey;
    return runCliCapturing(argv, env);
  }

  before(async function () {
    workDir = mkdtempSync(join(tmpdir(), 'badge-notary-class-cli-'));
    network = await startNotaryNetwork();
    deploymentFile = join(workDir, 'deployment.json');
    network.writeRecord(deploymentFile);
    classFile = join(workDir, 'class.json');
    writeFileSync(classFile, JSON.stringify(document, null, 2));
  });

  after(async function () {
    await network?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('publish: validates the document, computes its id and records it with the URI given', async function () {
    const published = await cli(0, 'class', 'publish', classFile, '--uri', 'https://classes.example/cert.json');
    expect(published.code, published.err).to.equal(0);
    expect(published.out).to.contain(`published badge class ${classId}: "Certified digital skills" / "Competenze digitali certificate"`);
    const again = await cli(0, 'class', 'publish', classFile, '--uri', 'https://classes.example/cert.json');
    expect(again.code).to.equal(1);
    expect(again.err).to.contain(`badge class ${classId} is already published, by member 1`);
  });

  it('publish: a wrong document is a message naming the field and exit status 2; no URI nor service is refused too', async function () {
    const wrong = join(workDir, 'wrong.json');
    const bad = structuredClone(document) as unknown as { score: { bands: { from: number }[] } };
    bad.score.bands[1]!.from = 79;
    writeFileSync(wrong, JSON.stringify(bad));
    const refused = await cli(0, 'class', 'publish', wrong, '--uri', 'https://classes.example/x.json');
    expect(refused.code).to.equal(2);
    expect(refused.err).to.contain('score.bands[1].from');
    const noUri = await cli(0, 'class', 'publish', classFile);
    expect(noUri.code).to.equal(2);
    expect(noUri.err).to.contain('give --uri');
  });

  it('adopt and withdraw: member 2 adopts the class, cannot adopt it twice, and withdraws', async function () {
    const adopted = await cli(1, 'class', 'adopt', classId);
    expect(adopted.code, adopted.err).to.equal(0);
    expect(adopted.out).to.contain(`member 2 adopts badge class ${classId}`);
    const twice = await cli(1, 'class', 'adopt', classId);
    expect(twice.code).to.equal(1);
    expect(twice.err).to.contain(`member 2 already adopts badge class ${classId}`);
    const shown = await cli(undefined, 'class', 'show', classId, '--document', classFile);
    expect(shown.code, shown.err).to.equal(0);
    expect(shown.out).to.contain('published by member 1 (did:web:school-a.example)');
    expect(shown.out).to.contain('adopted by member 2 (did:web:ngo-b.example)');
    expect(shown.out).to.contain('levels: Silver, Gold, Platinum (score 0-100: Silver 70-80, Gold 81-90, Platinum 91-100)');
    expect(shown.out).to.contain('co-issuance: required, by a validation-point');
    const withdrawn = await cli(1, 'class', 'withdraw', classId);
    expect(withdrawn.code, withdrawn.err).to.equal(0);
    const after = await cli(undefined, '--json', 'class', 'show', classId, '--document', classFile);
    expect(JSON.parse(after.out).adopters).to.deep.equal([]);
  });

  it('publish with `supersedes` sends supersede; show says which version replaced which', async function () {
    const next = certificationClass({ coIssued: true, supersedes: classId });
    const nextFile = join(workDir, 'next.json');
    writeFileSync(nextFile, JSON.stringify(next));
    const published = await cli(0, 'class', 'publish', nextFile, '--uri', 'https://classes.example/cert-2.json');
    expect(published.code, published.err).to.equal(0);
    expect(published.out).to.contain(`badge class ${badgeClassId(next)} superseding ${classId}`);
    const old = await cli(undefined, 'class', 'show', classId);
    expect(old.code, old.err).to.equal(0);
    expect(old.out).to.contain(`superseded by ${badgeClassId(next)}`);
    expect(old.out).to.contain('document not checked: https://classes.example/cert.json');
    const adoptOld = await cli(1, 'class', 'adopt', classId);
    expect(adoptOld.code).to.equal(1);
    expect(adoptOld.err).to.contain(`is superseded by ${badgeClassId(next)}`);
  });

  it('show: a class never published, a malformed id, and a document of another class are refused with exit status 2', async function () {
    const unknown = await cli(undefined, 'class', 'show', `0x${'ab'.repeat(32)}`);
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.contain("is not published in the network's catalogue");
    const malformed = await cli(undefined, 'class', 'show', '0x1234');
    expect(malformed.code).to.equal(2);
    expect(malformed.err).to.contain('is not a badge class id');
    const other = join(workDir, 'other.json');
    writeFileSync(other, JSON.stringify(certificationClass()));
    const mismatch = await cli(undefined, 'class', 'show', classId, '--document', other);
    expect(mismatch.code).to.equal(2);
    expect(mismatch.err).to.contain(`is not badge class ${classId}`);
  });

  it('search: without a reachable notary service, says so and fails', async function () {
    const result = await cli(undefined, 'class', 'search', 'digital', '--url', 'http://127.0.0.1:9');
    expect(result.code).to.equal(1);
    expect(result.err).to.contain('cannot reach the notary service at http://127.0.0.1:9');
  });
});
