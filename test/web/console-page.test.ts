// The governance console in a real browser: Debian's Chromium, headless, driven by playwright-core, against the
// service (startNotary, as `npm start` runs it) over a real `hardhat node`. The wallet is an EIP-1193 provider
// the test injects (window.ethereum, test/web/injected-wallet.ts): it answers with the account the test chooses and
// forwards every other request to the node, so transactions are really signed and mined.
// Screenshots go to test-artifacts/web/.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Interface, toQuantity } from 'ethers';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../support/chromium';
import { REGISTRY_ERROR_SENTENCES } from '../../service/chain/registry-errors';
import { loadConfig } from '../../service/config/config';
import { exportIssuerKey, generateIssuerKey } from '../../service/credentials/keys';
import { startNotary, type RunningNotary } from '../../service/notary-process';
import { Status } from '../../service/registry';
import { ConfederationRegistry__factory } from '../../typechain-types';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { withStoreUnderTest } from '../support/run-node-script';
import { wellKnownAccount } from '../support/well-known-accounts';
import { writeDocsPicture } from '../support/docs-pictures';
import { seriousViolations } from './axe';
import { TestWallet, emitWalletEvent, injectWallet, switchAccount } from './injected-wallet';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'web');
const APPLICANT_DID = 'did:web:college-c.example';

/** The forms' boxes: whether any overlaps another, how many columns they stand in, and whether the page is wider than the window. */
const LAYOUT = `(() => {
  const boxes = [...document.querySelectorAll('#forms > form')].map((form) => form.getBoundingClientRect());
  const overlapping = boxes.some((a, i) => boxes.some((b, j) => i < j && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
  return {
    overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    columns: new Set(boxes.map((box) => Math.round(box.left))).size,
    overlapping,
  };
})()`;

const launch = (locale: string) => launchChromium(locale, { acceptDownloads: true });

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Submits a form and waits until the console has answered: the review before sending, or an outcome. */
async function submit(page: Page, form: string): Promise<void> {
  await page.locator(`#${form} button[type="submit"]`).click();
  await page.waitForSelector('body[data-busy="false"]');
  await page.waitForSelector('#review:not([hidden]), #outcome:not([hidden])');
}

/** Sends what the review shows, and waits for the outcome. */
async function send(page: Page): Promise<void> {
  await page.click('#review-send');
  await page.waitForSelector('body[data-busy="false"]');
  await page.waitForSelector('#outcome:not([hidden])');
}

