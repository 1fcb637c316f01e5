// The verifier page in a real browser: Debian's Chromium, headless, driven by playwright-core (which never
// downloads a browser), against the service running over a real `hardhat node`. The service runs in this
// process (startNotary, the function `npm start` calls, configured as on a real network) so the test can make an
// API key in its store; the browser, the chain node and the HTTP traffic between them are real. Screenshots go
// to test-artifacts/web/.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBeHex, zeroPadValue } from 'ethers';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../support/chromium';
import { bakePng, demoBadgePng } from '../../service/baking';
import { loadConfig } from '../../service/config/config';
import { generateIssuerKey } from '../../service/credentials/keys';
import type { JsonObject } from '../../service/credentials/types';
import { createApiClient } from '../../service/http';
import { attachReceiptToCredential, BatchTree, buildReceipt, type Receipt } from '../../service/merkle';
import { signCredential } from '../../service/credentials/signer';
import { parseCredential } from '../../service/credentials/parse';
import { badgeClassId } from '../../service/catalogue';
import { BadgeClassCatalogue__factory } from '../../typechain-types';
import { certificationClass, classCredential } from '../support/class-badges';
import { startNotary, type RunningNotary } from '../../service/notary-process';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { withStoreUnderTest } from '../support/run-node-script';
import { wellKnownAccount } from '../support/well-known-accounts';
import { runAxe, seriousViolationsOf } from './axe';
import { ENDORSEMENT_COMMENT, NGO_DID, NGO_NAME, SCHOOL_DID, SCHOOL_NAME, raisedToGold, softSkillBadge, technicalBadge } from './fixtures';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');
const STEPS = ['format', 'signature', 'issuer-key', 'issuer-member', 'anchor', 'revocation', 'validity'];

const launch = launchChromium;

