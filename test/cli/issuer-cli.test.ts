import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { unbake, demoBadgePng } from '../../service/baking';
import { runCliCapturing } from '../support/in-process-cli';
import { parseCsv } from '../../service/cli/csv';
import { progressBar } from '../../service/cli/progress';
import { writeStaged } from '../../service/cli/staged-output';
import { parseCredential } from '../../service/credentials/parse';
import { importIssuerKey } from '../../service/credentials/keys';
import { verifyCredential } from '../../service/credentials/verify';
import type { JsonObject } from '../../service/credentials/types';
import { BatchTree, buildReceipt, type Receipt } from '../../service/merkle';
import { badgeClassId, parseBadgeClass } from '../../service/catalogue';
import pilot from '../vectors/classes/pilot-soft-skills.json';

const MEMBER_DID = 'did:web:school.example';
const TEMPLATE = {
  badgeCode: 'LEVERUP-S3-TEAMWORK',
  name: 'Teamwork',
  description: 'Collaborates with others in a volunteering project.',
  image: { id: 'https://school.example/badges/teamwork.png' },
  issuer: { did: MEMBER_DID, name: 'School Example', email: 'badges@school.example' },
  skill: { kind: 'soft', area: 'Social', competence: 'S3 Collaboration' },
  criteria: { narrative: 'An assessor observed the 10 LifeComp descriptors of collaboration.' },
};

