import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash } from 'ethers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { ConfederationRegistry__factory, type ConfederationRegistry } from '../../typechain-types';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey, type IssuerKey } from '../../service/credentials/keys';
import { parseCredential } from '../../service/credentials/parse';
import { signCredential } from '../../service/credentials/signer';
import type { CredentialFormat, JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { attachReceiptToCredential, attachReceiptToJwt, BatchTree, buildReceipt, type Hex, type Receipt } from '../../service/merkle';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { verifyBadge, type StepName, type VerificationReport, type VerifyBadgeParameters } from '../../service/verify';
import { spyingOnChecks } from './spying-provider';
import { createVerifierPool, type VerifierPool } from '../../service/credentials/pool';

const SCHOOL = 'did:web:school-a.example';
const NGO = 'did:web:ngo-b.example';
const CHAMBER = 'did:web:chamber-c.example';

interface Network {
  registry: ConfederationRegistry;
  /** A reader for one verification run: it remembers the chain head, so each run takes a new one. */
  readonly reader: JsonRpcRegistryReader;
  school: HardhatEthersSigner;
  ngo: HardhatEthersSigner;
  chamber: HardhatEthersSigner;
  notary: HardhatEthersSigner;
  ngoKey: IssuerKey;
}

async function deployNetwork(): Promise<Network> {
  const [school, ngo, chamber, notary] = await ethers.getSigners();
  const founder = (did: string, controller: HardhatEthersSigner, role: number) => ({ did, controller: controller.address, role, metadataURI: '', metadataHash: ZeroHash });
  const registry = await new ConfederationRegistry__factory(school).deploy(
    [founder(SCHOOL, school, 1), founder(NGO, ngo, 1), founder(CHAMBER, chamber, 2)],
    1,
  );
  // The school's notary anchors for the network; the NGO issues the badges (issuer and anchoring member differ).
  await registry.connect(school).authoriseNotary(1, notary.address);
  const ngoKey = generateIssuerKey({ type: 'Ed25519' });
  await registry.connect(ngo).registerKey(2, ngoKey.keyHash, 0, 0);
  const address = await registry.getAddress();
  return {
    registry,
    get reader() {
      return new JsonRpcRegistryReader(ethers.provider, address);
    },
    school,
    ngo,
    chamber,
    notary,
    ngoKey,
  };
}

async function issue(key: IssuerKey, format: CredentialFormat, options: { issuerDid?: string; validUntil?: Date; issuedOn?: Date } = {}) {
  const credential = buildAchievementCredential(
    demoBadgeInput({ issuerDid: options.issuerDid ?? NGO, validUntil: options.validUntil, issuedOn: options.issuedOn }),
  );
  return signCredential({ credential, key, format });
}

/** Anchors the credentials in one batch through `notary`, and returns a receipt per credential. */
async function notarise(network: Network, artifacts: (string | JsonObject)[], registry = network.registry): Promise<Receipt[]> {
  const digests = await Promise.all(artifacts.map(async (artifact) => (await parseCredential(artifact)).digest));
  const tree = await BatchTree.build(digests);
  const tx = await registry.connect(network.notary).anchor(tree.root);
  const mined = (await tx.wait())!;
  const block = (await ethers.provider.getBlock(mined.blockNumber))!;
  return Promise.all(
    digests.map((digest, index) =>
      buildReceipt({
        tree,
        index,
        digest,
        batchId: 'batch-1',
        anchor: {
          chainId: 31337,
          registry: String(registry.target),
          transactionHash: mined.hash,
          blockNumber: mined.blockNumber,
          blockTimestamp: block.timestamp,
          memberId: 1,
        },
      }),
    ),
  );
}

function step(report: VerificationReport, name: StepName) {
  return report.steps.find((s) => s.name === name)!;
}

function expectOnlyFailure(report: VerificationReport, name: StepName, message: string | RegExp) {
  expect(report.verified).to.equal(false);
  const failed = report.steps.filter((s) => s.status !== 'passed').map((s) => s.name);
  expect(failed, JSON.stringify(report.steps, null, 2)).to.deep.equal([name]);
  if (typeof message === 'string') expect(step(report, name).message).to.contain(message);
  else expect(step(report, name).message).to.match(message);
}

let pool: VerifierPool | undefined;

/**
 * verifyBadge, alone or among others, checking which registry view answered; or with its offline check on the
 * verifier pool (as the HTTP API runs it), checking that the report is the one the in-thread check gives.
 */
function verifierFor(mode: 'one at a time' | 'in bulk' | 'on the verifier pool') {
  return async (parameters: VerifyBadgeParameters): Promise<VerificationReport> => {
    if (mode === 'on the verifier pool') {
      pool ??= createVerifierPool({ size: 1 });
      const onPool = pool;
      const fresh = () => new JsonRpcRegistryReader(ethers.provider, parameters.reader.registry);
      const inThread = await verifyBadge({ ...parameters, reader: fresh() });
      const pooled = await verifyBadge({ ...parameters, reader: fresh(), checkOffline: (check) => onPool.verify({ ...check, includeCredential: true }) });
      expect(pooled).to.deep.equal(inThread);
      return pooled;
    }
    const { provider, called } = spyingOnChecks(ethers.provider);
    if (mode === 'one at a time') {
      const report = await verifyBadge({ ...parameters, reader: new JsonRpcRegistryReader(provider, parameters.reader.registry) });
      expect(called).to.deep.equal(['checkCredential']);
      return report;
    }
    // Exactly three checks per call, however long the three take to get there.
    const reader = new JsonRpcRegistryReader(provider, parameters.reader.registry, 0, { maxChecksPerCall: 3, checkWindowMs: 60_000 });
    const [report, ...others] = await Promise.all([1, 2, 3].map(() => verifyBadge({ ...parameters, reader })));
    expect(called).to.deep.equal(['checkCredentialGroups']);
    for (const other of others) expect(other).to.deep.equal(report);
    return report;
  };
}

describe('verifyBadge: the trust model, step by step, against the registry', function () {
  const now = () => new Date();

  // Each badge is verified alone (the registry's checkCredential answers everything), and in bulk: three
  // verifications of it at once through one reader, whose checks go in one checkCredentialGroups call (the
  // proofs folded off-chain). Both must give the same report. And once more with the offline check on the
  // verifier pool, as the HTTP API runs it: the report must equal the in-thread one.
  after(async function () {
    await pool?.close();
  });

  for (const mode of ['one at a time', 'in bulk', 'on the verifier pool'] as const) {
    describe(mode, function () {
      const verify = verifierFor(mode);

      describe('a good badge', function () {
        it('verifies a VC-JWT with its receipt apart, every step passed with a reason', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
          expect(report.steps.map((s) => s.name)).to.deep.equal(['format', 'signature', 'issuer-key', 'issuer-member', 'anchor', 'revocation', 'validity']);
          expect(step(report, 'issuer-member').message).to.contain('member 2 was an active issuing point');
          expect(report.issuer).to.deep.include({ memberId: 2, role: 'issuing-point', statusNow: 'active' });
          expect(report.anchor).to.include({ root: receipt.root, transactionHash: receipt.anchor.transactionHash, confirmations: 1 });
        });

        it('verifies a Data Integrity credential carrying its receipt in its proof set', async function () {
          const network = await loadFixture(deployNetwork);
          const credential = (await issue(network.ngoKey, 'data-integrity')) as JsonObject;
          const [receipt] = await notarise(network, [credential]);
          const report = await verify({ credential: attachReceiptToCredential(credential, receipt), reader: network.reader, now: now() });
          expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
          expect(report.credential?.format).to.equal('data-integrity');
        });

        it('verifies a JWT inside a receipt envelope, given as JSON text', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: JSON.stringify(attachReceiptToJwt(jwt as string, receipt)), reader: network.reader, now: now() });
          expect(report.verified).to.equal(true);
        });

        it('keeps a key revoked after the anchor valid for what was anchored before', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const [receipt] = await notarise(network, [jwt]);
          await time.increase(3600);
          await network.registry.connect(network.ngo).revokeKey(2, network.ngoKey.keyHash, receipt.anchor.blockTimestamp + 60);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expect(report.verified).to.equal(true);
        });

        it('keeps a badge anchored before its issuer’s suspension valid, saying the member is suspended now', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const [receipt] = await notarise(network, [jwt]);
          await network.registry.connect(network.school).voteSuspension(2);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expect(report.verified).to.equal(true);
          expect(step(report, 'issuer-member').message).to.contain('it is suspended now');
        });
      });

      describe('each failure alone', function () {
        it('a tampered credential: the signature fails', async function () {
          const network = await loadFixture(deployNetwork);
          const credential = (await issue(network.ngoKey, 'data-integrity')) as JsonObject;
          const [receipt] = await notarise(network, [credential]);
          const tampered = structuredClone(credential);
          (tampered.credentialSubject as JsonObject).id = 'did:example:someone-else';
          const report = await verify({ credential: tampered, receipt, reader: network.reader, now: now() });
          expect(report.verified).to.equal(false);
          expect(step(report, 'signature').status).to.equal('failed');
          // The tampered document also has another digest, so the receipt is not its own.
          expect(step(report, 'anchor').message).to.contain('the receipt is for digest');
        });

        it('a key not registered to the issuer', async function () {
          const network = await loadFixture(deployNetwork);
          const stranger = generateIssuerKey({ type: 'P-256' });
          const jwt = await issue(stranger, 'vc-jwt');
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expectOnlyFailure(report, 'issuer-key', `key ${stranger.keyHash} is not registered to member 2`);
        });

        it('a key revoked before the anchor', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          await network.registry.connect(network.ngo).revokeKey(2, network.ngoKey.keyHash, 0);
          await time.increase(10);
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expectOnlyFailure(report, 'issuer-key', 'it was revoked as compromised from');
        });

        it('an issuer that is not a member', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt', { issuerDid: 'did:web:unknown.example' });
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expect(report.verified).to.equal(false);
          expect(step(report, 'issuer-key').message).to.equal('the issuer did:web:unknown.example is not a member of the network');
          expect(step(report, 'issuer-member').status).to.equal('failed');
          expect(step(report, 'revocation').status).to.equal('skipped');
        });

        it('an issuer suspended when the root was anchored', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          await network.registry.connect(network.school).voteSuspension(2);
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expectOnlyFailure(report, 'issuer-member', /^member 2 was not active at .*, when the root was anchored$/);
        });

        it('an issuer whose role issues nothing', async function () {
          const network = await loadFixture(deployNetwork);
          const chamberKey = generateIssuerKey({ type: 'Ed25519' });
          await network.registry.connect(network.chamber).registerKey(3, chamberKey.keyHash, 0, 0);
          const jwt = await issue(chamberKey, 'vc-jwt', { issuerDid: CHAMBER });
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expectOnlyFailure(report, 'issuer-member', 'member 3 is a validation-point, which does not issue badges');
        });

        it('a root that was never anchored', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const [anchored] = await notarise(network, [jwt]);
          const digest = (await parseCredential(jwt)).digest;
          const lonely = await BatchTree.build([digest, `0x${'ab'.repeat(32)}` as Hex]);
          const receipt = await buildReceipt({
            tree: lonely,
            index: 0,
            digest,
            batchId: 'never',
            anchor: { ...anchored.anchor, chainId: 31337, registry: String(network.registry.target) },
          });
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expect(report.verified).to.equal(false);
          expect(step(report, 'anchor').message).to.contain('is not anchored in the registry');
          expect(step(report, 'issuer-key').status).to.equal('skipped');
        });

        it('too few confirmations', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now(), minConfirmations: 3 });
          expectOnlyFailure(report, 'anchor', 'has 1 confirmation(s), fewer than the 3 required');
        });

        it('a credential revoked by its issuer, with the reason in words', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const [receipt] = await notarise(network, [jwt]);
          await network.registry.connect(network.ngo).revokeCredentials(2, [receipt.digest], 1);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expectOnlyFailure(report, 'revocation', /^revoked by member 2 at .*: issued in error$/);
          expect(report.revocation).to.include({ reason: 1 });
        });

        it('an expired credential', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt', { issuedOn: new Date('2024-01-01T00:00:00Z'), validUntil: new Date('2025-01-01T00:00:00Z') });
          const [receipt] = await notarise(network, [jwt]);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expect(report.verified).to.equal(false);
          expect(report.steps.filter((s) => s.status !== 'passed').map((s) => s.name)).to.deep.equal(['validity']);
        });

        it('a receipt for another credential', async function () {
          const network = await loadFixture(deployNetwork);
          const [first, second] = [await issue(network.ngoKey, 'vc-jwt'), await issue(network.ngoKey, 'vc-jwt')];
          const [, receiptOfSecond] = await notarise(network, [first, second]);
          const report = await verify({ credential: first, receipt: receiptOfSecond, reader: network.reader, now: now() });
          expect(report.verified).to.equal(false);
          expect(step(report, 'anchor').message).to.contain('the receipt is for digest');
        });

        it('a receipt from another registry', async function () {
          const network = await loadFixture(deployNetwork);
          const other = await new ConfederationRegistry__factory(network.school).deploy(
            [{ did: SCHOOL, controller: network.school.address, role: 1, metadataURI: '', metadataHash: ZeroHash }],
            1,
          );
          await other.connect(network.school).authoriseNotary(1, network.notary.address);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const [receipt] = await notarise(network, [jwt], other);
          const report = await verify({ credential: jwt, receipt, reader: network.reader, now: now() });
          expect(step(report, 'anchor').message).to.contain(`the receipt points at registry eip155:31337:${other.target}`);
        });

        it('no receipt at all', async function () {
          const network = await loadFixture(deployNetwork);
          const jwt = await issue(network.ngoKey, 'vc-jwt');
          const report = await verify({ credential: jwt, reader: network.reader, now: now() });
          expect(report.verified).to.equal(false);
          expect(step(report, 'anchor').message).to.contain('no receipt came with the credential');
          expect(step(report, 'revocation').status).to.equal('passed');
        });
      });
    });
  }

  describe('bulk', function () {
    it('verifies 150 badges from one reader with at most a few eth_calls to the registry', async function () {
      const network = await loadFixture(deployNetwork);
      const jwts = await Promise.all(Array.from({ length: 150 }, () => issue(network.ngoKey, 'vc-jwt')));
      const receipts = await notarise(network, jwts);
      let calls = 0;
      const counting = new Proxy(ethers.provider, {
        get(target, property, receiver) {
          if (property === 'call') return (...args: unknown[]) => (calls++, (target.call as (...a: unknown[]) => unknown)(...args));
          return Reflect.get(target, property, receiver);
        },
      });
      const reader = new JsonRpcRegistryReader(counting, String(network.registry.target));
      const reports = await Promise.all(jwts.map((credential, i) => verifyBadge({ credential, receipt: receipts[i], reader, now: now() })));
      expect(reports.every((r) => r.verified)).to.equal(true);
      expect(calls, 'registry calls for 150 badges').to.be.at.most(4);
      // A revoked one among them is still told apart.
      await network.registry.connect(network.ngo).revokeCredentials(2, [receipts[7].digest], 2);
      const again = await Promise.all(jwts.map((credential, i) => verifyBadge({ credential, receipt: receipts[i], reader: network.reader, now: now() })));
      expect(again.map((r, i) => (r.verified ? -1 : i)).filter((i) => i >= 0)).to.deep.equal([7]);
    });
  });

  describe('unusable input', function () {
    for (const [label, input] of [
      ['not JSON', '{ nope'],
      ['a number', 42],
      ['null', null],
      ['an empty object', {}],
      ['a JSON array', '[1,2]'],
    ] as const) {
      it(`${label}: the format step fails, the rest is skipped, nothing throws`, async function () {
        const network = await loadFixture(deployNetwork);
        const report = await verifyBadge({ credential: input, reader: network.reader, now: now() });
        expect(report.verified).to.equal(false);
        expect(step(report, 'format').status).to.equal('failed');
        expect(report.steps.slice(1).every((s) => s.status === 'skipped')).to.equal(true);
      });
    }

    it('a malformed receipt: the anchor step names the field', async function () {
      const network = await loadFixture(deployNetwork);
      const jwt = await issue(network.ngoKey, 'vc-jwt');
      const [receipt] = await notarise(network, [jwt]);
      const report = await verifyBadge({ credential: jwt, receipt: { ...receipt, root: 'nope' }, reader: network.reader, now: now() });
      expect(step(report, 'anchor').message).to.match(/the receipt does not hold: .*root/);
    });
  });
});
