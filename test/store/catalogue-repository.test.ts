// The badge-class catalogue in the store (migration 012): the catalogue's events folded into records beside the
// registry mirror, in its transactions and rolled back with it; the class documents and their full-text search.
import { expect } from 'chai';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badgeClassId, canonicalBadgeClass, parseBadgeClass, type BadgeClassDocument, type BadgeClassId } from '../../service/catalogue';
import { Store, StoreError, type IndexedBlock, type RegistryEventRecord } from '../../service/store';

const REGISTRY = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const CATALOGUE = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512';
const OTHER_CATALOGUE = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0';
const word = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const block = (number: number): IndexedBlock => ({ number, hash: word(1_000 + number), parentHash: word(999 + number), time: 1_700_000_000 + number });

function event(blockNumber: number, logIndex: number, name: string, args: RegistryEventRecord['args']): RegistryEventRecord {
  const { hash: blockHash, time: blockTime } = block(blockNumber);
  return { blockNumber, logIndex, blockHash, txHash: word(5_000 + blockNumber * 10 + logIndex), blockTime, name, args };
}

const published = (at: number, classId: string, publisher: number, uri = `https://notary.example/v1/badge-classes/${classId}/document`) =>
  event(at, 0, 'BadgeClassPublished', { classId, publisher, uri });
const superseded = (at: number, classId: string, newClassId: string, publisher: number) =>
  event(at, 1, 'BadgeClassSuperseded', { classId, newClassId, publisher });
const adopted = (at: number, classId: string, memberId: number, logIndex = 0) => event(at, logIndex, 'BadgeClassAdopted', { classId, memberId });
const withdrawn = (at: number, classId: string, memberId: number) => event(at, 0, 'BadgeClassAdoptionWithdrawn', { classId, memberId });

const vector = (name: string): BadgeClassDocument => parseBadgeClass(JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'classes', `${name}.json`), 'utf8')));
const PILOT = vector('pilot-soft-skills');
const CERTIFICATION = vector('certification-technical');

