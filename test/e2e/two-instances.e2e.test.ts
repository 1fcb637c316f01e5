import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../service/cli/main';
import { memberJwt } from '../../service/cli/service-commands';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { attachReceiptToCredential, type Receipt } from '../../service/merkle';
import type { VerificationReport } from '../../service/verify';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { call, startKillableService, waitForReceipt, type KillableService } from '../support/killable-service';
import { wellKnownAccount } from '../support/well-known-accounts';

/**
 * The confederation's promise: any member's badge verifies from any service instance, with nothing shared
 * but the chain. Two instances, each run by its own member with its own notary account and database.
 */
describe('end to end: two service instances, one registry, each verifying the other’s badges', function () {
  this.timeout(300_000);
  let network: NotaryNetwork;
  let directory: string;
  const instances: Record<1 | 2, KillableService | undefined> = { 1: undefined, 2: undefined };
  const dids = { 1: 'did:web:school-a.example', 2: 'did:web:ngo-b.example' } as const;
  const keys: Record<1 | 2, IssuerKey> = { 1: generateIssuerKey({ type: 'Ed25519' }), 2: generateIssuerKey({ type: 'Ed25519' }) };
  /** Each member's notary account: 9 is member 1's (set up by startNotaryNetwork), 8 becomes member 2's. */
  const notaryAccount = { 1: 9, 2: 8 } as const;
  const badges: Record<1 | 2, { credential: JsonObject; receipt?: Receipt }[]> = { 1: [], 2: [] };

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-two-'));
    network = await startNotaryNetwork();
    await (await network.as(0).registerKey(1, keys[1].keyHash, 0, 0)).wait();
    await (await network.as(1).registerKey(2, keys[2].keyHash, 0, 0)).wait();
    await (await network.as(1).authoriseNotary(2, wellKnownAccount(notaryAccount[2]).address)).wait();
    network.writeRecord(join(directory, 'deployment.json'));
    const start = (member: 1 | 2) =>
      startKillableService({
        BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
        BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
        BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(notaryAccount[member]).privateKey,
        BADGE_NOTARY_DATA_DIR: join(directory, `instance-${member}`),
        // The node mines a block per transaction only: deeper confirmations would wait for traffic.
        BADGE_NOTARY_CONFIRMATIONS: '1',
        BADGE_NOTARY_BATCH_MAX_AGE_MS: '300',
        BADGE_NOTARY_POLL_INTERVAL_MS: '100',
      });
    [instances[1], instances[2]] = await Promise.all([start(1), start(2)]);
  });

  after(async function () {
    const codes = await Promise.all([instances[1]?.stop(), instances[2]?.stop()]);
    await network?.stop();
    rmSync(directory, { recursive: true, force: true });
    expect(codes).to.deep.equal([0, 0]);
  });

  it('each member notarises its badges on its own instance, both anchoring at the same time', async function () {
    await Promise.all(
      ([1, 2] as const).map(async (member) => {
        const url = instances[member]!.url;
        const jwt = await memberJwt(keys[member], dids[member]);
        const apiKey = (await call(url, 'POST', '/v1/clients', { token: jwt, body: { role: 'editor', label: 'two-instances' } })).body.apiKey as string;
        for (let i = 0; i < 3; i++) {
          const credential = (await signCredential({
            credential: buildAchievementCredential(demoBadgeInput({ issuerDid: dids[member] })),
            key: keys[member],
            format: 'data-integrity',
          })) as JsonObject;
          badges[member].push({ credential });
        }
        const sent = await call(url, 'POST', '/v1/credentials', { token: apiKey, body: { credentials: badges[member].map((b) => b.credential) } });
        expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
        const digests = (sent.body.credentials as { digest: string }[]).map((c) => c.digest);
        for (const [index, digest] of digests.entries()) badges[member][index].receipt = (await waitForReceipt(url, digest)) as Receipt;
      }),
    );
    // Each instance anchored through its own member.
    expect(badges[1].every((b) => b.receipt!.anchor.memberId === 1)).to.equal(true);
    expect(badges[2].every((b) => b.receipt!.anchor.memberId === 2)).to.equal(true);
  });

  it('instance 2 verifies member 1’s badges and instance 1 member 2’s, from the badge and its receipt alone', async function () {
    for (const [verifier, issuer] of [
      [2, 1],
      [1, 2],
    ] as const) {
      for (const badge of badges[issuer]) {
        const carried = attachReceiptToCredential(badge.credential, badge.receipt!);
        const { status, body } = await call(instances[verifier]!.url, 'POST', '/v1/verify', { body: { credential: carried } });
        const report = body as unknown as VerificationReport;
        expect(status).to.equal(200);
        expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
        expect(report.issuer?.memberId).to.equal(issuer);
      }
      // The other instance does not have the badge: without its receipt it cannot tie it to an anchor.
      const bare = await call(instances[verifier]!.url, 'POST', '/v1/verify', { body: { credential: badges[issuer][0].credential } });
      const report = bare.body as unknown as VerificationReport;
      expect(report.verified).to.equal(false);
      expect(report.steps.find((s) => s.name === 'anchor')?.message).to.contain('no receipt');
    }
  });

  it('with no instance at all: the command line verifies every badge against the chain alone', async function () {
    const files = ([1, 2] as const).flatMap((member) =>
      badges[member].map((badge, index) => {
        const path = join(directory, `badge-${member}-${index}.json`);
        writeFileSync(path, JSON.stringify(attachReceiptToCredential(badge.credential, badge.receipt!)));
        return path;
      }),
    );
    const out: string[] = [];
    const code = await runCli(['--json', 'verify', ...files], {
      env: { BADGE_NOTARY_RPC_URL: network.node.rpcUrl, BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json') },
      io: { out: (t) => out.push(t), err: () => undefined },
    });
    expect(code, out.join('\n')).to.equal(0);
    expect(JSON.parse(out.join('\n')).summary).to.deep.equal({ verified: 6, 'not-verified': 0, unusable: 0 });
  });
});
