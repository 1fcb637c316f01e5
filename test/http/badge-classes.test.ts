// The badge-class catalogue's HTTP API (docs/catalogue.md) on Hardhat's chain with the real indexer: documents
// uploaded and served canonical, classes published, superseded, adopted and endorsed on-chain, then listed,
// searched and read; every refusal names its field or parameter.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { keccak256, toUtf8Bytes } from 'ethers';
import request from 'supertest';
import { badgeClassId, canonicalBadgeClass, parseBadgeClass, type BadgeClassDocument, type BadgeClassId } from '../../service/catalogue';
import { EndorsementKind } from '../../service/registry';
import { bearer, CHAMBER, deployNetwork, makeEnv, NGO, SCHOOL, type Env } from './helpers';

const vector = (name: string): BadgeClassDocument => JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'classes', `${name}.json`), 'utf8'));
const PILOT = vector('pilot-soft-skills');
const CERTIFICATION = vector('certification-technical');
const PILOT_ID = badgeClassId(parseBadgeClass(PILOT));
const CERTIFICATION_ID = badgeClassId(parseBadgeClass(CERTIFICATION));
/** The certification's second version: Platinum from 92, superseding the first. */
const CERTIFICATION_V2: BadgeClassDocument = {
  ...CERTIFICATION,
  score: { ...CERTIFICATION.score!, bands: [{ level: 'Silver', from: 70, to: 80 }, { level: 'Gold', from: 81, to: 91 }, { level: 'Platinum', from: 92, to: 100 }] },
  supersedes: CERTIFICATION_ID,
};
const CERTIFICATION_V2_ID = badgeClassId(parseBadgeClass(CERTIFICATION_V2));
const documentPath = (id: string) => `/v1/badge-classes/${id}/document`;

