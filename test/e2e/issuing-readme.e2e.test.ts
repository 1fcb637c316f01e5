import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZeroHash } from 'ethers';
import { demoBadgePng } from '../../service/baking';
import { connectChain, registryAt } from '../../service/chain/connection';
import { deployRegistry } from '../../service/chain/deploy-registry';
import { writeDeploymentRecord } from '../../service/chain/deployment-record';
import { startLocalNode, type LocalNode } from '../../service/chain/local-node';
import { startKillableService, type KillableService } from '../support/killable-service';
import { runProcess, type ScriptResult } from '../support/run-node-script';
import { wellKnownAccount } from '../support/well-known-accounts';

const projectRoot = join(__dirname, '..', '..');
const MEMBER_DID = 'did:web:school.example';
const DID_KEY_PLACEHOLDER = 'did:key:z6Mk...';
const CLONE_PLACEHOLDER = '/path/to/badge-notary';

/** The README's "Issuing badges" section: its shell commands, its template and its CSV, exactly as written. */
function readmeIssuingSection(): { commands: string[]; template: string; csv: string } {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('### Issuing badges');
  expect(start, 'the README has an "Issuing badges" section').to.be.greaterThan(-1);
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const block = (language: string) => {
    const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section);
    expect(match, `a ${language} block in the section`).to.not.equal(null);
    return match![1];
  };
  const commands = block('sh')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
  return { commands, template: block('json'), csv: block('csv') };
}

describe('end to end: the README’s issuing section, run as written against a hardhat node and the service', function () {
  this.timeout(900_000);
  let node: LocalNode;
  let service: KillableService;
  let directory: string;
  let env: NodeJS.ProcessEnv;
  const readme = readmeIssuingSection();
  const closeConnections: (() => void)[] = [];

  /** Runs one README line as written in the issuer's folder, through the shell (npx, globs and all). */
  async function run(command: string): Promise<ScriptResult> {
    expect(command.startsWith('npx badge-notary ') || command.startsWith('npm install '), command).to.equal(true);
    const result = await runProcess('/bin/sh', ['-c', `cd '${directory}' && ${command}`], env, 300_000);
    expect(result.code, `${command}\n${result.stdout}\n${result.stderr}`).to.equal(0);
    return result;
  }

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-issuing-'));
    node = await startLocalNode();
    const connect = (index: number) => {
      const connection = connectChain({ rpcUrl: node.rpcUrl, privateKey: wellKnownAccount(index).privateKey });
      closeConnections.push(() => connection.close());
      return connection.signer!;
    };
    const record = await deployRegistry(connect(0), [{ did: MEMBER_DID, controller: wellKnownAccount(0).address, role: 1, metadataURI: '', metadataHash: ZeroHash }], 1);
    await (await registryAt(record.registry, connect(0)).authoriseNotary(1, wellKnownAccount(9).address)).wait();
    const deployment = join(directory, 'deployment.json');
    writeDeploymentRecord(deployment, record);
    service = await startKillableService({
      BADGE_NOTARY_RPC_URL: node.rpcUrl,
      BADGE_NOTARY_DEPLOYMENT: deployment,
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
      BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_BATCH_MAX_AGE_MS: '300',
      BADGE_NOTARY_POLL_INTERVAL_MS: '100',
    });
    // The settings the README's section asks for: the chain, the registry, the controller account, the service.
    env = {
      BADGE_NOTARY_RPC_URL: node.rpcUrl, BADGE_NOTARY_DEPLOYMENT: deployment,
      BADGE_NOTARY_PRIVATE_KEY: wellKnownAccount(0).privateKey, BADGE_NOTARY_URL: service.url
    };
    writeFileSync(join(directory, 'badge-template.json'), readme.template);
    writeFileSync(join(directory, 'earners.csv'), readme.csv);
    writeFileSync(join(directory, 'badge.png'), demoBadgePng({ label: 'Silver' }));
  });

  after(async function () {
    const code = await service?.stop();
    for (const close of closeConnections) close();
    await node?.stop();
    rmSync(directory, { recursive: true, force: true });
    expect(code, 'the service stops cleanly on SIGTERM').to.equal(0);
  });

  it('the section installs the command line, then runs key generate, key add, api-key create, badge issue, notarise, verify, bake, verify', function () {
    expect(readme.commands[0]).to.equal(`npm install ${CLONE_PLACEHOLDER}`);
    const subcommands = readme.commands.slice(1).map((line) => {
      const [first, second] = line.split(' ').slice(2);
      return ['key', 'api-key', 'badge'].includes(first) ? `${first} ${second}` : first;
    });
    expect(subcommands).to.deep.equal(['key generate', 'key add', 'api-key create', 'badge issue', 'notarise', 'verify', 'bake', 'verify']);
  });

  it('follows it: every command exits 0, and both the signed badge and the baked image verify against the chain', async function () {
    const [install, generate, keyAdd, ...rest] = readme.commands;
    await run(install.replace(CLONE_PLACEHOLDER, projectRoot));
    expect(readlinkSync(join(directory, 'node_modules', '.bin', 'badge-notary')), 'npx finds the linked command line').to.contain('bin/badge-notary.js');

    const generated = await run(generate);
    expect(statSync(join(directory, 'key.json')).mode & 0o777, 'the key file is mode 600').to.equal(0o600);
    const did = /did:key {3}(did:key:z\S+)/.exec(generated.stdout)?.[1];
    expect(did, generated.stdout).to.be.a('string');
    expect(generated.stdout).to.contain(`key id    ${MEMBER_DID}#${did!.slice('did:key:'.length)}`);
    // key generate prints the README's key add line, with the key filled in.
    expect(keyAdd).to.contain(DID_KEY_PLACEHOLDER);
    const printedKeyAdd = keyAdd.replace(DID_KEY_PLACEHOLDER, did!);
    expect(generated.stdout.split('\n').map((line) => line.trim())).to.include(printedKeyAdd);
    expect((await run(printedKeyAdd)).stdout).to.match(/registered for member 1/);

    const outputs: string[] = [];
    for (const command of rest) outputs.push((await run(command)).stdout);
    const [apiKey, issued, notarised, verified, baked, verifiedBaked] = outputs;
    expect(apiKey).to.contain('written to school.key');
    const earners = readme.csv.trim().split('\n').length - 1;
    expect(issued).to.contain(`${earners} credential(s) signed (vc-jwt) and written to badges`);
    expect(readdirSync(join(directory, 'badges')).filter((name) => name.endsWith('.jwt'))).to.have.length(earners);
    expect(notarised.match(/anchored; receipt written/g)).to.have.length(earners);
    expect(verified).to.contain('badges/0001.jwt: VERIFIED');
    expect(baked).to.contain('baked into baked.png');
    expect(verifiedBaked).to.contain('baked.png: VERIFIED');
    expect(verifiedBaked).to.contain(`issued by ${MEMBER_DID} (member 1)`);
  });
});
