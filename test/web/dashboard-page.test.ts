// The network dashboard (GET /dashboard, docs/dashboard.md) in headless Chromium, against the service running over
// a real `hardhat node`, as test/web/verifier-page.test.ts does. A seeded network: the NGO suspended and reinstated;
// two badges of the school and one of the NGO notarised in one month, one more of the school's in a later one (the
// chain's clock moved 35 days); one badge revoked for misconduct. The page must show exactly those figures, in its
// tables and in its charts' data, under the strict CSP (chart.js from the service, Trusted Types), in English and
// Italian, laid out without overflow and with every chart drawn. Screenshots go to test-artifacts/web/.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import type { Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../support/chromium';
import { badgeClassId, parseBadgeClass } from '../../service/catalogue';
import { connectChain, type ChainConnection } from '../../service/chain/connection';
import { loadConfig } from '../../service/config/config';
import { BadgeClassCatalogue__factory } from '../../typechain-types';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { createApiClient } from '../../service/http';
import { startNotary, type RunningNotary } from '../../service/notary-process';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { withStoreUnderTest } from '../support/run-node-script';
import { wellKnownAccount } from '../support/well-known-accounts';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');
const SCHOOL = 'did:web:school-a.example';
const NGO = 'did:web:ngo-b.example';
const CHARTS = ['notarised-chart', 'anchors-chart', 'revocations-chart', 'fees-chart'];

/** The little of the browser's DOM the checks below use, typed here: the project's TypeScript has no DOM library. */
interface Box {
  className: string;
  scrollWidth: number;
  clientWidth: number;
  innerText: string;
  textContent: string | null;
  querySelector(selector: string): Box | null;
  querySelectorAll(selector: string): Iterable<Box>;
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray } } | null;
}
interface Browser {
  document: { documentElement: Box; getElementById(id: string): unknown; querySelectorAll(selector: string): Iterable<Box> };
  Chart: { getChart(id: string): { data: { labels: string[]; datasets: { label: string; data: number[] }[] } } };
}

const launch = (locale: string, width = 1100) => launchChromium(locale, { viewport: { width, height: 900 } });

async function call(url: string, path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function until(what: string, done: () => Promise<boolean>, attempts = 300): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within ${attempts} attempts`);
}

/** A table as the page lays it out: each row's cells (innerText), white space collapsed. */
async function tableRows(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`#${id} tr`, (rows) =>
    rows.map((row) => [...(row as unknown as Box).querySelectorAll('th, td')].map((cell) => cell.innerText.replace(/\s+/g, ' ').trim())),
  );
}

/** Each chart's labels and datasets as chart.js holds them (read in the page, by a function: no eval under the CSP). */
async function chartData(page: Page, id: string): Promise<{ labels: string[]; datasets: { label: string; data: number[] }[] }> {
  return page.evaluate((canvasId) => {
    const chart = (globalThis as unknown as Browser).Chart.getChart(canvasId);
    return { labels: [...chart.data.labels], datasets: chart.data.datasets.map((set) => ({ label: set.label, data: [...set.data] })) };
  }, id);
}

/** How many of a canvas's pixels are not transparent: 0 for a chart never drawn. */
async function paintedPixels(page: Page, id: string): Promise<number> {
  return page.evaluate((canvasId) => {
    const canvas = (globalThis as unknown as Browser).document.getElementById(canvasId) as Canvas;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index] !== 0) painted += 1;
    return painted;
  }, id);
}

