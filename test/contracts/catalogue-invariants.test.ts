// Model-based test of BadgeClassCatalogue with the registry: fast-check draws random sequences of publish,
// supersede, adopt and withdraw by three founders, and suspensions and reinstatements of member 1 in the
// registry. A small model says whether each call must pass or which custom error it must revert with; after
// every call each class's record, adopter count and adoptions are read back and compared with the model.
// The registry's own model (registry-model.ts) does not know the catalogue: this run is separate from it.
import { expect } from 'chai';
import fc from 'fast-check';
import { ethers } from 'hardhat';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import type { BadgeClassCatalogue } from '../../typechain-types';
import { label, threeFoundersFixture } from './helpers';

const RUNS = Number(process.env.BADGE_NOTARY_INVARIANT_RUNS ?? 20);
const CLASS_IDS = Array.from({ length: 3 }, (_, i) => label(`class ${i}`));

interface ModelClass {
  publisher: number;
  supersedes: string;
  supersededBy: string;
  adopters: Set<number>;
}

async function fixture() {
  const base = await threeFoundersFixture();
  const catalogue: BadgeClassCatalogue = await (await ethers.getContractFactory('BadgeClassCatalogue')).deploy(await base.registry.getAddress());
  return { ...base, catalogue };
}

type Op =
  | { kind: 'publish' | 'adopt' | 'withdraw'; member: number; cls: number }
  | { kind: 'supersede'; member: number; cls: number; next: number }
  | { kind: 'suspend' | 'reinstate' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom('publish' as const, 'adopt' as const, 'withdraw' as const), member: fc.integer({ min: 1, max: 3 }), cls: fc.nat(2) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('supersede' as const), member: fc.integer({ min: 1, max: 3 }), cls: fc.nat(2), next: fc.nat(2) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom('suspend' as const, 'reinstate' as const) }), weight: 1 },
);

describe('BadgeClassCatalogue: random sequences against a model', function () {
  it('every call passes or reverts as the model says, and the views agree with it', async function () {
    this.timeout(600_000);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 40 }), async (ops) => {
        const { catalogue, registry, founders } = await loadFixture(fixture);
        const classes = new Map<string, ModelClass>();
        let memberOneActive = true;
        const active = (member: number) => member !== 1 || memberOneActive;
        for (const drawn of ops) {
          if (drawn.kind === 'suspend' || drawn.kind === 'reinstate') {
            const op = drawn;
            if ((op.kind === 'suspend') !== memberOneActive) continue;
            await registry.connect(founders[1])[op.kind === 'suspend' ? 'voteSuspension' : 'voteReinstatement'](1);
            await registry.connect(founders[2])[op.kind === 'suspend' ? 'voteSuspension' : 'voteReinstatement'](1);
            memberOneActive = op.kind === 'reinstate';
            continue;
          }
          const op = drawn as Exclude<Op, { kind: 'suspend' | 'reinstate' }>;
          const as = catalogue.connect(founders[op.member - 1]);
          const id = CLASS_IDS[op.cls];
          const known = classes.get(id);
          let expected: string | null = null;
          let send: () => Promise<unknown>;
          if (op.kind === 'publish') {
            if (!active(op.member)) expected = 'MemberNotActive';
            else if (known) expected = 'ClassAlreadyPublished';
            send = () => as.publish(id, `ipfs://${op.cls}`);
            if (!expected) classes.set(id, { publisher: op.member, supersedes: ethers.ZeroHash, supersededBy: ethers.ZeroHash, adopters: new Set() });
          } else if (op.kind === 'supersede') {
            const next = CLASS_IDS[op.next];
            if (!active(op.member)) expected = 'MemberNotActive';
            else if (!known) expected = 'UnknownClass';
            else if (known.supersededBy !== ethers.ZeroHash) expected = 'ClassSuperseded';
            else if (known.publisher !== op.member) expected = 'NotPublisher';
            else if (classes.has(next)) expected = 'ClassAlreadyPublished';
            send = () => as.supersede(id, next, `ipfs://${op.next}`);
            if (!expected) {
              known!.supersededBy = next;
              classes.set(next, { publisher: op.member, supersedes: id, supersededBy: ethers.ZeroHash, adopters: new Set() });
            }
          } else if (op.kind === 'adopt') {
            if (!active(op.member)) expected = 'MemberNotActive';
            else if (!known) expected = 'UnknownClass';
            else if (known.supersededBy !== ethers.ZeroHash) expected = 'ClassSuperseded';
            else if (known.adopters.has(op.member)) expected = 'AlreadyAdopted';
            send = () => as.adopt(id);
            if (!expected) known!.adopters.add(op.member);
          } else {
            if (!known?.adopters.has(op.member)) expected = 'NotAdopted';
            send = () => as.withdrawAdoption(id);
            if (!expected) known!.adopters.delete(op.member);
          }
          if (expected) await expect(send()).to.be.revertedWithCustomError(catalogue, expected);
          else await expect(send()).not.to.be.reverted;
          for (const [classId, model] of classes) {
            const real = await catalogue.getBadgeClass(classId);
            expect([Number(real.publisher), real.supersedes, real.supersededBy, Number(real.adopterCount)]).to.deep.equal([
              model.publisher,
              model.supersedes,
              model.supersededBy,
              model.adopters.size,
            ]);
            for (const member of [1, 2, 3]) expect(await catalogue.isAdopted(classId, member)).to.equal(model.adopters.has(member));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