async function call(url: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls until `done` answers true: at most `attempts` times, 200 ms apart. */
async function until(what: string, done: () => Promise<boolean>, attempts = 300): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within ${attempts} attempts`);
}

/** Does `action` and waits until the page has verified and shown the answer. */
async function verifyBy(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/verify'), action()]);
  await page.waitForSelector('body[data-busy="false"]');
  await page.waitForSelector('#result:not([hidden]) #verdict-title');
}

/** The text of the first element matching `selector` (textContent), its white space collapsed. */
const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** The same as the page lays it out (innerText: a table's cells and a list's terms apart). */
const rendered = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();

/** Each step's name -> its status, as the page shows them. */
async function shownSteps(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#steps li', (items) => Object.fromEntries(items.map((item) => [item.getAttribute('data-step'), item.getAttribute('data-status')])));
}

describe('web page: the verifier in headless Chromium, against the running service', function () {
  this.timeout(300_000);
  let network: NotaryNetwork;
  let notary: RunningNotary;
  let directory: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  const files: Record<'json' | 'png' | 'tampered', string> = { json: '', png: '', tampered: '' };
  let pasted: string;
  let schoolKey: ReturnType<typeof generateIssuerKey>;
  const consoleErrors: string[] = [];
  const requested: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing; install Debian's Chromium with: apt-get install -y chromium`);
      this.skip();
    }
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-web-'));
    mkdirSync(ARTIFACTS, { recursive: true });

    // The chain: member 1 (the school) with a registered key; member 2 (the NGO) endorses it.
    network = await startNotaryNetwork();
    schoolKey = generateIssuerKey({ type: 'Ed25519' });
    const ngoKey = generateIssuerKey({ type: 'Ed25519' });
    await (await network.as(0).registerKey(1, schoolKey.keyHash, 0, 0)).wait();
    await (await network.as(1).endorse(2, 0, zeroPadValue(toBeHex(1), 32), 'https://ngo-b.example/endorsements/school-a')).wait();
    network.writeRecord(join(directory, 'deployment.json'));

    // The service, as `npm start` runs it on a real network (account 9 is member 1's notary).
    const config = loadConfig(await withStoreUnderTest({
      BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
      BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
      BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
      BADGE_NOTARY_PORT: '0',
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_BATCH_MAX_AGE_MS: '200',
      BADGE_NOTARY_POLL_INTERVAL_MS: '100',
      BADGE_NOTARY_LOG_LEVEL: 'error',
    }));
    notary = await startNotary(config);
    const { apiKey } = await createApiClient(notary.store, { memberId: 1, role: 'editor', label: 'web page test' });

    // Two badges notarised through the API, and their receipts.
    const soft = await softSkillBadge(schoolKey, ngoKey);
    const technical = await technicalBadge(schoolKey, `${notary.url}/v1/status-lists/1/web-test`);
    const submitted = await call(notary.url, '/v1/credentials', { method: 'POST', token: apiKey, body: { credentials: [soft, technical] } });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(202);
    const digests = (submitted.body.credentials as { digest: string }[]).map((item) => item.digest);
    const receipts: Receipt[] = [];
    for (const digest of digests) {
      await until(`the receipt of ${digest}`, async () => (await call(notary.url, `/v1/credentials/${digest}/receipt`)).status === 200);
      receipts.push((await call(notary.url, `/v1/credentials/${digest}/receipt`)).body as unknown as Receipt);
    }
    await until('the mirror has the endorsement', async () => {
      const { body } = await call(notary.url, '/v1/members/1');
      return ((body.member as { endorsements?: { received: unknown[] } } | undefined)?.endorsements?.received.length ?? 0) > 0;
    });

    // The files a person would have: the JSON credential carrying its receipt, a baked PNG of the JWT badge,
    // a tampered copy of the JSON one; and the JWT with its receipt as JSON text to paste.
    const softWithReceipt = attachReceiptToCredential(soft, receipts[0]) as unknown as JsonObject;
    files.json = join(directory, 'teamwork-badge.json');
    writeFileSync(files.json, JSON.stringify(softWithReceipt, null, 2));
    files.png = join(directory, 'mechatronics-badge.png');
    writeFileSync(files.png, bakePng({ image: demoBadgePng({ label: 'Gold' }), credential: technical, receipt: receipts[1] }));
    files.tampered = join(directory, 'teamwork-badge-gold.json');
    writeFileSync(files.tampered, JSON.stringify(raisedToGold(softWithReceipt), null, 2));
    pasted = JSON.stringify({ credential: technical, receipt: receipts[1] }, null, 2);

    browser = await launch('en-US');
    page = await browser.context.newPage();
    browser.context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    browser.context.on('weberror', (error) => consoleErrors.push(String(error.error())));
    browser.context.on('request', (request) => requested.push(request.url()));
  });

  after(async function () {
    await browser?.close();
    await notary?.stop();
    await network?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('loads the page from the service in the browser’s language (English)', async function () {
    const response = await page.goto(`${notary.url}/`);
    expect(response?.status()).to.equal(200);
    expect(response?.headers()['content-security-policy']).to.contain("script-src 'self'").and.not.contain('unsafe-inline');
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await page.title()).to.equal('Badge verifier');
    expect(await text(page, '#input-title')).to.equal('Verify a badge');
    expect(await page.getAttribute('[data-language="en"]', 'aria-pressed')).to.equal('true');
  });

  it('passes axe-core with no serious violation; the drop zone is named by all of its visible words', async function () {
    const result = await runAxe(page);
    expect(seriousViolationsOf(result)).to.deep.equal([]);
    expect(result.passed, 'the rule ran on the drop zone').to.include('label-content-name-mismatch #drop-zone');
  });

  it('takes the keyboard in reading order, and its drop zone opens the file chooser with Enter', async function () {
    await page.locator('body').focus();
    const order: string[] = [];
    for (let index = 0; index < 8; index++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate<string>("document.activeElement.id || document.activeElement.getAttribute('data-language') || document.activeElement.className"));
    }
    expect(order).to.deep.equal(['skip-link', 'it', 'en', 'drop-zone', 'paste', 'paste-submit', 'link', 'link-submit']);

    await page.focus('#drop-zone');
    const chosen = page.waitForEvent('filechooser');
    await page.evaluate(() => true); // the file chooser's interception is on before the key is pressed
    await page.keyboard.press('Enter');
    const chooser = await chosen;
    expect(chooser.isMultiple()).to.equal(true);
    await verifyBy(page, () => chooser.setFiles(files.json));
    expect(await text(page, '#verdict-title')).to.equal('Verified');
  });

  it('verifies a notarised badge from a file (a JSON credential with its receipt) and shows it as a person reads it', async function () {
    await verifyBy(page, () => page.setInputFiles('#file-input', files.json));
    expect(await text(page, '#verdict-title')).to.equal('Verified');
    expect(await page.evaluate<string>('document.activeElement.id'), 'the focus moves to the verdict').to.equal('verdict-title');
    expect(await shownSteps(page)).to.deep.equal(Object.fromEntries(STEPS.map((step) => [step, 'passed'])));
    expect(await text(page, '#steps li[data-step="anchor"] .step-title')).to.equal('Recorded on the blockchain');
    expect(await text(page, '#steps li[data-step="anchor"] .step-status')).to.equal('Passed');
    expect(await text(page, '#steps li[data-step="anchor"] .detail-text')).to.match(/^the proof leads to root 0x[0-9a-f]{64}, anchored at/);

    expect(await text(page, '#badge-name')).to.equal('Lavoro di gruppo / Teamwork');
    expect(await text(page, '#badge-level .level-value')).to.equal('Silver — soft skills, level 2 of 3 (intermediate)');
    const facts = await rendered(page, '.facts');
    for (const expected of [SCHOOL_NAME, SCHOOL_DID, 'member no. 1, validation and issuing point (status now: active)', 'Social', 'S3 Collaboration', '7 of 10 LifeComp descriptors observed', 'did:example:earner-giulia']) {
      expect(facts).to.contain(expected);
    }
    const alignment = await rendered(page, '.alignment-table');
    expect(alignment).to.contain('LifeComp S3.1 Intention to contribute to the common good').and.contain('EQF 4 EQF level 4');
    const dates = await rendered(page, '.dates');
    expect(dates).to.contain('Issued on 12 June 2025').and.contain('Exam date 12 June 2025').and.contain('Valid until 30 June 2030');
    expect(await rendered(page, '.card-evidence')).to.contain('Assessor’s observation grid').and.contain('Kind: Observation');
    expect(await rendered(page, '#endorsements-badge')).to.contain(`by ${NGO_NAME}`).and.contain(ENDORSEMENT_COMMENT);
    expect(await rendered(page, '#endorsements-network')).to.contain(`Member no. 2 (${NGO_DID}), since`).and.contain('https://ngo-b.example/endorsements/school-a');
    expect(await rendered(page, '.card-technical')).to.contain('carried inside the credential');
    expect(await page.getAttribute('#badge-image', 'class')).to.contain('level-silver');
    await page.screenshot({ path: join(ARTIFACTS, 'good-json.png'), fullPage: true });
  });

  it('verifies a baked PNG badge and shows the baked image itself', async function () {
    await verifyBy(page, () => page.setInputFiles('#file-input', files.png));
    expect(await text(page, '#verdict-title')).to.equal('Verified');
    expect(await shownSteps(page)).to.deep.equal(Object.fromEntries(STEPS.map((step) => [step, 'passed'])));
    expect(await text(page, '#badge-name')).to.equal('Manutenzione di sistemi meccatronici / Mechatronic systems maintenance');
    expect(await text(page, '#badge-level .level-value')).to.equal('Gold — technical skills, level 2 of 3');
    expect(await rendered(page, '.facts')).to.contain('exam score 85 out of 100').and.contain('C3 Maintenance');
    expect(await rendered(page, '.alignment-table')).to.contain('ESCO').and.contain('maintain mechatronic equipment');
    expect(await page.getAttribute('#badge-image', 'src')).to.match(/^blob:/);
    expect(await page.$eval('#badge-image', (image) => (image as unknown as { naturalWidth: number }).naturalWidth), 'the baked PNG is drawn').to.equal(256);
    expect(await text(page, '.verdict-meta')).to.contain('From the badge image mechatronics-badge.png');
    await page.screenshot({ path: join(ARTIFACTS, 'good-baked-png.png'), fullPage: true });
  });

  it('verifies pasted JSON (a VC-JWT and its receipt)', async function () {
    await page.click('#again-button');
    await page.fill('#paste', pasted);
    await verifyBy(page, () => page.click('#paste-submit'));
    expect(await text(page, '#verdict-title')).to.equal('Verified');
    expect(await text(page, '.verdict-meta')).to.contain('From pasted text');
    expect(await text(page, '#badge-name')).to.contain('Mechatronic systems maintenance');
    expect(await rendered(page, '.card-technical')).to.contain('vc-jwt').and.contain('given with the credential');
    // Its W3C status list (this service's) is read beside the chain, and agrees with it.
    expect(await page.getAttribute('#status-list-note', 'data-outcome')).to.equal('agrees');
    expect(await text(page, '#status-list-note')).to.match(/^Its W3C status list agrees with the blockchain \(the list mirrors block \d+\)\.$/);
  });

  it('refuses a tampered badge (its level raised after signing) and shows the steps that fail', async function () {
    await verifyBy(page, () => page.setInputFiles('#file-input', files.tampered));
    expect(await text(page, '#verdict-title')).to.equal('Not verified');
    expect(await text(page, '.verdict-text')).to.equal('Failed: Issuer’s signature, Recorded on the blockchain. Do not rely on this badge.');
    const steps = await shownSteps(page);
    expect(steps).to.include({ format: 'passed', signature: 'failed', anchor: 'failed' });
    expect(await text(page, '#steps li[data-step="signature"] .step-status')).to.equal('Failed');
    expect(await text(page, '#steps li[data-step="signature"] .step-explain')).to.contain('the badge was changed after it was signed');
    expect(await text(page, '#steps li[data-step="signature"] .detail-text')).to.not.equal('');
    expect(await text(page, '#steps li[data-step="anchor"] .detail-text')).to.contain('the receipt does not hold');
    // What the forged badge claims is shown, under the refusal.
    expect(await text(page, '#badge-level')).to.contain('Gold');
    await page.screenshot({ path: join(ARTIFACTS, 'tampered.png'), fullPage: true });
  });

  it('switches to Italian: labels, steps, dates and <html lang> change, and the choice is remembered', async function () {
    await page.click('[data-language="it"]');
    expect(await page.getAttribute('html', 'lang')).to.equal('it');
    expect(await page.getAttribute('[data-language="it"]', 'aria-pressed')).to.equal('true');
    expect(await text(page, '#input-title')).to.equal('Verifica un badge');
    expect(await text(page, '#verdict-title')).to.equal('Non verificato');
    expect(await text(page, '#steps li[data-step="signature"] .step-title')).to.equal('Firma dell’emittente');
    expect(await text(page, '#steps li[data-step="signature"] .step-status')).to.equal('Non superato');
    expect(await text(page, '#steps li[data-step="format"] .step-status')).to.equal('Superato');
    expect(await text(page, '#steps li[data-step="signature"] .step-explain')).to.contain('il badge è stato modificato dopo la firma');
    expect(await text(page, '#badge-level .level-label')).to.equal('Livello');
    expect(await text(page, '#badge-level .level-value')).to.equal('Oro — competenze trasversali, livello 3 di 3 (avanzato)');
    expect(await rendered(page, '.dates')).to.contain('Rilasciato il 12 giugno 2025').and.contain('Valido fino al 30 giugno 2030');
    expect(await rendered(page, '.facts')).to.contain('membro n. 1, punto di validazione e rilascio');
    expect(await page.title()).to.equal('Verifica dei badge');
    await page.screenshot({ path: join(ARTIFACTS, 'italian-tampered.png'), fullPage: true });

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getAttribute('html', 'lang'), 'remembered after a reload').to.equal('it');
    expect(await text(page, '#input-title')).to.equal('Verifica un badge');

    await page.click('[data-language="en"]');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await text(page, '#input-title')).to.equal('Verify a badge');
  });

  it('makes a share link that carries the badge in its fragment; opened in a new page, it verifies again', async function () {
    await verifyBy(page, () => page.setInputFiles('#file-input', files.json));
    await page.click('#share-button');
    // Polled from here: a string predicate would be evaluated in the page, which its CSP (no unsafe-eval) forbids.
    await until('the share link', async () => (await page.inputValue('#share-link')).includes('#badge='), 50);
    const link = await page.inputValue('#share-link');
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).to.equal(`${notary.url}/verify`);
    const fragment = url.hash.length;
    const credentialBytes = JSON.stringify(JSON.parse(readFileSync(files.json, 'utf8'))).length;
    console.log(`      share link of the teamwork badge: ${link.length} characters, fragment ${fragment} (the credential with its receipt: ${credentialBytes} bytes of JSON)`);

    const shared = await browser.context.newPage();
    const verified = shared.waitForResponse((response) => new URL(response.url()).pathname === '/v1/verify');
    await shared.goto(link);
    const response = await verified;
    expect(response.request().url(), 'the fragment never reaches the server').to.not.contain('#');
    await shared.waitForSelector('#result:not([hidden]) #verdict-title');
    await shared.waitForSelector('body[data-busy="false"]');
    expect(await text(shared, '#verdict-title')).to.equal('Verified');
    expect(await text(shared, '.verdict-meta')).to.contain('From a share link');
    expect(await text(shared, '#badge-name')).to.equal('Lavoro di gruppo / Teamwork');
    expect(await shownSteps(shared)).to.deep.equal(Object.fromEntries(STEPS.map((step) => [step, 'passed'])));
    expect(await shared.isVisible('#input'), 'the form waits behind "Verify another badge"').to.equal(false);
    await shared.screenshot({ path: join(ARTIFACTS, 'shared-link.png'), fullPage: true });
    await shared.click('#again-button');
    expect(await shared.isVisible('#input')).to.equal(true);
    expect(new URL(shared.url()).hash, 'the badge leaves the address bar').to.equal('');

    // A damaged link is refused with a message, not a crash.
    await shared.goto(`${notary.url}/verify#badge=AAAA`);
    await shared.waitForSelector('#error:not([hidden])');
    expect(await text(shared, '#error-text')).to.contain('The share link is damaged or incomplete');
    await shared.close();
  });

  it('prints the badge and the steps, without buttons or the input form', async function () {
    await page.emulateMedia({ media: 'print' });
    try {
      for (const hidden of ['#input', '#print-button', '#share-button', '.language']) {
        expect(await page.isVisible(hidden), `${hidden} is not printed`).to.equal(false);
      }
      for (const shown of ['#verdict-title', '#badge-name', '#steps', '.card-technical']) {
        expect(await page.isVisible(shown), `${shown} is printed`).to.equal(true);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'print.png'), fullPage: true });
      await page.pdf({ path: join(ARTIFACTS, 'print.pdf'), format: 'A4', printBackground: true });
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
    expect(await page.isVisible('#print-button')).to.equal(true);
  });

  it('opens in Italian for a browser whose first language is Italian', async function () {
    const italian = await launch('it-IT');
    try {
      const other = await italian.context.newPage();
      await other.goto(`${notary.url}/verify`);
      await other.waitForSelector('body[data-ready="true"]');
      expect(await other.getAttribute('html', 'lang')).to.equal('it');
      expect(await text(other, '#input-title')).to.equal('Verifica un badge');
      expect(await text(other, '#drop-title')).to.equal('Trascina qui il file di un badge, oppure sceglilo');
      await other.screenshot({ path: join(ARTIFACTS, 'italian-start.png') });
    } finally {
      await italian.close();
    }
  });

  it('shows the network badge class a badge cites: its alignment, publisher, whether the issuer adopts it and who else does', async function () {
    // The school publishes the certification class, the NGO adopts it; the badge is anchored by another notary
    // account of the school (account 8), not through intake: this service mirrors no catalogue to check it against.
    const catalogueAs = (account: number) =>
      BadgeClassCatalogue__factory.connect(network.record.catalogue!, network.as(account).runner as never);
    const document = certificationClass();
    const classId = badgeClassId(document);
    await (await catalogueAs(0).publish(classId, 'https://classes.example/certification.json')).wait();
    await (await catalogueAs(1).adopt(classId)).wait();
    await (await network.as(0).authoriseNotary(1, wellKnownAccount(8).address)).wait();
    const credential = await signCredential({ credential: classCredential(document, SCHOOL_DID, 85), key: schoolKey, format: 'data-integrity' });
    const { digest } = await parseCredential(credential);
    const tree = await BatchTree.build([digest]);
    const mined = (await (await network.as(8).anchor(tree.root)).wait())!;
    const block = (await network.as(8).runner!.provider!.getBlock(mined.blockNumber))!;
    const { chainId, registry } = network.record;
    const anchor = { chainId, registry, transactionHash: mined.hash, blockNumber: mined.blockNumber, blockTimestamp: block.timestamp, memberId: 1 };
    const receipt = await buildReceipt({ tree, index: 0, digest, batchId: 'class-test', anchor });
    const file = join(directory, 'certified-badge.json');
    writeFileSync(file, JSON.stringify(attachReceiptToCredential(credential, receipt), null, 2));

    await verifyBy(page, () => page.setInputFiles('#file-input', file));
    await page.waitForSelector('#badge-class-facts');
    const steps = await shownSteps(page);
    // The service holds no copy of the class document: the level is not checked, so the badge is not verified.
    expect(steps).to.include({ format: 'passed', signature: 'passed', anchor: 'passed', 'badge-class': 'skipped' });
    expect(await text(page, '#verdict-title')).to.equal('Not verified');
    expect(await text(page, '#steps li[data-step="badge-class"] .step-title')).to.equal('Network badge class and level');
    expect(await text(page, '#steps li[data-step="badge-class"] .detail-text')).to.contain('the level could not be checked against badge class');
    const facts = await rendered(page, '#badge-class-facts');
    for (const expected of [classId, `Published by ${SCHOOL_DID}`, 'The issuer adopts it No', `Also adopted by ${NGO_DID}`]) {
      expect(facts).to.contain(expected);
    }
    expect(await rendered(page, '.card-badge-class')).to.contain('Network badge class');
    expect(seriousViolationsOf(await runAxe(page))).to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'badge-class.png'), fullPage: true });
  });

  it('still verifies a badge of a member suspended after issuing it, with a line that says since when and what it means', async function () {
    // The NGO votes the school's suspension; with a quorum of 1 it takes effect at once.
    await (await network.as(1).voteSuspension(1)).wait();
    await until('the mirror sees the suspension', async () => ((await call(notary.url, '/v1/members/1')).body.member as { status?: string } | undefined)?.status === 'suspended');
    await page.click('#again-button');
    await verifyBy(page, () => page.setInputFiles('#file-input', files.json));
    expect(await text(page, '#verdict-title'), 'issued while active: still valid').to.equal('Verified');
    const note = await text(page, '#former-member-note');
    expect(note).to.match(/^The issuer, member no\. 1, is suspended since \d{1,2} \w+ \d{4}/);
    expect(note).to.contain('what it issued while active stays valid unless revoked');
    expect(await rendered(page, '.facts')).to.contain('(status now: suspended)');
    await page.screenshot({ path: join(ARTIFACTS, 'former-member.png'), fullPage: true });
  });

  it('asked nothing of any other site and logged no error (a CSP violation would be one)', async function () {
    const own = (address: string) => address.startsWith(`${notary.url}/`) || address.startsWith('blob:') || address.startsWith('data:');
    expect(requested.length).to.be.greaterThan(10);
    expect(requested.filter((address) => !own(address))).to.deep.equal([]);
    expect(consoleErrors).to.deep.equal([]);
  });
});