describe('badge-notary issuer commands: key generate, badge issue, bake', function () {
  this.timeout(120_000);
  let directory: string;
  const path = (name: string) => join(directory, name);
  const file = (name: string, content: string | object) => {
    writeFileSync(path(name), typeof content === 'string' ? content : JSON.stringify(content));
    return path(name);
  };

  const cli = (...argv: string[]) => runCliCapturing(argv);

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-issuer-'));
  });
  afterEach(function () {
    rmSync(directory, { recursive: true, force: true });
  });

  /** Nothing but `expected` in the folder: no output, no hidden staging folder left behind. */
  const onlyFiles = (...expected: string[]) => expect(readdirSync(directory).sort()).to.deep.equal(expected.sort());

  describe('key generate', function () {
    it('writes an Ed25519 key of mode 600 and prints its did:key, its key id under the member’s DID and the key add line', async function () {
      const result = await cli('key', 'generate', '--member-did', MEMBER_DID, '--out', path('key.json'));
      expect(result.code, result.err).to.equal(0);
      expect(statSync(path('key.json')).mode & 0o777).to.equal(0o600);
      const key = importIssuerKey(readFileSync(path('key.json'), 'utf8'));
      expect(key.type).to.equal('Ed25519');
      expect(result.out).to.contain(`did:key   ${key.did}`);
      expect(result.out).to.contain(`key id    ${MEMBER_DID}#${key.publicKeyMultibase}`);
      expect(result.out).to.contain(`  npx badge-notary key add ${key.did} --member ${MEMBER_DID}`);
    });

    it('makes a P-256 key with --type p256, and gives JSON with --json', async function () {
      const result = await cli('--json', 'key', 'generate', '--type', 'p256', '--out', path('key.json'));
      expect(result.code, result.err).to.equal(0);
      const printed = JSON.parse(result.out);
      expect(importIssuerKey(readFileSync(path('key.json'), 'utf8'))).to.include({ type: 'P-256', did: printed.did });
      expect(printed.keyAdd).to.equal(`npx badge-notary key add ${printed.did}`);
    });

    it('refuses to overwrite a key file (exit 2, the file unchanged) unless --force', async function () {
      await cli('key', 'generate', '--out', path('key.json'));
      const before = readFileSync(path('key.json'), 'utf8');
      const refused = await cli('key', 'generate', '--out', path('key.json'));
      expect(refused.code).to.equal(2);
      expect(refused.err).to.contain('key.json already exists: give --force to replace it');
      expect(readFileSync(path('key.json'), 'utf8')).to.equal(before);
      expect((await cli('key', 'generate', '--force', '--out', path('key.json'))).code).to.equal(0);
      expect(readFileSync(path('key.json'), 'utf8')).to.not.equal(before);
      expect(statSync(path('key.json')).mode & 0o777).to.equal(0o600);
      onlyFiles('key.json');
    });

    it('exits 2 for an unknown key type or a member that is no DID', async function () {
      expect((await cli('key', 'generate', '--type', 'rsa', '--out', path('key.json'))).err).to.contain('"rsa" is not a key type: expected ed25519 or p256');
      expect((await cli('key', 'generate', '--member-did', 'school.example', '--out', path('key.json'))).code).to.equal(2);
      onlyFiles();
    });
  });

  describe('badge issue', function () {
    let keyFile: string;
    let templateFile: string;
    beforeEach(async function () {
      keyFile = path('key.json');
      await cli('key', 'generate', '--out', keyFile);
      templateFile = file('template.json', TEMPLATE);
    });
    const issue = (csv: string, ...more: string[]) => cli('badge', 'issue', '--template', templateFile, '--csv', file('earners.csv', csv), '--issuer-key', keyFile, ...more);

    it('--class issues against a badge-class document: the class id in the Achievement, the level checked by its bands', async function () {
      const classFile = join(__dirname, '..', 'vectors', 'classes', 'pilot-soft-skills.json');
      const result = await issue('email,score\nada@example.org,8\n', '--format', 'data-integrity', '--class', classFile, '--out', path('class.json'));
      expect(result.code, result.err).to.equal(0);
      const [credential] = JSON.parse(readFileSync(path('class.json'), 'utf8')) as JsonObject[];
      const subject = credential!.credentialSubject as { achievement: { id: string }; result: { achievedLevel?: string }[] };
      expect(subject.achievement.id).to.equal(`urn:badge-notary:class:${badgeClassId(parseBadgeClass(pilot))}`);
      expect(subject.result[0]!.achievedLevel).to.match(/#level-silver$/);
      // A row whose level its score does not earn is refused (the template's scale and the class agree here), nothing written.
      const refused = await issue('email,score,level\ngrace@example.org,8,Gold\n', '--class', classFile, '--out', path('refused.json'));
      expect(refused.code).to.equal(2);
      expect(existsSync(path('refused.json'))).to.equal(false);
      const badClass = await issue('email,score\nada@example.org,8\n', '--class', templateFile, '--out', path('bad.json'));
      expect(badClass.code).to.equal(2);
      expect(badClass.err).to.contain('Invalid badge class field');
    });

    it('signs one VC-JWT per row into a folder, in CSV order, with the level read from the score and the e-mail only hashed', async function () {
      const result = await issue('email,score,level,issued_on\nada@example.org,7,silver,2026-06-30\r\ngrace@example.org,9,Gold,2026-07-01\n', '--out-dir', path('badges'));
      expect(result.code, result.err).to.equal(0);
      expect(result.out).to.match(/^2 credential\(s\) signed \(vc-jwt\) and written to .*badges in [0-9.]+ s \([0-9]+ rows\/s\)$/);
      expect(readdirSync(path('badges'))).to.deep.equal(['0001.jwt', '0002.jwt']);
      const levels = [];
      for (const [index, name] of ['0001.jwt', '0002.jwt'].entries()) {
        const jwt = readFileSync(join(path('badges'), name), 'utf8').trim();
        const verified = await verifyCredential({ credential: jwt, now: new Date('2026-08-01T00:00:00Z') });
        expect(verified.verified, JSON.stringify(verified.checks)).to.equal(true);
        expect(verified.issuerDid).to.equal(MEMBER_DID);
        expect(JSON.stringify(verified.credential), 'no e-mail in the clear').to.not.contain('example.org');
        const subject = verified.credential!.credentialSubject as JsonObject;
        expect(verified.credential!.validFrom).to.equal(['2026-06-30T00:00:00Z', '2026-07-01T00:00:00Z'][index]);
        levels.push((subject.result as JsonObject[])[0].achievedLevel);
      }
      expect(levels.map((level) => String(level).split('#')[1])).to.deep.equal(['level-silver', 'level-gold']);
      onlyFiles('key.json', 'template.json', 'earners.csv', 'badges');
    });

    it('signs Data Integrity credentials into one JSON array with --out', async function () {
      const result = await issue('did,score\ndid:example:ada,5\ndid:example:grace,10\n', '--format', 'data-integrity', '--out', path('badges.json'));
      expect(result.code, result.err).to.equal(0);
      const credentials = JSON.parse(readFileSync(path('badges.json'), 'utf8')) as JsonObject[];
      expect(credentials).to.have.length(2);
      expect((credentials[1].credentialSubject as JsonObject).id).to.equal('did:example:grace');
      for (const credential of credentials) {
        expect(credential.proof).to.include({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' });
        expect((await verifyCredential({ credential, now: new Date() })).verified).to.equal(true);
      }
    });

    it('gives each credential a status list revocation entry at its own random index with --status-list; refuses a URL of another shape', async function () {
      const list = 'https://notary.example/v1/status-lists/1/2026';
      const csv = `did,score\n${Array.from({ length: 20 }, (_, i) => `did:example:earner-${i},8`).join('\n')}\n`;
      const result = await issue(csv, '--format', 'data-integrity', '--out', path('badges.json'), '--status-list', list);
      expect(result.code, result.err).to.equal(0);
      const credentials = JSON.parse(readFileSync(path('badges.json'), 'utf8')) as JsonObject[];
      const indexes = new Set<string>();
      for (const credential of credentials) {
        const status = credential.credentialStatus as JsonObject;
        expect(status).to.include({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListCredential: list });
        expect(status.id).to.equal(`${list}#${status.statusListIndex}`);
        indexes.add(String(status.statusListIndex));
        expect((await verifyCredential({ credential, now: new Date() })).verified, 'the entry is signed with the rest').to.equal(true);
      }
      expect(indexes.size).to.equal(20);

      const wrong = await issue('did,score\ndid:example:ada,8\n', '--out', path('other.json'), '--status-list', 'https://notary.example/status/1');
      expect(wrong.code).to.equal(2);
      expect(wrong.err).to.contain('is not a status list URL of the notary');
    });

    it('reports a bad level by its line and writes nothing', async function () {
      const rows = ['email,score,level', ...Array.from({ length: 5 }, (_, i) => `e${i}@example.org,7,silver`), 'e5@example.org,4,bronze', 'e6@example.org,9,gold'];
      const result = await issue(`${rows.join('\n')}\n`, '--out-dir', path('badges'));
      expect(result.code).to.equal(2);
      expect(result.err).to.contain('line 7: level "bronze" is not one of copper, silver, gold');
      expect(result.err).to.contain('nothing was issued');
      onlyFiles('key.json', 'template.json', 'earners.csv');
    });

    it('reports every bad row at once: a level the score does not earn, a score out of range or earning no badge, no earner, a wrong date, a short row', async function () {
      const csv = [
        'email,did,score,level,valid_until',
        'a@example.org,,7,gold,',
        'b@example.org,,11,,',
        'c@example.org,,2,,',
        ',,7,,',
        'd@example.org,,seven,,',
        'e@example.org,,7,,next year',
        'f@example.org,,7',
        '"g@example.org",,6,silver,2030-01-01',
      ].join('\n');
      const result = await issue(csv, '--out', path('badges.json'));
      expect(result.code).to.equal(2);
      expect(result.err.split('\n').filter((line) => line.startsWith('line '))).to.deep.equal([
        'line 2: level "gold" does not match score 7, which earns silver',
        'line 3: score 11 is out of range: it must be from 0 to 10',
        'line 4: score 2 earns no badge: the first level starts at 4',
        'line 5: give the earner’s email or did (one of them)',
        'line 6: score "seven" is not a whole number',
        'line 7: valid_until must be a Date, a date-time with a time zone, or YYYY-MM-DD',
        'line 8: has 3 field(s) where the header has 5',
      ]);
      onlyFiles('key.json', 'template.json', 'earners.csv');
    });

    it('refuses columns it does not know (no personal data rides along unnoticed), and a CSV without earner or score', async function () {
      const unknown = await issue('name,email,score\nAda Lovelace,ada@example.org,7\n', '--out-dir', path('badges'));
      expect(unknown.code).to.equal(2);
      expect(unknown.err).to.contain('line 1: unknown column(s) "name"; the columns are email, did, score, level, issued_on, exam_date, valid_until, id');
      expect((await issue('email,level\nada@example.org,silver\n', '--out-dir', path('badges'))).err).to.contain('the column "score" is missing');
      expect((await issue('score\n7\n', '--out-dir', path('badges'))).err).to.contain('give a column "email" or "did"');
      expect((await issue('email,score\n', '--out-dir', path('badges'))).err).to.contain('has a header but no earner');
    });

    it('refuses a template that makes no badge, a P-256 key for Data Integrity, and an unknown format', async function () {
      templateFile = file('template.json', { ...TEMPLATE, issuer: { ...TEMPLATE.issuer, email: 'not an address' } });
      expect((await issue('email,score\nada@example.org,7\n', '--out-dir', path('badges'))).err).to.contain('the template');
      templateFile = file('template.json', TEMPLATE);
      await cli('key', 'generate', '--type', 'p256', '--force', '--out', keyFile);
      const p256 = await issue('email,score\nada@example.org,7\n', '--format', 'data-integrity', '--out-dir', path('badges'));
      expect(p256.code).to.equal(2);
      expect(p256.err).to.contain('signs with Ed25519 keys only');
      expect((await issue('email,score\nada@example.org,7\n', '--format', 'jwt', '--out-dir', path('badges'))).err).to.contain('"jwt" is not a format');
      expect((await issue('email,score\nada@example.org,7\n')).err).to.contain('give --out-dir FOLDER or --out FILE.json');
      onlyFiles('key.json', 'template.json', 'earners.csv');
    });

    it('refuses an existing output unless --force, which replaces it whole', async function () {
      mkdirSync(path('badges'));
      writeFileSync(join(path('badges'), 'old.txt'), 'old');
      const refused = await issue('email,score\nada@example.org,7\n', '--out-dir', path('badges'));
      expect(refused.code).to.equal(2);
      expect(refused.err).to.contain('already exists: give --force');
      expect((await issue('email,score\nada@example.org,7\n', '--out-dir', path('badges'), '--force')).code).to.equal(0);
      expect(readdirSync(path('badges'))).to.deep.equal(['0001.jwt']);
      onlyFiles('key.json', 'template.json', 'earners.csv', 'badges');
    });

    it('issues 10,000 rows as VC-JWT in one run and reports its rate (the speed itself is measured by npm run bench:cli, not asserted here)', async function () {
      this.timeout(300_000);
      const rows = Array.from({ length: 10_000 }, (_, i) => `earner${i}@example.org,${4 + (i % 7)}`);
      const result = await issue(`email,score\n${rows.join('\n')}\n`, '--json', '--out-dir', path('badges'));
      expect(result.code, result.err).to.equal(0);
      expect(readdirSync(path('badges'))).to.have.length(10_000);
      expect(readdirSync(path('badges'))[9_999]).to.equal('10000.jwt');
      expect(JSON.parse(result.out.slice(result.out.indexOf('{'))).rowsPerSecond).to.be.a('number').and.greaterThan(0);
    });
  });

  describe('bake', function () {
    let jwt: string;
    let receipt: Receipt;
    beforeEach(async function () {
      await cli('key', 'generate', '--out', path('key.json'));
      file('template.json', TEMPLATE);
      file('earners.csv', 'email,score\nada@example.org,9\n');
      expect((await cli('badge', 'issue', '--template', path('template.json'), '--csv', path('earners.csv'), '--issuer-key', path('key.json'), '--out-dir', path('badges'))).code).to.equal(0);
      jwt = readFileSync(join(path('badges'), '0001.jwt'), 'utf8').trim();
      receipt = await receiptFor(jwt);
      file('badge.jwt.receipt.json', receipt);
      file('badge.jwt', `${jwt}\n`);
    });

    it('bakes a JWT and its receipt into a given PNG, which unbakes to both', async function () {
      writeFileSync(path('base.png'), demoBadgePng({ label: 'Gold' }));
      const result = await cli('bake', path('badge.jwt'), '--receipt', path('badge.jwt.receipt.json'), '--image', path('base.png'), '--out', path('baked.png'));
      expect(result.code, result.err).to.equal(0);
      expect(result.out).to.contain('and its receipt baked into');
      const baked = unbake(readFileSync(path('baked.png')));
      expect(baked).to.deep.include({ kind: 'png', credential: jwt });
      expect(baked.receipt).to.deep.equal(receipt);
    });

    it('draws the level’s badge when no image is given: an SVG by the --out extension', async function () {
      const result = await cli('bake', path('badge.jwt'), '--receipt', path('badge.jwt.receipt.json'), '--out', path('baked.svg'));
      expect(result.code, result.err).to.equal(0);
      const svg = readFileSync(path('baked.svg'), 'utf8');
      expect(svg).to.contain('<title>Gold badge</title>');
      expect(unbake(svg)).to.deep.include({ kind: 'svg', credential: jwt });
    });

    it('exits 2, writing nothing, for a receipt of another credential, an image that is not the --out kind, or an existing --out', async function () {
      // Another credential: its last character changed (to a character it is not, so the text always differs).
      const other = readFileSync(join(path('badges'), '0001.jwt'), 'utf8').trim().replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
      file('other.receipt.json', await receiptFor(other));
      const foreign = await cli('bake', path('badge.jwt'), '--receipt', path('other.receipt.json'), '--out', path('baked.png'));
      expect(foreign.code).to.equal(2);
      expect(foreign.err).to.contain('cannot bake');
      writeFileSync(path('base.png'), demoBadgePng({ label: 'Gold' }));
      const mismatch = await cli('bake', path('badge.jwt'), '--image', path('base.png'), '--out', path('baked.svg'));
      expect(mismatch.err).to.contain('is PNG, but --out');
      expect(existsSync(path('baked.png')) || existsSync(path('baked.svg'))).to.equal(false);
      expect((await cli('bake', path('badge.jwt'), '--out', path('badge.jwt'))).err).to.contain('must end in .png or .svg');
      file('baked.png', 'x');
      expect((await cli('bake', path('badge.jwt'), '--out', path('baked.png'))).err).to.contain('already exists');
    });
  });

  describe('the pieces', function () {
    it('parseCsv: quoted fields with commas, doubled quotes and line breaks; CRLF; a BOM; the line each record starts on', function () {
      const records = parseCsv('\ufeffemail,score\r\n"a,b@example.org",7\n\n"multi\nline ""quoted""",8\nlast,9', 'x.csv');
      expect(records).to.deep.equal([
        { line: 1, fields: ['email', 'score'] },
        { line: 2, fields: ['a,b@example.org', '7'] },
        { line: 4, fields: ['multi\nline "quoted"', '8'] },
        { line: 6, fields: ['last', '9'] },
      ]);
      expect(() => parseCsv('a\n"open', 'x.csv')).to.throw('x.csv line 2: a quoted field is not closed');
    });

    it('writeStaged: a failure half-way leaves neither the target nor the staging folder', async function () {
      const target = path('out');
      const failure = writeStaged(target, 'folder', false, async (output) => {
        await output.write('0001.jwt', 'written');
        expect(readdirSync(directory).filter((name) => name.startsWith('.out.partial-'))).to.have.length(1);
        throw new Error('disk full');
      });
      const error = await failure.then(() => undefined, (caught: Error) => caught);
      expect(error?.message).to.equal('disk full');
      onlyFiles();
    });

    it('progressBar: drawn on a terminal, nothing on a pipe', function () {
      const written = (isTTY: boolean) => {
        const chunks: string[] = [];
        const sink = new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk.toString());
            done();
          },
        });
        const stream = Object.assign(sink, { isTTY, columns: 80, cursorTo() {}, clearLine() {}, moveCursor() {} });
        const bar = progressBar(stream, 3, 'signing');
        bar.increment();
        bar.stop();
        return chunks.join('');
      };
      expect(written(false)).to.equal('');
      expect(written(true)).to.contain('signing [');
    });
  });
});

/** A receipt for one credential, from a tree of its digest alone (the anchor facts are made up: baking checks the digest). */
async function receiptFor(artifact: string): Promise<Receipt> {
  const { digest } = await parseCredential(artifact);
  const tree = await BatchTree.build([digest]);
  return buildReceipt({
    tree,
    index: 0,
    digest,
    batchId: 'test-1',
    anchor: {
      chainId: 31337,
      registry: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      transactionHash: `0x${'ab'.repeat(32)}`,
      blockNumber: 2,
      blockTimestamp: 1_780_000_000,
      memberId: 1,
    },
  });
}
