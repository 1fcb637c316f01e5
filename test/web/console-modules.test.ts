// The console's own modules, run in Node (plain ES modules without the DOM): its words complete in both languages,
// a key read in the browser hashes as the registry and the CLI hash it, each verb's call encodes against the
// registry's ABI, the forms name a bad field, and a key file's private key stays out of the action. The modules
// import ethers as './ethers.mjs' (the service serves its browser build there): here a copy of them sits beside a
// file that re-exports the same build.
import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Interface, ZeroHash, keccak256, toUtf8Bytes } from 'ethers';
import { multicodecHexOf } from '../../service/credentials/key-hash';
import { exportIssuerKey, generateIssuerKey } from '../../service/credentials/keys';
import { ACTIONS, ENDORSEMENT_KINDS, ROLES, STATUSES } from '../../service/registry';
import { PAGE_DIRECTORY } from '../../service/web';
import { CONSOLE_DIRECTORY } from '../../service/web/console';
import { ConfederationRegistry__factory } from '../../typechain-types';

/* eslint-disable @typescript-eslint/no-explicit-any -- the modules are plain JavaScript */
const NETWORK = { roles: ROLES, statuses: STATUSES, actions: ACTIONS, endorsementKinds: ENDORSEMENT_KINDS };
const registry = new Interface(ConfederationRegistry__factory.abi);
const ADDRESS = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

