import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  buildAchievementCredential,
  buildOb2Assertion,
  InvalidBadgeInputError,
  InvalidScoreError,
  NoBadgeError,
  ob2Issues,
  ob3Issues,
  type BadgeInput,
  type JsonObject,
} from '../../service/credentials';
import { badgeInput, expectThrow } from './fixtures';

const subjectOf = (credential: JsonObject) => credential.credentialSubject as JsonObject;
const achievementOf = (credential: JsonObject) => subjectOf(credential).achievement as JsonObject;

describe('credentials: badge builder', function () {
  describe('OB 3.0 AchievementCredential from the seeds\' metadata', function () {
    const credential = buildAchievementCredential(badgeInput());
    const achievement = achievementOf(credential);

    it('is a valid OB 3.0 AchievementCredential on VC 2.0', function () {
      expect(ob3Issues(credential)).to.deep.equal([]);
      expect(credential['@context']).to.deep.equal([
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ]);
      expect(credential.type).to.deep.equal(['VerifiableCredential', 'OpenBadgeCredential']);
      expect(credential.proof).to.equal(undefined);
    });

    it('puts code, image, description, criteria and framework alignment on the achievement', function () {
      expect(achievement).to.include({ humanCode: 'LC-P1-1', name: 'Self-regulation', achievementType: 'Competency' });
      expect(achievement.description).to.contain('LifeComp P1');
      expect(achievement.image).to.deep.equal({ id: 'https://school.example/badges/lc-p1-1.png', type: 'Image', caption: 'Self-regulation badge' });
      expect(achievement.criteria).to.deep.equal({ narrative: 'Observed by an independent assessor during 40 hours of volunteering.' });
      expect(achievement.alignment).to.deep.equal([
        {
          type: ['Alignment'],
          targetName: 'Awareness and expression of personal emotions, thoughts, values and behaviour',
          targetUrl: 'https://publications.jrc.ec.europa.eu/repository/handle/JRC120911',
          targetFramework: 'LifeComp',
          targetCode: 'P1.1',
        },
      ]);
      expect(achievement).to.include({ fieldOfStudy: 'Personal', specialization: 'Self-regulation' });
    });

    it('names the issuing organisation with its e-mail', function () {
      expect(credential.issuer).to.deep.equal({
        id: 'did:web:school.example',
        type: ['Profile'],
        name: 'Scuola Esempio',
        email: 'badges@school.example',
        url: 'https://school.example',
      });
    });

    it('states the level as a rubric level result, with the count behind it', function () {
      const levels = (achievement.resultDescription as JsonObject[])[0] as JsonObject;
      expect(levels.resultType).to.equal('RubricCriterionLevel');
      expect((levels.rubricCriterionLevel as JsonObject[]).map((level) => [level.name, level.level])).to.deep.equal([
        ['Copper', '1'],
        ['Silver', '2'],
        ['Gold', '3'],
      ]);
      const [levelResult, scoreResult] = subjectOf(credential).result as JsonObject[];
      expect(levelResult?.resultDescription).to.equal(levels.id);
      const silver = (levels.rubricCriterionLevel as JsonObject[]).find((level) => level.name === 'Silver');
      expect(levelResult?.achievedLevel).to.equal(silver?.id);
      expect(scoreResult?.value).to.equal('8');
    });

    it('carries issue date, exam date, end date and evidence', function () {
      expect(credential).to.include({ validFrom: '2024-05-01T00:00:00Z', awardedDate: '2024-05-01T00:00:00Z', validUntil: '2029-05-01T00:00:00Z' });
      expect(subjectOf(credential).activityEndDate).to.equal('2024-04-20T00:00:00Z');
      expect(credential.evidence).to.deep.equal([
        { type: ['Evidence'], name: 'Assessor report', narrative: 'Eight of ten descriptors observed.', genre: 'Assessment' },
      ]);
    });

    it('names the earner only by a salted e-mail hash (OB 3.0 IdentityObject)', function () {
      const expectedHash = `sha256$${createHash('sha256').update('earner@example.orgc0ffee15').digest('hex')}`;
      expect(subjectOf(credential).identifier).to.deep.equal([
        { type: 'IdentityObject', identityHash: expectedHash, identityType: 'emailAddress', hashed: true, salt: 'c0ffee15' },
      ]);
      expect(JSON.stringify(credential)).to.not.contain('earner@example.org');
      const upper = buildAchievementCredential(badgeInput({ recipient: { email: ' Earner@Example.ORG ', salt: 'c0ffee15' } }));
      expect(subjectOf(upper).identifier).to.deep.equal(subjectOf(credential).identifier);
    });

    it('names the earner by DID when given one', function () {
      const built = buildAchievementCredential(badgeInput({ recipient: { did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' } }));
      expect(subjectOf(built).id).to.equal('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
      expect(subjectOf(built)).to.not.have.property('identifier');
    });

    it('draws a random salt when none is given, so equal e-mails do not link badges', function () {
      const a = subjectOf(buildAchievementCredential(badgeInput({ recipient: { email: 'earner@example.org' } }))).identifier as JsonObject[];
      const b = subjectOf(buildAchievementCredential(badgeInput({ recipient: { email: 'earner@example.org' } }))).identifier as JsonObject[];
      expect(a[0]?.identityHash).to.not.equal(b[0]?.identityHash);
    });

    it('gives the same achievement id to the same issuer and code, another to another code', function () {
      const again = achievementOf(buildAchievementCredential(badgeInput({ id: undefined })));
      const other = achievementOf(buildAchievementCredential(badgeInput({ badgeCode: 'LC-P1-2' })));
      expect(again.id).to.equal(achievement.id);
      expect(other.id).to.not.equal(achievement.id);
      expect(achievement.id).to.match(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('carries endorsements as EndorsementCredentials and VC-JWTs', function () {
      const endorsement = { '@context': [], type: ['VerifiableCredential', 'EndorsementCredential'], id: 'urn:uuid:1' } as JsonObject;
      const built = achievementOf(buildAchievementCredential(badgeInput({ endorsements: [endorsement, 'eyJ.e30.sig'] })));
      expect(built.endorsement).to.deep.equal([endorsement]);
      expect(built.endorsementJwt).to.deep.equal(['eyJ.e30.sig']);
    });

    it('builds a VC 1.1 credential with issuanceDate and expirationDate', function () {
      const built = buildAchievementCredential(badgeInput({ vcVersion: '1.1' }));
      expect((built['@context'] as string[])[0]).to.equal('https://www.w3.org/2018/credentials/v1');
      expect(built).to.include({ issuanceDate: '2024-05-01T00:00:00Z', expirationDate: '2029-05-01T00:00:00Z' });
      expect(built).to.not.have.property('validFrom');
      expect(ob3Issues(built)).to.deep.equal([]);
    });
  });

  describe('levels from the assessment', function () {
    const technical = (score: number): Partial<BadgeInput> => ({
      skill: { kind: 'technical', area: 'C - Manutenzione e installazione', competence: 'C4 - Controlli di funzionalità', score },
    });

    for (const [score, level] of [
      [70, 'Silver'],
      [85, 'Gold'],
      [91, 'Platinum'],
    ] as const) {
      it(`a technical score of ${score} is ${level}`, function () {
        const built = buildAchievementCredential(badgeInput(technical(score)));
        const [result] = subjectOf(built).result as JsonObject[];
        expect(result?.achievedLevel).to.match(new RegExp(`#level-${level.toLowerCase()}$`));
        const levels = (achievementOf(built).resultDescription as JsonObject[])[0] as JsonObject;
        expect(levels.allowedValue).to.deep.equal(['Silver', 'Gold', 'Platinum']);
      });
    }

    it('a technical score below 70 earns no badge', function () {
      expectThrow(() => buildAchievementCredential(badgeInput(technical(69))), NoBadgeError);
    });

    it('3 soft-skill descriptors earn no badge', function () {
      expectThrow(
        () => buildAchievementCredential(badgeInput({ skill: { kind: 'soft', area: 'Social', competence: 'Empathy', observedDescriptors: 3 } })),
        NoBadgeError,
      );
    });

    it('a score out of range is refused', function () {
      expectThrow(() => buildAchievementCredential(badgeInput(technical(101))), InvalidScoreError);
    });
  });

  describe('input that is refused, naming the field', function () {
    const cases: [string, Partial<BadgeInput> | ((input: BadgeInput) => void)][] = [
      ['badgeCode', { badgeCode: 'LC P1 1' }],
      ['badgeCode', { badgeCode: '' }],
      ['issuer.email', (input) => (input.issuer = { ...input.issuer, email: 'not-an-address' })],
      ['issuer.did', (input) => (input.issuer = { ...input.issuer, did: 'school' })],
      ['image.id', { image: { id: 'badge.png' } }],
      ['criteria.narrative', { criteria: { narrative: ' ' } }],
      ['alignments[0].url', { alignments: [{ framework: 'ESCO', name: 'teamwork', url: '' }] }],
      ['endorsements[0]', { endorsements: [{ type: 'VerifiableCredential' }] }],
      ['issuedOn', { issuedOn: '1 May 2024' }],
      ['examDate', { examDate: '2024-13-45' }],
      ['recipient', { recipient: {} as never }],
      ['skill.kind', { skill: { kind: 'musical' } as never }],
    ];
    for (const [field, change] of cases) {
      it(`${field}`, function () {
        const input = badgeInput(typeof change === 'function' ? {} : change);
        if (typeof change === 'function') change(input);
        const error = expectThrow(() => buildAchievementCredential(input), InvalidBadgeInputError);
        expect(error.params.field).to.equal(field);
        expect(error.shortMessage).to.contain(field);
      });
    }
  });

  describe('OB 2.0 Assertion of the same badge', function () {
    it('is a valid OB 2.0 Assertion with an embedded BadgeClass per level', function () {
      const assertion = buildOb2Assertion(badgeInput());
      expect(ob2Issues(assertion)).to.deep.equal([]);
      const badge = assertion.badge as JsonObject;
      expect(badge.name).to.equal('Self-regulation - Silver');
      expect(badge.issuer).to.include({ id: 'did:web:school.example', type: 'Profile', email: 'badges@school.example' });
      expect(assertion.recipient).to.include({ type: 'email', hashed: true, salt: 'c0ffee15' });
      expect(JSON.stringify(assertion)).to.not.contain('earner@example.org');
    });
  });
});
