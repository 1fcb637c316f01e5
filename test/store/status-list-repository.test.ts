import { expect } from 'chai';
import type { NewCredential } from '../../service/store';
import { describeOnEveryStore } from '../support/store-kinds';

// The notary's half of its status lists on both stores (issue #13): which index holds which credential. Which
// credentials are revoked is the registry mirror's to say (test/indexer/registry-mirror-repository.test.ts).

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const credential = (n: number, memberId: number, statusEntries: NewCredential['statusEntries']): NewCredential => ({
  digest: hash(n),
  memberId,
  issuerDid: `did:web:member${memberId}.example`,
  keyHash: hash(999),
  format: 'vc-jwt',
  artifact: `artifact-${n}`,
  submittedBy: 'client-1',
  receivedAt: 1_000 + n,
  statusEntries,
});

describeOnEveryStore('store: status list entries', function (current) {
  beforeEach(async function () {
    await current().credentials.insertMany([
      credential(1, 1, [{ list: 'revocation-1', index: 40 }]),
      credential(2, 1, [{ list: 'revocation-1', index: 7 }, { list: 'second', index: 7 }]),
      credential(3, 1, [{ list: 'revocation-1', index: 12 }]),
      credential(4, 2, [{ list: 'revocation-1', index: 3 }]),
    ]);
  });

  it('tells the digests bound to the slots asked for, in one question, and nothing for a slot bound to none', async function () {
    const asked = [
      { list: 'revocation-1', index: 7 },
      { list: 'second', index: 7 },
      { list: 'revocation-1', index: 3 },
      { list: 'other', index: 40 },
      { list: 'revocation-1', index: 40 },
    ];
    expect(await current().statusLists.digestsAt(1, asked)).to.deep.equal(
      new Map([
        ['revocation-1\n7', hash(2)],
        ['second\n7', hash(2)],
        ['revocation-1\n40', hash(1)],
      ]),
      'member 2 holds index 3, not member 1; no list "other"',
    );
    expect(await current().statusLists.digestsAt(2, [{ list: 'revocation-1', index: 3 }])).to.deep.equal(new Map([['revocation-1\n3', hash(4)]]));
    expect(await current().statusLists.digestsAt(1, [])).to.deep.equal(new Map());
  });

  it("gives the indexes of one member's list held by the digests asked for, ascending, whatever their case", async function () {
    const revoked = [hash(1), hash(3).toUpperCase().replace('0X', '0x'), hash(4), hash(99)];
    expect(await current().statusLists.indexesOf(1, 'revocation-1', revoked)).to.deep.equal([12, 40]);
    expect(await current().statusLists.indexesOf(1, 'revocation-1', [hash(2)])).to.deep.equal([7]);
    expect(await current().statusLists.indexesOf(1, 'second', revoked), 'another list of the member').to.deep.equal([]);
    expect(await current().statusLists.indexesOf(2, 'revocation-1', revoked), "member 2's own list").to.deep.equal([3]);
    expect(await current().statusLists.indexesOf(1, 'revocation-1', [])).to.deep.equal([]);
  });

  it('answers for a list of a thousand revoked digests', async function () {
    const many = Array.from({ length: 1_000 }, (_, i) => credential(100 + i, 3, [{ list: 'big', index: 2 * i }]));
    await current().credentials.insertMany(many);
    const revoked = many.filter((_, i) => i % 3 === 0).map((c) => c.digest);
    const indexes = await current().statusLists.indexesOf(3, 'big', revoked);
    expect(indexes).to.have.length(334);
    expect(indexes.slice(0, 3)).to.deep.equal([0, 6, 12]);
    expect(indexes.at(-1)).to.equal(1_998);
  });
});
