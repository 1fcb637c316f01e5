import { expect } from 'chai';
import { describeOnEveryStore } from '../support/store-kinds';

// API clients on both stores (issue #13): keys, their authentication and revocation, the order of a member's list.

describeOnEveryStore('store: API clients', function (current) {
  it('authenticates a key by its secret, and no longer once revoked', async function () {
    const { client, apiKey } = await current().clients.create({ memberId: 2, role: 'editor', label: 'registrar', now: 1 });
    expect(apiKey).to.match(/^bnk_[0-9a-f]{16}_/);
    expect(client).to.deep.equal({ id: apiKey.slice(4, 20), memberId: 2, role: 'editor', label: 'registrar', createdAt: 1, createdBy: null, revokedAt: null });
    expect(await current().clients.get(client.id)).to.deep.equal(client);
    expect((await current().clients.authenticate(apiKey))?.id).to.equal(client.id);
    const wrongSecret = apiKey.slice(0, -1) + (apiKey.endsWith('A') ? 'B' : 'A');
    expect(await current().clients.authenticate(wrongSecret)).to.equal(undefined);
    expect(await current().clients.authenticate('bnk_nonsense')).to.equal(undefined);
    expect(await current().clients.authenticate(`bnk_${'0'.repeat(16)}_${'A'.repeat(43)}`), 'an unknown client').to.equal(undefined);
    expect(await current().clients.revoke(client.id, 2)).to.equal(true);
    expect(await current().clients.revoke(client.id, 3), 'revoked already').to.equal(false);
    expect(await current().clients.get(client.id)).to.include({ revokedAt: 2 });
    expect(await current().clients.authenticate(apiKey)).to.equal(undefined);
    expect(await current().clients.revoke('0'.repeat(16), 3), 'no such client').to.equal(false);
  });

  it("lists a member's clients in the order they were made, also within one millisecond", async function () {
    const labels = Array.from({ length: 10 }, (_, i) => `client ${i}`);
    for (const label of labels) await current().clients.create({ memberId: 3, role: 'editor', label, now: 7 });
    await current().clients.create({ memberId: 4, role: 'admin', label: 'another member', now: 7 });
    await current().clients.create({ memberId: 3, role: 'admin', label: 'made before the others', createdBy: 'did:web:school.example#key-1', now: 6 });
    const listed = await current().clients.listForMember(3);
    expect(listed.map((client) => client.label)).to.deep.equal(['made before the others', ...labels]);
    expect(listed[0]).to.include({ role: 'admin', createdBy: 'did:web:school.example#key-1' });
    expect(await current().clients.listForMember(5)).to.deep.equal([]);
  });

  it('never stores the secret', async function () {
    const { apiKey } = await current().clients.create({ memberId: 2, role: 'admin', label: 'admin', now: 1 });
    const secret = apiKey.slice('bnk_'.length + 17); // after bnk_<16 hex>_: base64url may hold an underscore itself
    expect(secret).to.have.length(43);
    const rows = await current().rows('api_clients');
    expect(rows).to.have.length(1);
    expect(JSON.stringify(rows)).not.to.contain(secret);
  });
});
