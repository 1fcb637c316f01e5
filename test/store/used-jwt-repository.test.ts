import { expect } from 'chai';
import { describeOnEveryStore } from '../support/store-kinds';

// The used JWT ids on both stores (issue #13): a token is used once, across every process on the database.

const SCHOOL = 'did:web:school.example';
const NGO = 'did:web:ngo.example';

describeOnEveryStore('store: used JWT ids', function (current) {
  it('remembers a used jti until its token expires, then prunes it', async function () {
    const { usedJwts } = current();
    expect(await usedJwts.claim(SCHOOL, 'a', 1_000, 900)).to.equal(true);
    expect(await usedJwts.claim(SCHOOL, 'a', 1_000, 999)).to.equal(false);
    expect(await usedJwts.claim(NGO, 'a', 1_000, 999), 'another issuer').to.equal(true);
    expect(await usedJwts.count()).to.equal(2);
    expect(await usedJwts.claim(SCHOOL, 'b', 2_000, 1_001)).to.equal(true);
    expect(await usedJwts.count(), 'the two expired at 1,000 are gone').to.equal(1);
  });

  it('lets exactly one of several concurrent claims of one token win', async function () {
    const claims = await Promise.all(Array.from({ length: 8 }, () => current().usedJwts.claim(SCHOOL, 'raced', 5_000, 1_000)));
    expect(claims.filter(Boolean)).to.have.length(1);
    expect(await current().usedJwts.count()).to.equal(1);
  });
});
