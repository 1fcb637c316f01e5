import { once } from 'node:events';
import { Agent, createServer, get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { SignJWT } from 'jose';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { memberKeyId } from '../../service/credentials/key-id';
import { generateIssuerKey } from '../../service/credentials/keys';
import { memberJwt } from '../../service/cli/service-commands';
import { JWT_MAX_LIFETIME_SECONDS } from '../../service/http';
import { apiJwt, bearer, deployNetwork, makeEnv, NGO, SCHOOL, type Env } from './helpers';

describe('HTTP API: authentication, roles and API clients', function () {
  let env: Env;
  /** The app's clock in seconds: a JWT made for this app carries its times, not the wall's (the app runs ahead, with the chain). */
  const appSeconds = () => Math.floor(env.now() / 1000);
  afterEach(async () => env?.close());

  const whoami = (token: string) => request(env.app).get('/v1/whoami').set(bearer(token));

  describe('API keys', function () {
    it('refuses a write without authentication (401, with a Bearer challenge)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      for (const call of [
        request(env.app).post('/v1/credentials').send({ credential: 'x' }),
        request(env.app).post('/v1/revocations').send({ digests: [] }),
        request(env.app).get('/v1/clients'),
        request(env.app).post('/v1/clients').send({ role: 'editor', label: 'x' }),
        request(env.app).delete('/v1/clients/0123456789abcdef'),
        request(env.app).get('/v1/revocations'),
        request(env.app).get('/v1/revocations/1'),
        request(env.app).get('/v1/whoami'),
      ]) {
        const response = await call;
        expect(response.status).to.equal(401);
        expect(response.body.error.code).to.equal('unauthenticated');
        expect(response.headers['www-authenticate']).to.match(/^Bearer realm="badge-notary"/);
      }
      expect(await env.store.credentials.queueDepth()).to.equal(0);
    });

    it('refuses another scheme, a malformed key, a wrong secret and a revoked key (401)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const basic = await request(env.app).get('/v1/whoami').set('Authorization', 'Basic dXNlcjpwYXNz');
      expect(basic.status).to.equal(401);
      const wrongSecret = env.keys.schoolEditor.replace(/.{4}$/, 'AAAA');
      for (const token of ['bnk_nope', wrongSecret, 'something-else']) {
        const response = await whoami(token);
        expect(response.status, token).to.equal(401);
        expect(response.body.error.code).to.be.oneOf(['invalid-api-key', 'invalid-credentials']);
      }
      const editor = (await env.store.clients.listForMember(1)).find((c) => c.role === 'editor')!;
      expect((await whoami(env.keys.schoolEditor)).status).to.equal(200);
      await env.store.clients.revoke(editor.id, env.now());
      const revoked = await whoami(env.keys.schoolEditor);
      expect(revoked.status).to.equal(401);
      expect(revoked.body.error.code).to.equal('invalid-api-key');
    });

    it('says who the caller is', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const response = await whoami(env.keys.schoolEditor);
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ memberId: 1, memberDid: SCHOOL, role: 'editor', via: 'api-key' });
      expect(response.body.subject).to.match(/^[0-9a-f]{16}$/);
    });
  });

  describe('roles and client management', function () {
    it('lets only administrators manage API clients (an editor gets 403)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const editor = bearer(env.keys.schoolEditor);
      const admin = (await env.store.clients.listForMember(1)).find((c) => c.role === 'admin')!;
      for (const call of [
        request(env.app).get('/v1/clients').set(editor),
        request(env.app).post('/v1/clients').set(editor).send({ role: 'editor', label: 'sneaky' }),
        request(env.app).delete(`/v1/clients/${admin.id}`).set(editor),
      ]) {
        const response = await call;
        expect(response.status).to.equal(403);
        expect(response.body.error.code).to.equal('insufficient-role');
      }
      expect((await env.store.clients.get(admin.id))!.revokedAt).to.equal(null);
    });

    it('an administrator creates a client (its key shown once), lists the member’s clients, and revokes one', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const admin = bearer(env.keys.schoolAdmin);
      const created = await request(env.app).post('/v1/clients').set(admin).send({ role: 'editor', label: '  registrar office  ' });
      expect(created.status).to.equal(201);
      expect(created.body.apiKey).to.match(/^bnk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(created.body.client).to.include({ memberId: 1, role: 'editor', label: 'registrar office', revokedAt: null });
      expect(created.headers.location).to.equal(`/v1/clients/${created.body.client.id}`);
      expect((await whoami(created.body.apiKey)).body).to.include({ role: 'editor', subject: created.body.client.id });

      const listed = await request(env.app).get('/v1/clients').set(admin);
      expect(listed.status).to.equal(200);
      expect(listed.body.clients.map((c: { label: string }) => c.label)).to.deep.equal(['school administrator', 'school editor', 'registrar office']);
      // The secret is what follows bnk_<id>_ (base64url: it may itself hold an underscore).
      expect(JSON.stringify(listed.body)).not.to.contain((created.body.apiKey as string).slice('bnk_'.length + 17));
      for (const client of listed.body.clients) expect(client).to.have.all.keys('id', 'memberId', 'role', 'label', 'createdAt', 'createdBy', 'revokedAt');

      const revoked = await request(env.app).delete(`/v1/clients/${created.body.client.id}`).set(admin);
      expect(revoked.status).to.equal(200);
      expect(revoked.body.client.revokedAt).to.be.a('string');
      expect((await whoami(created.body.apiKey)).status).to.equal(401);
      const again = await request(env.app).delete(`/v1/clients/${created.body.client.id}`).set(admin);
      expect(again.status).to.equal(200);
      expect(again.body.client.revokedAt).to.equal(revoked.body.client.revokedAt);
    });

    it('keeps members apart: another member’s client is 403, an unknown one 404', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const school = (await env.store.clients.listForMember(1))[0];
      const other = await request(env.app).delete(`/v1/clients/${school.id}`).set(bearer(env.keys.ngoAdmin));
      expect(other.status).to.equal(403);
      expect((await env.store.clients.get(school.id))!.revokedAt).to.equal(null);
      const listed = await request(env.app).get('/v1/clients').set(bearer(env.keys.ngoAdmin));
      expect(listed.body.clients.map((c: { memberId: number }) => c.memberId)).to.deep.equal([2]);
      for (const id of ['0123456789abcdef', 'not-an-id']) {
        const response = await request(env.app).delete(`/v1/clients/${id}`).set(bearer(env.keys.ngoAdmin));
        expect(response.status).to.equal(404);
      }
    });

    it('validates a new client, naming the field', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const cases: [unknown, string][] = [
        [{ role: 'owner', label: 'x' }, 'role'],
        [{ role: 'editor' }, 'label'],
        [{ role: 'editor', label: '   ' }, 'label'],
        [{ role: 'editor', label: 7 }, 'label'],
        [{ role: 'editor', label: 'x', secret: 'mine' }, 'body'],
        [['editor'], 'body'],
      ];
      for (const [body, field] of cases) {
        const response = await request(env.app).post('/v1/clients').set(bearer(env.keys.schoolAdmin)).send(body as object);
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error, JSON.stringify(body)).to.include({ code: 'invalid-request', field });
      }
    });
  });

  describe('JWTs signed by a key the member registered on-chain', function () {
    it('accepts EdDSA and ES256 tokens as the member’s administrator, and creates the first API key with one', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      for (const key of [env.chain.schoolKey, env.chain.schoolJwtKey]) {
        const response = await whoami(await apiJwt(key, SCHOOL, env.now()));
        expect(response.status, JSON.stringify(response.body)).to.equal(200);
        expect(response.body).to.deep.equal({ memberId: 1, memberDid: SCHOOL, role: 'admin', via: 'jwt', subject: key.verificationMethod });
      }
      const token = await apiJwt(env.chain.ngoKey, NGO, env.now());
      const created = await request(env.app).post('/v1/clients').set(bearer(token)).send({ role: 'admin', label: 'first NGO administrator' });
      expect(created.status).to.equal(201);
      expect(created.body.client).to.include({ memberId: 2, createdBy: env.chain.ngoKey.verificationMethod });
      expect((await whoami(created.body.apiKey)).body).to.include({ memberId: 2, role: 'admin', via: 'api-key' });
    });

    it('accepts the key under the member’s own DID as kid (did:web:…#z…, as the CLI signs), and refuses it under another DID', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const key = env.chain.schoolKey;
      const underDid = (did: string) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'EdDSA', kid: memberKeyId(did, key) })
          .setIssuer(SCHOOL)
          .setAudience('badge-notary')
          .setIssuedAt(appSeconds())
          .setJti(randomUUID())
          .setExpirationTime(appSeconds() + 120)
          .sign(key.privateKey);
      const own = await whoami(await underDid(SCHOOL));
      expect(own.status, JSON.stringify(own.body)).to.equal(200);
      expect(own.body).to.include({ memberId: 1, via: 'jwt' });
      const cli = await whoami(await memberJwt(key, SCHOOL, env.now()));
      expect(cli.status, JSON.stringify(cli.body)).to.equal(200);
      const foreign = await whoami(await underDid(NGO));
      expect(foreign.status).to.equal(401);
      expect(foreign.body.error.code).to.equal('invalid-token');
      expect(foreign.body.error.message).to.contain(`a key id of ${NGO}, not of the issuer ${SCHOOL}`);
    });

    it('takes a member-signed JWT once: the same token again is 401 token-replayed and mints nothing', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const token = await apiJwt(env.chain.ngoKey, NGO, env.now());
      const first = await request(env.app).post('/v1/clients').set(bearer(token)).send({ role: 'admin', label: 'first' });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      for (const label of ['second', 'third']) {
        const replayed = await request(env.app).post('/v1/clients').set(bearer(token)).send({ role: 'admin', label });
        expect(replayed.status, label).to.equal(401);
        expect(replayed.body.error.code).to.equal('token-replayed');
      }
      expect((await env.store.clients.listForMember(2)).filter((c) => c.createdBy === env.chain.ngoKey.verificationMethod)).to.have.length(1);
      // Another token of the same key, and a token of another member carrying the same jti, are each new.
      expect((await whoami(await apiJwt(env.chain.ngoKey, NGO, env.now()))).status).to.equal(200);
      expect((await whoami(await apiJwt(env.chain.schoolKey, SCHOOL, env.now(), { jti: 'shared-id' }))).status).to.equal(200);
      expect((await whoami(await apiJwt(env.chain.ngoKey, NGO, env.now(), { jti: 'shared-id' }))).status).to.equal(200);
    });

    it('refuses a JWT without a jti, and one that lives longer than 5 minutes (401)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const key = env.chain.schoolKey;
      const noJti = await new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid: key.verificationMethod }).setIssuer(SCHOOL).setAudience('badge-notary').setIssuedAt(appSeconds()).setExpirationTime(appSeconds() + 120).sign(key.privateKey);
      const refused = await whoami(noJti);
      expect(refused.status).to.equal(401);
      expect(refused.body.error).to.include({ code: 'invalid-token' });
      expect(refused.body.error.message).to.match(/jti/);
      const tenMinutes = await whoami(await apiJwt(key, SCHOOL, env.now(), { lifetimeSeconds: 600 }));
      expect(tenMinutes.status).to.equal(401);
      expect(tenMinutes.body.error.message).to.match(/at most 300 s/);
      expect((await whoami(await apiJwt(key, SCHOOL, env.now(), { lifetimeSeconds: 300 }))).status).to.equal(200);
    });

    it('asks the chain for a key the mirror does not know yet', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const fresh = generateIssuerKey({ type: 'P-256' });
      await (await env.chain.as(2).registerKey(2, fresh.keyHash, 0, 0)).wait();
      const response = await whoami(await apiJwt(fresh, NGO, env.now()));
      expect(response.status, JSON.stringify(response.body)).to.equal(200);
    });

    it('refuses unregistered, another member’s, revoked, expired, wrong-audience, long-lived and forged tokens (401)', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const now = env.now();
      const stranger = generateIssuerKey({ type: 'Ed25519' });
      const cases: [string, Promise<string>, string, RegExp][] = [
        ['unregistered key', apiJwt(stranger, SCHOOL, now), 'key-not-registered', /not registered in the registry/],
        ['another member’s key', apiJwt(env.chain.ngoKey, SCHOOL, now), 'key-not-registered', /registered to member 2, not to member 1/],
        ['not a member', apiJwt(stranger, 'did:web:nobody.example', now), 'unknown-member', /not a member of the network/],
        ['expired', apiJwt(env.chain.schoolKey, SCHOOL, now, { issuedAgoSeconds: 400, lifetimeSeconds: 300 }), 'token-expired', /"exp"/],
        ['wrong audience', apiJwt(env.chain.schoolKey, SCHOOL, now, { audience: 'someone-else' }), 'invalid-token', /"aud"/],
        ['lives too long', apiJwt(env.chain.schoolKey, SCHOOL, now, { lifetimeSeconds: 3600 }), 'invalid-token', new RegExp(`at most ${JWT_MAX_LIFETIME_SECONDS} s`)],
        ['future iat', apiJwt(env.chain.schoolKey, SCHOOL, now + 600_000), 'invalid-token', /iat/],
        [
          'forged signature',
          apiJwt(env.chain.schoolKey, SCHOOL, now).then(async (jwt) => `${jwt.split('.').slice(0, 2).join('.')}.${(await apiJwt(stranger, SCHOOL, now)).split('.')[2]}`),
          'invalid-token',
          /signature/,
        ],
        [
          'HS256',
          new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: env.chain.schoolKey.verificationMethod }).setIssuer(SCHOOL).setAudience('badge-notary').setIssuedAt(appSeconds()).setExpirationTime(appSeconds() + 300).sign(new Uint8Array(32)),
          'invalid-token',
          /EdDSA or ES256/,
        ],
        [
          'kid not a did:key',
          new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid: 'https://example.org/key' }).setIssuer(SCHOOL).setAudience('badge-notary').setIssuedAt(appSeconds()).setExpirationTime(appSeconds() + 300).sign(env.chain.schoolKey.privateKey),
          'invalid-token',
          /did:key/,
        ],
        [
          'iss not text',
          new SignJWT({ iss: 42 } as never).setProtectedHeader({ alg: 'EdDSA', kid: env.chain.schoolKey.verificationMethod }).setAudience('badge-notary').setIssuedAt(appSeconds()).setExpirationTime(appSeconds() + 300).sign(env.chain.schoolKey.privateKey),
          'invalid-token',
          /iss/,
        ],
        [
          'no expiry',
          new SignJWT({}).setProtectedHeader({ alg: 'EdDSA', kid: env.chain.schoolKey.verificationMethod }).setIssuer(SCHOOL).setAudience('badge-notary').setIssuedAt(appSeconds()).sign(env.chain.schoolKey.privateKey),
          'invalid-token',
          /"exp"/,
        ],
      ];
      for (const [name, token, code, message] of cases) {
        const response = await whoami(await token);
        expect(response.status, name).to.equal(401);
        expect(response.body.error.code, `${name}: ${response.body.error.message}`).to.equal(code);
        expect(response.body.error.message, name).to.match(message);
      }

      await (await env.chain.as(1).revokeKey(1, env.chain.schoolKey.keyHash, 0)).wait();
      await env.index();
      const revoked = await whoami(await apiJwt(env.chain.schoolKey, SCHOOL, env.now()));
      expect(revoked.status).to.equal(401);
      expect(revoked.body.error.code).to.equal('key-revoked');
    });
  });

  describe('rate limit', function () {
    it('limits each member apart (429 with the JSON error and RateLimit headers), and public callers by address', async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { limits: { rateLimitPerMember: 2, rateLimitPerAddress: 3 } });
      expect((await whoami(env.keys.schoolEditor)).status).to.equal(200);
      expect((await whoami(env.keys.schoolAdmin)).status).to.equal(200);
      const limited = await whoami(env.keys.schoolEditor);
      expect(limited.status).to.equal(429);
      expect(limited.body.error.code).to.equal('rate-limited');
      expect(limited.headers).to.have.property('ratelimit');
      expect(limited.headers).to.have.property('retry-after');
      expect((await whoami(env.keys.ngoAdmin)).status).to.equal(200);
      const intake = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolAdmin)).send({ credential: 'eyJ' });
      expect(intake.status).to.equal(429);
      expect(await env.store.credentials.queueDepth()).to.equal(0);

      for (let i = 0; i < 3; i++) expect((await request(env.app).get('/v1/batches')).status).to.equal(200);
      expect((await request(env.app).get('/v1/batches')).status).to.equal(429);
      expect((await request(env.app).get('/health')).status).to.equal(200);
    });

    it('counts a public caller by the address express trusts: its socket, or X-Forwarded-For behind a trusted proxy, on one keep-alive connection', async function () {
      const statusesFrom = async (addresses: string[]) => {
        const server = createServer(env.app).listen(0, '127.0.0.1');
        await once(server, 'listening');
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        const sockets = new Set<unknown>();
        try {
          const statuses: number[] = [];
          for (const address of addresses) {
            const response = await new Promise<IncomingMessage>((resolve, reject) =>
              get({ agent, host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/v1/batches', headers: { 'X-Forwarded-For': address } }, resolve).on('error', reject),
            );
            sockets.add(response.socket);
            response.resume();
            await once(response, 'end');
            statuses.push(response.statusCode!);
          }
          expect(sockets.size, 'every request on one connection').to.equal(1);
          return statuses;
        } finally {
          agent.destroy();
          server.close();
        }
      };
      const proxied = ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2', '2001:db8:0:1::1', '2001:db8:0:2::2', '2001:db8:0:3::3'];

      env = await makeEnv(await loadFixture(deployNetwork), { limits: { rateLimitPerAddress: 2 }, trustProxy: 'loopback' });
      // Behind the proxy: 203.0.113.1 has its own budget, as has 203.0.113.2; the IPv6 addresses share their /56.
      expect(await statusesFrom(proxied)).to.deep.equal([200, 200, 429, 200, 200, 200, 429]);
      await env.close();

      env = await makeEnv(await loadFixture(deployNetwork), { limits: { rateLimitPerAddress: 2 } });
      // No proxy trusted: X-Forwarded-For is the client's word and is ignored; the connection's address counts.
      expect(await statusesFrom(proxied)).to.deep.equal([200, 200, 429, 429, 429, 429, 429]);
    });
  });
});
