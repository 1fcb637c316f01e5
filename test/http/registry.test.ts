import { expect } from 'chai';
import { loadFixture, mine } from '@nomicfoundation/hardhat-network-helpers';
import { JsonRpcProvider, Wallet, keccak256, toUtf8Bytes, zeroPadValue } from 'ethers';
import pino from 'pino';
import request from 'supertest';
import { TransactionQueue } from '../../service/chain/transaction-queue';
import { generateIssuerKey } from '../../service/credentials/keys';
import { createApp, createRevocationSender, ServiceMetrics } from '../../service/http';
import { Store } from '../../service/store';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { wellKnownAccount } from '../support/well-known-accounts';
import { bearer, CHAMBER, deployNetwork, issueJwt, makeEnv, NGO, SCHOOL, type Env } from './helpers';

describe('HTTP API: batches, members, health, readiness and metrics', function () {
  let env: Env;
  afterEach(async () => env?.close());

  describe('batches', function () {
    it('lists this service’s batches newest first, page by page, and shows one with its transactions', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      for (let i = 0; i < 3; i++) {
        const submitted = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: await issueJwt(env.chain.schoolKey, SCHOOL) });
        expect(submitted.status).to.equal(202);
        await env.anchorAll();
      }
      const all = await request(env.app).get('/v1/batches');
      expect(all.status).to.equal(200);
      expect(all.body.batches.map((b: { id: number }) => b.id)).to.deep.equal([3, 2, 1]);
      expect(all.body.next).to.equal(null);
      expect(all.body.batches[0]).to.include({ size: 1, state: 'final', anchoredBy: 1, attempts: 1, lastError: null });
      expect(all.body.batches[0].transactionHash).to.match(/^0x[0-9a-f]{64}$/);

      const first = await request(env.app).get('/v1/batches?limit=2');
      expect(first.body.batches.map((b: { id: number }) => b.id)).to.deep.equal([3, 2]);
      expect(first.body.next).to.equal(2);
      const second = await request(env.app).get(`/v1/batches?limit=2&before=${first.body.next}`);
      expect(second.body.batches.map((b: { id: number }) => b.id)).to.deep.equal([1]);
      expect(second.body.next).to.equal(null);

      const one = await request(env.app).get('/v1/batches/2');
      expect(one.status).to.equal(200);
      expect(one.body.batch).to.deep.equal(all.body.batches[1]);
      expect(one.body.transactions).to.have.length(1);
      expect(one.body.transactions[0]).to.include({ transactionHash: one.body.batch.transactionHash, outcome: 'mined' });
    });
  });

  describe('members (from the registry mirror)', function () {
    it('lists the members with their roles and statuses, filtered by DID, status or role', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const all = await request(env.app).get('/v1/members');
      expect(all.status).to.equal(200);
      expect(all.body.asOfBlock).to.be.a('number');
      expect(all.body.members.map((m: { id: number; did: string; role: string; status: string }) => [m.id, m.did, m.role, m.status])).to.deep.equal([
        [1, SCHOOL, 'issuing-point', 'active'],
        [2, NGO, 'issuing-point', 'active'],
        [3, CHAMBER, 'validation-point', 'active'],
      ]);
      expect(all.body.members[0]).to.include({ controller: wellKnownAccount(1).address, metadataURI: 'https://example.org/members/1.json' });
      const byDid = await request(env.app).get(`/v1/members?did=${encodeURIComponent(NGO)}`);
      expect(byDid.body.members.map((m: { id: number }) => m.id)).to.deep.equal([2]);
      const validation = await request(env.app).get('/v1/members?role=validation-point&status=active');
      expect(validation.body.members.map((m: { id: number }) => m.id)).to.deep.equal([3]);
      const suspended = await request(env.app).get('/v1/members?status=suspended');
      expect(suspended.body.members).to.deep.equal([]);
      const unknown = await request(env.app).get('/v1/members?did=did:web:nobody.example');
      expect(unknown.body.members).to.deep.equal([]);
    });

    it('shows one member with its status history, keys, notaries and endorsements', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      await (await env.chain.as(2).endorse(2, 0, zeroPadValue('0x01', 32), 'https://ngo-b.example/endorse/school')).wait();
      const badgeClass = keccak256(toUtf8Bytes('LEVERUP-S3-TEAMWORK'));
      await (await env.chain.as(1).endorse(1, 1, badgeClass, 'https://school-a.example/endorse/teamwork')).wait();
      await (await env.chain.as(1).revokeKey(1, env.chain.schoolJwtKey.keyHash, 0)).wait();
      await env.index();

      const response = await request(env.app).get('/v1/members/1');
      expect(response.status).to.equal(200);
      const { member } = response.body;
      expect(member).to.include({ id: 1, did: SCHOOL, role: 'issuing-point', status: 'active' });
      expect(member.statusHistory.map((s: { status: string }) => s.status)).to.deep.equal(['active']);
      expect(member.keys.map((k: { keyHash: string; revoked: boolean; validNow: boolean }) => [k.keyHash, k.revoked, k.validNow])).to.have.deep.members([
        [env.chain.schoolKey.keyHash, false, true],
        [env.chain.schoolJwtKey.keyHash, true, false],
      ]);
      expect(member.notaries).to.deep.equal([wellKnownAccount(10).address]);
      expect(member.endorsements.received).to.have.length(1);
      expect(member.endorsements.received[0]).to.include({ endorser: 2, kind: 'member', subjectMember: 1, claimURI: 'https://ngo-b.example/endorse/school' });
      expect(member.endorsements.given).to.have.length(1);
      expect(member.endorsements.given[0]).to.include({ endorser: 1, kind: 'badge-class', subject: badgeClass });

      const missing = await request(env.app).get('/v1/members/9');
      expect(missing.status).to.equal(404);
    });
  });

  describe('health and readiness', function () {
    it('/health answers while the process is up', async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { indexed: false });
      const response = await request(env.app).get('/health');
      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('ok');
    });

    it('/ready is 503 until the mirror has caught up with the chain, then 200', async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { indexed: false, limits: { maxIndexerLagBlocks: 3 } });
      const empty = await request(env.app).get('/ready');
      expect(empty.status).to.equal(503);
      expect(empty.body.error.code).to.equal('not-ready');
      expect(empty.body.error.message).to.contain('indexer: the registry mirror is empty');
      expect(empty.body.checks.database.ok).to.equal(true);
      expect(empty.body.checks.chain.ok).to.equal(true);

      await env.index();
      const ready = await request(env.app).get('/ready');
      expect(ready.status, JSON.stringify(ready.body)).to.equal(200);
      expect(ready.body.status).to.equal('ready');
      expect(ready.body.checks.indexer).to.include({ ok: true, lagBlocks: 0 });

      await mine(5);
      const behind = await request(env.app).get('/ready');
      expect(behind.status).to.equal(503);
      expect(behind.body.error.message).to.match(/indexer: the registry mirror is 5 blocks behind the chain \(at most 3\)/);
    });

    it('/ready is 503 when the chain cannot be reached, or the database cannot be written', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const dead = new JsonRpcProvider('http://127.0.0.1:9', 31337, { staticNetwork: true });
      const databasePath = env.sqlitePath;
      const readOnly = Store.open({ path: databasePath, readonly: true });
      try {
        const app = createApp({
          store: readOnly,
          config: { intake: { maxBulk: 10, maxBodyBytes: 65536 }, confirmations: 1 },
          chain: {
            chainId: 31337, registry: env.chain.registryAddress, provider: dead,
            newReader: () => new JsonRpcRegistryReader(dead, env.chain.registryAddress)
          },
          logger: pino({ level: 'silent' }),
          limits: { chainTimeoutMs: 2_000 },
        });
        const response = await request(app).get('/ready');
        expect(response.status).to.equal(503);
        expect(response.body.checks.database).to.include({ ok: false, message: 'the database is open read-only' });
        expect(response.body.checks.chain.ok).to.equal(false);
        expect(response.body.checks.chain.message).to.match(/^the chain is not reachable/);
        expect(response.body.error.message).to.match(/^database: .*; chain: .*; indexer: /);
      } finally {
        readOnly.close();
        dead.destroy();
      }
    });
  });

  describe('metrics', function () {
    it('publishes queue depth, batches per state, anchor latency, intake counts, RPC errors and the verifier pool’s count', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const post = (credential: string) => request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential });
      expect((await post(await issueJwt(env.chain.schoolKey, SCHOOL))).status).to.equal(202);
      expect((await post(await issueJwt(env.chain.ngoKey, NGO))).status).to.equal(403);
      const queued = await request(env.app).get('/metrics');
      expect(queued.status).to.equal(200);
      expect(queued.headers['content-type']).to.match(/^text\/plain/);
      expect(queued.text).to.match(/^badge_notary_queue_depth 1$/m);
      expect(queued.text).to.match(/^badge_notary_intake_credentials_total\{outcome="created"\} 1$/m);
      expect(queued.text).to.match(/^badge_notary_intake_credentials_total\{outcome="rejected"\} 1$/m);
      expect(queued.text).to.match(/^badge_notary_http_requests_total\{method="POST",route="\/v1\/credentials",status="202"\} 1$/m);

      await env.anchorAll();
      env.metrics.rpcError('test', 'eth_call');
      env.metrics.verifierPool.verifiedOnWorkers(3);
      const anchored = (await request(env.app).get('/metrics')).text;
      expect(anchored).to.match(/^badge_notary_queue_depth 0$/m);
      expect(anchored).to.match(/^badge_notary_batches\{state="final"\} 1$/m);
      expect(anchored).to.match(/^badge_notary_batches\{state="sealed"\} 0$/m);
      expect(anchored).to.match(/^badge_notary_batches_sealed_total\{reason="age"\} 1$/m);
      expect(anchored).to.match(/^badge_notary_anchor_latency_seconds_count 1$/m);
      expect(anchored).to.match(/^badge_notary_rpc_errors_total\{component="test",operation="eth_call"\} 1$/m);
      expect(anchored).to.match(/^badge_notary_indexer_last_block \d+$/m);
      expect(anchored).to.match(/^badge_notary_verifier_pool_credentials_total 3$/m);
    });
  });
});

