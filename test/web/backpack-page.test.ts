// The earner's backpack and its share page in a real browser: Debian's Chromium, headless, driven by playwright-core,
// against the service running as its own process (its start script, dist/) over a real `hardhat node`. Three badges
// of one earner are anchored on the chain directly (never through the service's intake, so that anything of the
// earner found in the service's database afterwards came from the backpack flow), one of them revoked on-chain and
// one co-issued by a second member. The test imports them, names their collection, shares them, opens the link in a
// fresh browser, checks the layout in it and en, prints, kills the service's process and sees every badge verified
// in the browser straight against the chain's node, then stops the node too and sees them unchecked, and finally
// reads the service's whole SQLite database. Screenshots go to test-artifacts/web/.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../support/chromium';
import { bakePng, demoBadgePng } from '../../service/baking';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { memberKeyId } from '../../service/credentials/key-id';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { parseCredential } from '../../service/credentials/parse';
import { addCoSignature, signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { attachReceiptToCredential } from '../../service/merkle';
import { startKillableService, type KillableService } from '../support/killable-service';
import { runProcess } from '../support/run-node-script';
import { readProcessStore } from '../support/service-store';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { wellKnownAccount } from '../support/well-known-accounts';
import { seriousViolations } from './axe';
import { ISSUED_ON, NGO_DID, SCHOOL_DID, SCHOOL_NAME, technicalBadge } from './fixtures';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');
/** The verifier bundled for the browser, as scripts/build.js writes it. */
const CHAIN_VERIFIER = join(__dirname, '..', '..', 'dist', 'service', 'web', 'backpack', 'chain-verifier.js');
const EARNER_NAME = 'Giulia Bianchi';
const EARNER_DID = 'did:example:earner-giulia-bianchi-7f3a';
const PATH_NAME = 'Teamwork path';
const TEAMWORK = 'Lavoro di gruppo / Teamwork';
const MECHATRONICS = 'Manutenzione di sistemi meccatronici / Mechatronic systems maintenance';
/** The cards, by collection, in the order imported: the two levels of one competence (Silver co-issued), then the revoked technical badge. */
const EXPECTED_CARDS = [
  [TEAMWORK, 'Level: Copper', 'verified'],
  [TEAMWORK, 'Level: Silver', 'verified'],
  [MECHATRONICS, 'Level: Gold', 'revoked'],
];

const launch = launchChromium;

/** Polls until `done` answers true: at most `attempts` times, 200 ms apart. */
async function until(what: string, done: () => Promise<boolean>, attempts = 300): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within ${attempts} attempts`);
}

/** A soft-skill badge of the earner, at the level `observed` LifeComp descriptors give, with her name in its evidence. */
async function teamworkBadge(schoolKey: IssuerKey, observed: number): Promise<JsonObject> {
  const input = {
    ...demoBadgeInput({ issuerDid: SCHOOL_DID, issuerName: SCHOOL_NAME, issuedOn: new Date(ISSUED_ON), recipientDid: EARNER_DID,
      observedDescriptors: observed }),
    evidence: [{ name: `Portfolio of ${EARNER_NAME}`, narrative: `${EARNER_NAME} showed ${observed} of 10 descriptors.`, genre: 'Observation' }],
  };
  return signCredential({ credential: buildAchievementCredential(input), key: schoolKey, format: 'data-integrity' });
}

/** Which path verified each card, in order: 'service', 'chain', or '' (not verified). */
async function cardPaths(page: Page): Promise<string[]> {
  return page.$$eval('.bp-card', (cards) => cards.map((card) => card.querySelector('.bp-status-via')?.getAttribute('data-via') ?? ''));
}

/** The co-issuers line of each card ('' for a badge of one issuer). */
async function coIssuerLines(page: Page): Promise<string[]> {
  return page.$$eval('.bp-card', (cards) => cards.map((card) => card.querySelector('.bp-card-coissuers')?.textContent ?? ''));
}

/** The cards on a page, in order: [badge name, its level, data-status]. */
async function cardStates(page: Page): Promise<string[][]> {
  return page.$$eval('.bp-card', (cards) =>
    cards.map((card) => [card.querySelector('.bp-card-name')?.textContent ?? '', card.querySelector('.bp-card-level')?.textContent ?? '', card.getAttribute('data-status') ?? '']),
  );
}

/** What is wrong with the layout: a page wider than the window, a card outside it, cards on top of each other, text out of its card. */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.$eval('html', (root) => {
    const problems: string[] = [];
    const width = root.clientWidth;
    if (root.scrollWidth > width) problems.push(`the page is ${root.scrollWidth}px wide in a ${width}px window`);
    const cards = [...root.querySelectorAll('.bp-card')].map((card) => card.getBoundingClientRect());
    cards.forEach((box, index) => {
      if (box.left < 0 || box.right > width) problems.push(`card ${index} leaves the window (${box.left}..${box.right})`);
      for (let other = index + 1; other < cards.length; other++) {
        const next = cards[other];
        const across = Math.min(box.right, next.right) - Math.max(box.left, next.left);
        const overlap = across > 1 && Math.min(box.bottom, next.bottom) - Math.max(box.top, next.top) > 1;
        if (overlap) problems.push(`cards ${index} and ${other} overlap`);
      }
    });
    for (const card of root.querySelectorAll('.bp-card')) {
      const box = card.getBoundingClientRect();
      for (const child of card.querySelectorAll('*')) {
        const inner = child.getBoundingClientRect();
        if (inner.width > 0 && (inner.right > box.right + 1 || inner.left < box.left - 1)) problems.push(`"${(child.textContent ?? '').slice(0, 30)}" leaves its card`);
      }
    }
    return problems;
  });
}

describe('web page: the earner’s backpack and its share page in headless Chromium, against the running service', function () {
  this.timeout(300_000);
  let network: NotaryNetwork;
  let networkStopped = false;
  let notary: KillableService;
  let notaryStopped = false;
  let directory: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let visitor: { context: BrowserContext; close(): Promise<void> } | undefined;
  let shareUrl = '';
  let sharedPage: Page;
  const files: Record<'copper' | 'silver' | 'revoked', string> = { copper: '', silver: '', revoked: '' };
  const credentialIds: string[] = [];
  const consoleErrors: string[] = [];
  const requested: string[] = [];
  let verifyCalls = 0;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing; install Debian's Chromium with: apt-get install -y chromium`);
      this.skip();
    }
    // The service must run its build (dist/), the one that holds the verifier bundled for the browser: from the
    // sources (ts-node, which the start script falls back to when dist/ is stale) the pages have none.
    const build = await runProcess(process.execPath, ['scripts/build.js', '--if-stale'], {}, 240_000);
    expect(build.code, build.stderr).to.equal(0);
    expect(existsSync(CHAIN_VERIFIER), CHAIN_VERIFIER).to.equal(true);
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-backpack-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    network = await startNotaryNetwork();
    const schoolKey = generateIssuerKey({ type: 'Ed25519' });
    await (await network.as(0).registerKey(1, schoolKey.keyHash, 0, 0)).wait();
    // The NGO (member 2, an issuing point) co-signs the Silver badge with its own registered key.
    const ngoKey = generateIssuerKey({ type: 'Ed25519' });
    await (await network.as(1).registerKey(2, ngoKey.keyHash, 0, 0)).wait();

    // Three badges of one earner, anchored by member 1's notary account straight on the chain; the second co-issued,
    // the third revoked.
    const copper = await teamworkBadge(schoolKey, 4);
    const silver = await addCoSignature({ credential: await teamworkBadge(schoolKey, 7), key: ngoKey, verificationMethod: memberKeyId(NGO_DID, ngoKey) });
    const mechatronics = await technicalBadge(schoolKey);
    const [copperReceipt, silverReceipt, mechatronicsReceipt] = await network.notarise([copper, silver, mechatronics]);
    const revokedDigest = (await parseCredential(mechatronics as never)).digest;
    await (await network.as(0).revokeCredentials(1, [revokedDigest], 1)).wait();
    credentialIds.push(String(copper.id), String(silver.id));
    network.writeRecord(join(directory, 'deployment.json'));

    // The files the earner has: the Copper badge with its receipt inside, the Silver one as a {credential, receipt}
    // pair, the revoked technical one baked into a PNG.
    files.copper = join(directory, 'teamwork-copper.json');
    writeFileSync(files.copper, JSON.stringify(attachReceiptToCredential(copper, copperReceipt)));
    files.silver = join(directory, 'teamwork-silver.json');
    writeFileSync(files.silver, JSON.stringify({ credential: silver, receipt: silverReceipt }));
    files.revoked = join(directory, 'mechatronics.png');
    writeFileSync(files.revoked, bakePng({ image: demoBadgePng({ label: 'Gold' }), credential: mechatronics, receipt: mechatronicsReceipt }));

    // The service as its own process, so that it can be killed by its PID; its RPC URL is on loopback, so the
    // backpack's network.json publishes it (service/config/public-rpc.ts).
    notary = await startKillableService({
      BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
      BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
      BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_POLL_INTERVAL_MS: '100',
      BADGE_NOTARY_LOG_LEVEL: 'error',
    });
    await until('the mirror has the revocation', async () => {
      const response = await fetch(`${notary.url}/v1/verify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credential: mechatronics, receipt: mechatronicsReceipt }),
      });
      return ((await response.json()) as { revocation?: unknown }).revocation !== undefined;
    });

    browser = await launch('en-US');
    page = await browser.context.newPage();
    browser.context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    browser.context.on('weberror', (error) => consoleErrors.push(String(error.error())));
    browser.context.on('request', (request) => {
      requested.push(request.url());
      if (new URL(request.url()).pathname === '/v1/verify') verifyCalls += 1;
    });
  });

  after(async function () {
    await visitor?.close();
    await browser?.close();
    if (!notaryStopped) await notary?.stop();
    if (!networkStopped) await network?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('serves the backpack with the strict CSP: no inline script or style, Trusted Types with only the worker’s policy', async function () {
    const response = await page.goto(`${notary.url}/backpack`);
    expect(response?.status()).to.equal(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).to.contain("script-src 'self'").and.contain("require-trusted-types-for 'script'").and.contain('trusted-types backpack-worker');
    expect(csp).to.not.contain('unsafe-inline').and.not.contain('unsafe-eval');
    // The pages may call the chain's node, and nothing else beside the service.
    expect(csp).to.contain(`connect-src 'self' ${new URL(network.node.rpcUrl).origin};`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.title()).to.equal('My badge backpack');
    expect(await page.isVisible('#empty')).to.equal(true);

    const described = await (await fetch(`${notary.url}/backpack-files/network.json`)).json();
    expect(described).to.deep.equal({
      chainId: network.record.chainId,
      registry: network.record.registry,
      deploymentBlock: network.record.blockNumber,
      rpcUrl: network.node.rpcUrl,
    });
    // The hardhat node answers a browser's CORS preflight, which the in-browser verifier's JSON-RPC calls need.
    const preflight = await fetch(network.node.rpcUrl, {
      method: 'OPTIONS',
      headers: { Origin: notary.url, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).to.be.oneOf(['*', notary.url]);
  });

  it('imports three badge files at once (JSON with receipt, a pair, a baked PNG), groups them by competence, keeps them over a reload', async function () {
    await page.setInputFiles('#file-input', [files.copper, files.silver, files.revoked]);
    await page.waitForSelector('body[data-busy="false"]');
    expect(await page.textContent('#import-status')).to.equal('3 badge(s) added.');
    expect(await cardStates(page)).to.deep.equal(EXPECTED_CARDS);
    expect(await cardPaths(page), 'each verified by the service').to.deep.equal(['service', 'service', 'service']);
    expect(await coIssuerLines(page)).to.deep.equal([
      '',
      `Co-issued by ${SCHOOL_DID} (validation and issuing point) and ${NGO_DID} (validation and issuing point)`,
      '',
    ]);
    const titles = await page.$$eval('.bp-collection-title', (items) => items.map((item) => item.textContent));
    expect(titles).to.deep.equal(['S3 Collaboration · 2 badge(s)', 'C3 Maintenance · 1 badge(s)']);

    // Reopened, the backpack verifies its badges again (the page is busy until then).
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('body[data-busy="false"]');
    expect(await cardStates(page), 'kept in the browser').to.deep.equal(EXPECTED_CARDS);
  });

  it('lets the earner name a collection and choose which badges the link shows', async function () {
    await page.fill('#collection-name-0', PATH_NAME);
    await page.press('#collection-name-0', 'Enter');
    const titles = await page.$$eval('.bp-collection-title', (items) => items.map((item) => item.textContent));
    expect(titles).to.deep.equal([`${PATH_NAME} · 2 badge(s)`, 'C3 Maintenance · 1 badge(s)']);

    // One badge left out: the link carries two.
    await page.locator('.bp-show').first().uncheck();
    await page.click('#share-button');
    const fragmentOf = (link: string) => JSON.parse(inflateRawSync(Buffer.from(new URL(link).hash.replace(/^#show=/, ''), 'base64url')).toString('utf8'));
    // The link is compressed asynchronously (CompressionStream): wait for it rather than read the box at once.
    await until('a link of two', async () => (await page.inputValue('#share-link')) !== '', 50);
    let link = await page.inputValue('#share-link');
    expect(fragmentOf(link).g.flatMap((group: { b: unknown[] }) => group.b)).to.have.length(2);
    await page.locator('.bp-show').first().check();
    await page.click('#share-button');
    await until('a link of three', async () => (await page.inputValue('#share-link')) !== link, 50);
    link = await page.inputValue('#share-link');
    const bundle = fragmentOf(link);
    expect(bundle.g.map((group: { n: string; b: unknown[] }) => [group.n, group.b.length])).to.deep.equal([[PATH_NAME, 2], ['C3 Maintenance', 1]]);
    expect(`${new URL(link).origin}${new URL(link).pathname}`).to.equal(`${notary.url}/backpack-share`);
    shareUrl = link;
    console.log(`      share link of three badges: ${link.length} characters`);
    expect(await layoutProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'backpack.png'), fullPage: true });
    expect(await seriousViolations(page), 'axe-core on the backpack').to.deep.equal([]);
  });

  it('opens the share link in a fresh browser: every badge verified live, by collection, the revoked one shown revoked (en and it)', async function () {
    visitor = await launch('en-US');
    const shared = await visitor.context.newPage();
    sharedPage = shared;
    visitor.context.on('weberror', (error) => consoleErrors.push(String(error.error())));
    const fromVisitor: string[] = [];
    visitor.context.on('request', (request) => {
      fromVisitor.push(request.url());
      if (new URL(request.url()).pathname === '/v1/verify') verifyCalls += 1;
    });
    await shared.goto(shareUrl);
    await shared.waitForSelector('body[data-busy="false"]');
    expect(fromVisitor.filter((address) => address.includes('#')), 'the fragment never reaches the server').to.deep.equal([]);
    expect(fromVisitor.filter((address) => new URL(address).pathname === '/v1/verify')).to.have.length(3);
    expect(await shared.textContent('#summary')).to.equal('3 badge(s): 2 verified, 1 revoked, 0 not verified.');
    const titles = await shared.$$eval('.bp-collection-title', (items) => items.map((item) => item.textContent));
    expect(titles).to.deep.equal([PATH_NAME, 'C3 Maintenance']);
    expect(await cardStates(shared)).to.deep.equal(EXPECTED_CARDS);
    expect(await cardPaths(shared)).to.deep.equal(['service', 'service', 'service']);
    expect(await shared.isVisible('#chain-banner')).to.equal(false);
    expect((await coIssuerLines(shared))[1]).to.contain(SCHOOL_DID).and.contain(NGO_DID);
    expect(await shared.textContent('.bp-card[data-status="revoked"] .bp-status-text')).to.equal('Revoked');
    expect(await layoutProblems(shared)).to.deep.equal([]);
    await shared.screenshot({ path: join(ARTIFACTS, 'backpack-share-en.png'), fullPage: true });
    expect(await seriousViolations(shared), 'axe-core on the share page').to.deep.equal([]);

    await shared.click('[data-language="it"]');
    expect(await shared.getAttribute('html', 'lang')).to.equal('it');
    expect(await shared.textContent('#shared-title')).to.equal('Badge condivisi da chi li ha ottenuti');
    expect(await shared.textContent('#summary')).to.equal('3 badge: 2 verificati, 1 revocati, 0 non verificati.');
    expect(await shared.textContent('.bp-card[data-status="revoked"] .bp-status-text')).to.equal('Revocato');
    expect((await coIssuerLines(shared))[1]).to.equal(
      `Rilasciato congiuntamente da ${SCHOOL_DID} (punto di validazione e rilascio) e ${NGO_DID} (punto di validazione e rilascio)`,
    );
    expect(await layoutProblems(shared)).to.deep.equal([]);
    await shared.screenshot({ path: join(ARTIFACTS, 'backpack-share-it.png'), fullPage: true });

    // A phone's width: still one column, nothing wider than the screen.
    await shared.setViewportSize({ width: 375, height: 800 });
    expect(await layoutProblems(shared)).to.deep.equal([]);
    await shared.screenshot({ path: join(ARTIFACTS, 'backpack-share-it-phone.png'), fullPage: true });
    await shared.setViewportSize({ width: 1100, height: 900 });
    await shared.click('[data-language="en"]');
  });

  it('prints the shared badges and their states, without buttons', async function () {
    const shared = sharedPage;
    await shared.emulateMedia({ media: 'print' });
    try {
      for (const hidden of ['#print-button', '.language']) expect(await shared.isVisible(hidden), `${hidden} is not printed`).to.equal(false);
      expect(await shared.locator('.bp-card').count()).to.equal(3);
      expect(await shared.isVisible('.bp-card[data-status="revoked"] .bp-status')).to.equal(true);
      await shared.pdf({ path: join(ARTIFACTS, 'backpack-share-print.pdf'), format: 'A4', printBackground: true });
    } finally {
      await shared.emulateMedia({ media: 'screen' });
    }
  });

  it('refuses a damaged share link with a message', async function () {
    const shared = await visitor!.context.newPage();
    await shared.goto(`${notary.url}/backpack-share#show=AAAA`);
    await shared.waitForSelector('#shared-error:not([hidden])');
    expect(await shared.textContent('#shared-error-text')).to.equal('This share link is damaged or incomplete.');
    await shared.close();
  });

  it('with the service’s process killed, verifies every badge in the browser straight against the chain’s node, and says so (en and it)', async function () {
    const shared = sharedPage;
    await until('the worker controls the share page', async () => shared.$eval('html', (root) => root.ownerDocument.defaultView?.navigator.serviceWorker.controller !== null), 100);
    await until('the backpack’s worker controls it', async () => page.$eval('html', (root) => root.ownerDocument.defaultView?.navigator.serviceWorker.controller !== null), 100);
    await notary.kill();
    notaryStopped = true;
    expect(notary.exited(), `process ${notary.pid} is gone`).to.equal(true);
    expect(await fetch(`${notary.url}/health`).then(() => 'answered', () => 'refused'), 'the service is down').to.equal('refused');

    const verifyBefore = verifyCalls;
    await shared.reload();
    await shared.waitForSelector('body[data-busy="false"]');
    expect(await cardStates(shared), 'verified and revoked as before, from the chain').to.deep.equal(EXPECTED_CARDS);
    expect(await cardPaths(shared)).to.deep.equal(['chain', 'chain', 'chain']);
    expect(await shared.textContent('#summary')).to.equal('3 badge(s): 2 verified, 1 revoked, 0 not verified.');
    expect(await shared.isVisible('#chain-banner')).to.equal(true);
    expect(await shared.isVisible('#offline-banner')).to.equal(false);
    expect((await coIssuerLines(shared))[1], 'both signers, as the chain saw them').to.equal(
      `Co-issued by ${SCHOOL_DID} (validation and issuing point) and ${NGO_DID} (validation and issuing point)`,
    );
    expect(await shared.textContent('.bp-card[data-status="verified"] .bp-status-via')).to.equal(' · in this browser, directly against the blockchain');
    const verifyMs = Number(await shared.getAttribute('body', 'data-verify-ms'));
    const bundle = readFileSync(CHAIN_VERIFIER);
    console.log(`      chain-verifier.js: ${bundle.length} bytes, ${gzipSync(bundle, { level: 9 }).length} gzipped; 3 badges verified in the browser against the chain in ${verifyMs} ms`);
    expect(await layoutProblems(shared)).to.deep.equal([]);
    expect(await seriousViolations(shared), 'axe-core on the share page verified from the chain').to.deep.equal([]);
    await shared.screenshot({ path: join(ARTIFACTS, 'backpack-share-chain-en.png'), fullPage: true });

    await shared.click('[data-language="it"]');
    expect(await shared.textContent('#summary')).to.equal('3 badge: 2 verificati, 1 revocati, 0 non verificati.');
    expect(await shared.textContent('.bp-card[data-status="verified"] .bp-status-via')).to.equal(' · in questo browser, direttamente sulla blockchain');
    expect(await shared.textContent('#chain-banner')).to.contain('verificati in questo browser');
    await shared.screenshot({ path: join(ARTIFACTS, 'backpack-share-chain-it.png'), fullPage: true });
    await shared.click('[data-language="en"]');

    // The backpack too: it opens from its worker and verifies its badges against the chain.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('body[data-busy="false"]');
    expect(await cardStates(page), 'the backpack verifies its badges offline').to.deep.equal(EXPECTED_CARDS);
    expect(await cardPaths(page)).to.deep.equal(['chain', 'chain', 'chain']);
    expect(verifyCalls - verifyBefore, 'each page asked the dead service once per badge first').to.equal(6);
  });

  it('with the chain’s node stopped too, opens from its worker and says the badges cannot be verified', async function () {
    await network.stop();
    networkStopped = true;
    const shared = sharedPage;
    await shared.reload();
    await shared.waitForSelector('body[data-busy="false"]');
    expect(await shared.isVisible('#offline-banner')).to.equal(true);
    expect(await shared.isVisible('#chain-banner')).to.equal(false);
    expect((await cardStates(shared)).map(([, , status]) => status)).to.deep.equal(['unchecked', 'unchecked', 'unchecked']);
    expect(await shared.textContent('.bp-card .bp-status-text')).to.equal('Not checked: neither the service nor the blockchain can be reached');
    await shared.screenshot({ path: join(ARTIFACTS, 'backpack-share-offline.png'), fullPage: true });

    // The backpack keeps each badge's last state, with the time it was checked.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('body[data-busy="false"]');
    expect(await cardStates(page), 'the backpack lists its badges offline').to.deep.equal(EXPECTED_CARDS);
  });

  it('left nothing of the earner in the service’s database (nor any file of its data folder)', async function () {
    expect(notaryStopped).to.equal(true);
    const earnerTraces = [EARNER_NAME, EARNER_DID, 'did:example:earner-marco', ...credentialIds];
    expect(verifyCalls, 'the flow sent the badges to the service').to.be.at.least(6);
    expect(readFileSync(files.copper, 'utf8'), 'the imported file names the earner').to.contain(EARNER_NAME).and.contain(EARNER_DID);
    // Its SQLite file, or its PostgreSQL database and chain-mirror cache.
    const stored = await readProcessStore(join(directory, 'data'));
    let everything = '';
    try {
      for (const { rows } of await stored.dump()) everything += JSON.stringify(rows);
    } finally {
      await stored.close();
    }
    expect(everything, 'the dump holds the registry mirror').to.contain(SCHOOL_DID);
    for (const trace of earnerTraces) expect(everything.includes(trace), `${trace} in the database`).to.equal(false);
    for (const file of readdirSync(join(directory, 'data'))) {
      const bytes = readFileSync(join(directory, 'data', file)).toString('latin1');
      for (const trace of earnerTraces) expect(bytes.includes(trace), `${trace} in ${file}`).to.equal(false);
    }
  });

  it('asked nothing of any other site and logged no error (a CSP or Trusted Types violation would be one)', async function () {
    const own = (address: string) =>
      address.startsWith(`${notary.url}/`) || address.startsWith(network.node.rpcUrl) || address.startsWith('blob:') || address.startsWith('data:');
    expect(requested.filter((address) => !own(address))).to.deep.equal([]);
    expect(consoleErrors.filter((message) => !/ERR_CONNECTION_REFUSED|Failed to fetch|Failed to load resource/.test(message))).to.deep.equal([]);
  });
});
