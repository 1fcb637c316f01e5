import { expect } from 'chai';
import { InvalidScoreError, levelFor, NoBadgeError, softSkillLevel, technicalSkillLevel } from '../../service/credentials';
import { expectThrow } from './fixtures';

/** The seed's tables, written out value by value (8 settled as Silver, see levels.ts). */
const SOFT_EXPECTED: (string | null)[] = [null, null, null, null, 'Copper', 'Copper', 'Silver', 'Silver', 'Silver', 'Gold', 'Gold'];

function technicalExpected(score: number): string | null {
  if (score < 70) return null;
  if (score <= 80) return 'Silver';
  if (score <= 90) return 'Gold';
  return 'Platinum';
}

describe('credentials: badge levels', function () {
  describe('soft skills: descriptors observed out of 10', function () {
    const boundaries: [number, string | null, number | null][] = [
      [0, null, null],
      [3, null, null],
      [4, 'Copper', 1],
      [5, 'Copper', 1],
      [6, 'Silver', 2],
      [8, 'Silver', 2],
      [9, 'Gold', 3],
      [10, 'Gold', 3],
    ];
    for (const [observed, name, level] of boundaries) {
      it(`${observed} of 10: ${name ?? 'no badge'}`, function () {
        if (name === null) {
          const error = expectThrow(() => softSkillLevel(observed), NoBadgeError);
          expect(error.shortMessage).to.contain('starts at 4');
          return;
        }
        expect(softSkillLevel(observed)).to.include({ name, level, scale: 'soft', value: observed });
      });
    }

    it('8 is Silver, not Gold: the boundary both seed ranges claim stays with the lower level', function () {
      expect(softSkillLevel(8).name).to.equal('Silver');
      expect(softSkillLevel(8).band).to.deep.equal([6, 8]);
      expect(softSkillLevel(9).band).to.deep.equal([9, 10]);
    });

    it('every count from 0 to 10 gives the seed table', function () {
      SOFT_EXPECTED.forEach((expected, observed) => {
        if (expected === null) expectThrow(() => softSkillLevel(observed), NoBadgeError);
        else expect(softSkillLevel(observed).name).to.equal(expected);
      });
    });

    for (const bad of [-1, 11, 4.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      it(`${bad}: InvalidScoreError`, function () {
        const error = expectThrow(() => softSkillLevel(bad), InvalidScoreError);
        expect(error.shortMessage).to.contain('integer from 0 to 10');
      });
    }

    it('a number given as text: InvalidScoreError', function () {
      expectThrow(() => softSkillLevel('6' as unknown as number), InvalidScoreError);
    });
  });

  describe('technical skills: exam score out of 100', function () {
    const boundaries: [number, string | null, number | null][] = [
      [0, null, null],
      [69, null, null],
      [70, 'Silver', 1],
      [80, 'Silver', 1],
      [81, 'Gold', 2],
      [90, 'Gold', 2],
      [91, 'Platinum', 3],
      [100, 'Platinum', 3],
    ];
    for (const [score, name, level] of boundaries) {
      it(`${score}: ${name ?? 'not certified'}`, function () {
        if (name === null) {
          expectThrow(() => technicalSkillLevel(score), NoBadgeError);
          return;
        }
        expect(technicalSkillLevel(score)).to.include({ name, level, scale: 'technical' });
      });
    }

    it('every score from 0 to 100 gives the seed table', function () {
      for (let score = 0; score <= 100; score++) {
        const expected = technicalExpected(score);
        if (expected === null) expectThrow(() => technicalSkillLevel(score), NoBadgeError);
        else expect(technicalSkillLevel(score).name, String(score)).to.equal(expected);
      }
    });

    for (const bad of [-1, 101, 70.5, 1e9]) {
      it(`${bad}: InvalidScoreError`, function () {
        const error = expectThrow(() => technicalSkillLevel(bad), InvalidScoreError);
        expect(error.shortMessage).to.contain('integer from 0 to 100');
      });
    }
  });

  it('levelFor refuses an unknown scale', function () {
    expectThrow(() => levelFor({ scale: 'musical' as never, value: 5 }), InvalidScoreError);
  });
});
