// Co-issuance between two consoles, in a real browser: Debian's Chromium, headless, driven by playwright-core,
// against the service (startNotary, a real SQLite file) over a real `hardhat node`. The network has the issuing point
// (member 1, did:web:school-a.example) and a validation point admitted by vote (member 3, did:web:chamber-c.example,
// Role 2), each with its own registered Ed25519 key; member 1 publishes a class that requires a validation point's
// co-signature. Two browser contexts, one per member, each with its own key file: the validation point signs the
// earners' badges (Data Integrity, eddsa-rdfc-2022, with the project's signer bundled for the browser) and exports the
// batch; the issuing point imports it, reviews it (a tampered copy is refused with its row named), co-signs, notarises,
// and downloads the ZIP. Each badge then verifies through POST /v1/verify and the verification page, co-issued by both.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { ZeroHash } from 'ethers';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { badgeClassId } from '../../service/catalogue';
import { loadConfig } from '../../service/config/config';
import { multicodecHexOf } from '../../service/credentials/key-hash';
import { memberKeyId } from '../../service/credentials/key-id';
import { exportIssuerKey, generateIssuerKey } from '../../service/credentials/keys';
import type { JsonObject } from '../../service/credentials/types';
import { createApiClient } from '../../service/http';
import { startNotary, type RunningNotary } from '../../service/notary-process';
import { connectChain } from '../../service/chain/connection';
import { BadgeClassCatalogue__factory } from '../../typechain-types';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import { certificationClass, withForgedLevel } from '../support/class-badges';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { runProcess, withStoreUnderTest } from '../support/run-node-script';
import { wellKnownAccount } from '../support/well-known-accounts';
import { writeDocsPicture } from '../support/docs-pictures';
import { seriousViolations } from './axe';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');
const LD_SIGNER = join(__dirname, '..', '..', 'dist', 'service', 'web', 'console', 'ld-signer.js');
const ISSUING_POINT = 'did:web:school-a.example';
const VALIDATION_POINT = 'did:web:chamber-c.example';
const VALIDATION_POINT_ROLE = 2;
const badgeClass = certificationClass({ coIssued: true });
const CLASS_ID = badgeClassId(badgeClass);
/** The earners, by the spreadsheet's line: names and e-mail addresses that must never reach the service. */
const EARNERS = [
  { line: 2, name: 'Anna Cosignata', earner: 'anna.cosignata@scuola-privata.example', score: 75, level: 'Silver' },
  { line: 3, name: 'Bruno Cofirmato', earner: 'bruno.cofirmato@scuola-privata.example', score: 85, level: 'Gold' },
  { line: 4, name: 'Carla Convalidata', earner: 'did:example:carla-convalidata', score: 95, level: 'Platinum' },
];

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

