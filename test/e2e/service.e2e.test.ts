import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider } from 'ethers';
import { freePort } from '../../service/chain/local-node';
import { memberJwt } from '../../service/cli/service-commands';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import type { CredentialFormat } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { verifyBadge, type VerificationReport } from '../../service/verify';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { call, startKillableService, waitFor, waitForReceipt, type KillableService } from '../support/killable-service';
import { readProcessStore, serviceStoreUnderTest } from '../support/service-store';
import { wellKnownAccount } from '../support/well-known-accounts';

describe('end to end: a hardhat node process, the service as its own process, two members', function () {
  this.timeout(300_000);
  let network: NotaryNetwork;
  let service: KillableService;
  let directory: string;
  const keys: Record<1 | 2, IssuerKey> = { 1: generateIssuerKey({ type: 'Ed25519' }), 2: generateIssuerKey({ type: 'P-256' }) };
  const dids = { 1: 'did:web:school-a.example', 2: 'did:web:ngo-b.example' } as const;
  const apiKeys: Record<number, string> = {};

  const issue = (member: 1 | 2, format: CredentialFormat) =>
    signCredential({ credential: buildAchievementCredential(demoBadgeInput({ issuerDid: dids[member] })), key: keys[member], format });

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-e2e-'));
    network = await startNotaryNetwork();
    await (await network.as(0).registerKey(1, keys[1].keyHash, 0, 0)).wait();
    await (await network.as(1).registerKey(2, keys[2].keyHash, 0, 0)).wait();
    network.writeRecord(join(directory, 'deployment.json'));
    service = await startKillableService({
      BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
      BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
      BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_BATCH_MAX_AGE_MS: '300',
      BADGE_NOTARY_POLL_INTERVAL_MS: '100',
    });
  });

  after(async function () {
    const code = await service?.stop();
    await network?.stop();
    rmSync(directory, { recursive: true, force: true });
    expect(code, 'the service stops cleanly on SIGTERM').to.equal(0);
  });

  it('each member gets an editor API key by a JWT signed with its registered key', async function () {
    for (const member of [1, 2] as const) {
      const jwt = await memberJwt(keys[member], dids[member]);
      const { status, body } = await call(service.url, 'POST', '/v1/clients', { token: jwt, body: { role: 'editor', label: 'e2e' } });
      expect(status, JSON.stringify(body)).to.equal(201);
      apiKeys[member] = body.apiKey as string;
      // The same member-signed JWT again mints nothing: it is single use.
      const replayed = await call(service.url, 'POST', '/v1/clients', { token: jwt, body: { role: 'admin', label: 'replayed' } });
      expect(replayed.status, JSON.stringify(replayed.body)).to.equal(401);
      expect(replayed.body.error).to.include({ code: 'token-replayed' });
    }
  });

  let digests: Record<1 | 2, string[]>;
  let artifacts: Record<1 | 2, (string | object)[]>;

  it('takes badges from both members, and refuses a member submitting another’s badge', async function () {
    artifacts = { 1: [await issue(1, 'vc-jwt'), await issue(1, 'data-integrity'), await issue(1, 'vc-jwt')], 2: [await issue(2, 'vc-jwt'), await issue(2, 'vc-jwt')] };
    digests = { 1: [], 2: [] };
    for (const member of [1, 2] as const) {
      const { status, body } = await call(service.url, 'POST', '/v1/credentials', { token: apiKeys[member], body: { credentials: artifacts[member] } });
      expect(status, JSON.stringify(body)).to.equal(202);
      digests[member] = (body.credentials as { digest: string }[]).map((c) => c.digest);
    }
    const foreign = await call(service.url, 'POST', '/v1/credentials', { token: apiKeys[1], body: { credential: artifacts[2][0] } });
    expect(foreign.status).to.equal(403);
    const again = await call(service.url, 'POST', '/v1/credentials', { token: apiKeys[2], body: { credential: artifacts[2][0] } });
    expect(again.status).to.equal(202);
    expect(again.body).to.include({ digest: digests[2][0], created: false });
  });

  const receipts: Record<string, unknown> = {};

  it('anchors them all and hands out receipts that an independent verifier accepts on the chain', async function () {
    const provider = new JsonRpcProvider(network.node.rpcUrl, undefined, { cacheTimeout: -1 });
    try {
      for (const member of [1, 2] as const) {
        for (const [index, digest] of digests[member].entries()) {
          receipts[digest] = await waitForReceipt(service.url, digest);
          const report = await verifyBadge({
            credential: artifacts[member][index],
            receipt: receipts[digest],
            reader: new JsonRpcRegistryReader(provider, network.record.registry),
            now: new Date(),
          });
          expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
          expect(report.issuer?.memberId).to.equal(member);
        }
      }
    } finally {
      provider.destroy();
    }
  });

  it('verifies through the service too, with or without the receipt', async function () {
    const withReceipt = await call(service.url, 'POST', '/v1/verify', { body: { credential: artifacts[2][1], receipt: receipts[digests[2][1]] } });
    expect(withReceipt.status).to.equal(200);
    expect((withReceipt.body as unknown as VerificationReport).verified).to.equal(true);
    const lookedUp = await call(service.url, 'POST', '/v1/verify', { body: { credential: artifacts[1][1] } });
    expect((lookedUp.body as unknown as VerificationReport).verified, JSON.stringify(lookedUp.body)).to.equal(true);
  });

  it('revokes one badge: the revocation shows in lookup and in verification, the others stay valid', async function () {
    const revoked = digests[2][0];
    const refused = await call(service.url, 'POST', '/v1/revocations', { token: apiKeys[1], body: { digest: revoked, reason: 1 } });
    expect(refused.status, 'member 1 cannot revoke member 2’s badge').to.equal(403);

    // The service's account notarises for member 1; member 2 must let it revoke on its behalf first.
    const unauthorised = await call(service.url, 'POST', '/v1/revocations', { token: apiKeys[2], body: { digest: revoked, reason: 1 } });
    expect(unauthorised.status).to.equal(409);
    expect(unauthorised.body.error?.message).to.contain('is neither the controller, a notary nor a revoker of member 2');
    await (await network.as(1).authoriseRevoker(2, wellKnownAccount(9).address)).wait();

    const sent = await call(service.url, 'POST', '/v1/revocations', { token: apiKeys[2], body: { digest: revoked, reason: 1 } });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
    const deadline = Date.now() + 60_000;
    let status;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = await call(service.url, 'GET', `/v1/credentials/${revoked}/revocation`);
    } while (!status.body.revoked && Date.now() < deadline);
    expect(status.body).to.include({ revoked: true, issuerId: 2 });

    const report = (await call(service.url, 'POST', '/v1/verify', { body: { credential: artifacts[2][0], receipt: receipts[revoked] } })).body as unknown as VerificationReport;
    expect(report.verified).to.equal(false);
    expect(report.steps.find((s) => s.name === 'revocation')).to.include({ status: 'failed' });
    const other = (await call(service.url, 'POST', '/v1/verify', { body: { credential: artifacts[2][1], receipt: receipts[digests[2][1]] } })).body as unknown as VerificationReport;
    expect(other.verified).to.equal(true);
  });

  it('follows a revocation from submitted to mined on its own timer: nobody asks for it, and a read moves nothing', async function () {
    const digest = digests[1][2];
    const sent = await call(service.url, 'POST', '/v1/revocations', { token: apiKeys[1], body: { digest, reason: 2 } });
    expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
    const id = (sent.body.revocation as { id: number; state: string }).id;
    // Answered once broadcast: the service's own follower (every 100 ms here) may already have seen it mined.
    expect(['submitted', 'mined']).to.include((sent.body.revocation as { state: string }).state);

    // Watched in the service's own database (its SQLite file, or its PostgreSQL database), read-only, with no
    // request to the API in between.
    const store = await readProcessStore(join(directory, 'data'));
    let minedIn: number | null;
    try {
      const mined = await waitFor('the revocation mined', async () => {
        const revocation = await store.revocations.get(id);
        return revocation?.state === 'mined' ? revocation : undefined;
      }, {
        timeoutMs: 30_000,
        intervalMs: 100,
      });
      expect(mined.blockNumber).to.be.a('number');
      minedIn = mined.blockNumber;
    } finally {
      await store.close();
    }
    const read = await call(service.url, 'GET', `/v1/revocations/${id}`, { token: apiKeys[1] });
    expect(read.body.revocation).to.include({ state: 'mined', blockNumber: minedIn });
  });
});

