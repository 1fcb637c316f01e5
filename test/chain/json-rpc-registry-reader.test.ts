import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { ZeroHash, keccak256, toUtf8Bytes, type Result } from 'ethers';
import type { HardhatEthersSigner } from '@nomicfoundation/hardhat-ethers/signers';
import { ConfederationRegistry__factory, type ConfederationRegistry } from '../../typechain-types';
import { BatchTree, type Hex } from '../../service/merkle';
import { spyingOnChecks } from '../verify/spying-provider';
import { JsonRpcRegistryReader, type JsonRpcRegistryReaderOptions } from '../../service/chain/json-rpc-registry-reader';
import { type CheckCredentialQuery, type CredentialCheck } from '../../service/verify';

const SCHOOL = 'did:web:school-a.example';
const NGO = 'did:web:ngo-b.example';
const didHash = (did: string) => keccak256(toUtf8Bytes(did));
const label = (text: string) => keccak256(toUtf8Bytes(text)) as Hex;

/**
 * Two founders (member 2 suspended after a first root was anchored, and its key revoked after it), two anchored
 * trees, and revocations: the facts a bulk check has to tell apart.
 */
async function deployRegistry() {
  const [school, ngo, third, notary] = await ethers.getSigners();
  const founder = (did: string, controller: HardhatEthersSigner) => ({ did, controller: controller.address, role: 1, metadataURI: '', metadataHash: ZeroHash });
  const registry: ConfederationRegistry = await new ConfederationRegistry__factory(school).deploy(
    [founder(SCHOOL, school), founder(NGO, ngo), founder('did:web:third.example', third)],
    1,
  );
  await registry.connect(school).authoriseNotary(1, notary.address);
  const keys = { school: label('school key'), ngo: label('ngo key') };
  await registry.connect(school).registerKey(1, keys.school, 0, 0);
  await registry.connect(ngo).registerKey(2, keys.ngo, 0, 0);
  const digests = Array.from({ length: 13 }, (_, i) => label(`credential ${i}`));
  const first = { tree: await BatchTree.build(digests.slice(0, 9)), digests: digests.slice(0, 9) };
  await registry.connect(notary).anchor(first.tree.root);
  await registry.connect(ngo).revokeKey(2, keys.ngo, 0);
  await registry.connect(school).voteSuspension(2);
  const second = { tree: await BatchTree.build(digests.slice(9)), digests: digests.slice(9) };
  await registry.connect(notary).anchor(second.tree.root);
  await registry.connect(school).revokeCredentials(1, [digests[2], digests[10]], 1);
  await registry.connect(third).voteReinstatement(2);
  await registry.connect(ngo).revokeCredentials(2, [digests[2], digests[4]], 3);
  return { registry, keys, digests, first, second };
}

type Network = Awaited<ReturnType<typeof deployRegistry>>;

interface Batch {
  tree: BatchTree;
  digests: Hex[];
}

/** A query for digest `at` of a batch, as member `did`'s credential signed with `keyHash`. */
function queryOf({ tree, digests }: Batch, at: number, did: string, keyHash: string, change: Partial<CheckCredentialQuery> = {}): CheckCredentialQuery {
  return { issuerDidHash: didHash(did), keyHash, digest: digests[at], proof: tree.proof(at), root: tree.root, ...change };
}

/**
 * Every combination the verifier may meet: good, revoked by the issuer or by another member, unknown issuer, wrong key,
 * bad proofs, a root never anchored, a suspended issuer.
 */
function mixedQueries({ keys, digests, first, second }: Network): CheckCredentialQuery[] {
  const queries: CheckCredentialQuery[] = [];
  for (let i = 0; i < 9; i++) queries.push(queryOf(first, i, SCHOOL, keys.school));
  for (let i = 0; i < 4; i++) queries.push(queryOf(second, i, SCHOOL, keys.school), queryOf(second, i, NGO, keys.ngo));
  queries.push(
    queryOf(first, 2, NGO, keys.ngo),
    queryOf(first, 4, NGO, keys.ngo),
    queryOf(first, 4, NGO, keys.school),
    queryOf(first, 3, 'did:web:nobody.example', keys.school),
    queryOf(first, 3, SCHOOL, keys.school, { proof: first.tree.proof(4) }),
    queryOf(first, 3, SCHOOL, keys.school, { proof: [] }),
    queryOf(first, 5, SCHOOL, keys.school, { digest: digests[11] }),
    queryOf(first, 6, SCHOOL, keys.school, { root: label('never anchored') }),
    { issuerDidHash: didHash(SCHOOL), keyHash: keys.school, digest: digests[12], proof: [], root: ZeroHash },
  );
  return queries;
}

