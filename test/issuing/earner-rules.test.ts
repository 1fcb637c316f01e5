// The spreadsheet rules the CLI and the web console share (service/issuing/earner-rules.mjs), and the class's level
// scheme both read (service/catalogue/class-levels.mjs): the rules themselves, and the CLI applying them.
import { expect } from 'chai';
import pilot from '../vectors/classes/pilot-soft-skills.json';
import { judgeLevel, judgeScore } from '../../service/catalogue/class-levels.mjs';
import type { BadgeClassDocument } from '../../service/catalogue';
import { CliUsageError } from '../../service/cli/cli-errors';
import { parseCsv } from '../../service/cli/csv';
import { earnerRows, type BadgeTemplate } from '../../service/cli/earner-rows';
import { columnKey, duplicateEarners, earnerIdentity, isEmailAddress, wholeNumber } from '../../service/issuing/earner-rules.mjs';

const pilotClass = pilot as unknown as BadgeClassDocument;
const TEMPLATE: BadgeTemplate = {
  badgeCode: 'TEAMWORK',
  name: 'Teamwork',
  description: 'Collaborates with others.',
  image: { id: 'https://school.example/teamwork.png' },
  issuer: { did: 'did:web:school.example', name: 'School', email: 'badges@school.example' },
  skill: { kind: 'soft', area: 'Social', competence: 'S3 Collaboration' },
  criteria: { narrative: 'Observed.' },
};

describe('earner rows: the rules the CLI and the web console share', function () {
  it('reads headers as column names', function () {
    expect(['E-mail ', 'Evidence URL', ' score'].map(columnKey)).to.deep.equal(['e_mail', 'evidence_url', 'score']);
  });

  it('takes an e-mail address and a whole-number score, and nothing else', function () {
    expect(isEmailAddress('anna@school.example')).to.equal(true);
    expect(['anna', 'anna@school', 'an na@school.example', ''].map(isEmailAddress)).to.deep.equal([false, false, false, false]);
    expect(wholeNumber('7')).to.equal(7);
    expect(['7.5', 'seven', '', '-1'].map(wholeNumber)).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it('finds a duplicate earner by e-mail without case or spaces, or by DID, and names the first line', function () {
    const rows = [
      { line: 2, identity: earnerIdentity({ email: 'Anna@School.example' }) },
      { line: 3, identity: earnerIdentity({ did: 'did:example:bruno' }) },
      { line: 4, identity: earnerIdentity({ email: ' anna@school.example ' }) },
      { line: 5, identity: earnerIdentity({}) },
      { line: 6, identity: earnerIdentity({ did: 'did:example:bruno' }) },
    ];
    expect(duplicateEarners(rows)).to.deep.equal([
      { line: 4, firstLine: 2 },
      { line: 6, firstLine: 3 },
    ]);
  });

  it('judges a level against the class: the band of the score, a level not in the scheme, a score below the bands', function () {
    expect(judgeScore(pilotClass, 7).level?.name).to.equal('Silver');
    expect(judgeScore(pilotClass, 2)).to.deep.equal({ level: undefined });
    expect(judgeScore(pilotClass, 11)).to.deep.equal({ field: 'score', reason: '11 must be an integer from 0 to 10' });
    expect(judgeLevel(pilotClass, { level: 'Gold', score: 9 }).level?.name).to.equal('Gold');
    expect(judgeLevel(pilotClass, { level: 'Gold', score: 7 })).to.deep.equal({ field: 'level', reason: '"Gold" does not match score 7, which the class\'s bands give "Silver"' });
    expect(judgeLevel(pilotClass, { level: 'Platinum' }).field).to.equal('level');
    expect(judgeLevel(pilotClass, { level: 'Copper', score: 1 })).to.deep.equal({ field: 'score', reason: "1 is below the class's first band: it earns no badge" });
  });

  it('the CLI refuses a CSV that names one earner twice, by its lines, and issues nothing', function () {
    const csv = parseCsv('email,score\nanna@school.example,7\nbruno@school.example,9\nANNA@school.example,8\n', 'earners.csv');
    expect(() => earnerRows(csv, TEMPLATE, 'earners.csv', new Date())).to.throw(CliUsageError, /line 4: names the same earner as line 2/);
    expect(earnerRows(csv.slice(0, 3), TEMPLATE, 'earners.csv', new Date())).to.have.length(2);
  });
});
