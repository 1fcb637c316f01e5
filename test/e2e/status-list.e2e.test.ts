import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberJwt } from '../../service/cli/service-commands';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { call, startKillableService, waitForReceipt, sleep, type KillableService } from '../support/killable-service';
import { wellKnownAccount } from '../support/well-known-accounts';
import { outsideStatus } from '../status-list/outside-verifier';

// Issue #12 point 1, end to end: a hardhat node process and the service as its own process. A badge issued with a
// status entry, notarised, revoked on-chain; the served list shows it once the mirror has it, and Digital
// Bazaar's Bitstring Status List verifier, fetching the list over HTTP, reads the bit.
describe('end to end: W3C status lists served by the service process, read over HTTP by a verifier not written here', function () {
  this.timeout(300_000);
  const POLL_MS = 1_000;
  const SCHOOL = 'did:web:school-a.example';
  const key = generateIssuerKey({ type: 'Ed25519' });
  let network: NotaryNetwork;
  let service: KillableService;
  let directory: string;
  const environment = () => ({
    BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
    BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
    BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
    BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
    BADGE_NOTARY_CONFIRMATIONS: '1',
    BADGE_NOTARY_BATCH_MAX_AGE_MS: '300',
    BADGE_NOTARY_POLL_INTERVAL_MS: String(POLL_MS),
  });
  const fetchList = async (url: string) => {
    const response = await fetch(url);
    expect(response.status).to.equal(200);
    return (await response.json()) as unknown;
  };

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-status-e2e-'));
    network = await startNotaryNetwork();
    await (await network.as(0).registerKey(1, key.keyHash, 0, 0)).wait();
    network.writeRecord(join(directory, 'deployment.json'));
    service = await startKillableService(environment());
  });

  after(async function () {
    await service?.stop();
    await network?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('issue with a status entry, notarise, revoke on-chain: the list shows it as soon as the mirror has it, and the library reads the bit', async function () {
    const client = await call(service.url, 'POST', '/v1/clients', { token: await memberJwt(key, SCHOOL), body: { role: 'editor', label: 'status e2e' } });
    expect(client.status, JSON.stringify(client.body)).to.equal(201);
    const list = `${service.url}/v1/status-lists/1/main`;
    const credentials: JsonObject[] = [];
    for (const index of [11, 12]) {
      const unsigned = buildAchievementCredential({ ...demoBadgeInput({ issuerDid: SCHOOL }), status: { statusListCredential: list, index } });
      credentials.push((await signCredential({ credential: unsigned, key, format: 'data-integrity' })) as JsonObject);
    }
    const submitted = await call(service.url, 'POST', '/v1/credentials', { token: client.body.apiKey as string, body: { credentials } });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(202);
    const digests = (submitted.body.credentials as { digest: string }[]).map((item) => item.digest);
    for (const digest of digests) await waitForReceipt(service.url, digest);
    for (const credential of credentials) expect(await outsideStatus(credential, fetchList)).to.deep.include({ verified: true, revoked: false });

    const revocation = (await (await network.as(0).revokeCredentials(1, [digests[0]!], 1)).wait())!;
    const mined = Date.now();
    // The served list follows the mirror with no delay of its own: once the mirror holds the revocation's block,
    // the very next fetch shows the bit (no stale list kept). The wait is on the mirror, not on a clock; its
    // deadline only ends a run that would never get there.
    const indexedBlock = async () => Number((await (await fetch(`${service.url}/metrics`)).text()).match(/^badge_notary_indexer_last_block (\S+)$/m)?.[1] ?? -1);
    while ((await indexedBlock()) < revocation.blockNumber) {
      if (Date.now() - mined > 60_000) throw new Error(`the mirror never reached block ${revocation.blockNumber} of the revocation`);
      await sleep(50);
    }
    expect(await outsideStatus(credentials[0]!, fetchList), 'the first fetch once the mirror has the revocation').to.deep.include({ revoked: true });
    console.log(`      revocation mined -> indexed and in the served list after ${Date.now() - mined} ms (indexer poll ${POLL_MS} ms)`);
    expect(await outsideStatus(credentials[1]!, fetchList)).to.deep.include({ verified: true, revoked: false });

    const report = await call(service.url, 'POST', '/v1/verify', { body: { credential: credentials[0] } });
    expect(report.body.statusList).to.include({ outcome: 'agrees', listRevoked: true });
  });

  it('signs with the same status-list key after a restart (kept in the data directory)', async function () {
    const before = (await fetchList(`${service.url}/v1/status-lists/1/main`)) as JsonObject;
    expect(await service.stop()).to.equal(0);
    service = await startKillableService(environment());
    const after = (await fetchList(`${service.url}/v1/status-lists/1/main`)) as JsonObject;
    expect(after.issuer).to.equal(before.issuer);
  });
});
