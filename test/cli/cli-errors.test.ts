// What the command line says when something fails: which endpoint does not answer, why the service refused each
// credential, "cannot check" when the verifier could not decide, and a sentence instead of a raw ethers error.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { freePort, startLocalNode, type LocalNode } from '../../service/chain/local-node';
import { runCliCapturing } from '../support/in-process-cli';
import { createHttpServer } from '../../service/notary-process';
import { deployNetwork, issueJwt, makeEnv, SCHOOL, type Env } from '../http/helpers';

const cli = runCliCapturing;

describe('command line: errors name their cause', function () {
  this.timeout(180_000);
  let env: Env;
  let server: Server;
  let serviceUrl: string;
  let directory: string;
  /** A port on which nothing listens: a chain or a service that is down. */
  let closedPort: number;

  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    server = createHttpServer(env.app);
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-cli-errors-'));
    closedPort = await freePort();
  });
  after(async function () {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
    await env?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  describe('notarise: each refused credential and its reason (#17 point 11)', function () {
    it('prints why each credential was refused, by file', async function () {
      const good = join(directory, 'school.jwt');
      writeFileSync(good, await issueJwt(env.chain.schoolKey, SCHOOL));
      // The school names itself the issuer, but signs with the NGO's key: registered to member 2, not 1.
      const wrongKey = join(directory, 'wrong-key.jwt');
      writeFileSync(wrongKey, await issueJwt(env.chain.ngoKey, SCHOOL));
      const result = await cli(['notarise', '--url', serviceUrl, good, wrongKey], { BADGE_NOTARY_API_KEY: env.keys.schoolEditor });
      expect(result.code, result.err).to.equal(2);
      expect(result.err).to.match(/^refused by the service: 422 invalid-credentials: 1 of 2 credentials are invalid/);
      expect(result.err).to.contain(`${wrongKey}: signing key`);
      expect(result.err).to.contain('the key is registered to member 2, not to member 1');
      expect(result.err).not.to.contain(`${good}:`);
    });

    it('with --json, prints the refusal as JSON too: code, message, each item with its file and reason', async function () {
      const wrongKey = join(directory, 'wrong-key-2.jwt');
      writeFileSync(wrongKey, await issueJwt(env.chain.ngoKey, SCHOOL));
      const result = await cli(['--json', 'notarise', '--url', serviceUrl, wrongKey], { BADGE_NOTARY_API_KEY: env.keys.schoolEditor });
      expect(result.code, result.err).to.equal(2);
      const { error } = JSON.parse(result.out);
      expect(error).to.include({ code: 'invalid-credentials', status: 422 });
      expect(error.items).to.have.length(1);
      expect(error.items[0]).to.include({ file: wrongKey, index: 0, code: 'key-not-registered' });
      expect(error.items[0].message).to.contain('the key is registered to member 2, not to member 1');
    });
  });

  describe('errors that blame the right thing (#17 point 12)', function () {
    it('a service that is down is named as the service, not the chain', async function () {
      const file = join(directory, 'any.jwt');
      writeFileSync(file, await issueJwt(env.chain.schoolKey, SCHOOL));
      const result = await cli(['notarise', '--url', `http://127.0.0.1:${closedPort}`, file], { BADGE_NOTARY_API_KEY: env.keys.schoolEditor });
      expect(result.code).to.equal(1);
      expect(result.err).to.match(new RegExp(`^error: cannot reach the notary service at http://127.0.0.1:${closedPort}`));
      expect(result.err).to.contain('connection refused');
      expect(result.err).not.to.contain('chain');
    });

    it('a chain that is down is named as the chain, with its URL and what to do', async function () {
      const result = await cli(['member', 'list'], { BADGE_NOTARY_RPC_URL: `http://127.0.0.1:${closedPort}`, BADGE_NOTARY_REGISTRY: env.chain.registryAddress });
      expect(result.code).to.equal(1);
      expect(result.err).to.match(new RegExp(`^error: cannot reach the chain at http://127.0.0.1:${closedPort}`));
      expect(result.err).to.contain('hint: is the node running?');
    });

    it('verify of a genuine badge with the chain down says CANNOT CHECK (exit 2), not NOT VERIFIED', async function () {
      const file = join(directory, 'genuine.jwt');
      writeFileSync(file, await issueJwt(env.chain.schoolKey, SCHOOL));
      const chainDown = { BADGE_NOTARY_RPC_URL: `http://127.0.0.1:${closedPort}`, BADGE_NOTARY_REGISTRY: env.chain.registryAddress };
      const result = await cli(['verify', file], chainDown);
      expect(result.code, result.out).to.equal(2);
      expect(result.out).to.contain(`${file}: CANNOT CHECK`);
      expect(result.out).not.to.contain('NOT VERIFIED');
      expect(result.out).to.contain(`cannot check: cannot reach the chain at http://127.0.0.1:${closedPort}`);
      expect(result.out).to.contain('1 file(s): 0 verified, 0 not verified, 0 unusable, 1 cannot be checked');
      const json = await cli(['--json', 'verify', file], chainDown);
      expect(JSON.parse(json.out).summary).to.deep.equal({ verified: 0, 'not-verified': 0, unusable: 0, 'cannot-check': 1 });
    });

    it('a file that is not a badge is named as such, not parsed as JSON', async function () {
      const randomPng = join(directory, 'random.png');
      writeFileSync(randomPng, Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 73 + 11) % 256)));
      const binary = join(directory, 'random.bin');
      writeFileSync(binary, Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x01, 0x02]));
      const chainDown = { BADGE_NOTARY_RPC_URL: `http://127.0.0.1:${closedPort}`, BADGE_NOTARY_REGISTRY: env.chain.registryAddress };
      const result = await cli(['verify', randomPng, binary], chainDown);
      expect(result.code).to.equal(2);
      expect(result.out).to.contain(`${randomPng} is not a badge: it is named .png but is not a PNG image`);
      expect(result.out).to.contain(`${binary} is not a badge: it is binary data`);
      expect(result.out).not.to.contain('is not valid JSON');
    });
  });

  describe('a raw ethers error becomes a sentence (#17 point 12)', function () {
    let node: LocalNode;
    before(async function () {
      node = await startLocalNode();
    });
    after(async () => node?.stop());

    it('an account without ether is told so, not "could not coalesce error"', async function () {
      const unfunded = Wallet.createRandom();
      const result = await cli(['member', 'apply', '--did', 'did:web:poor.example', '--role', 'issuing-point'], {
        BADGE_NOTARY_RPC_URL: node.rpcUrl,
        // Any address: the transaction is refused for its fee before the registry is reached.
        BADGE_NOTARY_REGISTRY: '0x000000000000000000000000000000000000dEaD',
        BADGE_NOTARY_PRIVATE_KEY: unfunded.privateKey,
      });
      expect(result.code).to.equal(1);
      expect(result.err, result.err).to.match(/^error: the signing account has not enough ether to pay for this transaction/);
      expect(result.err).not.to.match(/could not coalesce|code=|version=|\{/);
    });
  });
});
