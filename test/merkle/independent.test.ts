import { expect } from 'chai';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { processProof as ozProcessProof } from '@openzeppelin/merkle-tree/dist/core';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { ZeroHash, keccak256, toUtf8Bytes } from 'ethers';
import type { ConfederationRegistry } from '../../typechain-types';
import { BatchTree, buildReceipt, checkReceipt, leafOf, type Hex } from '../../service/merkle';
import { digestsFor, flipBit } from './fixtures';

const MEMBER_DID = 'did:web:member-one.example';
const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 31, 33, 100];

/** The registry deployed with one founder (member 1), quorum 1, and a notary authorised for it. */
async function registryFixture() {
  const [controller, notary] = await ethers.getSigners();
  const founder = {
    did: MEMBER_DID,
    controller: controller.address,
    role: 1,
    metadataURI: 'https://member-one.example/meta.json',
    metadataHash: ZeroHash,
  };
  const registry = (await ethers.deployContract('ConfederationRegistry', [
    [founder],
    1,
  ])) as unknown as ConfederationRegistry;
  await registry.waitForDeployment();
  await (await registry.connect(controller).authoriseNotary(1, notary.address)).wait();
  return { registry, notary };
}

describe('merkle: checked by independent code', function () {
  describe("@openzeppelin/merkle-tree's processProof", function () {
    it(`folds every proof of trees of ${SIZES.length} sizes (1 to 100) and 1,000 to the root`, async function () {
      for (const size of [...SIZES, 1000]) {
        const tree = await BatchTree.build(digestsFor(size, size));
        for (let index = 0; index < size; index++) {
          expect(ozProcessProof(tree.leaf(index), tree.proof(index)), `leaf ${index} of ${size}`).to.equal(tree.root);
        }
      }
    });

    it("makes the same leaf as StandardMerkleTree's leafHash for a bytes32", async function () {
      const standard = StandardMerkleTree.of([[ZeroHash]], ['bytes32']);
      for (const digest of digestsFor(50, 3)) expect(await leafOf(digest)).to.equal(standard.leafHash([digest]));
    });
  });

  describe('the registry on chain (Hardhat network)', function () {
    it("leafOf(digest) is the contract's leafOf", async function () {
      const { registry } = await loadFixture(registryFixture);
      for (const digest of [ZeroHash as Hex, ...digestsFor(20, 4)])
        expect(await registry.leafOf(digest)).to.equal(await leafOf(digest));
    });

    it(`checkCredential finds every proof of anchored trees of ${SIZES.length} sizes valid`, async function () {
      const { registry, notary } = await loadFixture(registryFixture);
      const didHash = keccak256(toUtf8Bytes(MEMBER_DID));
      const keyHash = keccak256(toUtf8Bytes('any key'));
      for (const size of SIZES) {
        const digests = digestsFor(size, 100 + size);
        const tree = await BatchTree.build(digests);
        await (await registry.connect(notary).anchor(tree.root)).wait();
        for (let index = 0; index < size; index++) {
          const check = await registry.checkCredential(didHash, keyHash, digests[index], tree.proof(index), tree.root);
          expect(check.rootAnchored, `root of ${size}`).to.equal(true);
          expect(check.anchoredBy).to.equal(1n);
          expect(check.proofValid, `leaf ${index} of ${size}`).to.equal(true);
        }
      }
    });

    it('and finds a proof invalid for another digest, a changed element or a dropped one', async function () {
      const { registry, notary } = await loadFixture(registryFixture);
      const digests = digestsFor(13, 200);
      const tree = await BatchTree.build(digests);
      await (await registry.connect(notary).anchor(tree.root)).wait();
      const proof = tree.proof(5);
      const check = (digest: string, elements: string[]) =>
        registry.checkCredential(ZeroHash, ZeroHash, digest, elements, tree.root);
      expect((await check(digests[5], proof)).proofValid).to.equal(true);
      expect((await check(digests[6], proof)).proofValid).to.equal(false);
      expect((await check(digests[5], [proof[0], flipBit(proof[1], 0, 0), ...proof.slice(2)])).proofValid).to.equal(
        false,
      );
      expect((await check(digests[5], proof.slice(0, -1))).proofValid).to.equal(false);
    });

    it('a receipt built from the anchoring transaction agrees with getAnchor and checks offline', async function () {
      const { registry, notary } = await loadFixture(registryFixture);
      const digests = digestsFor(21, 300);
      const tree = await BatchTree.build(digests);
      const sent = await registry.connect(notary).anchor(tree.root);
      const mined = (await sent.wait())!;
      const block = (await mined.getBlock())!;
      const { chainId } = await ethers.provider.getNetwork();
      const receipt = await buildReceipt({
        tree,
        index: 20,
        digest: digests[20],
        batchId: 'batch-21',
        anchor: {
          chainId,
          registry: await registry.getAddress(),
          transactionHash: mined.hash,
          blockNumber: mined.blockNumber,
          blockTimestamp: block.timestamp,
          memberId: 1,
        },
      });
      const [anchoredAt, memberId] = await registry.getAnchor(receipt.root);
      expect(receipt.anchor.blockTimestamp).to.equal(Number(anchoredAt));
      expect(receipt.anchor.memberId).to.equal(Number(memberId));
      expect(receipt.anchor.registry).to.equal(`eip155:31337:${await registry.getAddress()}`);
      expect((await checkReceipt(receipt, { digest: digests[20] })).valid).to.equal(true);
      const onChain = await registry.checkCredential(ZeroHash, ZeroHash, receipt.digest, receipt.proof, receipt.root);
      expect(onChain.proofValid && onChain.rootAnchored).to.equal(true);
    });
  });
});
