// Issue #19's "done when", as one chained flow in a real browser (Debian's Chromium, headless, playwright-core),
// through the service as its own process (its start script, as `npm start` runs it) and a `hardhat node` process.
// A new organisation applies through the governance console with its wallet (an EIP-1193 provider the test injects,
// test/web/injected-wallet.ts); an existing member approves it there, at the network's quorum of 1; another
// member's vote is refused with the registry's reason; the new member registers the signing key that the CLI's
// `key generate` made, and gets an API key with the CLI's `api-key create`; on /console/issue it issues 100 badges
// of a catalogue class from a CSV, signed in the browser, notarised and anchored; the verification page (`/`)
// then shows each of the 100 baked badges verified, one upload after another in one page. Last, the service's data
// directory (the SQLite file and everything beside it) is read: no earner's name or e-mail anywhere.
// A second part imports a 1,000-row spreadsheet on the Issue page: the progress bar, every row checked, the list.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import certification from '../vectors/classes/certification-technical.json';
import { badgeClassId, type BadgeClassDocument } from '../../service/catalogue';
import { REGISTRY_ERROR_SENTENCES } from '../../service/chain/registry-errors';
import { connectChain } from '../../service/chain/connection';
import { multicodecHexOf } from '../../service/credentials/key-hash';
import { generateIssuerKey } from '../../service/credentials/keys';
import { memberJwt } from '../../service/cli/service-commands';
import { Status } from '../../service/registry';
import { BadgeClassCatalogue__factory } from '../../typechain-types';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import { startKillableService, waitFor, type KillableService } from '../support/killable-service';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { runProcess } from '../support/run-node-script';
import { readProcessStore } from '../support/service-store';
import { wellKnownAccount } from '../support/well-known-accounts';
import { TestWallet, injectWallet, switchAccount } from './injected-wallet';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');
const CLI = join(__dirname, '..', '..', 'bin', 'badge-notary.js');
const NEW_MEMBER_DID = 'did:web:college-c.example';
const badgeClass = certification as unknown as BadgeClassDocument;
const CLASS_ID = badgeClassId(badgeClass);
const EARNERS = 100;
const LARGE_IMPORT = 1000;

/** The earners: names and e-mail addresses that must never reach the service. */
const earner = (index: number) => ({ name: `Allievo Quarantotti${index}`, email: `quarantotti.${index}@famiglia-riservata.example`, score: 70 + (index % 31) });

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Submits a console form and waits until the console has answered: the review before sending, or an outcome. */
async function submit(page: Page, form: string): Promise<void> {
  await page.locator(`#${form} button[type="submit"]`).click();
  await page.waitForSelector('body[data-busy="false"]');
  await page.waitForSelector('#review:not([hidden]), #outcome:not([hidden])');
}

/** Sends what the console's review shows, and waits for the outcome. */
async function send(page: Page): Promise<void> {
  await page.click('#review-send');
  await page.waitForSelector('body[data-busy="false"]');
  await page.waitForSelector('#outcome:not([hidden])');
}

/** The command line as a user runs it (bin/badge-notary.js), as its own process. */
async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runProcess(process.execPath, [CLI, ...args], {}, 180_000);
}