describe('web console modules', function () {
  let directory: string;
  let words: any;
  let keys: any;
  let actions: any;
  let forms: any;
  let i18n: any;

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-console-modules-'));
    for (const name of readdirSync(CONSOLE_DIRECTORY).filter((file) => file.endsWith('.mjs'))) cpSync(join(CONSOLE_DIRECTORY, name), join(directory, name));
    const build = require.resolve('ethers').replace(/lib\.commonjs[\\/]index\.js$/, join('dist', 'ethers.min.js'));
    writeFileSync(join(directory, 'ethers.mjs'), `export * from ${JSON.stringify(pathToFileURL(build).href)};\n`);
    // Its own copy of the verifier page's i18n, so that the words added here do not reach the page's tests.
    cpSync(join(PAGE_DIRECTORY, 'i18n.mjs'), join(directory, 'i18n.mjs'));
    const load = (name: string): Promise<any> => import(join(directory, name));
    [words, keys, actions, forms, i18n] = await Promise.all(['words.mjs', 'keys.mjs', 'actions.mjs', 'forms.mjs', 'i18n.mjs'].map(load));
  });

  after(() => rmSync(directory, { recursive: true, force: true }));

  /** Every action of the console, one per verb and change, with the words it says and its outcome's. */
  function everyAction(): any[] {
    const key = keys.parsePublicKey(generateIssuerKey({ type: 'Ed25519' }).did);
    return [
      actions.applyAction({ did: 'did:web:school.example', role: 'issuing-point' }, NETWORK),
      actions.applyAction({ did: 'did:web:school.example', role: 'issuing-point', metadataUri: 'https://school.example/org.json', metadataHash: ZeroHash }, NETWORK),
      actions.withdrawAction({ memberId: 3 }),
      ...Object.keys(actions.VOTES).map((vote) => actions.voteAction({ vote, memberId: 3 }, NETWORK)),
      actions.quorumAction({ quorum: 2 }, NETWORK),
      actions.keyAddAction({ memberId: 3, key }),
      actions.keyAddAction({ memberId: 3, key, validFrom: 1_900_000_000, validUntil: 2_000_000_000 }),
      actions.keyRevokeAction({ memberId: 3, keyHash: key.keyHash }),
      ...['add', 'remove'].flatMap((change) => [actions.notaryAction({ memberId: 3, change, address: ADDRESS }), actions.revokerAction({ memberId: 3, change, address: ADDRESS })]),
      actions.endorseAction({ memberId: 3, change: 'endorse', kind: 'member', subject: 1, claim: 'https://school.example/claim' }, NETWORK),
      actions.endorseAction({ memberId: 3, change: 'withdraw', kind: 'badge-class', subject: `0x${'ab'.repeat(32)}` }, NETWORK),
    ];
  }

  it('has every word in English and Italian, none empty, and every label of the page and sentence of an action among them', function () {
    const { en, it: italian } = words.CONSOLE_MESSAGES;
    expect(Object.keys(italian).sort()).to.deep.equal(Object.keys(en).sort());
    for (const [key, value] of [...Object.entries(en), ...Object.entries(italian)] as [string, string][]) expect(value.trim(), key).to.not.equal('');
    i18n.addMessages(words.CONSOLE_MESSAGES);
    const known = (key: string) => ['en', 'it'].every((lang) => key in i18n.MESSAGES[lang]);
    const html = readFileSync(join(CONSOLE_DIRECTORY, 'index.html'), 'utf8');
    const labels = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((match) => match[1]);
    expect(labels.length).to.be.greaterThan(60);
    expect(labels.filter((key) => !known(key))).to.deep.equal([]);
    const said = everyAction().flatMap((action) => [action.says[0], action.outcome([])[0]]);
    expect(said.filter((key: string) => !known(key))).to.deep.equal([]);
    for (const status of STATUSES) expect(known(`memberStatus.${status}`), status).to.equal(true);
    // The console's title wins over the verifier page's; the page's own words stay.
    expect(i18n.t('page.title')).to.equal('Governance console');
    expect(i18n.t('role.issuing-point')).to.equal('validation and issuing point');
  });

  it('reads a key as the CLI does: the did:key, its verification method or the key file give the registry’s multicodec key and hash', function () {
    for (const type of ['Ed25519', 'P-256'] as const) {
      const key = generateIssuerKey({ type });
      const expected = { type, multicodec: multicodecHexOf(key.did), keyHash: key.keyHash };
      expect(keys.parsePublicKey(key.did), type).to.deep.equal(expected);
      expect(keys.parsePublicKey(key.verificationMethod), type).to.deep.equal(expected);
      expect(keys.parsePublicKey(JSON.stringify(exportIssuerKey(key))), type).to.deep.equal(expected);
      expect(keys.keyHashOfInput(key.keyHash.toUpperCase().replace('0X', '0x'))).to.equal(key.keyHash);
    }
  });

  it('names what is wrong with a key', function () {
    const code = (text: string) => {
      try {
        keys.parsePublicKey(text);
      } catch (error) {
        return (error as { code: string }).code;
      }
      return 'read';
    };
    expect(code('{ not json')).to.equal('input.key.json');
    expect(code('{"type":"Ed25519"}')).to.equal('input.key.noDid');
    expect(code('0xabc')).to.equal('input.key.form');
    expect(code('did:key:z2222222222222222222222222222222222222222222')).to.equal('input.key.type');
  });

  it('encodes every verb’s call against the registry’s ABI, with the CLI’s context for a refusal', function () {
    for (const action of everyAction()) {
      expect(() => registry.encodeFunctionData(action.method, action.args), action.method).to.not.throw();
    }
    const vote = actions.voteAction({ vote: 'approve', memberId: 3 }, NETWORK);
    expect([vote.method, vote.cli]).to.deep.equal(['approveAdmission', 'cannot approve member 3']);
    expect(actions.applyAction({ did: 'did:web:a.example', role: 'validation-point' }, NETWORK).args).to.deep.equal(['did:web:a.example', 2, '', ZeroHash]);
    expect(() => actions.voteAction({ vote: 'elect', memberId: 3 }, NETWORK)).to.throw(RangeError);
  });

  it('says a vote’s outcome from its events: the approvals of the quorum, and the new status', function () {
    const vote = actions.voteAction({ vote: 'approve', memberId: 3 }, NETWORK);
    const events = [
      { name: 'ProposalApproved', args: { approvals: 1n, required: 1n } },
      { name: 'MemberStatusChanged', args: { memberId: 3n, current: 2n } },
    ];
    expect(vote.outcome(events)).to.deep.equal(['done.vote.status', { subject: 'member 3', approvals: 1, required: 1, id: 3, status: 'active' }]);
    expect(vote.outcome(events.slice(0, 1))).to.deep.equal(['done.vote', { subject: 'member 3', approvals: 1, required: 1 }]);
  });

  it('hashes an applicant’s metadata file in the browser as member apply --metadata-file does', async function () {
    const metadata = '{"name":"School Example","url":"https://school.example"}\n';
    const form = new FormData();
    form.append('did', 'did:web:school.example');
    form.append('role', 'issuing-point');
    form.append('metadataUri', 'https://school.example/org.json');
    form.append('metadataFile', new Blob([metadata]), 'org.json');
    const action = await forms.FORMS['apply-form'].read(form, { network: NETWORK, memberId: 0 });
    expect(action.args).to.deep.equal(['did:web:school.example', 1, 'https://school.example/org.json', keccak256(toUtf8Bytes(metadata))]);
    expect(action.says[0]).to.equal('do.apply.metadata');
  });

  it('names a bad field before anything else, and keeps a key file’s private key out of the action', async function () {
    const problem = async (id: string, fields: Record<string, string>) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      try {
        await forms.FORMS[id].read(form, { network: NETWORK, memberId: 3 });
      } catch (error) {
        return [(error as { field: string }).field, (error as { reason: string }).reason];
      }
      return undefined;
    };
    expect(await problem('notary-form', { change: 'add', address: '0x1234' })).to.deep.equal(['address.label', 'input.address']);
    expect(await problem('apply-form', { did: 'school.example', role: 'issuing-point' })).to.deep.equal(['apply.did', 'input.did']);
    expect(await problem('vote-form', { vote: 'approve', memberId: '0' })).to.deep.equal(['vote.member', 'input.positive']);
    expect(await problem('key-add-form', { key: '' })).to.deep.equal(['keyAdd.text', 'input.required']);
    expect(await problem('endorse-form', { change: 'endorse', kind: 'badge-class', subject: '0x12', claim: 'https://a.example' })).to.deep.equal(['endorse.subject', 'input.bytes32']);

    const key = generateIssuerKey({ type: 'P-256' });
    const exported = exportIssuerKey(key);
    const form = new FormData();
    form.append('keyFile', new Blob([JSON.stringify(exported)], { type: 'application/json' }), 'key.json');
    form.append('validUntil', '');
    const action = await forms.FORMS['key-add-form'].read(form, { network: NETWORK, memberId: 3 });
    expect([action.method, action.args]).to.deep.equal(['registerPublicKey', [3, multicodecHexOf(key.did), 0, 0]]);
    expect(JSON.stringify(action, (_key, value) => (typeof value === 'bigint' ? String(value) : value))).to.not.contain(String(exported.privateKeyJwk!.d));
  });
});
