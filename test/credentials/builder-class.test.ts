import { expect } from 'chai';
import pilot from '../vectors/classes/pilot-soft-skills.json';
import certification from '../vectors/classes/certification-technical.json';
import { achievementIdOf, badgeClassId, ClassMismatchError, parseBadgeClass } from '../../service/catalogue';
import { buildAchievementCredentialForClass } from '../../service/credentials/builder';
import { badgeInput } from './fixtures';

const pilotClass = parseBadgeClass(pilot);
const certificationClass = parseBadgeClass(certification);

function mismatch(run: () => unknown, field: string, reason: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).to.be.instanceOf(ClassMismatchError);
  expect((caught as ClassMismatchError).details.field).to.equal(field);
  expect((caught as ClassMismatchError).details.reason).to.match(reason);
}

describe('credentials: issuing against a badge class', function () {
  it("puts the class id in the Achievement's id and keeps the level the class's bands give", function () {
    type Built = { credentialSubject: { achievement: { id: string }; result: { achievedLevel?: string }[] } };
    const credential = buildAchievementCredentialForClass(badgeInput(), pilotClass) as Built;
    expect(credential.credentialSubject.achievement.id).to.equal(achievementIdOf(badgeClassId(pilotClass)));
    expect(credential.credentialSubject.result[0]?.achievedLevel).to.match(/#level-silver$/);
  });

  it('refuses another achievement id, naming achievementId', function () {
    mismatch(() => buildAchievementCredentialForClass(badgeInput({ achievementId: 'urn:uuid:1' }), pilotClass), 'achievementId', /urn:badge-notary:class:0x/);
  });

  it('refuses a score the class gives no badge (a soft-skill count against the exam class), naming score', function () {
    mismatch(() => buildAchievementCredentialForClass(badgeInput(), certificationClass), 'score', /8 is below the class's first band/);
  });

  it('refuses a level not in the scheme, naming level', function () {
    const input = badgeInput({ skill: { kind: 'technical', area: 'Digital', competence: 'Spreadsheets', score: 95 } });
    mismatch(() => buildAchievementCredentialForClass(input, pilotClass), 'level', /"Platinum" is not a level of the class/);
  });

  it('refuses a level its bands do not give the score, naming level', function () {
    const shifted = parseBadgeClass({ ...JSON.parse(JSON.stringify(pilot)), score: { ...pilot.score, bands: [{ level: 'Copper', from: 4, to: 6 }, { level: 'Silver', from: 7, to: 7 }, { level: 'Gold', from: 8, to: 10 }] } });
    mismatch(() => buildAchievementCredentialForClass(badgeInput(), shifted), 'level', /"Silver" does not match score 8, which the class's bands give "Gold"/);
  });
});
