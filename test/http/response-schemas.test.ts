// The answers' zod schemas (service/http/schemas) against what the service really sends: every presenter's
// output parsed with its schema, and one real request per documented operation (and some of its error answers)
// checked against the schema the OpenAPI document names for that status.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash, zeroPadValue, toBeHex } from 'ethers';
import request from 'supertest';
import { z } from 'zod';
import { bakeSvg, demoBadgeSvg } from '../../service/baking';
import { badgeClassId, parseBadgeClass } from '../../service/catalogue';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { signCredential } from '../../service/credentials/signer';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { openApiDocument } from '../../service/http';
import { NotaryError } from '../../service/errors';
import { HttpError, forbidden, toHttpError } from '../../service/http/errors';
import {
  anchorTransactionJson,
  batchJson,
  clientJson,
  endorsementJson,
  keyJson,
  memberJson,
  revocationRequestJson,
  statusJson,
} from '../../service/http/presenters';
import {
  AnchorTransaction,
  ApiClient,
  Batch,
  CredentialStatus,
  Endorsement,
  ErrorAnswer,
  Key,
  Member,
  Receipt,
  RevocationRequest,
  apiSchema,
} from '../../service/http/schemas';
import { receiptJson, type Receipt as ReceiptValue } from '../../service/merkle';
import { bearer, deployNetwork, issue, issueJwt, makeEnv, NGO, SCHOOL, type Env } from './helpers';

const HASH = (n: number) => zeroPadValue(toBeHex(n), 32);
const MS = Date.parse('2026-03-01T09:00:00.123Z');
const SECONDS = Math.floor(MS / 1000);

const RECEIPT: ReceiptValue = {
  version: 'badge-notary-receipt/1',
  digest: HASH(1) as ReceiptValue['digest'],
  leaf: HASH(2) as ReceiptValue['leaf'],
  proof: [HASH(3) as ReceiptValue['leaf']],
  root: HASH(4) as ReceiptValue['root'],
  batch: { id: '7', size: 2, leafIndex: 1 },
  anchor: {
    chain: 'eip155:31337',
    registry: 'eip155:31337:0x5FbDB2315678afecb367f032d93F642f64180aa3',
    transactionHash: HASH(5) as ReceiptValue['digest'],
    blockNumber: 12,
    blockTime: '2026-03-01T09:00:00Z',
    blockTimestamp: SECONDS,
    memberId: 1,
  },
} as ReceiptValue;

type StoredBatch = Parameters<typeof batchJson>[0];

