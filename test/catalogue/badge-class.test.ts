import { expect } from 'chai';
import { keccak256, toUtf8Bytes } from 'ethers';
import pilot from '../vectors/classes/pilot-soft-skills.json';
import certification from '../vectors/classes/certification-technical.json';
import {
  achievementIdOf,
  BadgeClassError,
  badgeClassId,
  canonicalBadgeClass,
  checkLevel,
  ClassMismatchError,
  classIdOfAchievement,
  levelForScore,
  parseBadgeClass,
  type BadgeClassDocument,
} from '../../service/catalogue';
import { softSkillLevel, technicalSkillLevel } from '../../service/credentials';

/** The example classes' ids, pinned: a change to the document format or to the canonical form changes them. */
const PILOT_ID = '0xe2467c7d5f1a8bfebded9c39d70a2753a2a36bac7d7f823bed5f0b82b650dde9';
const CERTIFICATION_ID = '0xc450a9c5d30f22bd1d39d97c3debb25a4a96515a6e3918d949f3e67b76c2d0e7';

function copy<T>(document: T): T {
  return JSON.parse(JSON.stringify(document)) as T;
}

function expectFieldError(document: unknown, field: string, reason: RegExp): void {
  let caught: unknown;
  try {
    parseBadgeClass(document);
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected an error naming ${field}`).to.be.instanceOf(BadgeClassError);
  const error = caught as BadgeClassError;
  expect(error.details.field).to.equal(field);
  expect(error.details.reason).to.match(reason);
  expect(error.message).to.contain(field);
}

describe('catalogue: the badge-class document', function () {
  describe('the example classes (test/vectors/classes)', function () {
    it('parse, and their ids are pinned', function () {
      expect(badgeClassId(parseBadgeClass(pilot))).to.equal(PILOT_ID);
      expect(badgeClassId(parseBadgeClass(certification))).to.equal(CERTIFICATION_ID);
    });

    it('id is keccak-256 of the JCS text, a bytes32, whatever the key order and spacing of the file', function () {
      const document = parseBadgeClass(pilot);
      expect(badgeClassId(document)).to.equal(keccak256(toUtf8Bytes(canonicalBadgeClass(document))));
      expect(badgeClassId(document)).to.match(/^0x[0-9a-f]{64}$/);
      const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(copy(pilot)).reverse()), null, 4)) as unknown;
      expect(badgeClassId(parseBadgeClass(reordered))).to.equal(PILOT_ID);
      expect(canonicalBadgeClass(document)).to.match(/^\{"alignments":\[\{"framework":"LifeComp"/);
    });

    it('the pilot class gives the levels service/credentials/levels.ts gives, 8 settled as Silver', function () {
      const document = parseBadgeClass(pilot);
      for (let observed = 0; observed <= 10; observed += 1) {
        const expected = observed < 4 ? undefined : softSkillLevel(observed).name;
        expect(levelForScore(document, observed)?.name, `${observed} descriptors`).to.equal(expected);
      }
      expect(levelForScore(document, 8)?.name).to.equal('Silver');
    });

    it('the certification class gives the levels levels.ts gives for every score 0-100', function () {
      const document = parseBadgeClass(certification);
      for (let score = 0; score <= 100; score += 1) {
        const expected = score < 70 ? undefined : technicalSkillLevel(score).name;
        expect(levelForScore(document, score)?.name, `score ${score}`).to.equal(expected);
      }
    });
  });

  describe('versions', function () {
    it('a new version names the one it supersedes, and its id differs', function () {
      const next = { ...copy(pilot), supersedes: PILOT_ID };
      const id = badgeClassId(parseBadgeClass(next));
      expect(id).to.not.equal(PILOT_ID);
      expect(parseBadgeClass(next).supersedes).to.equal(PILOT_ID);
    });

    it('refuses a supersedes that is not a class id', function () {
      expectFieldError({ ...copy(pilot), supersedes: '0x1234' }, 'supersedes', /64 lower-case hex/);
    });
  });

  describe('validation names the field', function () {
    it('overlapping bands', function () {
      const document = copy(pilot);
      document.score.bands[2].from = 8;
      expectFieldError(document, 'score.bands[2].from', /overlaps the band of Silver \(6-8\)/);
    });

    it('a gap between bands', function () {
      const document = copy(certification);
      document.score.bands[1].from = 82;
      expectFieldError(document, 'score.bands[1].from', /gap after Silver .* must be 81/);
    });

    it('a last band short of the maximum', function () {
      const document = copy(certification);
      document.score.bands[2].to = 99;
      expectFieldError(document, 'score.bands[2].to', /must be score.max \(100\)/);
    });

    it('a band for an unknown level', function () {
      const document = copy(pilot);
      document.score.bands[0].level = 'Bronze';
      expectFieldError(document, 'score.bands[0].level', /"Bronze" is not one of the class's levels/);
    });

    it('a band outside the score range, and one ending below its start', function () {
      const outside = copy(pilot);
      outside.score.bands[2].to = 11;
      expectFieldError(outside, 'score.bands[2]', /within score.min-score.max \(0-10\)/);
      const reversed = copy(pilot);
      reversed.score.bands[0].to = 3;
      expectFieldError(reversed, 'score.bands[0].to', /must not be below its from \(4\)/);
    });

    it('a missing language', function () {
      const document = copy(pilot);
      delete (document.description as Partial<typeof document.description>).en;
      expectFieldError(document, 'description.en', /is missing: every class is written in it and en/);
    });

    it('ranks out of order and names given twice', function () {
      const ranks = copy(pilot);
      ranks.levels[1].rank = 3;
      expectFieldError(ranks, 'levels[1].rank', /must be 2/);
      const twice = copy(pilot);
      twice.levels[2].name = 'Silver';
      expectFieldError(twice, 'levels[2].name', /"Silver" is named twice/);
    });

    it('an alignment to an unknown framework, an unknown field, a bad image', function () {
      const framework = copy(pilot);
      framework.alignments[0].framework = 'DigComp';
      expectFieldError(framework, 'alignments[0].framework', /LifeComp, ESCO, EQF/);
      expectFieldError({ ...copy(pilot), colour: 'red' }, 'colour', /not a badge-class field/);
      expectFieldError({ ...copy(pilot), image: 'http://plain.example/x.png' }, 'image', /https:\/\/ or ipfs:\/\//);
    });

    it('co-issuance required without a role, and evidence required without saying what', function () {
      expectFieldError({ ...copy(pilot), coIssuance: { required: true } }, 'coIssuance.role', /validation-point/);
      expectFieldError({ ...copy(pilot), evidence: { required: true } }, 'evidence.description', /say what evidence/);
    });

    it('a class without a score is valid, and has no bands to read', function () {
      const document: Partial<typeof certification> = copy(certification);
      delete document.score;
      const parsed = parseBadgeClass(document);
      expect(checkLevel(parsed, { level: 'Gold' }).rank).to.equal(2);
      expect(() => levelForScore(parsed, 85)).to.throw(ClassMismatchError, /the class has no score/);
    });
  });

  describe('a level and a score checked against the class', function () {
    const document = parseBadgeClass(certification) as BadgeClassDocument;

    it('accepts the level the bands assign', function () {
      expect(checkLevel(document, { level: 'Gold', score: 81 })).to.deep.equal({ name: 'Gold', rank: 2 });
    });

    it('names the level when it is not the one the score gives, or not in the scheme', function () {
      expect(() => checkLevel(document, { level: 'Platinum', score: 90 })).to.throw(ClassMismatchError, /level: "Platinum" does not match score 90, which the class's bands give "Gold"/);
      expect(() => checkLevel(document, { level: 'Copper' })).to.throw(ClassMismatchError, /level: "Copper" is not a level of the class \(Silver, Gold, Platinum\)/);
    });

    it('names the score when it earns no badge or is out of range', function () {
      expect(() => checkLevel(document, { level: 'Silver', score: 69 })).to.throw(ClassMismatchError, /score: 69 is below the class's first band/);
      expect(() => checkLevel(document, { level: 'Silver', score: 101 })).to.throw(ClassMismatchError, /score: 101 must be an integer from 0 to 100/);
    });
  });

  describe('the achievement id', function () {
    it('carries the class id and reads it back', function () {
      expect(achievementIdOf(PILOT_ID)).to.equal(`urn:badge-notary:class:${PILOT_ID}`);
      expect(classIdOfAchievement(achievementIdOf(PILOT_ID))).to.equal(PILOT_ID);
      expect(classIdOfAchievement('urn:uuid:1234')).to.equal(undefined);
    });
  });
});
