import { expect } from 'chai';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { MaxUint256, ZeroHash, hexlify, keccak256, toBeHex } from 'ethers';
import fc from 'fast-check';
import type { ConfederationRegistry, IConfederationRegistry } from '../../typechain-types';
import {
  APPLICANT_DID,
  Role,
  Status,
  applicantFixture,
  didHash,
  founderDid,
  label,
  leafOf,
  notariesFixture,
  threeFoundersFixture,
  voteAll,
} from './helpers';

const KEY = label('key of member 1');
const OTHER_MEMBER_KEY = label('key of member 2');
const ISSUER = didHash(founderDid(1));

/** Keys of member 1 whose windows have an edge at the anchor time (registered before it). */
const WINDOW = {
  startsAtAnchor: label('starts at the anchor'),
  startsAfterAnchor: label('starts a second after the anchor'),
  endsAtAnchor: label('ends at the anchor'),
  endsAfterAnchor: label('ends a second after the anchor'),
};

function treeOf(digests: string[]) {
  return StandardMerkleTree.of(
    digests.map((d) => [d]),
    ['bytes32'],
  );
}

type Check = IConfederationRegistry.CredentialCheckStructOutput;

/** A CredentialCheck as plain numbers and booleans, for deep comparison. */
function plain(check: Check) {
  return {
    rootAnchored: check.rootAnchored,
    anchoredAt: Number(check.anchoredAt),
    anchoredBy: Number(check.anchoredBy),
    issuerId: Number(check.issuerId),
    issuerRole: Number(check.issuerRole),
    issuerStatusNow: Number(check.issuerStatusNow),
    issuerActiveAtAnchor: check.issuerActiveAtAnchor,
    keyRegistered: check.keyRegistered,
    keyValidAtAnchor: check.keyValidAtAnchor,
    proofValid: check.proofValid,
    revoked: check.revoked,
    revokedAt: Number(check.revokedAt),
    revocationReason: Number(check.revocationReason),
  };
}