describe('badge-class catalogue in the store', function () {
  let directory: string;
  let store: Store;
  let next: number;

  /** Applies the events as the next chunk (blocks after the cursor up to the last event's block). */
  function chunk(catalogueEvents: RegistryEventRecord[], toBlock = Math.max(next, ...catalogueEvents.map((e) => e.blockNumber))) {
    store.registry.applyChunk({ fromBlock: next, toBlock, events: [], catalogueEvents, blocks: [block(toBlock)], keepBlocks: 64 }, 1);
    next = toBlock + 1;
  }

  function keep(document: BadgeClassDocument, uploadedBy = 1) {
    return store.badgeClasses.putDocument({ classId: badgeClassId(document), canonical: canonicalBadgeClass(document), uploadedBy, uploadedAt: 5 }, document);
  }

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-catalogue-'));
    store = Store.open({ path: join(directory, 'notary.sqlite') });
    store.registry.initCursor({ registry: REGISTRY, startBlock: 10, catalogue: CATALOGUE }, 1);
    next = 10;
  });

  afterEach(function () {
    store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('records mirrored from the catalogue’s events', function () {
    it('a publication becomes a record: publisher, block time, URI, no versions, no adopters', function () {
      expect(store.badgeClasses.catalogueAddress()).to.equal(CATALOGUE);
      chunk([published(11, word(1), 2)]);
      expect(store.badgeClasses.badgeClass(word(1) as BadgeClassId)).to.deep.equal({
        classId: word(1), publisher: 2, publishedAt: block(11).time, uri: `https://notary.example/v1/badge-classes/${word(1)}/document`,
        supersedes: null, supersededBy: null, adopters: [],
      });
      expect(store.badgeClasses.badgeClass(word(2) as BadgeClassId)).to.equal(undefined);
    });

    it('a supersede links both versions, and the version chain reads the same from any version', function () {
      chunk([published(11, word(1), 1), published(12, word(2), 1), superseded(12, word(1), word(2), 1)]);
      chunk([published(13, word(3), 1), superseded(13, word(2), word(3), 1)]);
      const first = store.badgeClasses.badgeClass(word(1) as BadgeClassId)!;
      const second = store.badgeClasses.badgeClass(word(2) as BadgeClassId)!;
      expect(first).to.include({ supersedes: null, supersededBy: word(2) });
      expect(second).to.include({ supersedes: word(1), supersededBy: word(3) });
      for (const id of [1, 2, 3]) {
        expect(store.badgeClasses.versionChain(word(id) as BadgeClassId).map((record) => record.classId), `from version ${id}`).to.deep.equal([word(1), word(2), word(3)]);
      }
      expect(store.badgeClasses.versionChain(word(9) as BadgeClassId)).to.deep.equal([]);
    });

    it('adoptions are listed ascending; a withdrawn one is gone, and adopting again brings it back', function () {
      chunk([published(11, word(1), 1), adopted(12, word(1), 3), adopted(12, word(1), 2, 1)]);
      expect(store.badgeClasses.badgeClass(word(1) as BadgeClassId)!.adopters).to.deep.equal([2, 3]);
      chunk([withdrawn(13, word(1), 3)]);
      expect(store.badgeClasses.badgeClass(word(1) as BadgeClassId)!.adopters).to.deep.equal([2]);
      chunk([adopted(14, word(1), 3)]);
      expect(store.badgeClasses.badgeClass(word(1) as BadgeClassId)!.adopters).to.deep.equal([2, 3]);
      expect(store.badgeClasses.eventCount()).to.equal(5);
    });

    it('a rollback removes the catalogue’s events after the common ancestor and rebuilds the records from those left', function () {
      chunk([published(11, word(1), 1), adopted(12, word(1), 2)]);
      chunk([published(13, word(2), 1), superseded(13, word(1), word(2), 1), adopted(14, word(2), 3), withdrawn(15, word(1), 2)]);
      expect(store.badgeClasses.badgeClass(word(1) as BadgeClassId)).to.include({ supersededBy: word(2) });

      const removed = store.registry.rollbackTo(12, 2);

      expect(removed).to.equal(4);
      expect(store.badgeClasses.badgeClass(word(2) as BadgeClassId)).to.equal(undefined);
      expect(store.badgeClasses.badgeClass(word(1) as BadgeClassId)).to.deep.include({ supersededBy: null, adopters: [2] });
      expect(store.badgeClasses.eventCount()).to.equal(2);
      expect(store.registry.cursor()?.lastBlock).to.equal(12);
    });

    it('a chunk whose catalogue event cannot be applied leaves no trace of the chunk, registry side included', function () {
      const memberApplied = { ...event(11, 0, 'MemberApplied', { memberId: 1, did: 'did:web:a.example', controller: REGISTRY, role: 1, metadataURI: '', metadataHash: word(0) }) };
      expect(() =>
        store.registry.applyChunk(
          { fromBlock: 10, toBlock: 12, events: [memberApplied], catalogueEvents: [superseded(12, word(1), word(2), 1)], blocks: [block(12)], keepBlocks: 8 },
          2,
        ),
      ).to.throw(StoreError, 'does not both have');
      expect(store.registry.members()).to.deep.equal([]);
      expect(store.badgeClasses.eventCount()).to.equal(0);
      expect(store.registry.cursor()?.lastBlock).to.equal(9);
    });

    it('a mirror that follows no catalogue refuses catalogue events', function () {
      store.registry.initCursor({ registry: REGISTRY, startBlock: 10, catalogue: null }, 1);
      expect(store.badgeClasses.catalogueAddress()).to.equal(null);
      expect(() => chunk([published(11, word(1), 1)])).to.throw(StoreError, 'follows no catalogue');
    });

    it('a new catalogue address starts the mirror over from the deployment block; the documents stay', function () {
      chunk([published(11, word(1), 1)]);
      keep(PILOT);
      store.registry.initCursor({ registry: REGISTRY, startBlock: 10, catalogue: OTHER_CATALOGUE }, 3);
      expect(store.registry.cursor()).to.include({ lastBlock: 9, lastBlockHash: null });
      expect(store.badgeClasses.catalogueAddress()).to.equal(OTHER_CATALOGUE);
      expect(store.badgeClasses.badgeClass(word(1) as BadgeClassId)).to.equal(undefined);
      expect(store.badgeClasses.document(badgeClassId(PILOT))).to.deep.equal(PILOT);
      // The same address again changes nothing.
      next = 10;
      chunk([published(11, word(1), 1)]);
      store.registry.initCursor({ registry: REGISTRY, startBlock: 10, catalogue: OTHER_CATALOGUE }, 4);
      expect(store.badgeClasses.badgeClass(word(1) as BadgeClassId)).to.not.equal(undefined);
    });
  });

  describe('documents and search', function () {
    const pilotId = badgeClassId(PILOT);
    const certificationId = badgeClassId(CERTIFICATION);

    beforeEach(function () {
      expect(keep(PILOT)).to.equal('created');
      expect(keep(CERTIFICATION, 2)).to.equal('created');
    });

    it('keeps a document once: the same again is unchanged, and it reads back equal, canonical text included', function () {
      expect(keep(PILOT)).to.equal('unchanged');
      expect(store.badgeClasses.document(pilotId)).to.deep.equal(PILOT);
      const stored = { classId: pilotId, canonical: canonicalBadgeClass(PILOT), uploadedBy: 1, uploadedAt: 5 };
      expect(store.badgeClasses.storedDocument(pilotId)).to.deep.equal(stored);
      expect(store.badgeClasses.counts()).to.deep.equal({ published: 0, documents: 2 });
    });

    it('lists only published classes, newest first, with a document or without one', function () {
      expect(store.badgeClasses.search({ limit: 10, offset: 0 })).to.deep.equal([]);
      chunk([published(11, pilotId, 1), published(12, word(7), 2)]);
      const listed = store.badgeClasses.search({ limit: 10, offset: 0 });
      expect(listed.map((entry) => entry.record.classId)).to.deep.equal([word(7), pilotId]);
      expect(listed[0].document).to.equal(undefined);
      expect(listed[1].document).to.deep.equal(PILOT);
      expect(store.badgeClasses.search({ limit: 1, offset: 1 }).map((entry) => entry.record.classId)).to.deep.equal([pilotId]);
      expect(store.badgeClasses.search({ words: ['competenze'], limit: 10, offset: 0 }), 'the certification is not published').to.deep.equal([]);
    });

    describe('over two published classes', function () {
      beforeEach(function () {
        chunk([published(11, pilotId, 1), published(12, certificationId, 2), adopted(13, certificationId, 3)]);
      });
      const ids = (query: Parameters<Store['badgeClasses']['search']>[0]) => store.badgeClasses.search(query).map((entry) => entry.record.classId);
      const words = (...list: string[]) => ({ words: list, limit: 10, offset: 0 });

      it('finds Italian and English words, as prefixes, in name, description and criteria', function () {
        expect(ids(words('digitali'))).to.deep.equal([certificationId]);
        expect(ids(words('digital'))).to.deep.equal([certificationId]);
        expect(ids(words('esame'))).to.deep.equal([certificationId]);
        expect(ids(words('Unioncamere', 'exam'))).to.deep.equal([certificationId]);
        expect(ids(words('Unioncamere', 'descrittori'))).to.deep.equal([]);
      });

      it('finds alignment codes and names', function () {
        const pilotCode = PILOT.alignments[0].targetCode;
        expect(ids(words(pilotCode))).to.deep.equal([pilotId]);
        expect(ids(words('S5'))).to.deep.equal([certificationId]);
        expect(ids(words('computers'))).to.deep.equal([certificationId]);
      });

      it('filters by framework, by level name (any ASCII case) and by adopter, alone and with words', function () {
        expect(ids({ framework: 'ESCO', limit: 10, offset: 0 })).to.deep.equal([certificationId]);
        expect(ids({ framework: 'LifeComp', limit: 10, offset: 0 })).to.deep.equal([pilotId]);
        expect(ids({ level: 'platinum', limit: 10, offset: 0 })).to.deep.equal([certificationId]);
        expect(ids({ level: 'Copper', limit: 10, offset: 0 })).to.deep.equal([pilotId]);
        expect(ids({ level: 'Gold', limit: 10, offset: 0 })).to.deep.equal([certificationId, pilotId]);
        expect(ids({ adoptedBy: 3, limit: 10, offset: 0 })).to.deep.equal([certificationId]);
        expect(ids({ adoptedBy: 1, limit: 10, offset: 0 })).to.deep.equal([]);
        expect(ids({ words: ['exam'], level: 'Copper', limit: 10, offset: 0 })).to.deep.equal([]);
      });

      it('a word with FTS5 syntax in it is searched as text, not run as a query', function () {
        expect(ids(words('"digital" OR *'))).to.deep.equal([]);
        expect(ids(words('NEAR(digital'))).to.deep.equal([]);
      });

      it('adopted classes for the dashboard: those with adopters, with their documents and counts', function () {
        const adoptedClasses = store.badgeClasses.adoptedClasses();
        expect(adoptedClasses.map((entry) => [entry.record.classId, entry.adopterCount, entry.document?.name.en])).to.deep.equal([
          [certificationId, 1, CERTIFICATION.name.en],
        ]);
      });
    });
  });
});