/** Elements wider than the page or than the panel they are in (a table inside its scroll box is allowed to be wider). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as Browser;
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`the page: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const panel of document.querySelectorAll('.panel, .site-header, .site-footer, .chart')) {
      if (panel.scrollWidth > panel.clientWidth + 1) found.push(`${panel.className} ${panel.querySelector('h2')?.textContent ?? ''}: ${panel.scrollWidth} > ${panel.clientWidth}`);
    }
    return found;
  });
}

function issueBadge(key: IssuerKey, issuerDid: string): Promise<string> {
  return signCredential({ credential: buildAchievementCredential(demoBadgeInput({ issuerDid })), key, format: 'vc-jwt' }) as Promise<string>;
}

describe('web page: the network dashboard in headless Chromium, against the running service', function () {
  this.timeout(300_000);
  let network: NotaryNetwork;
  let notary: RunningNotary;
  let provider: JsonRpcProvider;
  let directory: string;
  const anchors: { month: string; txHash: string; blockNumber: number }[] = [];
  let feesWei = 0n;
  let window: string;
  const consoleErrors: string[] = [];
  const requested: string[] = [];
  const connections: ChainConnection[] = [];

  const month = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 7);

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing; install Debian's Chromium with: apt-get install -y chromium`);
      this.skip();
    }
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-dashboard-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    network = await startNotaryNetwork();
    provider = new JsonRpcProvider(network.node.rpcUrl, undefined, { cacheTimeout: -1 });
    const schoolKey = generateIssuerKey({ type: 'Ed25519' });
    const ngoKey = generateIssuerKey({ type: 'Ed25519' });
    await (await network.as(0).registerKey(1, schoolKey.keyHash, 0, 0)).wait();
    await (await network.as(1).registerKey(2, ngoKey.keyHash, 0, 0)).wait();
    // The NGO suspended by the school, then reinstated (quorum 1).
    await (await network.as(0).voteSuspension(2)).wait();
    await (await network.as(0).voteReinstatement(2)).wait();
    network.writeRecord(join(directory, 'deployment.json'));

    const config = loadConfig(await withStoreUnderTest({
      BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
      BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
      BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
      BADGE_NOTARY_PORT: '0',
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_BATCH_MAX_AGE_MS: '2000',
      BADGE_NOTARY_POLL_INTERVAL_MS: '100',
      BADGE_NOTARY_LOG_LEVEL: 'error',
    }));
    notary = await startNotary(config);
    const school = (await createApiClient(notary.store, { memberId: 1, role: 'editor', label: 'dashboard test' })).apiKey;
    const ngo = (await createApiClient(notary.store, { memberId: 2, role: 'editor', label: 'dashboard test' })).apiKey;

    /** Submits badges and waits until they are anchored; records the batch's anchor. */
    const notarise = async (token: string, badges: string[][]) => {
      const digests: string[] = [];
      for (const group of badges) {
        const submitted = await call(notary.url, '/v1/credentials', { method: 'POST', token, body: { credentials: group } });
        expect(submitted.status, JSON.stringify(submitted.body)).to.equal(202);
        digests.push(...(submitted.body.credentials as { digest: string }[]).map((item) => item.digest));
      }
      return digests;
    };
    const anchored = async (digests: string[]) => {
      for (const digest of digests) await until(`the receipt of ${digest}`, async () => (await call(notary.url, `/v1/credentials/${digest}/receipt`)).status === 200);
      const receipt = (await call(notary.url, `/v1/credentials/${digests[0]}/receipt`)).body as { anchor: { blockTimestamp: number; transactionHash: string; blockNumber: number } };
      anchors.push({ month: month(receipt.anchor.blockTimestamp), txHash: receipt.anchor.transactionHash, blockNumber: receipt.anchor.blockNumber });
    };
    // Signed first and sent together, so that the batcher (2 s at most between the first badge and the seal) takes them in one batch.
    const schoolBadges = [await issueBadge(schoolKey, SCHOOL), await issueBadge(schoolKey, SCHOOL)];
    const ngoBadges = [await issueBadge(ngoKey, NGO)];
    const first = (await Promise.all([notarise(school, [schoolBadges]), notarise(ngo, [ngoBadges])])).flat();
    await anchored(first);
    await until('one batch', async () => ((await call(notary.url, '/v1/batches')).body.batches as { state: string }[]).every((b) => b.state === 'final'));
    expect(((await call(notary.url, '/v1/batches')).body.batches as unknown[]).length, 'the three badges in one batch').to.equal(1);
    await provider.send('evm_increaseTime', [35 * 86_400]);
    await provider.send('evm_mine', []);
    const second = await notarise(school, [[await issueBadge(schoolKey, SCHOOL)]]);
    await anchored(second);
    const revoked = await call(notary.url, '/v1/revocations', { method: 'POST', token: school, body: { digest: first[0], reason: 4 } });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(202);
    await until('the mirror has the revocation', async () => ((await call(notary.url, `/v1/credentials/${first[0]}/revocation`)).body.revocations as unknown[] | undefined)?.length === 1);
    await until('both batches final', async () => ((await call(notary.url, '/v1/batches')).body.batches as { state: string }[]).every((b) => b.state === 'final'));
    for (const anchor of anchors) {
      const receipt = (await provider.getTransactionReceipt(anchor.txHash))!;
      feesWei += receipt.gasUsed * receipt.gasPrice;
    }
    // A badge class: its document uploaded, published by the school, adopted by the NGO (docs/catalogue.md).
    const pilot = JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'classes', 'pilot-soft-skills.json'), 'utf8'));
    const pilotId = badgeClassId(parseBadgeClass(pilot));
    expect((await call(notary.url, `/v1/badge-classes/${pilotId}/document`, { method: 'PUT', token: school, body: pilot })).status).to.equal(201);
    const catalogueAs = (account: number) => {
      const connection = connectChain({ rpcUrl: network.node.rpcUrl, privateKey: wellKnownAccount(account).privateKey });
      connections.push(connection);
      return BadgeClassCatalogue__factory.connect(network.record.catalogue!, connection.signer!);
    };
    await (await catalogueAs(0).publish(pilotId, `${notary.url}/v1/badge-classes/${pilotId}/document`)).wait();
    await (await catalogueAs(1).adopt(pilotId)).wait();
    await until('the mirror has the adoption', async () => ((await call(notary.url, `/v1/badge-classes/${pilotId}`)).body.record as { adopters: unknown[] } | null)?.adopters.length === 1);
    expect(anchors[0]!.month).to.not.equal(anchors[1]!.month);
    window = `from=${anchors[0]!.month}&to=${anchors[1]!.month}&days=7`;
  });

  after(async function () {
    for (const connection of connections) connection.close();
    await notary?.stop();
    provider?.destroy();
    await network?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  /** Opens the dashboard of the seeded window in a browser of `locale` and waits until it has drawn. */
  async function open(locale: string, width?: number) {
    const browser = await launch(locale, width);
    browser.context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    browser.context.on('weberror', (error) => consoleErrors.push(String(error.error())));
    browser.context.on('request', (request) => requested.push(request.url()));
    const page = await browser.context.newPage();
    const response = await page.goto(`${notary.url}/dashboard?${window}`);
    expect(response?.status()).to.equal(200);
    expect(response?.headers()['content-security-policy']).to.contain("script-src 'self'").and.contain("require-trusted-types-for 'script'").and.not.contain('unsafe-');
    await page.waitForSelector('body[data-ready="true"]');
    for (const chart of CHARTS) await page.waitForSelector(`#${chart}[data-drawn="true"]`);
    return { browser, page };
  }

  it('shows the seeded network’s figures in English, in its tables and its charts, laid out and drawn', async function () {
    const { browser, page } = await open('en-US');
    try {
      const head = await provider.getBlockNumber();
      expect(await page.title()).to.equal('Network dashboard');
      expect(await page.getAttribute('html', 'lang')).to.equal('en');
      expect(await page.isVisible('#error')).to.equal(false);
      const months = await chartData(page, 'notarised-chart');
      const [m1, m2] = [anchors[0]!.month, anchors[1]!.month];
      const label = (m: string) => new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));
      const span = months.labels.length;
      expect(months.labels[0]).to.equal(label(m1));
      expect(months.labels[span - 1]).to.equal(label(m2));
      const at = (first: number, last: number) => Array.from({ length: span }, (_, index) => (index === 0 ? first : index === span - 1 ? last : 0));

      // Members: roles, statuses and the NGO's history.
      const members = await tableRows(page, 'members-table');
      expect(members.slice(1).map((row) => row.slice(0, 4))).to.deep.equal([
        ['1', SCHOOL, 'validation and issuing point', 'active'],
        ['2', NGO, 'validation and issuing point', 'active'],
      ]);
      expect(members[2]![5]).to.match(/^active \(.+\) suspended \(.+\) active \(.+\)$/);

      // Badges notarised: the chart's data and the table.
      expect(months.datasets).to.deep.equal([
        { label: `1 · ${SCHOOL}`, data: at(2, 1) },
        { label: `2 · ${NGO}`, data: at(1, 0) },
      ]);
      const notarised = await tableRows(page, 'notarised-table');
      expect(notarised[0]).to.deep.equal(['Month', `1 · ${SCHOOL}`, `2 · ${NGO}`, 'Total']);
      expect(notarised[1]).to.deep.equal([label(m1), '2', '1', '3']);
      expect(notarised[span]).to.deep.equal([label(m2), '1', '0', '1']);
      expect(notarised[span + 1]).to.deep.equal(['Total', '3', '1', '4']);

      // Anchors in the registry: one root a month, by member 1's notary.
      expect((await chartData(page, 'anchors-chart')).datasets).to.deep.equal([{ label: `1 · ${SCHOOL}`, data: at(1, 1) }]);
      expect((await tableRows(page, 'anchors-table'))[span + 1]).to.deep.equal(['Total', '2', '2']);

      // Batches, newest first, with confirmations from the head.
      const batches = await tableRows(page, 'batches-table');
      expect(batches.slice(1).map((row) => [row[0], row[1], row[2], row[3], row[5]])).to.deep.equal([
        ['2', '1', 'anchored, final', String(anchors[1]!.blockNumber), String(head - anchors[1]!.blockNumber + 1)],
        ['1', '3', 'anchored, final', String(anchors[0]!.blockNumber), String(head - anchors[0]!.blockNumber + 1)],
      ]);

      // Revocations by reason.
      expect(await chartData(page, 'revocations-chart')).to.deep.equal({
        labels: ['misconduct or fraud in the assessment'],
        datasets: [{ label: 'Revocations', data: [1] }],
      });
      expect(await tableRows(page, 'revocations-table')).to.deep.equal([
        ['Reason', 'Revocations'],
        ['misconduct or fraud in the assessment', '1'],
        ['Total', '1'],
      ]);

      // Fees: what the chain says both anchors paid, on the day the service saw them mined (today).
      const fees = await chartData(page, 'fees-chart');
      expect(fees.labels).to.have.length(7);
      expect(fees.datasets[0]!.data.slice(0, 6)).to.deep.equal([0, 0, 0, 0, 0, 0]);
      expect(fees.datasets[0]!.data[6]).to.equal(Number(feesWei) / 1e18);
      const perDay = await tableRows(page, 'fees-day-table');
      expect(perDay[7]![2]).to.equal(new Intl.NumberFormat('en-GB').format(feesWei));
      expect(perDay[8]).to.deep.equal(['Total', `0.${feesWei.toString().padStart(18, '0').replace(/0+$/, '')}`, new Intl.NumberFormat('en-GB').format(feesWei), '2']);

      // The adopted badge class: its name, its publisher, one adopter, the current version.
      expect(await tableRows(page, 'classes-table')).to.deep.equal([
        ['Class', 'Published by', 'Adopters', 'Version'],
        ['Collaboration (LifeComp)', `1 · ${SCHOOL}`, '1', 'current'],
      ]);
      expect(await overflowing(page), 'nothing overflows').to.deep.equal([]);
      for (const chart of CHARTS) expect(await paintedPixels(page, chart), `${chart} is drawn`).to.be.greaterThan(500);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('shows them in Italian for an Italian browser, and in a narrow window without overflow', async function () {
    const { browser, page } = await open('it-IT', 420);
    try {
      expect(await page.getAttribute('html', 'lang')).to.equal('it');
      expect(await page.title()).to.equal('Cruscotto della rete');
      expect((await tableRows(page, 'revocations-table'))[1]).to.deep.equal(['condotta scorretta o frode nella valutazione', '1']);
      expect((await tableRows(page, 'classes-table'))[1]).to.deep.equal(['Collaborazione (LifeComp)', `1 · ${SCHOOL}`, '1', 'in vigore']);
      expect((await chartData(page, 'revocations-chart')).labels).to.deep.equal(['condotta scorretta o frode nella valutazione']);
      const members = await tableRows(page, 'members-table');
      expect(members[2]!.slice(2, 4)).to.deep.equal(['punto di validazione e rilascio', 'attivo']);
      const notarised = await tableRows(page, 'notarised-table');
      expect(notarised[notarised.length - 1]).to.deep.equal(['Totale', '3', '1', '4']);
      expect(await overflowing(page), 'nothing overflows at 420 px').to.deep.equal([]);
      for (const chart of CHARTS) expect(await paintedPixels(page, chart), `${chart} is drawn`).to.be.greaterThan(500);
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard-it.png'), fullPage: true });

      // Switching to English redraws the charts in English.
      await page.click('[data-language="en"]');
      expect((await chartData(page, 'revocations-chart')).labels).to.deep.equal(['misconduct or fraud in the assessment']);
      expect(await page.getAttribute('html', 'lang')).to.equal('en');
    } finally {
      await browser.close();
    }
  });

  it('says so when the window asked is wrong, with the service’s reason', async function () {
    const browser = await launch('en-US');
    try {
      const page = await browser.context.newPage();
      await page.goto(`${notary.url}/dashboard?from=2026-13`);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.isVisible('#error')).to.equal(true);
      expect(await page.textContent('#error-text')).to.equal('The service answered 400: from must be a month as YYYY-MM, got "2026-13"');
    } finally {
      await browser.close();
    }
  });

  it('asked nothing of any other site and logged no error (a CSP or Trusted Types violation would be one)', function () {
    const own = (address: string) => address.startsWith(`${notary.url}/`);
    expect(requested.length).to.be.greaterThan(8);
    expect(requested.filter((address) => !own(address))).to.deep.equal([]);
    expect(requested.some((address) => address.endsWith('/dashboard/chart.umd.min.js'))).to.equal(true);
    expect(consoleErrors).to.deep.equal([]);
  });
});