describe('web console: governance with a browser wallet, in headless Chromium, against the running service', function () {
  this.timeout(300_000);
  let network: NotaryNetwork;
  let notary: RunningNotary;
  let directory: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let wallet: TestWallet;
  const schoolKey = generateIssuerKey({ type: 'Ed25519' });
  const keyFile = { path: '', privateD: '' };
  const consoleErrors: string[] = [];
  const sentToService: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing; install Debian's Chromium with: apt-get install -y chromium`);
      this.skip();
    }
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-console-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    // Members 1 (account 0) and 2 (account 1), quorum 1.
    network = await startNotaryNetwork();
    network.writeRecord(join(directory, 'deployment.json'));
    notary = await startNotary(
      loadConfig(await withStoreUnderTest({
        BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
        BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
        BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
        BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
        BADGE_NOTARY_PORT: '0',
        BADGE_NOTARY_CONFIRMATIONS: '1',
        BADGE_NOTARY_LOG_LEVEL: 'error',
      })),
    );
    // The key file `badge-notary key generate` writes, private key included.
    const exported = exportIssuerKey(schoolKey);
    keyFile.path = join(directory, 'college-key.json');
    keyFile.privateD = String(exported.privateKeyJwk!.d);
    writeFileSync(keyFile.path, JSON.stringify(exported, null, 2));

    wallet = new TestWallet(network.node.rpcUrl);
    browser = await launch('en-US');
    await injectWallet(browser.context, wallet);
    browser.context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    browser.context.on('weberror', (error) => consoleErrors.push(String(error.error())));
    browser.context.on('request', (request) => sentToService.push(`${request.method()} ${request.url()} ${request.postData() ?? ''}`));
    page = await browser.context.newPage();
    const response = await page.goto(`${notary.url}/console`);
    expect(response?.status()).to.equal(200);
    expect(response?.headers()['content-security-policy']).to.contain("script-src 'self'").and.contain("require-trusted-types-for 'script'");
    await page.waitForSelector('body[data-ready="true"]');
  });

  after(async function () {
    await browser?.close();
    await notary?.stop();
    await network?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('shows the registry it governs, from the service', async function () {
    expect(await page.title()).to.equal('Governance console');
    expect(await text(page, '#registry-line')).to.equal(`The network’s registry is ${network.record.registry} on chain 31337.`);
  });

  it('says a wrong network plainly, and sends nothing: no estimate, no transaction', async function () {
    wallet.chainOverride = '0x1';
    const before = wallet.calls.length;
    await page.click('#connect');
    await page.waitForSelector('#problem:not([hidden])');
    expect(await text(page, '#problem')).to.equal(
      'Wrong network: your wallet is on chain 1, the registry is on chain 31337. Switch your wallet to chain 31337; nothing is sent until then.',
    );
    await page.fill('#apply-did', APPLICANT_DID);
    await submit(page, 'apply-form');
    expect(await text(page, '#outcome-text')).to.contain('Wrong network: your wallet is on chain 1');
    expect(await page.isHidden('#review')).to.equal(true);
    const asked = wallet.methodsSince(before);
    expect(asked).to.include('eth_chainId');
    expect(asked.filter((method) => !['eth_requestAccounts', 'eth_chainId'].includes(method)), 'nothing but the account and the chain id').to.deep.equal([]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-wrong-network.png'), fullPage: true });
    await writeDocsPicture(page, '#wallet', 'console-wrong-network-en');
  });

  it('says that the account controls no member, and refuses a vote before estimating it', async function () {
    wallet.chainOverride = undefined;
    await emitWalletEvent(page, 'chainChanged', '0x7a69');
    await page.waitForSelector('#state:not([hidden])');
    expect(await page.isHidden('#problem')).to.equal(true);
    const account = wellKnownAccount(2).address;
    expect(await text(page, '#membership-line')).to.equal(
      `The account ${account} controls no member of the network: only a member’s controller can do this. It can apply for membership.`,
    );
    const before = wallet.calls.length;
    await page.fill('#vote-member', '1');
    await page.selectOption('#vote-kind', 'suspend');
    await submit(page, 'vote-form');
    expect(await text(page, '#outcome-text')).to.equal(`The account ${account} controls no member of the network: only a member’s controller can do this. It can apply for membership.`);
    expect(wallet.methodsSince(before)).to.not.include.members(['eth_estimateGas', 'eth_sendTransaction']);
  });

  it('a member applies: the console says what the transaction does and its gas, then its outcome', async function () {
    await page.fill('#apply-did', APPLICANT_DID);
    await page.selectOption('#apply-role', 'issuing-point');
    await submit(page, 'apply-form');
    expect(await text(page, '#review-what')).to.equal(
      `Apply for membership as ${APPLICANT_DID}, in the role of validation and issuing point: the connected account becomes its controller, and the application waits for the members’ votes.`,
    );
    expect(await text(page, '#review-gas')).to.match(/^Gas estimate: [\d,]+ gas \(about 0\.0*[1-9]\d{0,2} ETH at the current gas price\)\.$/);
    await page.screenshot({ path: join(ARTIFACTS, 'console-apply-review.png'), fullPage: true });
    await writeDocsPicture(page, '#review', 'console-apply-review-en');
    await send(page);
    expect(await page.getAttribute('#outcome', 'data-kind')).to.equal('done');
    expect(await text(page, '#outcome-text')).to.match(new RegExp(`^Applied: ${APPLICANT_DID} is member 3, pending approval\\. \\(transaction 0x[0-9a-f]{64}\\)$`));
    const member = await network.as(0).getMember(3);
    expect([member.did, member.controller, Number(member.status)]).to.deep.equal([APPLICANT_DID, wellKnownAccount(2).address, Status.Pending]);
    await page.waitForSelector('#proposals [data-proposal="admit-3"]');
    expect(await text(page, '#proposals [data-proposal="admit-3"]')).to.equal(`Member 3, ${APPLICANT_DID}, applies as validation and issuing point: 0 of 1 approvals.`);
    expect(await text(page, '#membership-line')).to.equal(`This account controls member 3, ${APPLICANT_DID}, which is pending.`);
  });

  it('another member approves the application through the console, and the quorum makes it active', async function () {
    await switchAccount(page, wallet, 0);
    expect(await text(page, '#membership-line')).to.equal('This account controls member 1, did:web:school-a.example, which is active.');
    await page.fill('#vote-member', '3');
    await page.selectOption('#vote-kind', 'approve');
    await submit(page, 'vote-form');
    expect(await text(page, '#review-what')).to.equal('Approve the application of member 3: once the quorum approves, it becomes active.');
    // By keyboard: the review takes the focus, and its first button sends.
    expect(await page.evaluate<string>('document.activeElement.id')).to.equal('review-title');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.id')).to.equal('review-send');
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-busy="false"] #outcome:not([hidden])');
    expect(await page.evaluate<string>('document.activeElement.id'), 'the focus moves to the outcome').to.equal('outcome-title');
    expect(await text(page, '#outcome-text')).to.match(/^Vote recorded on member 3: 1 of 1 approvals; member 3 is now active\. \(transaction 0x[0-9a-f]{64}\)$/);
    expect(Number((await network.as(0).getMember(3)).status)).to.equal(Status.Active);
    expect(await text(page, '#members tr[data-member="3"]')).to.contain('active since');
    expect(await text(page, '#proposals')).to.equal('No application is pending and no vote is open.');
  });

  it('a refused vote shows the registry’s reason in the CLI’s sentence, and nothing is sent', async function () {
    await switchAccount(page, wallet, 1);
    const before = wallet.calls.length;
    await page.fill('#vote-member', '3');
    await page.selectOption('#vote-kind', 'approve');
    await submit(page, 'vote-form');
    const reason = REGISTRY_ERROR_SENTENCES.InvalidTransition({ action: 0n, memberId: 3n, status: BigInt(Status.Active) });
    expect(reason).to.equal('cannot admit member 3: it is active');
    expect(await text(page, '#outcome-text')).to.equal(`The registry refused: cannot approve member 3: ${reason}.`);
    expect(await page.getAttribute('#outcome', 'data-kind')).to.equal('problem');
    expect(wallet.methodsSince(before)).to.include('eth_estimateGas').and.not.include('eth_sendTransaction');
    await page.screenshot({ path: join(ARTIFACTS, 'console-refused-vote.png'), fullPage: true });
    await writeDocsPicture(page, '#outcome', 'console-refused-vote-en');
  });

  it('the new member registers a signing key from its key file, whose private key never leaves the browser', async function () {
    await switchAccount(page, wallet, 2);
    const before = { calls: wallet.calls.length, requests: sentToService.length };
    await page.setInputFiles('#key-add-file', keyFile.path);
    await page.fill('#key-add-until', '2031-01-01T00:00');
    await submit(page, 'key-add-form');
    expect(await text(page, '#review-what')).to.equal(
      `Register the Ed25519 key ${schoolKey.keyHash} for member 3, with its public key, valid from now until 1 January 2031 at 00:00 CET.`,
    );
    await writeDocsPicture(page, '#review', 'console-key-review-en');
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(new RegExp(`^Key ${schoolKey.keyHash} registered for member 3 with its public key, valid from .+ until 1 January 2031 at 00:00 CET\\.`));
    const stored = await network.as(0).getKey(schoolKey.keyHash);
    expect([Number(stored.memberId), Number(stored.validUntil)]).to.deep.equal([3, Date.parse('2031-01-01T00:00:00+01:00') / 1000]);
    const traffic = JSON.stringify(wallet.calls.slice(before.calls)) + sentToService.slice(before.requests).join('\n');
    expect(traffic).to.not.contain(keyFile.privateD);
    expect(await text(page, '#own-details')).to.contain(`${schoolKey.keyHash}: valid from`).and.contain('until 1 January 2031 at 00:00 CET');
  });

  it('the member authorises a notary and a revoker, endorses member 1, and revokes its key', async function () {
    const notaryAccount = wellKnownAccount(8).address;
    const revokerAccount = wellKnownAccount(7).address;
    await page.fill('#notary-address', notaryAccount.toLowerCase());
    await submit(page, 'notary-form');
    expect(await text(page, '#review-what')).to.equal(`Authorise ${notaryAccount} to notarise for member 3.`);
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(new RegExp(`^${notaryAccount} now notarises for member 3\\.`));
    expect(await network.as(0).notariesOf(3)).to.deep.equal([notaryAccount]);

    await page.fill('#revoker-address', revokerAccount);
    await submit(page, 'revoker-form');
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(new RegExp(`^${revokerAccount} may now revoke member 3’s credentials\\.`));
    expect(await network.as(0).isRevoker(3, revokerAccount)).to.equal(true);

    await page.fill('#endorse-subject', '1');
    await page.fill('#endorse-claim', 'https://college-c.example/endorsements/school-a');
    await submit(page, 'endorse-form');
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(/^Member 3 endorses member 1 \(claim https:\/\/college-c\.example\/endorsements\/school-a\)\./);

    await page.fill('#key-revoke-text', schoolKey.did);
    await submit(page, 'key-revoke-form');
    expect(await text(page, '#review-what')).to.equal(`Revoke the key ${schoolKey.keyHash} of member 3, compromised from now: what it signed from then on stops verifying.`);
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(new RegExp(`^Key ${schoolKey.keyHash} of member 3 revoked from .+ on\\.`));
    expect((await network.as(0).getKey(schoolKey.keyHash)).revoked).to.equal(true);
  });

  it('a second applicant withdraws its pending application through the console', async function () {
    await switchAccount(page, wallet, 3);
    await page.fill('#apply-did', 'did:web:academy-d.example');
    await submit(page, 'apply-form');
    await send(page);
    await page.waitForSelector('#withdraw:not([hidden])');
    await page.click('#withdraw');
    await page.waitForSelector('body[data-busy="false"] #review:not([hidden])');
    expect(await text(page, '#review-what')).to.equal('Withdraw the pending application of member 4: its DID becomes free.');
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(/^Withdrawn: the application of member 4 is closed and its DID is free\./);
    expect(Number((await network.as(0).getMember(4)).status)).to.equal(Status.Withdrawn);
    expect(await page.isHidden('#withdraw')).to.equal(true);
  });

  it('votes for a quorum of 2, then shows an open vote with the quorum’s progress', async function () {
    await switchAccount(page, wallet, 0);
    await page.fill('#quorum-value', '2');
    await submit(page, 'quorum-form');
    expect(await text(page, '#review-what')).to.equal('Vote for a quorum of 2 approvals.');
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(/^Vote recorded on a quorum of 2: 1 of 1 approvals; the quorum is now 2\./);
    await page.locator('#quorum-line').filter({ hasText: 'Quorum: 2 approvals of 3 active members.' }).waitFor();

    await page.fill('#vote-member', '2');
    await page.selectOption('#vote-kind', 'suspend');
    await submit(page, 'vote-form');
    await send(page);
    expect(await text(page, '#outcome-text')).to.match(/^Vote recorded on member 2: 1 of 2 approvals\./);
    expect(Number((await network.as(0).getMember(2)).status)).to.equal(Status.Active);
    await page.waitForSelector('#proposals [data-proposal="suspend-2"]');
    expect(await text(page, '#proposals [data-proposal="suspend-2"]')).to.equal('Suspend member 2: 1 of 2 approvals.');
    // The votes are read from the registry's events, from its deployment block on (not from block 0).
    const logQueries = wallet.calls.filter((call) => call.method === 'eth_getLogs').map((call) => (call.params[0] as { fromBlock: string }).fromBlock);
    expect(network.record.blockNumber).to.be.greaterThan(0);
    expect(logQueries.length, 'the page read events').to.be.greaterThan(0);
    expect(new Set(logQueries)).to.deep.equal(new Set([toQuantity(network.record.blockNumber)]));
    await page.screenshot({ path: join(ARTIFACTS, 'console-open-vote.png'), fullPage: true });
    await writeDocsPicture(page, '#state', 'console-open-vote-en');
  });

  it('names a bad field before asking the wallet anything', async function () {
    const before = wallet.calls.length;
    await page.fill('#notary-address', '0x1234');
    await submit(page, 'notary-form');
    expect(await text(page, '#outcome-text')).to.equal('Account address: expected an account address: 0x and 40 hex digits');
    expect(wallet.methodsSince(before)).to.deep.equal([]);
  });

  it('serves the registry’s refusals to the page in the CLI’s sentences, and names bad revert data', async function () {
    const data = new Interface(ConfederationRegistry__factory.abi).encodeErrorResult('CannotVoteOnSelf', [3]);
    const good = await fetch(`${notary.url}/console/refusal?data=${data}`);
    expect(await good.json()).to.deep.equal({ error: 'CannotVoteOnSelf', reason: 'member 3 cannot vote on its own membership' });
    const bad = await fetch(`${notary.url}/console/refusal?data=0xzz`);
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).to.equal('data');
    const unknown = await fetch(`${notary.url}/console/refusal?data=0x12345678`);
    expect(unknown.status).to.equal(404);
  });

  for (const lang of ['en', 'it'] as const) {
    it(`has no serious accessibility violation, and lays out its panels side by side without overflow (${lang}; screenshot)`, async function () {
      await page.click(`[data-language="${lang}"]`);
      expect(await page.getAttribute('html', 'lang')).to.equal(lang);
      expect(await text(page, '#console-title')).to.equal(lang === 'it' ? 'Console di governo' : 'Governance console');
      // The network is read again and painted in the language, and the last outcome said again in it.
      await page.locator('#own-details dt').first().filter({ hasText: lang === 'it' ? /^Membro$/ : /^Member$/ }).waitFor();
      expect(await text(page, '#outcome-text')).to.equal(
        lang === 'it' ? 'Indirizzo dell’account: serve un indirizzo: 0x e 40 cifre esadecimali' : 'Account address: expected an account address: 0x and 40 hex digits',
      );
      expect(await seriousViolations(page)).to.deep.equal([]);
      const layout = await page.evaluate(LAYOUT);
      expect(layout).to.deep.equal({ overflow: false, columns: 3, overlapping: false });
      await page.screenshot({ path: join(ARTIFACTS, `console-${lang}.png`), fullPage: true });
      // On a phone's width: one column, and still nothing wider than the window (the members' table scrolls in its box).
      await page.setViewportSize({ width: 420, height: 900 });
      expect(await page.evaluate(LAYOUT)).to.deep.equal({ overflow: false, columns: 1, overlapping: false });
      await page.screenshot({ path: join(ARTIFACTS, `console-${lang}-narrow.png`), fullPage: true });
      await page.setViewportSize({ width: 1100, height: 900 });
    });
  }

  it('ran without a script error, and the page asked the service for nothing but its own files and the console’s data', async function () {
    expect(consoleErrors).to.deep.equal([]);
    const paths = sentToService.map((line) => new URL(line.split(' ')[1]).pathname);
    expect(paths.filter((path) => !/^\/(console|web\/)/.test(path))).to.deep.equal([]);
  });
});