describe('ConfederationRegistry: credential checks', function () {
  describe('leafOf', function () {
    const digests = [ZeroHash, label('credential'), toBeHex(MaxUint256, 32), keccak256('0x')];

    it('matches the TypeScript mirror', async function () {
      const { registry } = await loadFixture(threeFoundersFixture);
      for (const digest of digests) expect(await registry.leafOf(digest)).to.equal(leafOf(digest));
    });

    it("matches @openzeppelin/merkle-tree's standard leaf for ['bytes32']", async function () {
      const { registry } = await loadFixture(threeFoundersFixture);
      const tree = treeOf(digests);
      for (const digest of digests) expect(await registry.leafOf(digest)).to.equal(tree.leafHash([digest]));
    });

    it('is not the single hash of the digest, so a leaf cannot pass for an inner node', async function () {
      const { registry } = await loadFixture(threeFoundersFixture);
      const digest = label('credential');
      const leaf = await registry.leafOf(digest);
      expect(leaf).to.not.equal(keccak256(digest));
      expect(leaf).to.equal(keccak256(keccak256(digest)));
    });
  });

  describe('checkCredential', function () {
    /**
     * Member 1 registers KEY and the WINDOW keys, then its notary anchors a tree of eight digests at
     * `anchoredAt`; member 2 has OTHER_MEMBER_KEY.
     */
    async function anchoredFixture() {
      const base = await notariesFixture();
      const { registry, founders, notaryA } = base;
      const [a, b] = founders;
      const start = (await time.latest()) + 10;
      const anchoredAt = start + 100;
      await time.setNextBlockTimestamp(start);
      await registry.connect(a).registerKey(1, KEY, 0, 0);
      await registry.connect(a).registerKey(1, WINDOW.startsAtAnchor, anchoredAt, 0);
      await registry.connect(a).registerKey(1, WINDOW.startsAfterAnchor, anchoredAt + 1, 0);
      await registry.connect(a).registerKey(1, WINDOW.endsAtAnchor, 0, anchoredAt);
      await registry.connect(a).registerKey(1, WINDOW.endsAfterAnchor, 0, anchoredAt + 1);
      await registry.connect(b).registerKey(2, OTHER_MEMBER_KEY, 0, 0);

      const digests = Array.from({ length: 8 }, (_, i) => label(`credential ${i}`));
      const tree = treeOf(digests);
      await time.setNextBlockTimestamp(anchoredAt);
      await registry.connect(notaryA).anchor(tree.root);

      const good = {
        rootAnchored: true,
        anchoredAt,
        anchoredBy: 1,
        issuerId: 1,
        issuerRole: Role.IssuingPoint,
        issuerStatusNow: Status.Active,
        issuerActiveAtAnchor: true,
        keyRegistered: true,
        keyValidAtAnchor: true,
        proofValid: true,
        revoked: false,
        revokedAt: 0,
        revocationReason: 0,
      };
      return { ...base, digests, tree, anchoredAt, good };
    }

    /** Checks digests[index] of `tree`, by default as member 1 signing with KEY. */
    async function check(
      registry: ConfederationRegistry,
      tree: StandardMerkleTree<string[]>,
      index: number,
      options: { issuer?: string; key?: string; digest?: string; proof?: string[]; root?: string } = {},
    ) {
      const digest = options.digest ?? tree.at(index)![0];
      const proof = options.proof ?? tree.getProof(index);
      return plain(await registry.checkCredential(options.issuer ?? ISSUER, options.key ?? KEY, digest, proof, options.root ?? tree.root));
    }

    it('answers many credentials in one call (checkCredentials) exactly as one by one', async function () {
      const { registry, tree, digests, founders } = await loadFixture(anchoredFixture);
      await registry.connect(founders[0]).revokeCredentials(1, [digests[3]], 4);
      const variants: { issuer?: string; key?: string; digest?: string; proof?: string[]; root?: string }[] = [
        {},
        { key: OTHER_MEMBER_KEY },
        { issuer: didHash('did:web:nobody.example') },
        { root: label('not anchored') },
        { proof: tree.getProof(1) },
        { key: WINDOW.startsAfterAnchor },
      ];
      const queries = digests.flatMap((_, index) =>
        variants.map((v) => ({
          issuerDidHash: v.issuer ?? ISSUER,
          keyHash: v.key ?? KEY,
          digest: v.digest ?? tree.at(index)![0],
          proof: v.proof ?? tree.getProof(index),
          root: v.root ?? tree.root,
        })),
      );
      const batch = (await registry.checkCredentials(queries)).map(plain);
      const oneByOne = await Promise.all(queries.map((q) => registry.checkCredential(q.issuerDidHash, q.keyHash, q.digest, q.proof, q.root).then(plain)));
      expect(batch).to.deep.equal(oneByOne);
      expect(batch.filter((c) => c.revoked)).to.have.length(variants.length - 1); // digest 3 for every variant that finds the issuer
      expect(await registry.checkCredentials([])).to.deep.equal([]);
    });

    it('reports every check passed for a good credential', async function () {
      const { registry, tree, good } = await loadFixture(anchoredFixture);
      for (let i = 0; i < tree.length; i++) expect(await check(registry, tree, i)).to.deep.equal(good);
    });

    it('reports a root that is not anchored', async function () {
      const { registry, good } = await loadFixture(anchoredFixture);
      const other = treeOf([label('x'), label('y'), label('z')]);
      expect(await check(registry, other, 1)).to.deep.equal({
        ...good,
        rootAnchored: false,
        anchoredAt: 0,
        anchoredBy: 0,
        issuerActiveAtAnchor: false,
        keyValidAtAnchor: false,
      });
    });

    it('reports a proof that does not lead to the root', async function () {
      const { registry, tree, digests, good } = await loadFixture(anchoredFixture);
      const bad = { ...good, proofValid: false };
      expect(await check(registry, tree, 0, { proof: tree.getProof(1) })).to.deep.equal(bad);
      expect(await check(registry, tree, 0, { proof: [] })).to.deep.equal(bad);
      expect(await check(registry, tree, 0, { digest: label('not in the tree') })).to.deep.equal(bad);
      expect(await check(registry, tree, 0, { digest: leafOf(digests[0]) })).to.deep.equal(bad);
      const tampered = tree.getProof(0);
      tampered[0] = label('tampered');
      expect(await check(registry, tree, 0, { proof: tampered })).to.deep.equal(bad);
    });

    it('reports an issuer DID that no member has', async function () {
      const { registry, tree, good } = await loadFixture(anchoredFixture);
      expect(await check(registry, tree, 0, { issuer: didHash('did:web:impostor.example') })).to.deep.equal({
        ...good,
        issuerId: 0,
        issuerRole: Role.None,
        issuerStatusNow: Status.None,
        issuerActiveAtAnchor: false,
        keyRegistered: false,
        keyValidAtAnchor: false,
      });
    });

    it('reports a key that belongs to another member, or to no one', async function () {
      const { registry, tree, good } = await loadFixture(anchoredFixture);
      const bad = { ...good, keyRegistered: false, keyValidAtAnchor: false };
      expect(await check(registry, tree, 0, { key: OTHER_MEMBER_KEY })).to.deep.equal(bad);
      expect(await check(registry, tree, 0, { key: label('unknown key') })).to.deep.equal(bad);
      // Member 2's own credential checks out with its key.
      expect(await check(registry, tree, 0, { issuer: didHash(founderDid(2)), key: OTHER_MEMBER_KEY })).to.deep.equal({
        ...good,
        issuerId: 2,
      });
    });

    it('reports a key registered after the anchor', async function () {
      const { registry, founders, tree, good } = await loadFixture(anchoredFixture);
      await time.increase(1000);
      const late = label('registered later');
      await registry.connect(founders[0]).registerKey(1, late, 0, 0);
      expect(await check(registry, tree, 0, { key: late })).to.deep.equal({ ...good, keyValidAtAnchor: false });
    });

    it('reports a key used outside its validity window', async function () {
      const { registry, tree, good } = await loadFixture(anchoredFixture);
      const outside = { ...good, keyValidAtAnchor: false };
      expect(await check(registry, tree, 0, { key: WINDOW.startsAtAnchor })).to.deep.equal(good);
      expect(await check(registry, tree, 0, { key: WINDOW.startsAfterAnchor })).to.deep.equal(outside);
      expect(await check(registry, tree, 0, { key: WINDOW.endsAfterAnchor })).to.deep.equal(good);
      expect(await check(registry, tree, 0, { key: WINDOW.endsAtAnchor })).to.deep.equal(outside);
    });

    it('keeps a key revoked after the anchor valid, and voids it once the compromise reaches the anchor', async function () {
      const { registry, founders, tree, anchoredAt, good } = await loadFixture(anchoredFixture);
      const a = registry.connect(founders[0]);
      await time.increase(1000);
      await a.revokeKey(1, KEY, anchoredAt + 1);
      expect(await check(registry, tree, 0)).to.deep.equal(good);
      await a.revokeKey(1, KEY, anchoredAt);
      expect(await check(registry, tree, 0)).to.deep.equal({ ...good, keyValidAtAnchor: false });
      await a.revokeKey(1, KEY, anchoredAt - 50);
      expect(await check(registry, tree, 0)).to.deep.equal({ ...good, keyValidAtAnchor: false });
    });

    it('reports a key that was already revoked when the root was anchored', async function () {
      const { registry, founders, notaryA, good } = await loadFixture(anchoredFixture);
      await registry.connect(founders[0]).revokeKey(1, KEY, 0);
      await time.increase(100);
      const later = treeOf([label('signed with a revoked key'), label('another')]);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await registry.connect(notaryA).anchor(later.root);
      expect(await check(registry, later, 0)).to.deep.equal({ ...good, anchoredAt: at, keyValidAtAnchor: false });
    });

    it('reports an issuer suspended after the anchor as active at the anchor', async function () {
      const { registry, founders, tree, good } = await loadFixture(anchoredFixture);
      const [, b, c] = founders;
      await voteAll(registry, [b, c], 'voteSuspension', 1);
      expect(await check(registry, tree, 0)).to.deep.equal({ ...good, issuerStatusNow: Status.Suspended });
      await voteAll(registry, [b, c], 'voteRemoval', 1);
      expect(await check(registry, tree, 0)).to.deep.equal({ ...good, issuerStatusNow: Status.Removed });
    });

    it('reports an issuer that was suspended when the root was anchored', async function () {
      const { registry, founders, notaryB, good } = await loadFixture(anchoredFixture);
      const [, b, c] = founders;
      await voteAll(registry, [b, c], 'voteSuspension', 1);
      // Member 1's notaries cannot anchor now, but another member's can anchor a tree naming member 1.
      const tree = treeOf([label('while suspended'), label('another')]);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await registry.connect(notaryB).anchor(tree.root);
      const expected = { ...good, anchoredAt: at, anchoredBy: 2, issuerActiveAtAnchor: false };
      expect(await check(registry, tree, 0)).to.deep.equal({ ...expected, issuerStatusNow: Status.Suspended });

      await voteAll(registry, [b, c], 'voteReinstatement', 1);
      expect(await check(registry, tree, 0)).to.deep.equal({ ...expected, issuerStatusNow: Status.Active });
    });

    it('reports an issuer that was still pending when the root was anchored', async function () {
      const { registry, founders, notaries, applicant, applicantId } = await loadFixture(applicantFixture);
      await registry.connect(founders[0]).authoriseNotary(1, notaries[0].address);
      const key = label('applicant key');
      await registry.connect(applicant).registerKey(applicantId, key, 0, 0);
      const tree = treeOf([label('by the applicant'), label('another')]);
      await registry.connect(notaries[0]).anchor(tree.root);
      await voteAll(registry, founders.slice(0, 2), 'approveAdmission', applicantId);

      const result = await check(registry, tree, 0, { issuer: didHash(APPLICANT_DID), key });
      expect(result).to.include({
        rootAnchored: true,
        issuerId: applicantId,
        issuerRole: Role.ValidationPoint,
        issuerStatusNow: Status.Active,
        issuerActiveAtAnchor: false,
        keyRegistered: true,
        keyValidAtAnchor: true,
        proofValid: true,
      });
    });

    it('reports a credential revoked by its issuer, and only by its issuer', async function () {
      const { registry, founders, notaryA, tree, digests, good } = await loadFixture(anchoredFixture);
      await registry.connect(founders[1]).revokeCredentials(2, [digests[0], digests[1]], 9);
      expect(await check(registry, tree, 0)).to.deep.equal(good);

      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await registry.connect(notaryA).revokeCredentials(1, [digests[0]], 2);
      expect(await check(registry, tree, 0)).to.deep.equal({ ...good, revoked: true, revokedAt: at, revocationReason: 2 });
      expect(await check(registry, tree, 1)).to.deep.equal(good);
    });

    describe('checkCredentialGroups', function () {
      type Query = { issuerDidHash: string; keyHash: string; digest: string; proof: string[]; root: string };

      /** The queries as groups (each distinct issuer, key and root once) and digests pointing at them. */
      function grouped(queries: Query[]) {
        const groups: { issuerDidHash: string; keyHash: string; root: string }[] = [];
        const digests = queries.map((q) => {
          let group = groups.findIndex((g) => g.issuerDidHash === q.issuerDidHash && g.keyHash === q.keyHash && g.root === q.root);
          if (group === -1) group = groups.push({ issuerDidHash: q.issuerDidHash, keyHash: q.keyHash, root: q.root }) - 1;
          return { group, digest: q.digest };
        });
        return { groups, digests };
      }

      /** checkCredentialGroups's answer for each query, as checkCredential's fields (proofValid aside). */
      async function groupAnswers(registry: ConfederationRegistry, queries: Query[]) {
        const { groups, digests } = grouped(queries);
        const [groupChecks, revocations] = await registry.checkCredentialGroups(groups, digests);
        expect(groupChecks).to.have.length(groups.length);
        expect(revocations).to.have.length(queries.length);
        return digests.map(({ group }, i) => {
          const g = groupChecks[group];
          const r = revocations[i];
          return {
            rootAnchored: g.rootAnchored,
            anchoredAt: Number(g.anchoredAt),
            anchoredBy: Number(g.anchoredBy),
            issuerId: Number(g.issuerId),
            issuerRole: Number(g.issuerRole),
            issuerStatusNow: Number(g.issuerStatusNow),
            issuerActiveAtAnchor: g.issuerActiveAtAnchor,
            keyRegistered: g.keyRegistered,
            keyValidAtAnchor: g.keyValidAtAnchor,
            revoked: r.revoked,
            revokedAt: Number(r.revokedAt),
            revocationReason: Number(r.revocationReason),
          };
        });
      }

      async function oneByOne(registry: ConfederationRegistry, queries: Query[]) {
        return Promise.all(
          queries.map(async (q) => {
            // eslint-disable-next-line @typescript-eslint/no-unused-vars
            const { proofValid, ...rest } = plain(await registry.checkCredential(q.issuerDidHash, q.keyHash, q.digest, q.proof, q.root));
            return rest;
          }),
        );
      }

      it('answers every credential as checkCredential does, reading shared facts once per group', async function () {
        const { registry, founders, notaryB, tree, digests } = await loadFixture(anchoredFixture);
        const [a, b, c] = founders;
        await registry.connect(a).revokeCredentials(1, [digests[3], digests[5]], 4);
        await registry.connect(b).revokeCredentials(2, [digests[3]], 1);
        // A second root, anchored by member 2 while member 1 is suspended, then member 1 reinstated.
        await voteAll(registry, [b, c], 'voteSuspension', 1);
        const later = treeOf([digests[0], label('later credential')]);
        await registry.connect(notaryB).anchor(later.root);
        await voteAll(registry, [b, c], 'voteReinstatement', 1);

        const query = (index: number, v: Partial<Query> = {}, on = tree): Query => ({
          issuerDidHash: ISSUER,
          keyHash: KEY,
          digest: on.at(index)![0],
          proof: on.getProof(index),
          root: on.root,
          ...v,
        });
        const queries: Query[] = [
          ...digests.map((_, i) => query(i)),
          query(3, { issuerDidHash: didHash(founderDid(2)), keyHash: OTHER_MEMBER_KEY }),
          query(3, { keyHash: OTHER_MEMBER_KEY }),
          query(3, { issuerDidHash: didHash('did:web:nobody.example') }),
          query(5, { keyHash: WINDOW.startsAfterAnchor }),
          query(5, { keyHash: WINDOW.endsAtAnchor }),
          query(2, { root: label('not anchored') }),
          query(0, {}, later),
          query(1, {}, later),
          query(4, { proof: [] }),
          query(6),
        ];
        const answers = await groupAnswers(registry, queries);
        expect(answers).to.deep.equal(await oneByOne(registry, queries));
        expect(grouped(queries).groups).to.have.length(8);
        // Member 1 revoked digests 3 and 5, member 2 digest 3: each digest is read against its own group's issuer.
        const revokedBy = new Map([[1, [digests[3], digests[5]]], [2, [digests[3]]]]);
        expect(answers.map((x) => x.revoked)).to.deep.equal(queries.map((q, i) => (revokedBy.get(answers[i].issuerId) ?? []).includes(q.digest)));
        expect(answers.filter((x) => x.revoked)).to.have.length(6);
        expect(answers.at(-4)).to.include({ anchoredBy: 2, issuerActiveAtAnchor: false, issuerStatusNow: Status.Active });
      });

      it('reads nothing for an issuer that is no member: its digests are not revoked', async function () {
        const { registry, tree, digests, founders } = await loadFixture(anchoredFixture);
        await registry.connect(founders[0]).revokeCredentials(1, [digests[0]], 3);
        const stranger = { issuerDidHash: didHash('did:web:nobody.example'), keyHash: KEY, root: tree.root };
        const [groupChecks, revocations] = await registry.checkCredentialGroups([stranger], [{ group: 0, digest: digests[0] }]);
        expect(groupChecks[0].issuerId).to.equal(0n);
        expect(groupChecks[0].rootAnchored).to.equal(true);
        expect([revocations[0].revoked, revocations[0].revokedAt, revocations[0].revocationReason]).to.deep.equal([false, 0n, 0n]);
      });

      it('answers groups without digests, and nothing at all', async function () {
        const { registry, tree, good } = await loadFixture(anchoredFixture);
        const [groupChecks, revocations] = await registry.checkCredentialGroups([{ issuerDidHash: ISSUER, keyHash: KEY, root: tree.root }], []);
        expect(revocations).to.deep.equal([]);
        expect(Number(groupChecks[0].anchoredAt)).to.equal(good.anchoredAt);
        expect(groupChecks[0].keyValidAtAnchor).to.equal(true);
        const [noGroups, noRevocations] = await registry.checkCredentialGroups([], []);
        expect([noGroups, noRevocations]).to.deep.equal([[], []]);
      });

      it('refuses a digest that names a group not given', async function () {
        const { registry, tree, digests } = await loadFixture(anchoredFixture);
        const group = { issuerDidHash: ISSUER, keyHash: KEY, root: tree.root };
        await expect(registry.checkCredentialGroups([group, group], [{ group: 0, digest: digests[0] }, { group: 2, digest: digests[1] }]))
          .to.be.revertedWithCustomError(registry, 'UnknownGroup')
          .withArgs(2, 2);
        await expect(registry.checkCredentialGroups([], [{ group: 0, digest: digests[0] }]))
          .to.be.revertedWithCustomError(registry, 'UnknownGroup')
          .withArgs(0, 0);
      });
    });

    it('proves every leaf of any tree, and no tampered proof or root', async function () {
      const { registry } = await loadFixture(threeFoundersFixture);
      const digest = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => hexlify(bytes));
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(digest, { minLength: 1, maxLength: 24 }), async (digests) => {
          const tree = treeOf(digests);
          for (let i = 0; i < tree.length; i++) {
            const [d] = tree.at(i)!;
            const proof = tree.getProof(i);
            const ok = await registry.checkCredential(ISSUER, KEY, d, proof, tree.root);
            expect(ok.proofValid, `leaf ${i} of ${tree.length}`).to.equal(true);
            const wrongRoot = await registry.checkCredential(ISSUER, KEY, d, proof, label(tree.root));
            expect(wrongRoot.proofValid).to.equal(false);
            if (proof.length > 0) {
              const tampered = [...proof];
              tampered[proof.length - 1] = label(tampered[proof.length - 1]);
              expect((await registry.checkCredential(ISSUER, KEY, d, tampered, tree.root)).proofValid).to.equal(false);
            }
          }
        }),
        { numRuns: 12 },
      );
    });
  });
});
