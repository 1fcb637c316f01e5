// The Issue page's modules, run in Node (plain ES modules without the DOM): the credential they build is the one the
// project's builder makes for a class (buildAchievementCredentialForClass), the class id is the catalogue's, a key
// file signs a VC-JWT that the project's verifier and jose (a library not written here) both verify, the rows are
// checked with their line and column, and the ZIP writer's archive opens with adm-zip.
import { expect } from 'chai';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import AdmZip from 'adm-zip';
import ExcelJS from 'exceljs';
import * as jose from 'jose';
import Papa from 'papaparse';
import certification from '../vectors/classes/certification-technical.json';
import pilot from '../vectors/classes/pilot-soft-skills.json';
import { badgeClassId, parseBadgeClass, type BadgeClassDocument } from '../../service/catalogue';
import { buildAchievementCredentialForClass, type BadgeInput } from '../../service/credentials/builder';
import { exportIssuerKey, generateIssuerKey } from '../../service/credentials/keys';
import { verifyCredential } from '../../service/credentials/verify';
import { CONSOLE_DIRECTORY } from '../../service/web/console';

/* eslint-disable @typescript-eslint/no-explicit-any -- the modules are plain JavaScript */
const CLASSES = { pilot: pilot as unknown as BadgeClassDocument, certification: certification as unknown as BadgeClassDocument };
const ISSUER = { did: 'did:web:school-a.example', name: 'Istituto Scolastico A', email: 'badges@school-a.example' };