describe('HTTP API: the badge-class catalogue', function () {
  let env: Env;
  afterEach(async () => env?.close());

  const app = () => request(env.app);
  const school = () => bearer(env.keys.schoolEditor);
  const upload = (id: string, document: unknown) => app().put(documentPath(id)).set(school()).send(document as object);

  describe('class documents', function () {
    beforeEach(async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
    });

    it('stores a document under its id (201, then 200 for the same) and serves it canonical: keccak-256 of the body is the id', async function () {
      const created = await upload(PILOT_ID, PILOT).expect(201);
      expect(created.headers.location).to.equal(documentPath(PILOT_ID));
      expect(created.body).to.deep.equal({ classId: PILOT_ID, stored: 'created', document: documentPath(PILOT_ID), published: false });
      expect((await upload(PILOT_ID.toUpperCase().replace('0X', '0x'), PILOT).expect(200)).body.stored).to.equal('unchanged');

      const served = await app().get(documentPath(PILOT_ID)).buffer(true).parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      });
      expect(served.status).to.equal(200);
      expect(served.headers['content-type']).to.match(/^application\/json/);
      expect(served.headers['cache-control']).to.include('immutable');
      expect(served.body).to.equal(canonicalBadgeClass(parseBadgeClass(PILOT)));
      expect(keccak256(toUtf8Bytes(served.body as string))).to.equal(PILOT_ID);
      expect(env.store.badgeClasses.storedDocument(PILOT_ID)).to.include({ uploadedBy: 1 });
    });

    it('refuses an invalid document or one of another id with 422 naming the field, and keeps nothing', async function () {
      const invalid = await upload(PILOT_ID, { ...PILOT, levels: [{ name: 'Copper', rank: 2 }] }).expect(422);
      expect(invalid.body.error).to.include({ code: 'invalid-badge-class', field: 'levels[0].rank' });
      expect(invalid.body.error.reason).to.be.a('string').and.not.equal('');
      const extra = await upload(PILOT_ID, { ...PILOT, colour: 'blue' }).expect(422);
      expect(extra.body.error).to.include({ field: 'colour' });
      const mismatch = await upload(CERTIFICATION_ID, PILOT).expect(422);
      expect(mismatch.body.error).to.include({ code: 'badge-class-id-mismatch', field: 'id', expected: PILOT_ID });
      expect(env.store.badgeClasses.storedDocument(PILOT_ID)).to.equal(undefined);
      expect(env.store.badgeClasses.storedDocument(CERTIFICATION_ID)).to.equal(undefined);
    });

    it('refuses a bad id (400), a request without a key (401), a body that is not JSON (415); 404 for a document not held', async function () {
      expect((await upload('0x1234', PILOT).expect(400)).body.error).to.include({ field: 'id', code: 'invalid-class-id' });
      await app().put(documentPath(PILOT_ID)).send(PILOT).expect(401);
      await app().put(documentPath(PILOT_ID)).set(school()).set('Content-Type', 'text/plain').send('{}').expect(415);
      expect((await app().get(documentPath(PILOT_ID)).expect(404)).body.error.code).to.equal('not-found');
      expect((await app().get(`/v1/badge-classes/${PILOT_ID}`).expect(404)).body.error.code).to.equal('not-found');
    });

    it('a document held but not published: GET answers it with no record, and the listing leaves it out', async function () {
      await upload(PILOT_ID, PILOT).expect(201);
      const detail = (await app().get(`/v1/badge-classes/${PILOT_ID}`).expect(200)).body;
      expect(detail).to.deep.include({ classId: PILOT_ID, published: false, record: null, versions: [], endorsements: [] });
      expect(detail.documentUrl).to.equal(documentPath(PILOT_ID));
      expect(detail.document).to.deep.equal(PILOT);
      expect((await app().get('/v1/badge-classes').expect(200)).body.badgeClasses).to.deep.equal([]);
    });
  });

  describe('on a catalogue with classes published, superseded, adopted and endorsed', function () {
    async function network() {
      env = await makeEnv(await loadFixture(deployNetwork));
      for (const [id, document] of [[PILOT_ID, PILOT], [CERTIFICATION_ID, CERTIFICATION], [CERTIFICATION_V2_ID, CERTIFICATION_V2]] as const) {
        await upload(id, document).expect(201);
      }
      const catalogue = env.chain.catalogueAs;
      await (await catalogue(1).publish(PILOT_ID, `https://school-a.example${documentPath(PILOT_ID)}`)).wait();
      await (await catalogue(2).publish(CERTIFICATION_ID, 'ipfs://certification-v1')).wait();
      await (await catalogue(2).supersede(CERTIFICATION_ID, CERTIFICATION_V2_ID, 'ipfs://certification-v2')).wait();
      await (await catalogue(2).adopt(PILOT_ID)).wait();
      await (await catalogue(3).adopt(PILOT_ID)).wait();
      await (await catalogue(3).adopt(CERTIFICATION_V2_ID)).wait();
      await (await env.chain.as(3).endorse(3, EndorsementKind.BadgeClass, PILOT_ID, 'https://chamber-c.example/endorsements/pilot')).wait();
      await env.index();
    }
    const search = async (query: string) => (await app().get(`/v1/badge-classes${query}`).expect(200)).body;
    const ids = async (query: string) => (await search(query)).badgeClasses.map((item: { classId: string }) => item.classId);

    it('lists the published classes newest first: record, publisher and adopters with their DIDs, name, levels, alignments', async function () {
      await network();
      const page = await search('');
      expect(page.catalogue).to.deep.equal({ address: env.chain.catalogueAddress, asOfBlock: env.store.registry.indexedHead() });
      expect(page.badgeClasses.map((item: { classId: string }) => item.classId)).to.deep.equal([CERTIFICATION_V2_ID, CERTIFICATION_ID, PILOT_ID]);
      const pilot = page.badgeClasses[2];
      expect(pilot).to.deep.include({
        classId: PILOT_ID,
        publisher: { memberId: 1, did: SCHOOL },
        uri: `https://school-a.example${documentPath(PILOT_ID)}`,
        supersedes: null,
        supersededBy: null,
        current: true,
        adopters: [{ memberId: 2, did: NGO }, { memberId: 3, did: CHAMBER }],
        document: documentPath(PILOT_ID),
        name: PILOT.name,
        levels: PILOT.levels,
        alignments: PILOT.alignments,
      });
      expect(page.badgeClasses[1]).to.deep.include({ supersededBy: CERTIFICATION_V2_ID, current: false, adopters: [] });
      expect(page.badgeClasses[0]).to.deep.include({ supersedes: CERTIFICATION_ID, current: true, adopters: [{ memberId: 3, did: CHAMBER }] });
    });

    it('searches Italian and English words, alignment codes, and filters by framework, level and adopter', async function () {
      await network();
      expect(await ids('?q=collaborazione'), 'Italian').to.deep.equal([PILOT_ID]);
      expect(await ids('?q=volunteering'), 'English').to.deep.equal([PILOT_ID]);
      expect(await ids('?q=esame%20Unioncamere'), 'two Italian words, both versions').to.have.members([CERTIFICATION_ID, CERTIFICATION_V2_ID]);
      expect(await ids('?q=S3'), 'a LifeComp code').to.deep.equal([PILOT_ID]);
      expect(await ids('?q=S5&framework=ESCO'), 'an ESCO code').to.have.members([CERTIFICATION_ID, CERTIFICATION_V2_ID]);
      expect(await ids('?framework=LifeComp')).to.deep.equal([PILOT_ID]);
      expect(await ids('?framework=EQF')).to.deep.equal([CERTIFICATION_V2_ID, CERTIFICATION_ID, PILOT_ID]);
      expect(await ids('?level=Platinum')).to.deep.equal([CERTIFICATION_V2_ID, CERTIFICATION_ID]);
      expect(await ids('?level=copper')).to.deep.equal([PILOT_ID]);
      expect(await ids('?adoptedBy=3')).to.deep.equal([CERTIFICATION_V2_ID, PILOT_ID]);
      expect(await ids(`?adoptedBy=${encodeURIComponent(NGO)}`)).to.deep.equal([PILOT_ID]);
      expect(await ids('?adoptedBy=did%3Aweb%3Anobody.example')).to.deep.equal([]);
      expect(await ids('?q=collaborazione&adoptedBy=1')).to.deep.equal([]);
      expect(await ids('?q=nothing-like-this')).to.deep.equal([]);
    });

    it('pages with limit and the opaque cursor of `next`, each class once', async function () {
      await network();
      const first = await search('?limit=2');
      expect(first.badgeClasses).to.have.length(2);
      expect(first.next).to.be.a('string');
      const second = await search(`?limit=2&cursor=${first.next}`);
      expect(second.badgeClasses).to.have.length(1);
      expect(second.next).to.equal(null);
      const all = [...first.badgeClasses, ...second.badgeClasses].map((item: { classId: string }) => item.classId);
      expect(all).to.deep.equal([CERTIFICATION_V2_ID, CERTIFICATION_ID, PILOT_ID]);
    });

    it('one class: record, document, version chain from any version, adopters and the registry’s endorsements', async function () {
      await network();
      const pilot = (await app().get(`/v1/badge-classes/${PILOT_ID}`).expect(200)).body;
      expect(pilot.published).to.equal(true);
      expect(pilot.record).to.deep.include({ classId: PILOT_ID, publisher: { memberId: 1, did: SCHOOL } });
      expect(pilot.document).to.deep.equal(PILOT);
      expect(pilot.endorsements).to.have.length(1);
      expect(pilot.endorsements[0]).to.deep.include({ endorser: { memberId: 3, did: CHAMBER }, claimURI: 'https://chamber-c.example/endorsements/pilot' });
      for (const id of [CERTIFICATION_ID, CERTIFICATION_V2_ID]) {
        const detail = (await app().get(`/v1/badge-classes/${id}`).expect(200)).body;
        expect(detail.versions.map((v: { classId: string; current: boolean }) => [v.classId, v.current]), `from ${id}`).to.deep.equal([
          [CERTIFICATION_ID, false],
          [CERTIFICATION_V2_ID, true],
        ]);
      }
      const unknown = `0x${'cd'.repeat(32)}` as BadgeClassId;
      expect((await app().get(`/v1/badge-classes/${unknown}`).expect(404)).body.error.message).to.include(unknown);
    });
  });

  describe('bad parameters', function () {
    before(async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
    });
    const cases: [string, string][] = [
      ['?q=%20-%20', 'q'],
      [`?q=${'a'.repeat(201)}`, 'q'],
      ['?q=a%20b%20c%20d%20e%20f%20g%20h%20i', 'q'],
      ['?q=a&q=b', 'q'],
      ['?framework=esco', 'framework'],
      ['?level=', 'level'],
      [`?level=${'x'.repeat(101)}`, 'level'],
      ['?adoptedBy=school', 'adoptedBy'],
      ['?adoptedBy=0', 'adoptedBy'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      [`?cursor=${Buffer.from('x5').toString('base64url')}`, 'cursor'],
    ];
    for (const [query, field] of cases) {
      it(`GET /v1/badge-classes${query.slice(0, 40)} is 400 naming ${field}`, async function () {
        const answer = await request(env.app).get(`/v1/badge-classes${query}`).expect(400);
        expect(answer.body.error.field).to.equal(field);
      });
    }
    it('GET /v1/badge-classes/{id} with a malformed id is 400 naming id', async function () {
      expect((await request(env.app).get('/v1/badge-classes/0xnope').expect(400)).body.error.field).to.equal('id');
      expect((await request(env.app).get('/v1/badge-classes/0xnope/document').expect(400)).body.error.field).to.equal('id');
    });
    after(async () => env?.close());
  });

  describe('a deployment without a catalogue', function () {
    it('lists no class and says why, and a published class stays unknown', async function () {
      env = await makeEnv(await loadFixture(deployNetwork), { catalogue: false });
      await (await env.chain.catalogueAs(1).publish(PILOT_ID, 'ipfs://pilot')).wait();
      await env.index();
      const page = (await request(env.app).get('/v1/badge-classes').expect(200)).body;
      expect(page.catalogue.address).to.equal(null);
      expect(page.catalogue.notice).to.include('no badge-class catalogue');
      expect(page.badgeClasses).to.deep.equal([]);
      expect((await request(env.app).get(`/v1/badge-classes/${PILOT_ID}`).expect(404)).body.error.message).to.include('names no catalogue');
    });
  });
});