describe('HTTP API: the answers against their schemas', function () {
  describe('every presenter’s output parses with its schema, which takes no field it does not name', function () {
    const anchored: StoredBatch = {
      id: 7, root: HASH(4), size: 2, state: 'final', sealedAt: MS, stateChangedAt: MS + 5000, txHash: HASH(5), txNonce: 3, blockNumber: 12,
      blockHash: HASH(6), anchoredAt: SECONDS, anchoredBy: 1, attempts: 1, lastError: null,
    };
    const sealed: StoredBatch = {
      ...anchored, state: 'sealed', txHash: null, txNonce: null, blockNumber: null, blockHash: null, anchoredAt: null, anchoredBy: null, attempts: 0,
    };
    const outputs: [string, z.ZodType, unknown][] = [
      ['batchJson, anchored', Batch, batchJson(anchored)],
      ['batchJson, sealed', Batch, batchJson({ ...sealed, lastError: 'nonce too low' })],
      ['anchorTransactionJson, pending', AnchorTransaction, anchorTransactionJson({ txHash: HASH(5), batchId: 7, nonce: 3, sentAt: MS, outcome: null })],
      ['anchorTransactionJson, mined', AnchorTransaction, anchorTransactionJson({ txHash: HASH(5), batchId: 7, nonce: 3, sentAt: MS, outcome: 'mined' })],
      [
        'clientJson, revoked',
        ApiClient,
        clientJson({ id: '0123456789abcdef', memberId: 1, role: 'editor', label: 'intake', createdAt: MS, createdBy: 'fedcba9876543210', revokedAt: MS }),
      ],
      ['clientJson, first', ApiClient, clientJson({ id: '0123456789abcdef', memberId: 1, role: 'admin', label: 'a', createdAt: MS, createdBy: null, revokedAt: null })],
      [
        'revocationRequestJson, pending',
        RevocationRequest,
        revocationRequestJson({
          id: 1, memberId: 1, digests: [HASH(1)], reason: 0, requestedBy: '0123456789abcdef', requestedAt: MS, state: 'pending', txHash: null, blockNumber: null, error: null,
        }),
      ],
      [
        'revocationRequestJson, mined',
        RevocationRequest,
        revocationRequestJson({
          id: 2, memberId: 1, digests: [HASH(1), HASH(2)], reason: 4, requestedBy: 'did:key:z6Mk#z6Mk', requestedAt: MS, state: 'mined', txHash: HASH(5), blockNumber: 12, error: null,
        }),
      ],
      [
        'memberJson',
        Member,
        memberJson({ id: 1, did: SCHOOL, controller: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', role: 1, status: 2, statusSince: SECONDS, metadataURI: 'https://example.org/1.json', metadataHash: ZeroHash }),
      ],
      ['keyJson, open-ended', Key, keyJson({ keyHash: HASH(8), memberId: 1, validFrom: SECONDS - 10, validUntil: 0, compromisedAt: 0, revoked: false }, SECONDS)],
      ['keyJson, compromised', Key, keyJson({ keyHash: HASH(8), memberId: 1, validFrom: SECONDS - 10, validUntil: SECONDS + 10, compromisedAt: SECONDS, revoked: true }, SECONDS)],
      ['endorsementJson, a member', Endorsement, endorsementJson({ endorser: 3, kind: 0, subject: HASH(1), claimURI: 'https://example.org/e', since: SECONDS, blockNumber: 9 })],
      ['endorsementJson, a badge class', Endorsement, endorsementJson({ endorser: 3, kind: 1, subject: HASH(9), claimURI: '', since: SECONDS, blockNumber: 9 })],
      ['endorsementJson, an unknown kind', Endorsement, endorsementJson({ endorser: 3, kind: 7, subject: HASH(9), claimURI: '', since: SECONDS, blockNumber: 9 })],
      ['statusJson, queued', CredentialStatus, statusJson({ digest: HASH(1), state: 'queued', receivedAt: MS })],
      [
        'statusJson, submitted',
        CredentialStatus,
        statusJson({
          digest: HASH(1), state: 'submitted', receivedAt: MS,
          batch: { id: 7, root: HASH(4), size: 2, leafIndex: 1, state: 'submitted', sealedAt: MS, txHash: HASH(5), blockNumber: null, lastError: null },
        }),
      ],
      [
        'statusJson, final',
        CredentialStatus,
        statusJson({
          digest: HASH(1), state: 'final', receivedAt: MS, receipt: RECEIPT,
          batch: { id: 7, root: HASH(4), size: 2, leafIndex: 1, state: 'final', sealedAt: MS, txHash: HASH(5), blockNumber: 12, lastError: null },
        }),
      ],
      ['receiptJson (the bare receipt, as text)', Receipt, JSON.parse(receiptJson(RECEIPT))],
      ['HttpError.body, with a field', ErrorAnswer, new HttpError(400, 'invalid-digest', 'the digest must be 0x and 64 hex digits', { field: 'digest' }).body()],
      ['HttpError.body, with facts beside', ErrorAnswer, forbidden('another issuer', { items: [{ index: 0 }] }).body()],
      ['toHttpError of an unknown error', ErrorAnswer, toHttpError(new Error('boom')).body()],
      [
        'HttpError.from a module’s error, with details and a hint',
        ErrorAnswer,
        HttpError.from(new NotaryError('CHAIN_DOWN', 'the chain is not reachable', { details: 'ECONNREFUSED', hint: 'start the node' }), 503).body(),
      ],
    ];
    for (const [name, schema, output] of outputs) {
      it(name, function () {
        const parsed = schema.safeParse(output);
        expect(parsed.success, parsed.error?.message).to.equal(true);
      });
    }

    it('a presenter that adds a field its schema does not name fails', function () {
      expect(Batch.safeParse({ ...batchJson(anchored), txNonce: 3 }).success).to.equal(false);
      expect(CredentialStatus.safeParse({ ...statusJson({ digest: HASH(1), state: 'queued', receivedAt: MS }), leafIndex: 0 }).success).to.equal(false);
      expect(Receipt.safeParse({ ...RECEIPT, anchor: { ...RECEIPT.anchor, anchoredAt: SECONDS } }).success).to.equal(false);
      // The error body is open to each code's own facts, but the ones it names are typed.
      expect(ErrorAnswer.safeParse({ error: { code: 'x', message: 'y', hint: ['start the node'] } }).success).to.equal(false);
    });
  });

  describe('every documented operation answers with a body its documented schema accepts', function () {
    let env: Env;
    afterEach(async () => env?.close());

    /** "METHOD /path/{param}" of each operation that answered, with the statuses it answered. */
    const answered = new Map<string, Set<string>>();

    /** The zod schema for a documented answer's JSON schema: a component, or a choice of components. */
    function zodOf(schema: Record<string, unknown>): z.ZodType {
      if (typeof schema.$ref === 'string') {
        const name = schema.$ref.replace('#/components/schemas/', '');
        const found = apiSchema(name);
        if (!found) throw new Error(`${schema.$ref} is not one of service/http/schemas`);
        return found;
      }
      const choices = (schema.oneOf ?? schema.anyOf) as Record<string, unknown>[] | undefined;
      if (choices) return z.union(choices.map(zodOf) as [z.ZodType, z.ZodType, ...z.ZodType[]]);
      throw new Error(`an answer's schema is written inline (${JSON.stringify(schema).slice(0, 80)}): generate it from service/http/schemas`);
    }

    /** Checks the answer against the document: its status documented, its body accepted by that status's schema. */
    function check(method: string, path: string, response: request.Response): request.Response {
      const operation = (
        openApiDocument.paths as Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>
        >
      )[path]?.[method];
      expect(operation, `${method} ${path} is documented`).to.not.equal(undefined);
      const status = String(response.status);
      const documented = operation.responses[status];
      expect(documented, `${method} ${path} answered ${status} (${JSON.stringify(response.body).slice(0, 200)}), which is not documented`).to.not.equal(undefined);
      const mediaType = String(response.headers['content-type']).split(';')[0];
      const content = documented.content?.[mediaType];
      expect(content, `${method} ${path} ${status}: ${mediaType} is documented`).to.not.equal(undefined);
      if (mediaType === 'application/json') {
        const parsed = zodOf(content!.schema).safeParse(response.body);
        expect(parsed.success, `${method} ${path} ${status}: ${parsed.error?.message}`).to.equal(true);
      }
      const key = `${method.toUpperCase()} ${path}`;
      answered.set(key, (answered.get(key) ?? new Set()).add(status));
      return response;
    }

    it('answers each operation with a documented status and a body its schema accepts', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const app = () => request(env.app);
      const school = bearer(env.keys.schoolAdmin);

      check('get', '/health', await app().get('/health'));
      check('get', '/ready', await app().get('/ready'));
      check('get', '/metrics', await app().get('/metrics'));
      check('get', '/openapi.json', await app().get('/openapi.json'));
      check('get', '/v1/whoami', await app().get('/v1/whoami').set(school));
      check('get', '/v1/whoami', await app().get('/v1/whoami'));

      // Intake: one credential, a bulk request, a refused one, another issuer's.
      const jwt = await issueJwt(env.chain.schoolKey, SCHOOL);
      const single = check('post', '/v1/credentials', await app().post('/v1/credentials').set(school).send({ credential: jwt }));
      expect(single.status).to.equal(202);
      const digest = single.body.digest as string;
      const linked = await issue(env.chain.schoolKey, SCHOOL, 'data-integrity');
      const bulk = check('post', '/v1/credentials', await app().post('/v1/credentials').set(school).send({ credentials: [linked, jwt] }));
      expect(bulk.status).to.equal(202);
      check('post', '/v1/credentials', await app().post('/v1/credentials').set(school).send({ credential: `${jwt.slice(0, -4)}AAAA` }));
      check('post', '/v1/credentials', await app().post('/v1/credentials').set(school).send({ credential: await issueJwt(env.chain.ngoKey, NGO) }));
      check('post', '/v1/credentials', await app().post('/v1/credentials').set(school).set('Content-Type', 'text/html').send('<p>'));

      check('get', '/v1/credentials/{digest}', await app().get(`/v1/credentials/${digest}`));
      check('get', '/v1/credentials/{digest}/receipt', await app().get(`/v1/credentials/${digest}/receipt`));
      check('get', '/v1/credentials/{digest}', await app().get('/v1/credentials/0x12'));
      check('get', '/v1/credentials/{digest}', await app().get(`/v1/credentials/${HASH(77)}`));
      await env.anchorAll();
      expect(check('get', '/v1/credentials/{digest}', await app().get(`/v1/credentials/${digest}`)).status).to.equal(200);
      const receipt = check('get', '/v1/credentials/{digest}/receipt', await app().get(`/v1/credentials/${digest}/receipt`));
      expect(receipt.status).to.equal(200);

      // Verification, before the revocation: a JWT, a baked SVG, the VC-API call and its refusals.
      expect(check('post', '/v1/verify', await app().post('/v1/verify').send({ credential: jwt })).body.verified).to.equal(true);
      const svg = bakeSvg({ image: demoBadgeSvg({ label: 'Schema check' }), credential: jwt, receipt: receipt.body });
      const baked = check('post', '/v1/verify', await app().post('/v1/verify').set('Content-Type', 'image/svg+xml').send(svg));
      expect(baked.body.baked).to.include({ kind: 'svg', version: 'ob3' });
      check('post', '/v1/verify', await app().post('/v1/verify').send({ credential: jwt, extra: 1 }));
      const oldBinding = await signCredential({
        credential: buildAchievementCredential(demoBadgeInput({ issuerDid: SCHOOL })),
        key: env.chain.schoolKey,
        format: 'vc-jwt',
        verificationMethod: env.chain.schoolKey.verificationMethod,
      });
      expect(check('post', '/v1/verify', await app().post('/v1/verify').send({ credential: oldBinding })).body.warnings).to.have.length(1);
      expect(check('post', '/credentials/verify', await app().post('/credentials/verify').send({ verifiableCredential: linked })).status).to.equal(200);
      check('post', '/credentials/verify', await app().post('/credentials/verify').send({ options: {} }));

      // Revocation, then the revocation status, the refused verification and the requests.
      check('get', '/v1/credentials/{digest}/revocation', await app().get(`/v1/credentials/${digest}/revocation`));
      const sent = check('post', '/v1/revocations', await app().post('/v1/revocations').set(school).send({ digest, reason: 4 }));
      expect(sent.status).to.equal(202);
      check('post', '/v1/revocations', await app().post('/v1/revocations').set(school).send({ digest, reason: 'bad' }));
      await env.index();
      const status = check('get', '/v1/credentials/{digest}/revocation', await app().get(`/v1/credentials/${digest}/revocation`));
      expect(status.body.revocations).to.have.length(1);
      const envelope = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${jwt}` };
      expect(check('post', '/credentials/verify', await app().post('/credentials/verify').send({ verifiableCredential: envelope })).status).to.equal(400);
      check('get', '/v1/revocations', await app().get('/v1/revocations').set(school));
      check('get', '/v1/revocations/{id}', await app().get(`/v1/revocations/${sent.body.revocation.id}`).set(school));
      check('get', '/v1/revocations/{id}', await app().get(`/v1/revocations/${sent.body.revocation.id}`).set(bearer(env.keys.ngoAdmin)));

      // The registry: batches and members.
      const batches = check('get', '/v1/batches', await app().get('/v1/batches'));
      check('get', '/v1/batches/{id}', await app().get(`/v1/batches/${batches.body.batches[0].id}`));
      check('get', '/v1/batches/{id}', await app().get('/v1/batches/999'));
      check('get', '/v1/members', await app().get('/v1/members'));
      check('get', '/v1/members', await app().get('/v1/members?status=gone'));
      check('get', '/v1/members/{id}', await app().get('/v1/members/1'));
      check('get', '/v1/stats', await app().get('/v1/stats'));
      check('get', '/v1/stats', await app().get('/v1/stats?from=2026-13'));
      const schoolKeyParameter = `key=${encodeURIComponent(env.chain.schoolKey.did)}`;
      check('get', '/v1/members/{id}/did.json', await app().get(`/v1/members/1/did.json?${schoolKeyParameter}`));
      check('get', '/v1/members/{id}/did.json', await app().get('/v1/members/1/did.json'));
      check('get', '/v1/members/by-did/{did}/did.json', await app().get(`/v1/members/by-did/${encodeURIComponent(SCHOOL)}/did.json?${schoolKeyParameter}`));
      check('get', '/v1/members/by-did/{did}/did.json', await app().get(`/v1/members/by-did/did%3Aweb%3Anobody/did.json?${schoolKeyParameter}`));

      // Status lists (docs/status-list.md).
      expect(check('get', '/v1/status-lists/{member}/{list}', await app().get('/v1/status-lists/1/main')).status).to.equal(200);
      check('get', '/v1/status-lists/{member}/{list}', await app().get('/v1/status-lists/1/bad%20name'));
      check('get', '/v1/status-lists/{member}/{list}', await app().get('/v1/status-lists/99/main'));

      // API clients.
      const created = check('post', '/v1/clients', await app().post('/v1/clients').set(school).send({ role: 'editor', label: 'schema check' }));
      expect(created.status).to.equal(201);
      check('get', '/v1/clients', await app().get('/v1/clients').set(school));
      check('get', '/v1/clients', await app().get('/v1/clients').set(bearer(env.keys.schoolEditor)));
      check('delete', '/v1/clients/{id}', await app().delete(`/v1/clients/${created.body.client.id}`).set(school));
      check('delete', '/v1/clients/{id}', await app().delete('/v1/clients/0123456789abcdef').set(school));

      // The badge-class catalogue: a document stored, published on-chain, adopted, listed and read.
      const pilot = JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'classes', 'pilot-soft-skills.json'), 'utf8'));
      const pilotId = badgeClassId(parseBadgeClass(pilot));
      const documentPath = `/v1/badge-classes/${pilotId}/document`;
      expect(check('put', '/v1/badge-classes/{id}/document', await app().put(documentPath).set(school).send(pilot)).status).to.equal(201);
      expect(check('put', '/v1/badge-classes/{id}/document', await app().put(documentPath).set(school).send(pilot)).status).to.equal(200);
      check('put', '/v1/badge-classes/{id}/document', await app().put(documentPath).set(school).send({ ...pilot, levels: [] }));
      check('put', '/v1/badge-classes/{id}/document', await app().put(`/v1/badge-classes/${HASH(3)}/document`).set(school).send(pilot));
      check('put', '/v1/badge-classes/{id}/document', await app().put(documentPath).send(pilot));
      await (await env.chain.catalogueAs(1).publish(pilotId, `https://notary.example${documentPath}`)).wait();
      await (await env.chain.catalogueAs(2).adopt(pilotId)).wait();
      await env.index();
      expect(check('get', '/v1/badge-classes', await app().get('/v1/badge-classes?q=collaborazione')).body.badgeClasses).to.have.length(1);
      check('get', '/v1/badge-classes', await app().get('/v1/badge-classes?framework=Nope'));
      check('get', '/v1/badge-classes/{id}', await app().get(`/v1/badge-classes/${pilotId}`));
      check('get', '/v1/badge-classes/{id}', await app().get(`/v1/badge-classes/${HASH(3)}`));
      check('get', '/v1/badge-classes/{id}', await app().get('/v1/badge-classes/0x12'));
      check('get', '/v1/badge-classes/{id}/document', await app().get(documentPath));
      check('get', '/v1/badge-classes/{id}/document', await app().get(`/v1/badge-classes/${HASH(3)}/document`));
      // Another query than the one above, which the stats cache may still hold.
      expect(check('get', '/v1/stats', await app().get('/v1/stats?batches=3')).body.adoptedBadgeClasses).to.have.length(1);

      // Every operation was asked, and answered its success at least once.
      const operations = Object.entries(openApiDocument.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
      for (const operation of operations) {
        expect([...(answered.get(operation) ?? [])].some((s) => s.startsWith('2')), `${operation} answered a 2xx`).to.equal(true);
      }
    });

    it('answers /ready with 503 and its documented body while the registry mirror is empty', async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { indexed: false });
      const response = check('get', '/ready', await request(env.app).get('/ready'));
      expect(response.status).to.equal(503);
      expect(response.body.checks.indexer.ok).to.equal(false);
    });
  });
});
