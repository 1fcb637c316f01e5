import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash } from 'ethers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { issue as digitalBazaarIssue } from '@digitalbazaar/vc';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ConfederationRegistry__factory, type ConfederationRegistry } from '../../typechain-types';
import {
  buildAchievementCredential,
  documentLoader,
  generateIssuerKey,
  keyHashOf,
  memberKeyId,
  parseCredential,
  signCredential,
  type CredentialFormat,
  type IssuerKey,
  type JsonObject,
  type Jwk,
} from '../../service/credentials';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { BatchTree, buildReceipt, type Receipt } from '../../service/merkle';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { verifyBadge, type VerificationReport } from '../../service/verify';

const SCHOOL = 'did:web:school.example';

/** A did:jwk made by jose from a key jose generated (not by this project's code). */
async function joseDidJwk() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { did: `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`, jwk: jwk as Jwk, privateKey };
}

/** A did:jwk Ed25519 key made by @digitalbazaar/ed25519-multikey. */
async function multikeyDidJwk() {
  const keyPair = (await Ed25519Multikey.generate()) as unknown as {
    signer(): { id: string; algorithm: string; sign(options: { data: Uint8Array }): Promise<Uint8Array> };
  };
  const jwk = (await (Ed25519Multikey as unknown as { toJwk(o: { keyPair: unknown }): Promise<Jwk> }).toJwk({ keyPair })) as Jwk;
  return { did: `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`, jwk, keyPair };
}

interface Network {
  registry: ConfederationRegistry;
  notary: HardhatEthersSigner;
  schoolKey: IssuerKey;
  jose: Awaited<ReturnType<typeof joseDidJwk>>;
  multikey: Awaited<ReturnType<typeof multikeyDidJwk>>;
}

async function deployNetwork(): Promise<Network> {
  const [school, joseMember, multikeyMember, notary] = await ethers.getSigners();
  const jose = await joseDidJwk();
  const multikey = await multikeyDidJwk();
  const founder = (did: string, controller: HardhatEthersSigner) => ({ did, controller: controller.address, role: 1, metadataURI: '', metadataHash: ZeroHash });
  const registry = await new ConfederationRegistry__factory(school).deploy(
    [founder(SCHOOL, school), founder(jose.did, joseMember), founder(multikey.did, multikeyMember)],
    1,
  );
  await registry.connect(school).authoriseNotary(1, notary.address);
  const schoolKey = generateIssuerKey({ type: 'Ed25519' });
  await registry.connect(school).registerKey(1, schoolKey.keyHash, 0, 0);
  // the registry takes the did:jwk members' keys as JWKs (their key hash, as for any key)
  await registry.connect(joseMember).registerKey(2, keyHashOf(jose.jwk), 0, 0);
  await registry.connect(multikeyMember).registerKey(3, keyHashOf(multikey.jwk), 0, 0);
  return { registry, notary, schoolKey, jose, multikey };
}

async function notarise(network: Network, artifact: string | JsonObject): Promise<Receipt> {
  const { digest } = await parseCredential(artifact);
  const tree = await BatchTree.build([digest]);
  const mined = (await (await network.registry.connect(network.notary).anchor(tree.root)).wait())!;
  const block = (await ethers.provider.getBlock(mined.blockNumber))!;
  return buildReceipt({
    tree,
    index: 0,
    digest,
    batchId: 'batch-1',
    anchor: {
      chainId: 31337,
      registry: String(network.registry.target),
      transactionHash: mined.hash,
      blockNumber: mined.blockNumber,
      blockTimestamp: block.timestamp,
      memberId: 1,
    },
  });
}

async function verified(network: Network, artifact: string | JsonObject): Promise<VerificationReport> {
  const receipt = await notarise(network, artifact);
  return verifyBadge({ credential: artifact, receipt, reader: new JsonRpcRegistryReader(ethers.provider, String(network.registry.target)), now: new Date() });
}

function unsigned(issuerDid: string): JsonObject {
  return buildAchievementCredential(demoBadgeInput({ issuerDid }));
}

describe('verifyBadge: key ids (member key ids, the old did:key binding, did:jwk)', function () {
  for (const format of ['data-integrity', 'vc-jwt'] as CredentialFormat[]) {
    it(`${format}: a did:web member's credential signed with its member key id verifies on-chain, without warning`, async function () {
      const network = await loadFixture(deployNetwork);
      const artifact = await signCredential({ credential: unsigned(SCHOOL), key: network.schoolKey, format });
      const report = await verified(network, artifact);
      expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
      expect(report.credential?.verificationMethod).to.equal(memberKeyId(SCHOOL, network.schoolKey));
      expect(report.steps.find((step) => step.name === 'issuer-key')?.message).to.contain('is registered to member 1');
      expect(report.warnings).to.equal(undefined);
    });

    it(`${format}: the old binding (did:key key id for a did:web issuer) still verifies, with a warning that outside verifiers refuse it`, async function () {
      const network = await loadFixture(deployNetwork);
      const artifact = await signCredential({
        credential: unsigned(SCHOOL),
        key: network.schoolKey,
        format,
        verificationMethod: network.schoolKey.verificationMethod,
      });
      const report = await verified(network, artifact);
      expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
      expect(report.warnings).to.have.length(1);
      expect(report.warnings?.[0]).to.contain('verifiers not written here (e.g. @digitalbazaar/vc) refuse the credential');
    });
  }

  it('a member key id whose key is not registered to the issuer fails the issuer-key step', async function () {
    const network = await loadFixture(deployNetwork);
    const stranger = generateIssuerKey({ type: 'Ed25519' });
    const artifact = await signCredential({ credential: unsigned(SCHOOL), key: stranger, format: 'vc-jwt' });
    const report = await verified(network, artifact);
    expect(report.verified).to.equal(false);
    expect(report.steps.find((step) => step.name === 'issuer-key')?.status).to.equal('failed');
  });

  it('a did:jwk VC-JWT made by jose (ES256, kid did:jwk:...#0) is notarised and verified', async function () {
    const network = await loadFixture(deployNetwork);
    const { did, privateKey } = network.jose;
    const jwt = await new SignJWT(unsigned(did) as Record<string, unknown>)
      .setProtectedHeader({ alg: 'ES256', kid: `${did}#0`, typ: 'vc+jwt', cty: 'vc' })
      .sign(privateKey);
    const report = await verified(network, jwt);
    expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
    expect(report.credential?.issuerDid).to.equal(did);
    expect(report.credential?.verificationMethod).to.equal(`${did}#0`);
    expect(report.issuer?.memberId).to.equal(2);
  });

  it('a did:jwk Data Integrity credential made by @digitalbazaar/vc (eddsa-rdfc-2022, verificationMethod did:jwk:...#0) is notarised and verified', async function () {
    const network = await loadFixture(deployNetwork);
    const { did, keyPair } = network.multikey;
    const signer = keyPair.signer();
    signer.id = `${did}#0`;
    const credential = (await digitalBazaarIssue({
      credential: unsigned(did),
      suite: new DataIntegrityProof({ signer, cryptosuite: eddsaRdfc2022 }),
      documentLoader,
    })) as JsonObject;
    expect((credential.proof as JsonObject).verificationMethod).to.equal(`${did}#0`);
    const report = await verified(network, credential);
    expect(report.verified, JSON.stringify(report.steps, null, 2)).to.equal(true);
    expect(report.issuer?.memberId).to.equal(3);
  });
});
