// The backpack's own modules, run in Node (plain ES modules without the DOM): how badges fall into collections and
// what a share link carries (collections.mjs), and what the backpack keeps in the browser's storage (store.mjs, given
// a storage object of its own here). collections.mjs imports the verifier page's badge.mjs as '../web/badge.mjs' (the
// service serves it there): here a copy of both folders sits in the same layout.
import { expect } from 'chai';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { BACKPACK_DIRECTORY, PAGE_DIRECTORY } from '../../service/web';

/* eslint-disable @typescript-eslint/no-explicit-any -- the modules are plain JavaScript */
const SCHOOL = 'did:web:school-a.example';
const STORAGE_KEY = 'badge-backpack/1';

/** A soft-skill badge of the competence 'S3 Collaboration', at the level the observed descriptors earn. */
function collaboration(observedDescriptors: number): any {
  return buildAchievementCredential(demoBadgeInput({ issuerDid: SCHOOL, observedDescriptors }));
}

function technical(competence: string): any {
  const input = demoBadgeInput({ issuerDid: SCHOOL });
  return buildAchievementCredential({ ...input, skill: { kind: 'technical', area: 'Mechatronics', competence, score: 93 } });
}

/** A localStorage of its own: what the store writes, readable by the test. */
class MemoryStorage {
  readonly entries = new Map<string, string>();
  getItem(key: string): string | null {
    return this.entries.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.entries.set(key, String(value));
  }
}