describe('web console Issue modules', function () {
  let directory: string;
  let credentials: any;
  let classes: any;
  let rows: any;
  let sign: any;
  let zip: any;

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-issue-modules-'));
    for (const name of readdirSync(CONSOLE_DIRECTORY).filter((file) => file.endsWith('.mjs'))) cpSync(join(CONSOLE_DIRECTORY, name), join(directory, name));
    cpSync(join(CONSOLE_DIRECTORY, '..', '..', 'catalogue', 'class-levels.mjs'), join(directory, 'class-levels.mjs'));
    cpSync(join(CONSOLE_DIRECTORY, '..', '..', 'issuing', 'earner-rules.mjs'), join(directory, 'earner-rules.mjs'));
    cpSync(join(CONSOLE_DIRECTORY, '..', '..', 'baking', 'crc32.mjs'), join(directory, 'crc32.mjs'));
    const build = require.resolve('ethers').replace(/lib\.commonjs[\\/]index\.js$/, join('dist', 'ethers.min.js'));
    writeFileSync(join(directory, 'ethers.mjs'), `export * from ${JSON.stringify(pathToFileURL(build).href)};\n`);
    const load = (name: string): Promise<any> => import(join(directory, name));
    [credentials, classes, rows, sign, zip] = await Promise.all(['issue-credential.mjs', 'issue-class.mjs', 'issue-rows.mjs', 'issue-sign.mjs', 'issue-zip.mjs'].map(load));
  });

  after(() => rmSync(directory, { recursive: true, force: true }));

  it('names a class by the catalogue’s id (keccak-256 of its JCS form)', function () {
    for (const document of Object.values(CLASSES)) expect(classes.classIdOf(document)).to.equal(badgeClassId(document));
    expect(classes.readClassDocument(CLASSES.certification).classId).to.equal(badgeClassId(CLASSES.certification));
  });

  it('a class without a score (levels only) is refused by the page and by the CLI’s builder alike', function () {
    const { score: _score, ...levelsOnly } = CLASSES.certification;
    const document = parseBadgeClass(levelsOnly);
    expect(() => classes.readClassDocument(document)).to.throw(/scored out of 10/);
    const input: BadgeInput = {
      id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
      badgeCode: 'X',
      name: 'n',
      description: 'd',
      image: { id: 'https://e.example/i.png' },
      issuer: { did: ISSUER.did, name: ISSUER.name, email: ISSUER.email },
      skill: { kind: 'technical', area: 'a', competence: 'c', score: 85 },
      criteria: { narrative: 'c' },
      recipient: { did: 'did:example:earner' },
      issuedOn: '2026-03-01T09:00:00Z',
    };
    expect(() => buildAchievementCredentialForClass(input, document)).to.throw(/the class has no score/);
  });

  it('refuses a class it cannot issue: no badge-class document, a score of neither 10 nor 100; takes a co-issued class', function () {
    expect(() => classes.readClassFile('{')).to.throw(/not JSON/);
    expect(() => classes.readClassDocument({ schema: 'x' })).to.throw(/not a badge-class document/);
    expect(classes.readClassDocument(CLASSES.pilot).classId, 'a class requiring co-issuance (issue-cosign.mjs)').to.equal(badgeClassId(CLASSES.pilot));
    const scaled = { ...CLASSES.certification, score: { ...CLASSES.certification.score!, max: 50 } };
    expect(() => classes.readClassDocument(scaled)).to.throw(/scored out of 10/);
  });

  for (const [name, badgeClass] of Object.entries(CLASSES)) {
    it(`builds the credential the project’s builder makes for the ${name} class, for an e-mail and for a DID`, async function () {
      const classId = badgeClassId(badgeClass);
      const score = badgeClass.score!.bands[1]!.from;
      const level = badgeClass.score!.bands[1]!.level;
      for (const earner of [{ email: 'Anna.Rossi@example.org' }, { identifier: 'did:example:bruno' }]) {
        const input = credentials.badgeInputFor({
          badgeClass,
          classId,
          issuer: ISSUER,
          earner,
          score,
          evidence: 'https://school-a.example/evidence/1',
          issuedOn: new Date('2026-12-01T10:00:00Z'),
          id: 'urn:uuid:8c6b1f7e-3a40-4a57-9a0b-0d7a3b1c2e10',
          salt: '00112233445566778899aabbccddeeff',
        });
        const browser = await credentials.buildCredential(input, badgeClass, { name: level });
        expect(browser).to.deep.equal(buildAchievementCredentialForClass(input as BadgeInput, badgeClass));
      }
    });
  }

  for (const type of ['Ed25519', 'P-256'] as const) {
    it(`signs a VC-JWT with a ${type} key file that the project’s verifier and jose both verify`, async function () {
      const issuerKey = generateIssuerKey({ type });
      const exported = exportIssuerKey(issuerKey);
      const key = await sign.readKeyFile(JSON.stringify(exported));
      const badgeClass = CLASSES.certification;
      const input = credentials.badgeInputFor({ badgeClass, classId: badgeClassId(badgeClass), issuer: ISSUER, earner: { email: 'a@b.example' }, score: 85, issuedOn: new Date() });
      const credential = await credentials.buildCredential(input, badgeClass, { name: 'Gold' });
      const jwt = await sign.signVcJwt(credential, key, sign.memberKeyId(ISSUER.did, key));
      const ours = await verifyCredential({ credential: jwt, now: new Date() });
      expect(ours.verified, JSON.stringify(ours)).to.equal(true);
      expect(ours.format).to.equal('vc-jwt');
      expect(ours.verificationMethod).to.equal(`${ISSUER.did}#${issuerKey.publicKeyMultibase}`);
      const { payload, protectedHeader } = await jose.jwtVerify(jwt, await jose.importJWK(exported.publicKeyJwk as jose.JWK, type === 'Ed25519' ? 'EdDSA' : 'ES256'));
      expect(protectedHeader).to.include({ alg: type === 'Ed25519' ? 'EdDSA' : 'ES256', typ: 'vc+jwt', cty: 'vc' });
      expect(payload).to.deep.equal(credential);
      const tampered = `${jwt.slice(0, -2)}${jwt.at(-2) === 'A' ? 'B' : 'A'}${jwt.at(-1)}`;
      expect((await verifyCredential({ credential: tampered, now: new Date() })).verified).to.equal(false);
    });
  }

  it('refuses a key file without a private key, or whose private key is another key', async function () {
    const exported = exportIssuerKey(generateIssuerKey({ type: 'Ed25519' }));
    await expectRejection(sign.readKeyFile(JSON.stringify({ ...exported, privateKeyJwk: undefined })), /holds no private key/);
    const other = exportIssuerKey(generateIssuerKey({ type: 'Ed25519' }));
    await expectRejection(sign.readKeyFile(JSON.stringify({ ...exported, privateKeyJwk: other.privateKeyJwk })), /does not match/);
    await expectRejection(sign.readKeyFile('not json'), /not JSON/);
  });

  it('reads a long CSV in steps: the progress rises to 1 between them, and every row keeps its line across the pauses', async function () {
    // Rows 100 and 200 end a step (papaparse pauses there); a blank line and a quoted field over two lines follow each.
    let csv = 'name,email,score';
    const expected: number[] = [];
    for (let row = 1; row <= 250; row++) {
      if (row === 101 || row === 201) csv += '\r\n';
      csv += '\r\n';
      // The line a row starts on: one more than the line breaks before it.
      expected.push(csv.split('\n').length);
      csv += row === 102 || row === 202 ? `"Earner\n${row}",e${row}@example.org,80` : `Earner ${row},e${row}@example.org,80`;
    }
    const reported: number[] = [];
    const table = await rows.readCsv(Papa, csv, async (fraction: number) => {
      reported.push(fraction);
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(table.rows.map((row: any) => row.line)).to.deep.equal(expected);
    expect(table.rows[101].cells[0]).to.equal('Earner\n102');
    expect(table.rows[249].cells).to.deep.equal(['Earner 250', 'e250@example.org', '80']);
    expect(reported.at(-1)).to.equal(1);
    const between = reported.filter((fraction) => fraction > 0 && fraction < 1);
    expect(between.length).to.be.greaterThanOrEqual(2);
    expect(between).to.deep.equal([...between].sort((a, b) => a - b));
  });

  it('reads a CSV with the line each row starts on, and names each bad cell by line and column', async function () {
    const csv = [
      'Name,E-mail,Evidence URL,Score,Level',
      'Anna Rossi,anna@example.org,https://e.example/1,85,Gold',
      '',
      '"Bruno\nBianchi",bruno@example.org,https://e.example/2,72,',
      'Carla,not-an-email,https://e.example/3,90,',
      'Dario,dario@example.org,https://e.example/4,60,',
      'Elena,elena@example.org,https://e.example/5,75,Gold',
      'Anna again,ANNA@example.org,https://e.example/6,95,',
      ',franco@example.org,ftp://e.example/7,8.5,',
    ].join('\r\n');
    const table = await rows.readCsv(Papa, csv);
    expect(table.rows.map((row: any) => row.line)).to.deep.equal([2, 4, 6, 7, 8, 9, 10]);
    const { earners, problems } = rows.checkEarners(table, CLASSES.certification);
    expect(earners).to.deep.equal([]);
    expect(problems.map((found: any) => [found.line, found.column, found.key])).to.deep.equal([
      [6, 'email', 'rows.email'],
      [7, 'score', 'rows.noBadge'],
      [8, 'level', 'rows.class'],
      [9, 'email', 'rows.duplicate'],
      [10, 'name', 'rows.required'],
      [10, 'evidence', 'rows.evidence'],
      [10, 'score', 'rows.wholeNumber'],
    ]);
    const good = rows.checkEarners({ header: table.header, rows: table.rows.slice(0, 2) }, CLASSES.certification);
    expect(good.problems).to.deep.equal([]);
    expect(good.earners.map((earner: any) => [earner.line, earner.name, earner.level, earner.score])).to.deep.equal([
      [2, 'Anna Rossi', 'Gold', 85],
      [4, 'Bruno\nBianchi', 'Silver', 72],
    ]);
  });

  it('names a missing or unknown column on the header line', async function () {
    const { problems } = rows.checkEarners(await rows.readCsv(Papa, 'name,mail,score\nA,a@b.example,80\n'), CLASSES.certification);
    expect(problems.map((found: any) => [found.line, found.column, found.key])).to.deep.equal([
      [1, 'mail', 'rows.unknownColumn'],
      [1, 'email', 'rows.missingEarnerColumn'],
    ]);
  });

  it('reads an XLSX sheet (exceljs) with the sheet’s row numbers', async function () {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('earners');
    sheet.addRow(['name', 'identifier', 'score']);
    sheet.addRow(['Anna', 'did:example:anna', 95]);
    sheet.addRow([]);
    sheet.addRow(['Bruno', 'did:example:bruno', 'seventy']);
    const table = await rows.readXlsx(ExcelJS, await workbook.xlsx.writeBuffer());
    const { problems } = rows.checkEarners(table, CLASSES.certification);
    expect(table.rows.map((row: any) => row.line)).to.deep.equal([2, 4]);
    expect(problems.map((found: any) => [found.line, found.column, found.key])).to.deep.equal([[4, 'score', 'rows.wholeNumber']]);
  });

  it('writes a store-only ZIP that another reader opens, CRC-checked', function () {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const bytes = zip.zipStore([
      { name: '0001-Anna/credential.jwt', data: 'eyJ.a.b\n' },
      { name: '0001-Anna/badge.png', data: png },
      { name: 'elenco-è.csv', data: 'line,name\n2,Anna\n' },
    ]);
    const archive = new AdmZip(Buffer.from(bytes));
    const entries = archive.getEntries();
    expect(entries.map((entry) => entry.entryName)).to.deep.equal(['0001-Anna/credential.jwt', '0001-Anna/badge.png', 'elenco-è.csv']);
    expect(archive.readAsText('0001-Anna/credential.jwt')).to.equal('eyJ.a.b\n');
    expect([...archive.readFile('0001-Anna/badge.png')!]).to.deep.equal([...png]);
    expect(zip.crc32(new TextEncoder().encode('123456789'))).to.equal(0xcbf43926);
  });
});

async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.match(pattern);
    return;
  }
  expect.fail(`expected a rejection matching ${pattern}`);
}