/** Every file under `folder`, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('web console: issue #19’s whole flow, from an application to 100 badges verified on the verification page', function () {
  this.timeout(900_000);
  let network: NotaryNetwork;
  let service: KillableService;
  let directory: string;
  let dataDirectory: string;
  let context: BrowserContext;
  let profile: string;
  let page: Page;
  let wallet: TestWallet;
  const files = { key: '', apiKey: '', csv: '', large: '' };
  let issuedZip: AdmZip;
  const pageErrors: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing; install Debian's Chromium with: apt-get install -y chromium`);
      this.skip();
    }
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-flow-'));
    dataDirectory = join(directory, 'data');
    mkdirSync(ARTIFACTS, { recursive: true });
    // Members 1 (account 0, notary account 9) and 2 (account 1), quorum 1.
    network = await startNotaryNetwork();
    network.writeRecord(join(directory, 'deployment.json'));
    // The network's catalogue already holds the class: member 1 published it and uploads its document below.
    const schoolKey = generateIssuerKey({ type: 'Ed25519' });
    await (await network.as(0).registerPublicKey(1, multicodecHexOf(schoolKey.publicKeyMultibase), 0, 0)).wait();
    const publisher = connectChain({ rpcUrl: network.node.rpcUrl, privateKey: wellKnownAccount(0).privateKey });
    try {
      const catalogue = BadgeClassCatalogue__factory.connect(network.record.catalogue!, publisher.signer!);
      await (await catalogue.publish(CLASS_ID, 'https://school-a.example/classes/mechatronics.json')).wait();
    } finally {
      publisher.close();
    }
    service = await startKillableService({
      BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
      BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
      BADGE_NOTARY_DATA_DIR: dataDirectory,
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_BATCH_MAX_AGE_MS: '500',
      BADGE_NOTARY_POLL_INTERVAL_MS: '100',
      BADGE_NOTARY_LOG_LEVEL: 'error',
    });
    // Member 1 uploads the class document, authenticated by its registered key (once the service has mirrored it).
    await waitFor(
      'the class document uploaded',
      async () => {
        const upload = await fetch(`${service.url}/v1/badge-classes/${CLASS_ID}/document`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${await memberJwt(schoolKey, 'did:web:school-a.example')}`, 'content-type': 'application/json' },
          body: JSON.stringify(badgeClass),
        });
        return upload.status === 200 || upload.status === 201 ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );

    const rows = Array.from({ length: EARNERS }, (_, index) => earner(index + 1));
    files.csv = join(directory, 'earners.csv');
    writeFileSync(files.csv, ['name,e-mail,evidence url,score', ...rows.map((row, index) => `${row.name},${row.email},https://college-c.example/exams/${index + 1},${row.score}`)].join('\n'));
    files.large = join(directory, 'earners-1000.csv');
    writeFileSync(
      files.large,
      ['name,email,score', ...Array.from({ length: LARGE_IMPORT }, (_, index) => `${earner(index + 1).name},${earner(index + 1).email},${earner(index + 1).score}`)].join('\n'),
    );
    files.key = join(directory, 'college-key.json');
    files.apiKey = join(directory, 'college-api-key.txt');

    wallet = new TestWallet(network.node.rpcUrl);
    profile = mkdtempSync(join(tmpdir(), 'badge-notary-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      locale: 'en-US',
      timezoneId: 'Europe/Rome',
      viewport: { width: 1100, height: 900 },
      acceptDownloads: true,
    });
    await injectWallet(context, wallet);
    context.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    context.on('weberror', (error) => pageErrors.push(String(error.error())));
    page = await context.newPage();
  });

  after(async function () {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    const code = await service?.stop();
    if (code !== undefined && code !== 0) console.log(`      the service exited with ${code}:\n${service.output.join('')}`);
    await network?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('a new organisation applies through the governance console with its wallet', async function () {
    const response = await page.goto(`${service.url}/console`);
    expect(response?.status()).to.equal(200);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#connect');
    await page.waitForSelector(`body[data-account="${wallet.account}"] #state:not([hidden])`);
    await page.fill('#apply-did', NEW_MEMBER_DID);
    await page.selectOption('#apply-role', 'issuing-point');
    await submit(page, 'apply-form');
    expect(await text(page, '#review-what')).to.contain(`Apply for membership as ${NEW_MEMBER_DID}, in the role of validation and issuing point`);
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(new RegExp(`^Applied: ${NEW_MEMBER_DID} is member 3, pending approval\\.`));
    const member = await network.as(0).getMember(3);
    expect([member.did, member.controller, Number(member.status)]).to.deep.equal([NEW_MEMBER_DID, wellKnownAccount(2).address, Status.Pending]);
  });

  it('an existing member approves it through the console, and the quorum (1) makes it active', async function () {
    await switchAccount(page, wallet, 0);
    await page.waitForSelector('#proposals [data-proposal="admit-3"]');
    expect(await text(page, '#proposals [data-proposal="admit-3"]')).to.equal(`Member 3, ${NEW_MEMBER_DID}, applies as validation and issuing point: 0 of 1 approvals.`);
    await page.fill('#vote-member', '3');
    await page.selectOption('#vote-kind', 'approve');
    await submit(page, 'vote-form');
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(/^Vote recorded on member 3: 1 of 1 approvals; member 3 is now active\./);
    expect(Number((await network.as(0).getMember(3)).status)).to.equal(Status.Active);
  });

  it('a vote the registry refuses shows its reason, and sends nothing', async function () {
    await switchAccount(page, wallet, 1);
    const before = wallet.calls.length;
    await page.fill('#vote-member', '3');
    await page.selectOption('#vote-kind', 'approve');
    await submit(page, 'vote-form');
    const reason = REGISTRY_ERROR_SENTENCES.InvalidTransition({ action: 0n, memberId: 3n, status: BigInt(Status.Active) });
    expect(await text(page, '#outcome-text')).to.equal(`The registry refused: cannot approve member 3: ${reason}.`);
    expect(wallet.methodsSince(before)).to.include('eth_estimateGas').and.not.include('eth_sendTransaction');
  });

  it('the new member registers the key `badge-notary key generate` made, through the console', async function () {
    const generated = await cli(['--json', 'key', 'generate', '--out', files.key, '--member-did', NEW_MEMBER_DID]);
    expect(generated.code, generated.stderr).to.equal(0);
    const { keyHash } = JSON.parse(generated.stdout) as { keyHash: string };
    await switchAccount(page, wallet, 2);
    expect(await text(page, '#membership-line')).to.equal(`This account controls member 3, ${NEW_MEMBER_DID}, which is active.`);
    await page.setInputFiles('#key-add-file', files.key);
    await page.fill('#key-add-until', '2031-01-01T00:00');
    await submit(page, 'key-add-form');
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(new RegExp(`^Key ${keyHash} registered for member 3 with its public key`));
    expect(Number((await network.as(0).getKey(keyHash)).memberId)).to.equal(3);
  });

  it('the new member creates an API key with the CLI, authenticated by that key', async function () {
    // The service learns of the key from the chain (its indexer): until it has, the CLI is refused.
    const created = await waitFor(
      'the API key',
      async () => {
        const run = await cli(['api-key', 'create', '--issuer-key', files.key, '--member-did', NEW_MEMBER_DID, '--label', 'console flow', '--url', service.url, '--out', files.apiKey]);
        return run.code === 0 ? run : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(created.stdout).to.match(new RegExp(`^API key \\S+ \\(editor\\) written to ${files.apiKey.replace(/[.]/g, '\\.')}`));
    const whoami = await fetch(`${service.url}/v1/whoami`, { headers: { authorization: `Bearer ${readFileSync(files.apiKey, 'utf8').trim()}` } });
    expect(await whoami.json()).to.include({ memberId: 3, memberDid: NEW_MEMBER_DID, role: 'editor', via: 'api-key' });
  });

  it('issues 100 badges of a catalogue class from a CSV on /console/issue: signed in the browser, notarised, anchored', async function () {
    await page.goto(`${service.url}/console/issue`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#class-query', 'digital');
    await page.click('#class-search-form button[type="submit"]');
    await page.click(`#class-results button[data-class-id="${CLASS_ID}"]`);
    await page.waitForSelector('#class-line[data-kind="done"]');
    await page.fill('#issuer-did', NEW_MEMBER_DID);
    await page.fill('#issuer-name', 'Collegio C');
    await page.fill('#issuer-email', 'badges@college-c.example');
    await page.setInputFiles('#key-file', files.key);
    await page.waitForSelector('#key-line[data-kind="done"]');
    await page.setInputFiles('#rows-file', files.csv);
    await page.waitForSelector('#rows-line[data-kind="done"]');
    expect(await text(page, '#rows-line')).to.equal(`${EARNERS} earners checked, ready to sign.`);
    await page.fill('#api-key', readFileSync(files.apiKey, 'utf8').trim());
    const started = Date.now();
    await page.click('#submit-button');
    await page.waitForSelector('#issue-line[data-kind="done"], #issue-line[data-kind="problem"]', { timeout: 400_000 });
    expect(await text(page, '#issue-line')).to.equal(`${EARNERS} badges issued and anchored.`);
    console.log(`      ${EARNERS} badges signed, notarised, anchored and baked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(await page.locator('#issued-rows td[data-state="anchored"]').count()).to.equal(EARNERS);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const zipPath = join(directory, 'badges.zip');
    await download.saveAs(zipPath);
    issuedZip = new AdmZip(zipPath);
    expect(issuedZip.getEntries().filter((entry) => entry.entryName.endsWith('/badge.png'))).to.have.length(EARNERS);
  });

  it('the verification page (/) shows each of the 100 baked badges verified, one upload after another', async function () {
    // issued.csv: line, name, earner, level, score, digest, share link; the digest says which badge the page shows.
    const listed = issuedZip.readAsText('issued.csv').trim().split('\n').slice(1);
    expect(listed).to.have.length(EARNERS);
    const verifier = await context.newPage();
    await verifier.goto(`${service.url}/`);
    await verifier.waitForSelector('body[data-ready="true"]');
    const timings: number[] = [];
    const started = Date.now();
    for (let index = 1; index <= EARNERS; index++) {
      const folder = `${String(index).padStart(4, '0')}-Allievo-Quarantotti${index}`;
      const digest = listed[index - 1]!.split(',')[5]!;
      expect(digest).to.match(/^0x[0-9a-f]{64}$/);
      const one = Date.now();
      await Promise.all([
        verifier.waitForResponse((response) => new URL(response.url()).pathname === '/v1/verify'),
        verifier.setInputFiles('#file-input', { name: `${folder}.png`, mimeType: 'image/png', buffer: issuedZip.readFile(`${folder}/badge.png`)! }),
      ]);
      await verifier.waitForSelector('body[data-busy="false"]');
      // The technical details name this badge's digest: the result shown is this upload's, not the one before.
      await verifier.locator('#result:not([hidden]) code', { hasText: digest }).waitFor();
      timings.push(Date.now() - one);
      expect(await verifier.getAttribute('body', 'data-verified'), folder).to.equal('true');
      expect(await text(verifier, '#verdict-title'), folder).to.equal('Verified');
      const steps = await verifier.$$eval('#steps li', (items) => items.map((item) => `${item.getAttribute('data-step')} ${item.getAttribute('data-status')}`));
      expect(steps.filter((step) => !step.endsWith(' passed')), `${folder}: ${steps.join(', ')}`).to.deep.equal([]);
      expect(steps.length, folder).to.be.greaterThanOrEqual(7);
      expect(await text(verifier, '.verdict-meta'), folder).to.contain(`${folder}.png`);
    }
    const total = (Date.now() - started) / 1000;
    timings.sort((a, b) => a - b);
    console.log(`      ${EARNERS} badges verified on the page in ${total.toFixed(1)} s (median ${timings[EARNERS / 2]} ms, slowest ${timings.at(-1)} ms a badge)`);
    await verifier.screenshot({ path: join(ARTIFACTS, 'console-flow-verified.png') });
    await verifier.close();
  });

  it('the service’s store and data directory hold no earner name or e-mail: every table as text, and every file', async function () {
    // Its SQLite file, or its PostgreSQL database and chain-mirror cache.
    const stored = await readProcessStore(dataDirectory);
    let dump = '';
    let rows = 0;
    try {
      const tables = await stored.dump();
      expect(tables.length).to.be.greaterThan(5);
      for (const table of tables) {
        for (const row of table.rows) {
          rows++;
          dump += Object.values(row).map((value) => (Buffer.isBuffer(value) ? value.toString('latin1') : String(value))).join('\u0000');
        }
      }
    } finally {
      await stored.close();
    }
    expect(rows).to.be.greaterThan(EARNERS);
    expect(dump).to.contain('eyJ'); // the signed credentials are there: the dump is read
    expect(dump).to.contain(NEW_MEMBER_DID);
    expect(dump).not.to.contain('Quarantotti');
    expect(dump.toLowerCase()).not.to.contain('famiglia-riservata');
    // The files beside it too (the WAL, the status-list key, the lock): raw bytes, as written.
    const beside = filesUnder(dataDirectory);
    expect(beside.some((path) => path.endsWith(stored.kind === 'sqlite' ? 'notary.sqlite' : 'chain-mirror.sqlite'))).to.equal(true);
    for (const path of beside) {
      const bytes = readFileSync(path).toString('latin1');
      expect(bytes, path).not.to.contain('Quarantotti');
      expect(bytes.toLowerCase(), path).not.to.contain('famiglia-riservata');
    }
  });

  it('imports 1,000 rows on the Issue page: the progress bar shows and moves to 100%, every row is checked, the list is shown', async function () {
    await page.goto(`${service.url}/console/issue`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#class-query', 'digital');
    await page.click('#class-search-form button[type="submit"]');
    await page.click(`#class-results button[data-class-id="${CLASS_ID}"]`);
    await page.waitForSelector('#class-line[data-kind="done"]');
    // What the bar showed: its value each time the page let the browser run again (a MutationObserver's records
    // come at the end of the task that set the value: values set in one synchronous run arrive together, as the last
    // of them, and no screen could have shown the ones before).
    await page.evaluate(`(() => {
      const bar = document.getElementById('rows-progress');
      window.__progress = { shown: [], wasHidden: bar.hidden };
      new MutationObserver(() => {
        if (!bar.hidden) window.__progress.shown.push(bar.value);
      }).observe(bar, { attributes: true, attributeFilter: ['value', 'hidden'] });
    })()`);
    await page.setInputFiles('#rows-file', files.large);
    await page.waitForSelector('#rows-line[data-kind="done"]', { timeout: 120_000 });
    expect(await text(page, '#rows-line')).to.equal(`${LARGE_IMPORT} earners checked, ready to sign.`);
    const progress = (await page.evaluate('window.__progress')) as { shown: number[]; wasHidden: boolean };
    expect(progress.wasHidden, 'the bar is hidden before an import').to.equal(true);
    expect(await page.isVisible('#rows-progress'), 'and shown by it').to.equal(true);
    expect(await page.evaluate("document.getElementById('rows-progress').value"), 'at 100% at the end').to.equal(1);
    expect(progress.shown.at(-1)).to.equal(1);
    const between = progress.shown.filter((value) => value > 0 && value < 1);
    console.log(`      the bar showed ${between.length} values between 0 and 100%: ${between.map((value) => `${Math.round(value * 100)}%`).join(', ')}`);
    expect(between.length, `values between 0 and 1, each in its own task: ${progress.shown.join(', ')}`).to.be.greaterThan(2);
    expect(between, 'the bar only moves forward').to.deep.equal([...between].sort((a, b) => a - b));
    // Every row checked, and the list shown: one table row per spreadsheet line, 2 to 1,001.
    const lines = await page.$$eval('#issued-rows tr', (items) => items.map((item) => Number(item.getAttribute('data-line'))));
    expect(lines).to.deep.equal(Array.from({ length: LARGE_IMPORT }, (_, index) => index + 2));
    expect(await page.isVisible('#issued')).to.equal(true);
    expect(await text(page, '#issued-rows tr[data-line="1001"]')).to.equal(`1001${earner(1000).name}${earner(1000).email}${earner(1000).score <= 80 ? 'Silver' : earner(1000).score <= 90 ? 'Gold' : 'Platinum'} (${earner(1000).score})–`);
    expect(pageErrors).to.deep.equal([]);
  });
});