/** What the registry answers for each query alone, through checkCredential: the reference. */
async function oneByOne(registry: ConfederationRegistry, queries: CheckCredentialQuery[]): Promise<CredentialCheck[]> {
  return Promise.all(
    queries.map(async (q) => {
      const check = await registry.checkCredential(q.issuerDidHash, q.keyHash, q.digest, [...q.proof], q.root);
      return { ...(check as unknown as Result).toObject() } as CredentialCheck;
    }),
  );
}

describe('JsonRpcRegistryReader: checks collected into one call answer as checkCredential alone', function () {
  async function readAll(network: Network, queries: CheckCredentialQuery[], options: JsonRpcRegistryReaderOptions = {}) {
    const { provider, called } = spyingOnChecks(ethers.provider);
    const reader = new JsonRpcRegistryReader(provider, String(network.registry.target), 0, options);
    const checks = await Promise.all(queries.map((query) => reader.checkCredential(query)));
    return { checks, called };
  }

  it('many at once: one checkCredentialGroups call, proofs folded off-chain, the same answers field by field', async function () {
    const network = await loadFixture(deployRegistry);
    const queries = mixedQueries(network);
    const { checks, called } = await readAll(network, queries);
    expect(called).to.deep.equal(['checkCredentialGroups']);
    expect(checks).to.deep.equal(await oneByOne(network.registry, queries));
    // The facts differ where they should: revoked by the issuer only, the proof checks, the suspended issuer.
    expect(checks.filter((c) => c.revoked)).to.have.length(5);
    expect(checks.filter((c) => !c.proofValid)).to.have.length(5);
    expect(checks.filter((c) => c.issuerId === 2n && !c.issuerActiveAtAnchor)).to.have.length(4);
    expect(checks.filter((c) => c.keyRegistered && !c.keyValidAtAnchor && c.rootAnchored)).to.have.length(4);
  });

  it('with onChainProofs: one checkCredentials call, the same answers', async function () {
    const network = await loadFixture(deployRegistry);
    const queries = mixedQueries(network);
    const { checks, called } = await readAll(network, queries, { onChainProofs: true });
    expect(called).to.deep.equal(['checkCredentials']);
    expect(checks).to.deep.equal(await oneByOne(network.registry, queries));
  });

  it('more than one call carries: split in calls of maxChecksPerCall, a lone remainder asked alone', async function () {
    const network = await loadFixture(deployRegistry);
    const queries = (mixedQueries(network)).slice(0, 9);
    const { checks, called } = await readAll(network, queries, { maxChecksPerCall: 4 });
    expect(called).to.deep.equal(['checkCredentialGroups', 'checkCredentialGroups', 'checkCredential']);
    expect(checks).to.deep.equal(await oneByOne(network.registry, queries));
  });

  it('one check alone: answered wholly by the registry (checkCredential)', async function () {
    const network = await loadFixture(deployRegistry);
    const [query] = mixedQueries(network);
    const { checks, called } = await readAll(network, [query]);
    expect(called).to.deep.equal(['checkCredential']);
    expect(checks).to.deep.equal(await oneByOne(network.registry, [query]));
  });

  it('a query the node cannot take fails alone: the others are asked one by one and answered', async function () {
    const network = await loadFixture(deployRegistry);
    const queries = (mixedQueries(network)).slice(0, 3);
    const { provider } = spyingOnChecks(ethers.provider);
    const reader = new JsonRpcRegistryReader(provider, String(network.registry.target));
    const results = await Promise.allSettled([...queries, { ...queries[0], digest: 'not a digest' }].map((query) => reader.checkCredential(query)));
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(results.slice(0, 3).map((r) => (r as PromiseFulfilledResult<CredentialCheck>).value)).to.deep.equal(await oneByOne(network.registry, queries));
  });
});