describe('web console: co-issuance between two consoles (validation point, then issuing point), in headless Chromium', function () {
  this.timeout(400_000);
  let network: NotaryNetwork;
  let notary: RunningNotary;
  let directory: string;
  let browser: Browser;
  let apiKey: string;
  const schoolKey = generateIssuerKey({ type: 'Ed25519' });
  const chamberKey = generateIssuerKey({ type: 'Ed25519' });
  const files = { schoolKey: '', chamberKey: '', classFile: '', csv: '', batch: '', tampered: '', zip: '' };
  const sent: { method: string; url: string; body: string }[] = [];
  const pageErrors: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing; install Debian's Chromium with: apt-get install -y chromium`);
      this.skip();
    }
    // The page signs with the Data Integrity signer bundled for the browser, which only the build holds.
    const build = await runProcess(process.execPath, ['scripts/build.js', '--if-stale'], {}, 240_000);
    expect(build.code, build.stderr).to.equal(0);
    expect(existsSync(LD_SIGNER), LD_SIGNER).to.equal(true);
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-cosign-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    network = await startNotaryNetwork();
    network.writeRecord(join(directory, 'deployment.json'));
    // The chamber (account 2) applies as a validation point; member 1 approves it (quorum 1): member 3.
    await (await network.as(2).applyForMembership(VALIDATION_POINT, VALIDATION_POINT_ROLE, '', ZeroHash)).wait();
    await (await network.as(0).approveAdmission(3)).wait();
    await (await network.as(0).registerPublicKey(1, multicodecHexOf(schoolKey.publicKeyMultibase), 0, 0)).wait();
    await (await network.as(2).registerPublicKey(3, multicodecHexOf(chamberKey.publicKeyMultibase), 0, 0)).wait();
    const publisher = connectChain({ rpcUrl: network.node.rpcUrl, privateKey: wellKnownAccount(0).privateKey });
    const catalogue = BadgeClassCatalogue__factory.connect(network.record.catalogue!, publisher.signer!);
    await (await catalogue.publish(CLASS_ID, 'https://school-a.example/classes/digital-co-issued.json')).wait();
    publisher.close();
    notary = await startNotary(
      loadConfig(await withStoreUnderTest({
        BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
        BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
        BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
        BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
        BADGE_NOTARY_PORT: '0',
        BADGE_NOTARY_CONFIRMATIONS: '1',
        // three badges: seal the batch after 2 s rather than the default minute
        BADGE_NOTARY_BATCH_MAX_AGE_MS: '2000',
        BADGE_NOTARY_LOG_LEVEL: 'error',
      })),
    );
    apiKey = (await createApiClient(notary.store, { memberId: 1, role: 'editor', label: 'co-issuance page test' })).apiKey;
    const upload = await fetch(`${notary.url}/v1/badge-classes/${CLASS_ID}/document`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(badgeClass),
    });
    expect(upload.status, await upload.text()).to.be.oneOf([200, 201]);
    await waitForMirror();

    files.schoolKey = write('school-key.json', JSON.stringify(exportIssuerKey(schoolKey), null, 2));
    files.chamberKey = write('chamber-key.json', JSON.stringify(exportIssuerKey(chamberKey), null, 2));
    files.classFile = write('co-issued-class.json', JSON.stringify(badgeClass, null, 2));
    files.csv = write(
      'earners.csv',
      [
        'name,email,identifier,evidence,score',
        ...EARNERS.map((one) => `${one.name},${one.earner.startsWith('did:') ? `,${one.earner}` : `${one.earner},`},https://chamber-c.example/exams/${one.line},${one.score}`),
      ].join('\n'),
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  after(async function () {
    await browser?.close();
    await notary?.stop();
    await network?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  function write(name: string, content: string): string {
    writeFileSync(join(directory, name), content);
    return join(directory, name);
  }

  /** The indexer mirrors the catalogue and the members: wait until the service lists the class and member 3 active. */
  async function waitForMirror(): Promise<void> {
    for (let tries = 0; tries < 100; tries++) {
      const classes = (await (await fetch(`${notary.url}/v1/badge-classes`)).json()) as { badgeClasses?: { classId: string; document: string | null }[] };
      const member = (await (await fetch(`${notary.url}/v1/members/3`)).json()) as { member?: { status?: string; keys?: unknown[] } };
      if (classes.badgeClasses?.some((item) => item.classId === CLASS_ID && item.document) && member.member?.status === 'active') return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the service never mirrored the published class and the admitted validation point');
  }

  /** A browser context of one member: its own storage, its requests recorded, its errors kept. */
  async function memberPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Rome', viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    context.on('request', (request) => sent.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' }));
    context.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    context.on('weberror', (error) => pageErrors.push(String(error.error())));
    const page = await context.newPage();
    const response = await page.goto(`${notary.url}/console/issue`);
    expect(response?.status()).to.equal(200);
    await page.waitForSelector('body[data-ready="true"]');
    return { context, page };
  }

  /** The class file, then the member's part in the co-issuance. */
  async function chooseClassAndRole(page: Page, role: 'validation' | 'issuing'): Promise<void> {
    await page.setInputFiles('#class-file', files.classFile);
    await page.waitForSelector('#class-line[data-kind="done"]');
    await page.waitForSelector('#cosign-role:not([hidden])');
    await page.check(`input[name="cosign-role"][value="${role}"]`);
  }

  it('the validation point signs each badge in its browser and exports the batch as one JSON file', async function () {
    const { context, page } = await memberPage();
    await chooseClassAndRole(page, 'validation');
    expect(await page.locator('#batch-file').isVisible()).to.equal(false);
    expect(await page.locator('#api-key').isVisible(), 'the validation point sends nothing to the notary').to.equal(false);
    expect(await text(page, '#submit-button')).to.equal('Sign and export the batch');
    await page.fill('#issuer-did', ISSUING_POINT);
    await page.fill('#issuer-name', 'Istituto Scolastico A');
    await page.fill('#issuer-email', 'badges@school-a.example');
    await page.fill('#validation-did', VALIDATION_POINT);
    await page.setInputFiles('#key-file', files.chamberKey);
    await page.waitForSelector('#key-line[data-kind="done"]');
    await page.setInputFiles('#rows-file', files.csv);
    await page.waitForSelector('#rows-line[data-kind="done"]');
    expect(await text(page, '#rows-line')).to.equal('3 earners checked, ready to sign.');
    expect(await seriousViolations(page), 'axe-core, the validation point’s view, in English').to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-cosign-validation-en.png'), fullPage: true });
    await writeDocsPicture(page, '.issue-steps', 'console-cosign-validation-en', 0.7);

    const started = Date.now();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#submit-button')]);
    files.batch = join(directory, 'batch.json');
    await download.saveAs(files.batch);
    await page.waitForSelector('#issue-line[data-kind="done"]');
    console.log(`      3 badges signed with eddsa-rdfc-2022 in the validation point's browser in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(download.suggestedFilename()).to.match(new RegExp(`^co-issuance-${CLASS_ID.slice(2, 10)}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
    expect(await text(page, '#issue-line')).to.equal(`3 badges signed by ${VALIDATION_POINT} and saved in ${download.suggestedFilename()}: send the file to the issuing point.`);

    const batch = JSON.parse(readFileSync(files.batch, 'utf8')) as { schema: string; classId: string; issuer: string; validationPoint: string; badges: JsonObject[] };
    expect({ schema: batch.schema, classId: batch.classId, issuer: batch.issuer, validationPoint: batch.validationPoint }).to.deep.equal({
      schema: 'badge-notary/co-issuance-batch/1',
      classId: CLASS_ID,
      issuer: ISSUING_POINT,
      validationPoint: VALIDATION_POINT,
    });
    type Row = { line?: unknown; name?: unknown; level?: unknown; score?: unknown };
    const rowsOf = (list: readonly Row[]) => list.map((one) => [one.line, one.name, one.level, one.score]);
    expect(rowsOf(batch.badges)).to.deep.equal(rowsOf(EARNERS));
    for (const badge of batch.badges) {
      const proof = (badge.credential as JsonObject).proof as JsonObject;
      expect(proof.verificationMethod).to.equal(memberKeyId(VALIDATION_POINT, chamberKey));
      expect(proof.cryptosuite).to.equal('eddsa-rdfc-2022');
      expect(((badge.credential as JsonObject).issuer as JsonObject).id).to.equal(ISSUING_POINT);
    }
    // A copy with Bruno's level raised after the validation point signed it (line 3): the review must refuse it.
    const tampered = structuredClone(batch);
    tampered.badges[1]!.credential = withForgedLevel(tampered.badges[1]!.credential as JsonObject, 'Platinum');
    files.tampered = write('tampered-batch.json', JSON.stringify(tampered, null, 2));

    await page.click('[data-language="it"]');
    expect(await text(page, '#submit-button')).to.equal('Firma ed esporta il lotto');
    expect(await text(page, '#issue-line')).to.contain('badge firmati da').and.contain('invia il file al punto di emissione');
    expect(await seriousViolations(page), 'axe-core, the validation point’s view, in Italian').to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-cosign-validation-it.png'), fullPage: true });
    expect(sent.filter((request) => request.method === 'POST'), 'the validation point posts nothing').to.deep.equal([]);
    await context.close();
  });

  it('the issuing point refuses a tampered batch with the row named, reviews the real one, co-signs and notarises', async function () {
    const { context, page } = await memberPage();
    await chooseClassAndRole(page, 'issuing');
    expect(await page.locator('#rows-file').isVisible()).to.equal(false);
    expect(await text(page, '#submit-button')).to.equal('Co-sign and notarise');
    await page.fill('#issuer-did', ISSUING_POINT);
    await page.setInputFiles('#key-file', files.schoolKey);
    await page.waitForSelector('#key-line[data-kind="done"]');

    await page.setInputFiles('#batch-file', files.tampered);
    await page.waitForSelector('#rows-line[data-kind="problem"]');
    expect(await text(page, '#rows-line')).to.equal('1 problems: nothing is issued until they are fixed.');
    const problems = await page.locator('#rows-problems li').allTextContents();
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^Line 3: the validation point’s signature does not hold: /);
    await page.fill('#api-key', apiKey);
    await page.click('#submit-button');
    expect(await text(page, '#issue-line')).to.equal('Choose a class, a key file and a spreadsheet without problems first.');
    expect(sent.filter((request) => request.method === 'POST'), 'nothing sent for a tampered batch').to.deep.equal([]);

    await page.setInputFiles('#batch-file', files.batch);
    await page.waitForSelector('#rows-line[data-kind="done"]');
    expect(await text(page, '#rows-line')).to.equal(
      `3 badges signed by the validation point ${VALIDATION_POINT}: each signature, level and earner checked in this browser.`,
    );
    expect(await page.locator('#rows-problems li').count()).to.equal(0);
    expect(await page.locator('#issued-rows tr').allTextContents()).to.deep.equal(
      EARNERS.map((one) => `${one.line}${one.name}${one.earner}${one.level} (${one.score})validation point’s signature checked`),
    );
    expect(await seriousViolations(page), 'axe-core, the issuing point’s review, in English').to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-cosign-review-en.png'), fullPage: true });
    await writeDocsPicture(page, '.issue-steps', 'console-cosign-review-en', 0.7);
    await page.click('[data-language="it"]');
    expect(await text(page, '#rows-line')).to.contain('badge firmati dal punto di validazione');
    expect(await text(page, '#issued-rows tr td[data-state]')).to.equal('firma del punto di validazione controllata');
    expect(await seriousViolations(page), 'axe-core, the issuing point’s review, in Italian').to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-cosign-review-it.png'), fullPage: true });
    await page.click('[data-language="en"]');

    const started = Date.now();
    await page.click('#submit-button');
    await page.waitForSelector('#issue-line[data-kind="done"]', { timeout: 240_000 });
    console.log(`      3 badges co-signed, notarised, anchored and baked in the issuing point's browser in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(await text(page, '#issue-line')).to.equal('3 badges issued and anchored.');
    expect(await page.locator('#issued-rows td[data-state="anchored"]').count()).to.equal(3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    files.zip = join(directory, 'badges.zip');
    await download.saveAs(files.zip);
    const names = new AdmZip(files.zip).getEntries().map((entry) => entry.entryName);
    expect(names.slice(0, 4)).to.deep.equal([
      '0001-Anna-Cosignata/credential.json',
      '0001-Anna-Cosignata/receipt.json',
      '0001-Anna-Cosignata/badge.png',
      '0001-Anna-Cosignata/share-link.txt',
    ]);
    expect(names).to.have.length(3 * 4 + 1);

    const posted = sent.filter((request) => request.method === 'POST').map((request) => request.body).join('\n');
    const privateKeys = [exportIssuerKey(schoolKey).privateKeyJwk!.d, exportIssuerKey(chamberKey).privateKeyJwk!.d];
    for (const secret of [...privateKeys, ...EARNERS.map((one) => one.name), EARNERS[0]!.earner]) {
      expect(posted, 'no private key, earner name or e-mail in any request').to.not.contain(secret);
    }
    expect(pageErrors).to.deep.equal([]);
    await context.close();
  });

  it('each badge verifies, co-issued by both members with its level: POST /v1/verify and the verification page', async function () {
    const zip = new AdmZip(files.zip);
    for (const [index, one] of EARNERS.entries()) {
      const folder = `${String(index + 1).padStart(4, '0')}-${one.name.replace(/ /g, '-')}`;
      const credential = JSON.parse(zip.readAsText(`${folder}/credential.json`)) as JsonObject;
      const receipt = JSON.parse(zip.readAsText(`${folder}/receipt.json`)) as JsonObject;
      expect((credential.proof as JsonObject[]).map((proof) => proof.verificationMethod)).to.deep.equal([
        memberKeyId(ISSUING_POINT, schoolKey),
        memberKeyId(VALIDATION_POINT, chamberKey),
      ]);
      const response = await fetch(`${notary.url}/v1/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ credential, receipt }) });
      const report = (await response.json()) as { verified: boolean; coIssuance?: { summary: string }; badgeClass?: { level?: string } };
      expect(report.verified, `${folder}: ${JSON.stringify(report)}`).to.equal(true);
      expect(report.coIssuance?.summary).to.contain(ISSUING_POINT).and.contain(VALIDATION_POINT);
      expect(report.badgeClass?.level).to.equal(one.level);
    }

    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${notary.url}/`);
    const png = join(directory, 'bruno.png');
    writeFileSync(png, zip.readFile('0002-Bruno-Cofirmato/badge.png')!);
    await Promise.all([page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/verify'), page.setInputFiles('#file-input', png)]);
    await page.waitForSelector('#result:not([hidden]) #verdict-title');
    expect(await text(page, '#verdict-title')).to.equal('Verified');
    const signature = await text(page, '#steps li[data-step="signature"]');
    expect(signature).to.contain(memberKeyId(ISSUING_POINT, schoolKey)).and.contain(memberKeyId(VALIDATION_POINT, chamberKey));
    expect(await text(page, '#steps li[data-step="badge-class"]')).to.contain('Gold');
    await page.screenshot({ path: join(ARTIFACTS, 'console-cosign-verified.png'), fullPage: true });
    await context.close();
  });
});