describe('HTTP API: when the chain cannot be reached', function () {
  let env: Env;
  afterEach(async () => env?.close());

  it('answers 503 chain-unavailable where the registry must be asked, and counts the RPC errors', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const submitted = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: await issueJwt(env.chain.schoolKey, SCHOOL) });
    expect(submitted.status).to.equal(202);
    const dead = new JsonRpcProvider('http://127.0.0.1:9', env.chain.chainId, { staticNetwork: true });
    const metrics = new ServiceMetrics({ store: env.store, processMetrics: false });
    try {
      const app = createApp({
        store: env.store,
        config: { intake: { maxBulk: 10, maxBodyBytes: 65536 }, confirmations: 1 },
        chain: {
          chainId: env.chain.chainId, registry: env.chain.registryAddress, provider: dead,
          newReader: () => new JsonRpcRegistryReader(dead, env.chain.registryAddress)
        },
        logger: pino({ level: 'silent' }),
        metrics,
        revocations: createRevocationSender({
          queue: await TransactionQueue.for(new Wallet(wellKnownAccount(10).privateKey, dead)), provider: dead, registry: env.chain.registryAddress
        }),
      });
      // A key the mirror does not know: intake must ask the chain.
      const fresh = generateIssuerKey({ type: 'Ed25519' });
      const intake = await request(app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: await issueJwt(fresh, SCHOOL) });
      expect(intake.status).to.equal(503);
      expect(intake.body.error.code).to.equal('chain-unavailable');
      expect(intake.body.error.message).to.contain('getKey');
      // The mirror has no revocation of a credential this service holds: the chain is asked.
      const status = await request(app).get(`/v1/credentials/${submitted.body.digest}/revocation`);
      expect(status.status).to.equal(503);
      expect(status.body.error.code).to.equal('chain-unavailable');
      const revocation = await request(app).post('/v1/revocations').set(bearer(env.keys.schoolEditor)).send({ digest: submitted.body.digest });
      expect(revocation.status).to.equal(503);
      expect(revocation.body.error.code).to.equal('chain-unavailable');
      expect(revocation.body.error.revocation).to.include({ state: 'failed' });
      const text = await metrics.render();
      expect(text).to.match(/^badge_notary_rpc_errors_total\{component="http",operation="getKey"\} 1$/m);
      expect(text).to.match(/^badge_notary_rpc_errors_total\{component="http",operation="revokeCredentials"\} 1$/m);
    } finally {
      dead.destroy();
    }
  });
});
