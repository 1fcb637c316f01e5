// The page's own modules, run in Node (they are plain ES modules; those without the DOM load here): both
// languages complete, the badge read from what the builder writes, input told apart, share links round-trip.
import { expect } from 'chai';
import { join } from 'node:path';
import { buildAchievementCredential, buildOb2Assertion } from '../../service/credentials/builder';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { PAGE_DIRECTORY } from '../../service/web';

/* eslint-disable @typescript-eslint/no-explicit-any -- the modules are plain JavaScript */
const load = (name: string): Promise<any> => import(join(PAGE_DIRECTORY, name));

const STEPS = ['format', 'signature', 'issuer-key', 'issuer-member', 'badge-class', 'anchor', 'revocation', 'validity'];
const JWS = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6d2ViOngifQ.c2lnbmF0dXJl';

describe('web page modules', function () {
  let i18n: any;
  let badge: any;
  let input: any;
  let share: any;
  before(async function () {
    [i18n, badge, input, share] = await Promise.all([load('i18n.mjs'), load('badge.mjs'), load('input.mjs'), load('share.mjs')]);
  });

  describe('i18n', function () {
    it('has every label in Italian and in English, none empty, none the same as its key', function () {
      const { en, it: italian } = i18n.MESSAGES;
      expect(Object.keys(italian).sort()).to.deep.equal(Object.keys(en).sort());
      for (const [key, value] of [...Object.entries(en), ...Object.entries(italian)] as [string, string][]) {
        expect(value.trim(), key).to.not.equal('');
        expect(value, key).to.not.equal(key);
      }
    });

    it('has a title for each step, a word for each status, and a sentence for each step in each status', function () {
      for (const lang of ['en', 'it']) {
        const messages = i18n.MESSAGES[lang];
        for (const step of STEPS) {
          expect(messages, `${lang} step.${step}`).to.have.property(`step.${step}`);
          for (const status of ['passed', 'failed', 'skipped']) {
            expect(messages, `${lang} status.${status}`).to.have.property(`status.${status}`);
            expect(messages[`explain.${step}.${status}`], `${lang} explain.${step}.${status}`).to.match(/^[A-ZÈL].+\.$/);
          }
        }
      }
      expect(i18n.MESSAGES.it['explain.signature.failed']).to.not.equal(i18n.MESSAGES.en['explain.signature.failed']);
    });

    it('fills placeholders, in either language', function () {
      expect(i18n.t('badge.member.value', { id: 3, role: 'validation point' })).to.equal('member no. 3, validation point');
      expect(i18n.t('no.such.key')).to.equal('no.such.key');
    });
  });

  describe('badge', function () {
    it('reads a soft-skill badge as the builder writes it: level, score, competence, framework, dates, evidence', function () {
      const credential = buildAchievementCredential({
        ...demoBadgeInput({ issuerDid: 'did:web:school-a.example', issuerName: 'Scuola A', issuedOn: new Date('2025-06-12T09:30:00Z'), observedDescriptors: 9 }),
        validUntil: '2030-01-01T00:00:00Z',
      });
      const view = badge.describeBadge(credential, 'data-integrity');
      expect(view.name).to.equal('Lavoro di gruppo / Teamwork');
      expect(view.code).to.equal('LEVERUP-S3-TEAMWORK');
      expect(view.level).to.deep.include({ name: 'Gold', level: 3, scale: 'soft', band: '9-10 of 10 descriptors observed' });
      expect(view.result).to.deep.equal({ value: '9', max: '10', scale: 'soft' });
      expect(view.issuer).to.deep.include({ id: 'did:web:school-a.example', name: 'Scuola A' });
      expect(view).to.deep.include({ area: 'Social', competence: 'S3 Collaboration' });
      expect(view.alignments.map((item: { framework: string; code: string }) => `${item.framework} ${item.code}`)).to.deep.equal(['LifeComp S3.1', 'EQF 4']);
      expect(view.dates).to.deep.equal({ issued: '2025-06-12T09:30:00Z', awarded: '2025-06-12T09:30:00Z', exam: '2025-06-12T09:30:00Z', validUntil: '2030-01-01T00:00:00Z' });
      expect(view.evidence[0]).to.deep.include({ name: 'Assessor’s observation grid', genre: 'Observation' });
      expect(view.image).to.deep.equal({ url: 'https://badges.example/images/leverup-teamwork.png', caption: 'LEVER UP teamwork badge' });
      expect(badge.isInlineImage(view.image.url), 'an https image is not loaded').to.equal(false);
      expect(badge.isInlineImage('data:image/png;base64,iVBORw0KGgo=')).to.equal(true);
    });

    it('reads a technical badge on its own scale (Silver, Gold, Platinum)', function () {
      const input = { ...demoBadgeInput({ issuerDid: 'did:web:school-a.example' }), skill: { kind: 'technical' as const, area: 'Mechatronics', competence: 'C1', score: 93 } };
      const view = badge.describeBadge(buildAchievementCredential(input), 'vc-jwt');
      expect(view.level).to.deep.include({ name: 'Platinum', level: 3, scale: 'technical' });
      expect(view.result).to.deep.equal({ value: '93', max: '100', scale: 'technical' });
    });

    it('reads an OB 2.0 assertion: name, issuer, level from its tags', function () {
      const view = badge.describeBadge(buildOb2Assertion(demoBadgeInput({ issuerDid: 'did:web:school-a.example', observedDescriptors: 5 })), 'ob2-jws');
      expect(view.name).to.equal('Lavoro di gruppo / Teamwork - Copper');
      expect(view.level).to.deep.include({ name: 'Copper' });
      expect(view.issuer.id).to.equal('did:web:school-a.example');
    });

    it('shows nothing for a report without a document, and survives odd shapes', function () {
      expect(badge.describeBadge(undefined, undefined)).to.equal(undefined);
      const view = badge.describeBadge({ '@context': [], credentialSubject: [{ achievement: 'x', result: 'y' }], issuer: 42, evidence: [null, 'a'] }, 'vc-jwt');
      expect(view).to.deep.include({ name: '', level: undefined, result: undefined, evidence: [], alignments: [] });
    });
  });

  describe('input', function () {
    it('tells a JWS, a JSON credential, a {credential, receipt} pair, a receipt and a share link apart', function () {
      expect(input.readText(`  ${JWS}\n`)).to.deep.equal({ type: 'credential', value: JWS });
      expect(input.readText(JSON.stringify(JWS))).to.deep.equal({ type: 'credential', value: JWS });
      expect(input.readText('{"@context": [], "type": "VerifiableCredential"}').type).to.equal('credential');
      expect(input.readText(`{"credential": "${JWS}", "receipt": {"version": "x"}}`)).to.deep.include({ type: 'pair', credential: JWS });
      expect(input.readText('{"version": "badge-notary-receipt/1", "digest": "0x"}').type).to.equal('receipt');
      expect(input.readText('http://127.0.0.1:8080/verify#badge=q1YqU7Iy1FFKVrJSStRL0ktW0lEqUrKqVqpQsjKsrQUA')).to.deep.equal({
        type: 'share',
        data: 'q1YqU7Iy1FFKVrJSStRL0ktW0lEqUrKqVqpQsjKsrQUA',
      });
    });

    it('names what is wrong with bad input', function () {
      const keyOf = (action: () => unknown) => {
        try {
          action();
        } catch (error) {
          return (error as { key: string }).key;
        }
        return 'no error';
      };
      expect(keyOf(() => input.readText('  '))).to.equal('error.empty');
      expect(keyOf(() => input.readText('{"credential": '))).to.equal('error.notJson');
      expect(keyOf(() => input.readText('hello'))).to.equal('error.unknownText');
      const receipt = { type: 'receipt', value: {} };
      const credential = { type: 'credential', value: JWS };
      expect(keyOf(() => input.combine([receipt]))).to.equal('error.onlyReceipt');
      expect(keyOf(() => input.combine([credential, credential]))).to.equal('error.tooMany');
      expect(keyOf(() => input.combine([{ type: 'image', file: {} }, receipt]))).to.equal('error.imageAndReceipt');
      expect(keyOf(() => input.combine([]))).to.equal('error.empty');
    });

    it('puts a credential file and its receipt file together, in either order', function () {
      const receipt = { type: 'receipt', value: { version: 'badge-notary-receipt/1' }, name: 'b.jwt.receipt.json' };
      const credential = { type: 'credential', value: JWS, name: 'b.jwt' };
      for (const items of [
        [credential, receipt],
        [receipt, credential],
      ]) {
        expect(input.combine(items)).to.deep.include({ kind: 'json', credential: JWS, receipt: receipt.value });
      }
    });
  });

  describe('share links', function () {
    it('carry the credential and its receipt in the fragment, compressed, and read back the same', async function () {
      const credential = buildAchievementCredential(demoBadgeInput({ issuerDid: 'did:web:school-a.example' }));
      const receipt = { version: 'badge-notary-receipt/1', digest: `0x${'ab'.repeat(32)}` };
      const link = await share.shareLink({ credential, receipt }, 'http://127.0.0.1:8080/');
      const url = new URL(link);
      expect(`${url.origin}${url.pathname}`).to.equal('http://127.0.0.1:8080/verify');
      expect(url.hash).to.match(/^#badge=[A-Za-z0-9_-]+$/);
      expect(link.length, 'compressed').to.be.below(JSON.stringify({ credential, receipt }).length);
      expect(await share.readShare(share.shareData(link))).to.deep.equal({ credential, receipt });
      expect(await share.readShare(share.shareData(await share.shareLink({ credential: JWS }, 'http://h/app/')))).to.deep.equal({ credential: JWS });
    });

    it('refuse a damaged link, and one that inflates beyond what a badge can be', async function () {
      const refusal = async (data: string) => {
        try {
          await share.readShare(data);
        } catch (error) {
          return (error as Error).message;
        }
        return 'accepted';
      };
      expect(await refusal('AAAA')).to.equal('the link does not decompress');
      expect(share.shareData('#other=abc')).to.equal(undefined);
      const bomb = await share.shareLink({ credential: 'x'.repeat(2 * 1024 * 1024) }, 'http://h/');
      expect(bomb.length, 'two MiB of one letter deflate to a few kB').to.be.below(10_000);
      expect(await refusal(share.shareData(bomb))).to.equal('the link holds more than a badge can be');
    });
  });
});