describe('end to end: npm start’s embedded chain, restarted', function () {
  // On SQLite the old chain's database is moved aside; on PostgreSQL the start on the new chain is refused.
  this.timeout(300_000);
  let directory: string;

  after(function () {
    rmSync(directory, { recursive: true, force: true });
  });

  it('leaves no receipt pointing at an anchor the fresh chain lacks', async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-embedded-'));
    const env = { BADGE_NOTARY_DATA_DIR: join(directory, 'data'), BADGE_NOTARY_NODE_PORT: String(await freePort()), BADGE_NOTARY_BATCH_MAX_AGE_MS: '300' };
    const demoKey = () => readFile(join(directory, 'data', 'demo-api-key'));
    const demoBadge = () => readFile(join(directory, 'data', 'demo-badge.jwt'));

    const first = await startKillableService(env);
    let digest: string;
    try {
      const sent = await call(first.url, 'POST', '/v1/credentials', { token: demoKey(), body: { credential: demoBadge() } });
      expect(sent.status, JSON.stringify(sent.body)).to.equal(202);
      digest = sent.body.digest as string;
      await waitForReceipt(first.url, digest);
      // The demo key was published with its registration: the member's DID document needs no key= parameter.
      const didDocument = await call(first.url, 'GET', '/v1/members/1/did.json');
      const demoIssuerKey = JSON.parse(readFile(join(directory, 'data', 'demo-issuer-key.json'))) as { did: string };
      expect(didDocument.status, JSON.stringify(didDocument.body)).to.equal(200);
      expect((didDocument.body.verificationMethod as { publicKeyMultibase: string }[]).map((method) => method.publicKeyMultibase)).to.deep.equal([
        demoIssuerKey.did.slice('did:key:'.length),
      ]);
      expect(didDocument.body.assertionMethod).to.have.length(1);
    } finally {
      expect(await first.stop()).to.equal(0);
    }

    if (serviceStoreUnderTest() === 'postgres') {
      // A PostgreSQL database is bound to its chain for good (several processes share it; none may move it
      // aside): the start on the fresh chain is refused, and the first chain's records are kept as they were.
      let refusal = '';
      await startKillableService(env).then(
        async (started) => expect.fail(`started on a database bound to another chain: ${await started.stop()}`),
        (error: Error) => (refusal = error.message),
      );
      expect(refusal).to.match(/the service exited with 2/).and.match(/belongs to registry eip155:31337:0x[0-9a-fA-F]{40}/);
      expect(refusal).to.include('point BADGE_NOTARY_DATABASE_URL at another database');
      const store = await readProcessStore(join(directory, 'data'));
      try {
        const credentials = (await store.dump()).find((dumped) => dumped.table === 'credentials')!.rows;
        expect(credentials.map((row) => row.digest)).to.deep.equal([digest]);
      } finally {
        await store.close();
      }
      return;
    }
    const second = await startKillableService(env);
    try {
      expect(second.output.join('')).to.contain("the previous chain's database was moved to");
      expect(readdirSync(join(directory, 'data', 'previous')).some((name) => name.endsWith('.sqlite'))).to.equal(true);
      const lookup = await call(second.url, 'GET', `/v1/credentials/${digest}`);
      expect(lookup.status, 'the old receipt is not served on the new chain').to.equal(404);
      // The new chain works as the first did.
      const sent = await call(second.url, 'POST', '/v1/credentials', { token: demoKey(), body: { credential: demoBadge() } });
      expect(sent.status).to.equal(202);
      await waitForReceipt(second.url, sent.body.digest as string);
    } finally {
      expect(await second.stop()).to.equal(0);
    }
    expect(existsSync(join(directory, 'data', 'notary.sqlite'))).to.equal(true);
  });
});

const readFile = (path: string) => readFileSync(path, 'utf8').trim();
