// Property-based fuzzing of the badge-notary command line, run in-process (runCli) against a real hardhat
// node process with the registry deployed: every command with malformed arguments, options and file
// contents (garbage, invalid UTF-8, deeply nested JSON, forged keys) must exit 2 with a message, and never
// throw, never leave an unhandled rejection, never send a transaction. The seed is printed;
// BADGE_NOTARY_FUZZ_SEED replays.
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAddress, isHexString } from 'ethers';
import { runCli } from '../../service/cli/main';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { fuzzParameters } from './support';

const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82]].map((bytes) => Buffer.from(bytes));
const HELP_OR_VERSION = new Set(['-h', '--help', 'help', '-V', '--version']);

describe('security: property-based fuzzing of the command line', function () {
  this.timeout(600_000);
  let network: NotaryNetwork;
  let directory: string;
  let deployment: string;
  let fileCount = 0;
  let startBlock: number;
  const runs = fuzzParameters(process.env.BADGE_NOTARY_SLOW_TESTS === '1' ? 600 : 300);
  const exits = new Map<string, number>();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-fuzz-cli-'));
    network = await startNotaryNetwork();
    deployment = join(directory, 'deployment.json');
    network.writeRecord(deployment);
    startBlock = await network.as(0).runner!.provider!.getBlockNumber();
    process.on('unhandledRejection', onUnhandled);
    console.log(`      fuzz seed ${runs.seed} (BADGE_NOTARY_FUZZ_SEED=${runs.seed} replays), ${runs.numRuns} runs per property`);
  });

  after(async function () {
    process.off('unhandledRejection', onUnhandled);
    if (exits.size > 0) console.log(`      CLI cases per command: ${[...exits].map(([command, n]) => `${command}: ${n}`).join(', ')}`);
    await network?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  /** A file with these bytes; its path. */
  const file = (bytes: Buffer) => {
    const path = join(directory, `input-${fileCount++}`);
    writeFileSync(path, bytes);
    return path;
  };

  const text = (max = 40) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: max });
  const notMember = fc.oneof(text(), fc.constantFrom('0', '-1', '1.5', '4294967296', '99999999999', '0x1', ' 1', 'did', 'one')).filter((t) => !/^[1-9][0-9]{0,9}$/.test(t) && !t.startsWith('did:'));
  const unknownDid = fc.stringMatching(/^[a-z0-9-]{1,20}$/).map((name) => `did:web:${name}.nowhere.example`);
  const notAddress = fc.oneof(text(), fc.stringMatching(/^0x[0-9a-f]{39}$/), fc.stringMatching(/^0x[0-9a-f]{41}$/), fc.constant('0xZZ')).filter((t) => !isAddress(t));
  const notKey = fc.oneof(text(80), fc.stringMatching(/^did:key:z[1-9A-HJ-NP-Za-km-z]{5,60}$/), fc.stringMatching(/^0x[0-9a-f]{1,63}$/), fc.constant('did:key:')).filter((t) => !isHexString(t, 32));
  const notTime = fc.oneof(text(), fc.constantFrom('yesterday', '2026-13-45', '-5', '1e9', '2026/01/01', 'NaN')).filter((t) => !/^[0-9]+$/.test(t) && (Number.isNaN(Date.parse(t)) || !/^\d{4}-\d{2}-\d{2}/.test(t)));
  const notPositive = fc.oneof(text(), fc.constantFrom('0', '-3', '1.5', '1e3', '99999999999999999999', '')).filter((t) => !/^[1-9][0-9]*$/.test(t) || !Number.isSafeInteger(Number(t)));
  const garbageBytes = fc.oneof(
    fc.string({ maxLength: 300 }).map((t) => Buffer.from(t)),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.string({ maxLength: 40 })).map(([bytes, t]) => Buffer.concat([Buffer.from(`{"a": "${t}`), bytes, Buffer.from('"}')])),
    fc.integer({ min: 1_000, max: 50_000 }).map((depth) => Buffer.from(`{"@context": ${'['.repeat(depth)}${']'.repeat(depth)}}`)),
    fc.integer({ min: 1_000, max: 50_000 }).map((depth) => Buffer.from(`{"version": "badge-notary-receipt/1", "proof": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`)),
    fc.constantFrom(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('<svg><broken'), Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>')),
  );
  const garbageFile = garbageBytes.map(file);

  /** Commands with malformed input, each as its argv. */
  const argvs: fc.Arbitrary<{ command: string; argv: string[]; env?: Record<string, string> }> = fc.oneof(
    fc.tuple(fc.constantFrom('approve', 'suspend', 'reinstate', 'remove', 'show'), fc.oneof(notMember, unknownDid)).map(([verb, ref]) => ({ command: `member ${verb}`, argv: ['member', verb, ref] })),
    fc.tuple(text(), text()).map(([did, role]) => ({ command: 'member apply', argv: ['member', 'apply', '--did', did, '--role', role] })),
    fc.constant({ command: 'member apply', argv: ['member', 'apply'] as string[] }),
    notPositive.map((value) => ({ command: 'quorum', argv: ['quorum', value] })),
    fc.tuple(fc.constantFrom('add', 'revoke', 'show'), notKey).map(([verb, key]) => ({ command: `key ${verb}`, argv: ['key', verb, key] })),
    fc.tuple(fc.constantFrom('--valid-from', '--valid-until'), notTime).map(([option, time]) => ({
      command: 'key add',
      argv: ['key', 'add', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', option, time],
    })),
    fc.tuple(fc.constantFrom('notary', 'revoker'), fc.constantFrom('add', 'remove'), notAddress).map(([group, verb, address]) => ({ command: `${group} ${verb}`, argv: [group, verb, address] })),
    fc.tuple(fc.constantFrom('add', 'withdraw'), fc.oneof(text(), fc.constant('member'), fc.constant('badge-class')), fc.oneof(notMember, notKey)).map(([verb, kind, subject]) => ({
      command: `endorse ${verb}`,
      argv: ['endorse', verb, kind, subject, ...(verb === 'add' ? ['--claim', 'https://example.org/claim'] : [])],
    })),
    fc.array(garbageFile, { minLength: 1, maxLength: 3 }).map((files) => ({ command: 'verify', argv: ['verify', ...files] })),
    fc.tuple(garbageFile, garbageFile).map(([credential, receipt]) => ({ command: 'verify --receipt', argv: ['verify', credential, '--receipt', receipt] })),
    fc.tuple(fc.constantFrom('--confirmations', '--concurrency'), notPositive, garbageFile).map(([option, value, credential]) => ({ command: `verify ${option}`, argv: ['verify', credential, option, value] })),
    fc.tuple(garbageFile, text()).map(([key, did]) => ({ command: 'api-key create', argv: ['api-key', 'create', '--issuer-key', key, '--member-did', did, '--url', 'http://127.0.0.1:9'] })),
    text().filter((role) => role !== 'admin' && role !== 'editor').map((role) => ({ command: 'api-key create --role', argv: ['api-key', 'create', '--issuer-key', 'x', '--member-did', 'did:web:a', '--role', role] })),
    fc.array(garbageFile, { minLength: 1, maxLength: 2 }).map((files) => ({ command: 'notarise (no key)', argv: ['notarise', '--url', 'http://127.0.0.1:9', ...files] })),
    notPositive.map((timeout) => ({ command: 'notarise --timeout', argv: ['notarise', '--url', 'http://127.0.0.1:9', '--timeout', timeout, 'x'], env: { BADGE_NOTARY_API_KEY: 'bnk_x' } })),
    fc.tuple(garbageBytes.filter((bytes) => !isHexString(bytes.toString('utf8').trim(), 32)), fc.constantFrom<[string, string[]]>(['member approve', ['member', 'approve', '2']], ['quorum', ['quorum', '1']], ['notary add', ['notary', 'add', '0x000000000000000000000000000000000000dEaD']])).map(([key, [command, argv]]) => ({
      command: `${command} --key-file`,
      argv: ['--key-file', file(key), ...argv],
    })),
    notAddress.map((address) => ({ command: '--registry', argv: ['--registry', address, 'member', 'list'] })),
    fc.array(text(20).filter((token) => !HELP_OR_VERSION.has(token.trim())), { minLength: 1, maxLength: 4 }).map((argv) => ({ command: 'random words', argv })),
    fc.constantFrom('member', 'key', 'notary', 'revoker', 'endorse', 'api-key').chain((group) => text(15).map((option) => ({ command: `${group} (unknown)`, argv: [group, `--${option.replace(/^-+/, '')}x`] }))),
  );

  it('every command with malformed input exits 2 with a message, and never throws', async function () {
    await fc.assert(
      fc.asyncProperty(argvs, async ({ command, argv, env }) => {
        const out: string[] = [];
        const err: string[] = [];
        let code: number;
        try {
          code = await runCli(argv, {
            env: { BADGE_NOTARY_RPC_URL: network.node.rpcUrl, BADGE_NOTARY_DEPLOYMENT: deployment, ...env },
            io: { out: (t) => out.push(t), err: (t) => err.push(t) },
          });
        } catch (error) {
          expect.fail(`runCli threw for ${JSON.stringify(argv)}: ${String(error)}`);
        }
        exits.set(command, (exits.get(command) ?? 0) + 1);
        const context = `${JSON.stringify(argv).slice(0, 300)}: out ${out.join(' ').slice(0, 300)} err ${err.join(' ').slice(0, 300)}`;
        expect(code, context).to.equal(2);
        // A verify that found nothing usable says so per file on stdout; everything else explains on stderr.
        expect(command.startsWith('verify') ? `${out.join('\n')}${err.join('\n')}` : err.join('\n'), context).to.match(/\S/);
        expect(unhandled, 'unhandled rejections').to.deep.equal([]);
      }),
      runs,
    );
  });

  it('sent no transaction: the chain is where the fuzzing found it', async function () {
    expect(await network.as(0).runner!.provider!.getBlockNumber()).to.equal(startBlock);
  });
});
