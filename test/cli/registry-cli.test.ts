import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBase58, keccak256, toBeHex } from 'ethers';
import { startLocalNode, type LocalNode } from '../../service/chain/local-node';
import { readDeploymentRecord } from '../../service/chain/deployment-record';
import { runCli } from '../../service/cli/main';
import { runCliCapturing } from '../support/in-process-cli';
import { generateIssuerKey, memberDidDocument, memberKeyId, publicKeyOf } from '../../service/credentials';
import { wellKnownAccount } from '../support/well-known-accounts';
import { runProcess, runTsScript } from '../support/run-node-script';

/** The did:key example of the did:key specification (an Ed25519 key). */
const DID_KEY = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
/** Its key hash computed independently: keccak256 over the multicodec-prefixed key (base58btc-decoded). */
const DID_KEY_HASH = keccak256(toBeHex(decodeBase58(DID_KEY.slice('did:key:z'.length)), 34));

const founderA = wellKnownAccount(0);
const founderB = wellKnownAccount(1);
const applicant = wellKnownAccount(2);
const notary = wellKnownAccount(3);
const secondApplicant = wellKnownAccount(4);

interface CliRun {
  code: number;
  out: string;
  err: string;
}

describe('badge-notary command line, against a hardhat node process', function () {
  this.timeout(180_000);
  let node: LocalNode;
  let workDir: string;
  let deploymentFile: string;

  /** Runs the CLI in-process as the holder of `privateKey`. */
  async function cli(privateKey: string | undefined, ...argv: string[]): Promise<CliRun> {
    const env: NodeJS.ProcessEnv = { BADGE_NOTARY_RPC_URL: node.rpcUrl, BADGE_NOTARY_DEPLOYMENT: deploymentFile };
    if (privateKey) env.BADGE_NOTARY_PRIVATE_KEY = privateKey;
    return runCliCapturing(argv, env);
  }

  before(async function () {
    workDir = mkdtempSync(join(tmpdir(), 'badge-notary-cli-'));
    node = await startLocalNode();
    const foundersFile = join(workDir, 'founders.json');
    writeFileSync(
      foundersFile,
      JSON.stringify([
        { did: 'did:web:school-a.example', controller: founderA.address, role: 'issuing-point', metadataURI: 'https://school-a.example/org.json' },
        { did: 'did:web:chamber-b.example', controller: founderB.address, role: 'validation-point' },
      ]),
    );
    deploymentFile = join(workDir, 'deployment.json');
    const deployed = await runTsScript('scripts/deploy.ts', [], {
      BADGE_NOTARY_RPC_URL: node.rpcUrl,
      BADGE_NOTARY_DEPLOYER_KEY: founderA.privateKey,
      BADGE_NOTARY_FOUNDERS: foundersFile,
      BADGE_NOTARY_QUORUM: '2',
      BADGE_NOTARY_DEPLOYMENT_FILE: deploymentFile,
    });
    expect(deployed.code, deployed.stderr).to.equal(0);
    expect(deployed.stdout).to.match(/registry deployed at 0x[0-9a-fA-F]{40} \(eip155:31337:0x/);
  });

  after(async function () {
    await node?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  describe('deploy script', function () {
    it('wrote a deployment record that names the chain, the registry and its block', function () {
      const record = readDeploymentRecord(deploymentFile);
      expect(record.chainId).to.equal(31337);
      expect(record.quorum).to.equal(2);
      expect(record.founders).to.equal(2);
      expect(record.blockNumber).to.be.greaterThan(0);
    });

    it('refuses a quorum above the founders, naming the variable, with exit status 2', async function () {
      const foundersFile = join(workDir, 'founders.json');
      const result = await runTsScript('scripts/deploy.ts', [], {
        BADGE_NOTARY_RPC_URL: node.rpcUrl,
        BADGE_NOTARY_DEPLOYER_KEY: founderA.privateKey,
        BADGE_NOTARY_FOUNDERS: foundersFile,
        BADGE_NOTARY_QUORUM: '3',
        BADGE_NOTARY_DEPLOYMENT_FILE: join(workDir, 'unused.json'),
      });
      expect(result.code).to.equal(2);
      expect(result.stderr).to.contain('BADGE_NOTARY_QUORUM must be a whole number from 1 to 2');
    });

    it('refuses a founder without a valid role, naming the entry and field', async function () {
      const badFounders = join(workDir, 'bad-founders.json');
      writeFileSync(badFounders, JSON.stringify([{ did: 'did:web:x.example', controller: founderA.address, role: 'boss' }]));
      const result = await runTsScript('scripts/deploy.ts', [], {
        BADGE_NOTARY_RPC_URL: node.rpcUrl,
        BADGE_NOTARY_DEPLOYER_KEY: founderA.privateKey,
        BADGE_NOTARY_FOUNDERS: badFounders,
      });
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain(`${badFounders}[0].role is invalid`);
    });
  });

  describe('membership', function () {
    it('applies for membership and lists the applicant as pending', async function () {
      const metadataFile = join(workDir, 'applicant.json');
      writeFileSync(metadataFile, '{"name":"Cooperativa C"}');
      const applied = await cli(applicant.privateKey, '--json', 'member', 'apply', '--did', 'did:web:coop-c.example', '--role', 'issuing-point', '--metadata-uri', 'https://coop-c.example/org.json', '--metadata-file', metadataFile);
      expect(applied.code, applied.err).to.equal(0);
      expect(JSON.parse(applied.out)).to.include({ memberId: 3, status: 'pending' });

      const shown = await cli(undefined, '--json', 'member', 'show', 'did:web:coop-c.example');
      const member = JSON.parse(shown.out);
      expect(member).to.include({ id: 3, status: 'pending', role: 'issuing-point', controller: applicant.address });
      expect(member.metadataHash).to.equal(keccak256(readFileSync(metadataFile)));

      const listed = await cli(undefined, 'member', 'list');
      expect(listed.out.split('\n')).to.have.length(4);
      expect(listed.out).to.match(/^3\s+pending\s+\S+\s+issuing-point\s+did:web:coop-c\.example/m);
    });

    it('admits the applicant when the quorum of founders approves, and says how many approvals are in', async function () {
      const first = await cli(founderA.privateKey, 'member', 'approve', '3');
      expect(first.code, first.err).to.equal(0);
      expect(first.out).to.contain('1 of 2 approvals');

      const again = await cli(founderA.privateKey, 'member', 'approve', '3');
      expect(again.code).to.equal(1);
      expect(again.err).to.match(/^refused: cannot approve member 3: member 1 has already approved this proposal/);

      const second = await cli(founderB.privateKey, 'member', 'approve', 'did:web:coop-c.example');
      expect(second.out).to.contain('2 of 2 approvals: member 3 is now active');
      const quorum = await cli(undefined, 'quorum');
      expect(quorum.out).to.equal('quorum 2 of 3 active members');
    });

    it('refuses a vote from a suspended member, in words', async function () {
      await cli(secondApplicant.privateKey, 'member', 'apply', '--did', 'did:web:ngo-d.example', '--role', 'information-point');
      expect((await cli(founderA.privateKey, 'member', 'suspend', '3')).out).to.contain('1 of 2 approvals');
      expect((await cli(founderB.privateKey, 'member', 'suspend', '3')).out).to.contain('member 3 is now suspended');

      const refused = await cli(applicant.privateKey, 'member', 'approve', '4');
      expect(refused.code).to.equal(1);
      expect(refused.err).to.equal('refused: cannot approve member 4: only active members can do this: member 3 is suspended');

      const keyRefused = await cli(applicant.privateKey, 'key', 'add', DID_KEY);
      expect(keyRefused.code).to.equal(1);
      expect(keyRefused.err).to.contain('member 3 is suspended');

      await cli(founderA.privateKey, 'member', 'reinstate', '3');
      const reinstated = await cli(founderB.privateKey, 'member', 'reinstate', '3');
      expect(reinstated.out).to.contain('member 3 is now active');
      const history = JSON.parse((await cli(undefined, '--json', 'member', 'show', '3')).out).history;
      expect(history.map((h: { status: string }) => h.status)).to.deep.equal(['pending', 'active', 'suspended', 'active']);
    });

    it('votes a quorum change through, and refuses one out of range', async function () {
      const tooHigh = await cli(founderA.privateKey, 'quorum', '9');
      expect(tooHigh.code).to.equal(1);
      expect(tooHigh.err).to.contain('a quorum of 9 is out of range');
      await cli(founderA.privateKey, 'quorum', '1');
      const changed = await cli(founderB.privateKey, 'quorum', '1');
      expect(changed.out).to.contain('the quorum is now 1');
    });

    // Issue #17, point 9: the voters check the applicant's DID document; an application can be withdrawn or
    // rejected, which frees its DID.
    it('member show says where the did:web document must name the controller, and checks a downloaded one', async function () {
      const shown = await cli(undefined, 'member', 'show', '4');
      expect(shown.out).to.contain(
        `DID control check that https://ngo-d.example/.well-known/did.json names the controller: a verificationMethod with blockchainAccountId eip155:<chain id>:${secondApplicant.address}`,
      );
      const document = (account: string) => ({
        '@context': ['https://www.w3.org/ns/did/v1'],
        id: 'did:web:ngo-d.example',
        verificationMethod: [{ id: 'did:web:ngo-d.example#controller', type: 'EcdsaSecp256k1RecoveryMethod2020', controller: 'did:web:ngo-d.example', blockchainAccountId: `eip155:31337:${account}` }],
      });
      const good = join(workDir, 'ngo-d-did.json');
      writeFileSync(good, JSON.stringify(document(secondApplicant.address.toLowerCase())));
      const checked = await cli(undefined, 'member', 'show', '4', '--did-document', good);
      expect(checked.code, checked.err).to.equal(0);
      expect(checked.out).to.contain(`DID control shown: ${good} is did:web:ngo-d.example's document and names the controller ${secondApplicant.address}`);

      const other = join(workDir, 'squatted-did.json');
      writeFileSync(other, JSON.stringify(document(applicant.address)));
      const refused = await cli(undefined, 'member', 'show', '4', '--did-document', other);
      expect(refused.code).to.equal(2);
      expect(refused.err).to.contain(`does not name the controller ${secondApplicant.address}`);
      expect(refused.out).to.contain(`DID control NOT SHOWN: ${other} has no verificationMethod whose blockchainAccountId is eip155:<chain id>:${secondApplicant.address}`);
    });

    it('withdraws an application, lets another account take its DID, and rejects that one by vote', async function () {
      const withdrawn = await cli(secondApplicant.privateKey, 'member', 'withdraw');
      expect(withdrawn.code, withdrawn.err).to.equal(0);
      expect(withdrawn.out).to.contain('withdrawn: the application of member 4 is closed and its DID is free');

      const newcomer = wellKnownAccount(5);
      const applied = await cli(newcomer.privateKey, '--json', 'member', 'apply', '--did', 'did:web:ngo-d.example', '--role', 'information-point');
      expect(applied.code, applied.err).to.equal(0);
      expect(JSON.parse(applied.out)).to.include({ memberId: 5 });
      const rejected = await cli(founderA.privateKey, 'member', 'reject', '5');
      expect(rejected.code, rejected.err).to.equal(0);
      expect(rejected.out).to.contain('1 of 1 approvals: member 5 is now rejected');
      expect((await cli(undefined, 'member', 'list')).out).to.match(/^4\s+withdrawn\s/m);
    });
  });

  describe('keys and notaries', function () {
    it('registers a did:key by its key hash, shows it valid now, and revokes it', async function () {
      const added = await cli(applicant.privateKey, '--json', 'key', 'add', DID_KEY);
      expect(added.code, added.err).to.equal(0);
      expect(JSON.parse(added.out)).to.include({ memberId: 3, keyHash: DID_KEY_HASH, publicKey: `0x${toBeHex(decodeBase58(DID_KEY.slice('did:key:z'.length)), 34).slice(2)}` });

      const shown = await cli(undefined, 'key', 'show', DID_KEY, '--at', String(Math.floor(Date.now() / 1000) + 3600));
      expect(shown.out).to.contain(`key ${DID_KEY_HASH} of member 3`);
      expect(shown.out).to.match(/: valid$/m);

      const revoked = await cli(applicant.privateKey, 'key', 'revoke', DID_KEY_HASH);
      expect(revoked.code, revoked.err).to.equal(0);
      const after = await cli(undefined, '--json', 'key', 'show', DID_KEY_HASH);
      expect(JSON.parse(after.out).revoked).to.equal(true);

      const later = await cli(applicant.privateKey, 'key', 'revoke', DID_KEY_HASH, '--compromised-at', '2999-01-01T00:00:00Z');
      expect(later.code).to.equal(1);
      expect(later.err).to.contain('a compromise time of 32472144000 is not allowed');
    });

    it('member did-document: the registered keys named under the member’s DID, the revoked one out of assertionMethod, written with --out', async function () {
      const fresh = generateIssuerKey({ type: 'P-256' });
      expect((await cli(applicant.privateKey, 'key', 'add', fresh.did)).code).to.equal(0);
      const out = join(workDir, 'did.json');
      const written = await cli(undefined, 'member', 'did-document', '3', '--key', DID_KEY, '--key', JSON.stringify(fresh.publicKeyJwk), '--out', out);
      expect(written.code, written.err).to.equal(0);
      expect(written.out).to.contain('DID document of did:web:coop-c.example: 2 key(s), 1 valid now (assertionMethod)');
      expect(written.out).to.contain('host it at https://coop-c.example/.well-known/did.json');
      const document = JSON.parse(readFileSync(out, 'utf8'));
      const revokedId = `did:web:coop-c.example#${DID_KEY.slice('did:key:'.length)}`;
      expect(document.id).to.equal('did:web:coop-c.example');
      expect(document.verificationMethod.map((method: { id: string; controller: string }) => [method.id, method.controller])).to.deep.equal([
        [revokedId, 'did:web:coop-c.example'],
        [memberKeyId('did:web:coop-c.example', fresh), 'did:web:coop-c.example'],
      ]);
      expect(document.assertionMethod).to.deep.equal([memberKeyId('did:web:coop-c.example', fresh)]);

      const printed = await cli(undefined, '--json', 'member', 'did-document', 'did:web:coop-c.example', '--key', fresh.did);
      expect(JSON.parse(printed.out).assertionMethod).to.deep.equal([memberKeyId('did:web:coop-c.example', fresh)]);

      const foreign = await cli(undefined, 'member', 'did-document', '3', '--key', generateIssuerKey({ type: 'Ed25519' }).did);
      expect(foreign.code).to.equal(2);
      expect(foreign.err).to.contain('is not registered to member 3');
      const garbage = await cli(undefined, 'member', 'did-document', '3', '--key', 'not-a-key');
      expect(garbage.code).to.equal(2);
      expect(garbage.err).to.contain('--key "not-a-key" is not a public key');
    });

    it('member did-document with no --key: the document from the keys key add published on-chain, the revoked one a method only; --key adds a key registered by hash', async function () {
      // By now member 3 has DID_KEY (added, then revoked) and a P-256 key, both added as public keys.
      const COOP = 'did:web:coop-c.example';
      const keys = JSON.parse((await cli(undefined, '--json', 'member', 'did-document', '3')).out);
      const p256 = keys.verificationMethod[1].publicKeyMultibase as string;
      const out = join(workDir, 'published-did.json');
      const written = await cli(undefined, 'member', 'did-document', '3', '--out', out);
      expect(written.code, written.err).to.equal(0);
      expect(written.out).to.contain(`DID document of ${COOP}: 2 key(s), 1 valid now (assertionMethod)`);
      expect(JSON.parse(readFileSync(out, 'utf8'))).to.deep.equal(
        memberDidDocument(COOP, [
          { key: publicKeyOf(DID_KEY), assertion: false },
          { key: publicKeyOf(p256), assertion: true },
        ]),
      );

      const hashOnly = generateIssuerKey({ type: 'Ed25519' });
      const added = await cli(applicant.privateKey, '--json', 'key', 'add', hashOnly.keyHash);
      expect(JSON.parse(added.out)).to.include({ keyHash: hashOnly.keyHash, publicKey: null });
      const without = JSON.parse((await cli(undefined, '--json', 'member', 'did-document', '3')).out);
      expect(without.verificationMethod).to.have.length(2);
      const named = JSON.parse((await cli(undefined, '--json', 'member', 'did-document', '3', '--key', hashOnly.did, '--key', DID_KEY)).out);
      expect(named.verificationMethod.map((method: { id: string }) => method.id)).to.deep.equal([
        memberKeyId(COOP, publicKeyOf(DID_KEY)),
        memberKeyId(COOP, publicKeyOf(p256)),
        memberKeyId(COOP, hashOnly),
      ]);
      expect(named.assertionMethod).to.deep.equal([memberKeyId(COOP, publicKeyOf(p256)), memberKeyId(COOP, hashOnly)]);
    });

    it('refuses a key registration starting in the past', async function () {
      const past = await cli(applicant.privateKey, 'key', 'add', `0x${'ab'.repeat(32)}`, '--valid-from', '2020-01-01T00:00:00Z');
      expect(past.code).to.equal(1);
      expect(past.err).to.contain('cannot start in the past');
    });

    it('authorises and removes a notary', async function () {
      const added = await cli(applicant.privateKey, 'notary', 'add', notary.address);
      expect(added.out).to.contain(`${notary.address} now notarises for member 3`);
      const shown = JSON.parse((await cli(undefined, '--json', 'member', 'show', '3')).out);
      expect(shown.notaries).to.deep.equal([notary.address]);

      const twice = await cli(founderA.privateKey, 'notary', 'add', notary.address);
      expect(twice.err).to.equal(`refused: cannot authorise ${notary.address} for member 1: ${notary.address} already notarises for member 3`);

      const removed = await cli(applicant.privateKey, 'notary', 'remove', notary.address);
      expect(removed.code, removed.err).to.equal(0);
      expect(JSON.parse((await cli(undefined, '--json', 'member', 'show', '3')).out).notaries).to.deep.equal([]);
    });
  });

  describe('revokers', function () {
    it('lets a member authorise another account to revoke for it, and withdraw it once', async function () {
      const added = await cli(applicant.privateKey, 'revoker', 'add', notary.address);
      expect(added.code, added.err).to.equal(0);
      expect(added.out).to.contain(`${notary.address} may now revoke member 3’s credentials`);
      expect((await cli(applicant.privateKey, 'revoker', 'remove', notary.address)).code).to.equal(0);
      const again = await cli(applicant.privateKey, 'revoker', 'remove', notary.address);
      expect(again.code).to.equal(1);
      expect(again.err).to.contain(`${notary.address} is not a revoker of member 3`);
    });
  });

  describe('endorsements', function () {
    it('endorses a member and withdraws the endorsement once', async function () {
      const given = await cli(founderA.privateKey, 'endorse', 'add', 'member', 'did:web:coop-c.example', '--claim', 'https://school-a.example/endorsements/c.json');
      expect(given.out).to.contain('member 1 endorses member 3');
      expect((await cli(founderA.privateKey, 'endorse', 'withdraw', 'member', '3')).code).to.equal(0);
      const again = await cli(founderA.privateKey, 'endorse', 'withdraw', 'member', '3');
      expect(again.code).to.equal(1);
      expect(again.err).to.contain('member 1 has no standing endorsement of that subject');
    });

    it('refuses self-endorsement', async function () {
      const self = await cli(founderA.privateKey, 'endorse', 'add', 'member', '1', '--claim', 'https://x.example');
      expect(self.err).to.contain('member 1 cannot endorse itself');
    });
  });

  describe('unusable input (exit status 2)', function () {
    it('names the wrong role', async function () {
      const result = await cli(applicant.privateKey, 'member', 'apply', '--did', 'did:web:z.example', '--role', 'boss');
      expect(result.code).to.equal(2);
      expect(result.err).to.contain('"boss" is not a role: expected one of issuing-point, validation-point, information-point');
    });

    it('says a transaction needs a key', async function () {
      const result = await cli(undefined, 'member', 'approve', '4');
      expect(result.code).to.equal(2);
      expect(result.err).to.contain('this command sends a transaction: give --key-file FILE or set BADGE_NOTARY_PRIVATE_KEY');
    });

    it('says which member reference it could not use', async function () {
      expect((await cli(undefined, 'member', 'show', 'school-a')).err).to.contain('"school-a" is not a member');
      expect((await cli(undefined, 'member', 'show', 'did:web:nobody.example')).err).to.contain('no member has the DID did:web:nobody.example');
    });

    it('says where it looked for the registry', async function () {
      const err: string[] = [];
      const code = await runCli(['member', 'list'], {
        env: { BADGE_NOTARY_RPC_URL: node.rpcUrl, BADGE_NOTARY_DEPLOYMENT: join(workDir, 'missing.json') },
        io: { out: () => undefined, err: (t) => err.push(t) },
      });
      expect(code).to.equal(2);
      expect(err.join('\n')).to.contain('no registry given');
    });

    it('says what is wrong with a key argument', async function () {
      const result = await cli(applicant.privateKey, 'key', 'add', 'not-a-key');
      expect(result.code).to.equal(2);
      expect(result.err).to.contain('"not-a-key" is not a key');
    });
  });

  describe('as an installed command (bin/badge-notary.js)', function () {
    const bin = join(__dirname, '..', '..', 'bin', 'badge-notary.js');
    const env = () => ({ BADGE_NOTARY_RPC_URL: node.rpcUrl, BADGE_NOTARY_DEPLOYMENT: deploymentFile });

    it('lists members with exit status 0', async function () {
      const result = await runProcess(process.execPath, [bin, 'member', 'list'], env());
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.contain('did:web:school-a.example');
    });

    it('exits 1 with the reason when the chain refuses', async function () {
      const result = await runProcess(process.execPath, [bin, 'member', 'approve', '1'], { ...env(), BADGE_NOTARY_PRIVATE_KEY: founderB.privateKey });
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain('refused: cannot approve member 1: cannot admit member 1: it is active');
    });

    it('exits 2 on an unknown command', async function () {
      const result = await runProcess(process.execPath, [bin, 'frobnicate'], env());
      expect(result.code).to.equal(2);
      expect(result.stderr).to.contain("unknown command 'frobnicate'");
    });
  });
});