describe('web backpack modules', function () {
  let directory: string;
  let collections: any;
  let store: any;

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-backpack-modules-'));
    mkdirSync(join(directory, 'backpack'));
    mkdirSync(join(directory, 'web'));
    for (const name of readdirSync(BACKPACK_DIRECTORY).filter((file) => file.endsWith('.mjs'))) cpSync(join(BACKPACK_DIRECTORY, name), join(directory, 'backpack', name));
    for (const name of readdirSync(PAGE_DIRECTORY).filter((file) => file.endsWith('.mjs'))) cpSync(join(PAGE_DIRECTORY, name), join(directory, 'web', name));
    [collections, store] = await Promise.all(['collections.mjs', 'store.mjs'].map((name) => import(join(directory, 'backpack', name))));
  });

  after(() => rmSync(directory, { recursive: true, force: true }));

  /** A badge as the backpack keeps it (the shape backpack.mjs builds from a verification). */
  function kept(id: string, document: any, extra: Record<string, unknown> = {}): any {
    return { id, credential: document, collection: collections.collectionOf(document, 'data-integrity'), summary: {}, ...extra };
  }

  describe('collections', function () {
    it('puts the levels of one competence in one collection named after it, and another competence in another', function () {
      const copper = collections.collectionOf(collaboration(5), 'data-integrity');
      const gold = collections.collectionOf(collaboration(10), 'data-integrity');
      expect(copper).to.deep.equal({ key: 'competence:S3 Collaboration', name: 'S3 Collaboration' });
      expect(gold).to.deep.equal(copper);
      expect(collections.collectionOf(technical('C1 Wiring'), 'vc-jwt')).to.deep.equal({ key: 'competence:C1 Wiring', name: 'C1 Wiring' });
    });

    it('falls back to the achievement’s id, then to the badge’s name, when there is no competence', function () {
      const byId = { '@context': [], credentialSubject: { achievement: { id: 'urn:example:first-aid', name: 'First aid' } } };
      expect(collections.collectionOf(byId, 'data-integrity')).to.deep.equal({ key: 'achievement:urn:example:first-aid', name: 'First aid' });
      const byName = { '@context': [], credentialSubject: [{ achievement: { name: 'First aid' } }] };
      expect(collections.collectionOf(byName, 'data-integrity')).to.deep.equal({ key: 'name:First aid', name: 'First aid' });
    });

    it('groups badges by collection in the order each collection first came, under the name the earner gave it', function () {
      const badges = [kept('a', collaboration(5)), kept('b', technical('C1 Wiring')), kept('c', collaboration(9))];
      const plain = collections.groupBadges(badges);
      expect(plain.map((group: any) => [group.key, group.name, group.badges.map((badge: any) => badge.id)])).to.deep.equal([
        ['competence:S3 Collaboration', 'S3 Collaboration', ['a', 'c']],
        ['competence:C1 Wiring', 'C1 Wiring', ['b']],
      ]);
      const named = collections.groupBadges(badges, { 'competence:C1 Wiring': 'My wiring path', 'competence:other': 'unused' });
      expect(named.map((group: any) => group.name)).to.deep.equal(['S3 Collaboration', 'My wiring path']);
    });

    it('tells a verified badge from a revoked one and from one that failed otherwise', function () {
      expect(collections.statusOf({ verified: true, steps: [] })).to.equal('verified');
      expect(collections.statusOf({ verified: false, steps: [{ name: 'revocation', status: 'failed' }] })).to.equal('revoked');
      expect(collections.statusOf({ verified: false, steps: [{ name: 'signature', status: 'failed' }, { name: 'revocation', status: 'passed' }] })).to.equal('failed');
      expect(collections.statusOf(undefined)).to.equal('failed');
    });

    it('keeps what a card shows of a badge beside it', function () {
      const document = collaboration(7);
      const summary = collections.summaryOf({ credential: { document, format: 'data-integrity' } });
      expect(summary).to.include({ name: 'Lavoro di gruppo / Teamwork', issuer: 'Scuola Demo', level: 'Silver', competence: 'S3 Collaboration' });
      expect(summary.issued).to.equal(document.validFrom);
      expect(collections.summaryOf(undefined)).to.include({ name: '', issuer: '' });
    });

    it('shares only the shown badges, by collection, with their receipts, and reads the link back as it was', function () {
      const receipt = { merkleRoot: `0x${'11'.repeat(32)}`, proof: [] };
      const badges = [
        kept('a', collaboration(5), { shown: true, receipt }),
        kept('b', technical('C1 Wiring'), { shown: false }),
        kept('c', collaboration(9), { shown: true }),
      ];
      const bundle = collections.bundleOf(badges, { 'competence:S3 Collaboration': 'Teamwork path' });
      expect(bundle.v).to.equal(collections.BUNDLE_VERSION);
      expect(bundle.g).to.deep.equal([{ n: 'Teamwork path', b: [{ c: badges[0].credential, r: receipt }, { c: badges[2].credential }] }]);
      const read = collections.readBundle(JSON.parse(JSON.stringify(bundle)));
      expect(read).to.deep.equal([{ name: 'Teamwork path', badges: [{ credential: badges[0].credential, receipt }, { credential: badges[2].credential }] }]);
    });

    it('refuses a share link of no badge or of more than the most one link carries, and a malformed one', function () {
      const hidden = [kept('a', collaboration(5), { shown: false })];
      expect(() => collections.bundleOf(hidden)).to.throw(collections.BundleError, 'no badge is chosen');
      const many = Array.from({ length: collections.MAX_SHARED_BADGES + 1 }, (_, index) => kept(String(index), { name: 'x' }, { shown: true }));
      expect(() => collections.bundleOf(many)).to.throw(collections.BundleError, `more than ${collections.MAX_SHARED_BADGES} badges`);
      expect(collections.bundleOf(many.slice(1)).g[0].b).to.have.length(collections.MAX_SHARED_BADGES);
      for (const [value, reason] of [
        [null, 'does not hold a backpack'],
        [{ v: 2, g: [] }, 'does not hold a backpack'],
        [{ v: 1, g: [{ n: 3, b: [] }] }, 'a collection in the link is malformed'],
        [{ v: 1, g: [{ n: 'x', b: [{ c: 7 }] }] }, 'a badge in the link is malformed'],
        [{ v: 1, g: [{ n: 'x', b: [] }] }, 'the link holds no badge'],
        [{ v: 1, g: [{ n: 'x', b: Array.from({ length: 51 }, () => ({ c: 'jwt' })) }] }, 'more than 50 badges'],
      ] as [unknown, string][]) {
        expect(() => collections.readBundle(value), reason).to.throw(collections.BundleError, reason);
      }
    });
  });

  describe('store', function () {
    it('adds a badge shown, and an import of the same badge again replaces it, keeping whether it was shown', function () {
      const first = kept('a', collaboration(5));
      let backpack = store.addBadge(store.emptyBackpack(), first);
      backpack = store.addBadge(backpack, kept('b', technical('C1 Wiring')));
      expect(backpack.badges.map((badge: any) => [badge.id, badge.shown])).to.deep.equal([['a', true], ['b', true]]);
      backpack = store.setShown(backpack, 'a', false);
      const again = store.addBadge(backpack, { ...first, receipt: { merkleRoot: '0x22' } });
      expect(again.badges.map((badge: any) => [badge.id, badge.shown])).to.deep.equal([['a', false], ['b', true]]);
      expect(again.badges[0].receipt).to.deep.equal({ merkleRoot: '0x22' });
      expect(backpack.badges[0].receipt, 'the backpack before is left as it was').to.equal(undefined);
    });

    it('removes a badge, shows and hides one, and names a collection (trimmed; an empty name gives the default back)', function () {
      let backpack = store.addBadge(store.addBadge(store.emptyBackpack(), kept('a', collaboration(5))), kept('b', collaboration(9)));
      backpack = store.removeBadge(backpack, 'a');
      expect(backpack.badges.map((badge: any) => badge.id)).to.deep.equal(['b']);
      expect(store.setShown(backpack, 'b', false).badges[0].shown).to.equal(false);
      const named = store.nameCollection(backpack, 'competence:S3 Collaboration', '  Teamwork path ');
      expect(named.names).to.deep.equal({ 'competence:S3 Collaboration': 'Teamwork path' });
      expect(collections.groupBadges(named.badges, named.names)[0].name).to.equal('Teamwork path');
      const reset = store.nameCollection(named, 'competence:S3 Collaboration', '   ');
      expect(reset.names).to.deep.equal({});
      expect(collections.groupBadges(reset.badges, reset.names)[0].name).to.equal('S3 Collaboration');
    });

    it('keeps the backpack under its one key and reads back what it kept', function () {
      const storage = new MemoryStorage();
      expect(store.loadBackpack(storage)).to.deep.equal({ badges: [], names: {} });
      let backpack = store.addBadge(store.emptyBackpack(), kept('a', collaboration(5), { receipt: { merkleRoot: '0x33' } }));
      backpack = store.nameCollection(backpack, 'competence:S3 Collaboration', 'Teamwork path');
      store.saveBackpack(backpack, storage);
      expect([...storage.entries.keys()]).to.deep.equal([STORAGE_KEY]);
      expect(JSON.parse(storage.getItem(STORAGE_KEY) ?? '')).to.deep.equal(backpack);
      expect(store.loadBackpack(storage)).to.deep.equal(backpack);
    });

    it('starts an empty backpack from a damaged or foreign entry instead of throwing', function () {
      for (const damaged of ['{not json', '42', 'null', JSON.stringify({ badges: 'x', names: {} }), JSON.stringify({ badges: [], names: null })]) {
        const storage = new MemoryStorage();
        storage.setItem(STORAGE_KEY, damaged);
        expect(store.loadBackpack(storage), damaged).to.deep.equal({ badges: [], names: {} });
      }
    });
  });
});
