import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak256 } from 'ethers';
import { badgeClassId, parseBadgeClass } from '../../service/catalogue';
import { connectChain, type ChainConnection } from '../../service/chain/connection';
import { memberJwt } from '../../service/cli/service-commands';
import { generateIssuerKey } from '../../service/credentials/keys';
import { BadgeClassCatalogue__factory } from '../../typechain-types';
import { startNotaryNetwork, type NotaryNetwork } from '../support/notary-network';
import { call, startKillableService, waitFor, type KillableService } from '../support/killable-service';
import { wellKnownAccount } from '../support/well-known-accounts';

// Issue #11's catalogue end to end: a `hardhat node` process with the registry and the catalogue, and the service
// as its own process over HTTP. Two members upload the documents of the two example classes and publish them
// on-chain (the school with the service's document URL as the class URI), the NGO adopts the school's class; the
// service's indexer mirrors it all, and the catalogue is searched in Italian and English, by alignment code, by
// framework, by level and by adopter.
describe('end to end: the badge-class catalogue, published on a chain and searched through the service process', function () {
  this.timeout(300_000);
  const SCHOOL = 'did:web:school-a.example';
  const NGO = 'did:web:ngo-b.example';
  const vector = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'vectors', 'classes', `${name}.json`), 'utf8'));
  const pilot = vector('pilot-soft-skills');
  const certification = vector('certification-technical');
  const pilotId = badgeClassId(parseBadgeClass(pilot));
  const certificationId = badgeClassId(parseBadgeClass(certification));
  let network: NotaryNetwork;
  let service: KillableService;
  let directory: string;
  const connections: ChainConnection[] = [];

  /** The catalogue as the controller of a member: account 0 the school (member 1), account 1 the NGO (member 2). */
  const catalogueAs = (account: 0 | 1) => {
    const connection = connectChain({ rpcUrl: network.node.rpcUrl, privateKey: wellKnownAccount(account).privateKey });
    connections.push(connection);
    return BadgeClassCatalogue__factory.connect(network.record.catalogue!, connection.signer!);
  };
  /** An editor API key of the member, made with a JWT of a key registered to it. */
  const apiKeyOf = async (account: 0 | 1, memberId: number, did: string) => {
    const key = generateIssuerKey({ type: 'Ed25519' });
    await (await network.as(account).registerKey(memberId, key.keyHash, 0, 0)).wait();
    const client = await call(service.url, 'POST', '/v1/clients', { token: await memberJwt(key, did), body: { role: 'editor', label: 'catalogue e2e' } });
    expect(client.status, JSON.stringify(client.body)).to.equal(201);
    return client.body.apiKey as string;
  };
  const classIds = async (query: string) => {
    const answer = await call(service.url, 'GET', `/v1/badge-classes${query}`);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
    return (answer.body.badgeClasses as { classId: string }[]).map((item) => item.classId);
  };

  before(async function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-catalogue-e2e-'));
    network = await startNotaryNetwork();
    network.writeRecord(join(directory, 'deployment.json'));
    expect(network.record.catalogue, 'deployRegistry deploys the catalogue beside the registry').to.be.a('string');
    service = await startKillableService({
      BADGE_NOTARY_RPC_URL: network.node.rpcUrl,
      BADGE_NOTARY_DEPLOYMENT: join(directory, 'deployment.json'),
      BADGE_NOTARY_ANCHOR_KEY: wellKnownAccount(9).privateKey,
      BADGE_NOTARY_DATA_DIR: join(directory, 'data'),
      BADGE_NOTARY_CONFIRMATIONS: '1',
      BADGE_NOTARY_POLL_INTERVAL_MS: '300',
    });
  });

  after(async function () {
    for (const connection of connections) connection.close();
    await service?.stop();
    await network?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('two classes published and one adopted on-chain, their documents uploaded: listed, served by hash, and found every way', async function () {
    const school = await apiKeyOf(0, 1, SCHOOL);
    const ngo = await apiKeyOf(1, 2, NGO);
    const pilotPath = `/v1/badge-classes/${pilotId}/document`;
    expect((await call(service.url, 'PUT', pilotPath, { token: school, body: pilot })).status).to.equal(201);
    expect((await call(service.url, 'PUT', `/v1/badge-classes/${certificationId}/document`, { token: ngo, body: certification })).status).to.equal(201);

    const pilotUri = `${service.url}${pilotPath}`;
    await (await catalogueAs(0).publish(pilotId, pilotUri)).wait();
    await (await catalogueAs(1).publish(certificationId, 'ipfs://certification-technical')).wait();
    await (await catalogueAs(1).adopt(pilotId)).wait();
    const listed = await waitFor('both classes mirrored, the adoption with them', async () => {
      const answer = await call(service.url, 'GET', '/v1/badge-classes');
      const items = answer.body.badgeClasses as { classId: string; adopters: unknown[] }[];
      return items.length === 2 && items.some((item) => item.adopters.length === 1) ? answer.body : undefined;
    });
    expect(listed.catalogue).to.deep.include({ address: network.record.catalogue });
    const [certificationItem, pilotItem] = listed.badgeClasses as Record<string, unknown>[];
    expect(certificationItem).to.deep.include({ classId: certificationId, publisher: { memberId: 2, did: NGO }, adopters: [], name: certification.name });
    expect(pilotItem).to.deep.include({ classId: pilotId, publisher: { memberId: 1, did: SCHOOL }, uri: pilotUri, adopters: [{ memberId: 2, did: NGO }] });

    // The URI the chain records answers the document whose keccak-256 is the class id.
    const document = await fetch((await catalogueAs(0).getBadgeClass(pilotId)).uri);
    expect(document.status).to.equal(200);
    expect(keccak256(new Uint8Array(await document.arrayBuffer()))).to.equal(pilotId);

    expect(await classIds('?q=collaborazione'), 'an Italian word').to.deep.equal([pilotId]);
    expect(await classIds('?q=esame'), 'another Italian word').to.deep.equal([certificationId]);
    expect(await classIds('?q=volunteering'), 'an English word').to.deep.equal([pilotId]);
    expect(await classIds('?q=certified%20skills'), 'two English words').to.deep.equal([certificationId]);
    expect(await classIds('?q=S3'), 'a LifeComp code').to.deep.equal([pilotId]);
    expect(await classIds('?q=S5'), 'an ESCO code').to.deep.equal([certificationId]);
    expect(await classIds('?framework=ESCO')).to.deep.equal([certificationId]);
    expect(await classIds('?framework=LifeComp')).to.deep.equal([pilotId]);
    expect(await classIds('?framework=EQF')).to.deep.equal([certificationId, pilotId]);
    expect(await classIds('?level=Platinum')).to.deep.equal([certificationId]);
    expect(await classIds('?level=Copper')).to.deep.equal([pilotId]);
    expect(await classIds(`?adoptedBy=${encodeURIComponent(NGO)}`)).to.deep.equal([pilotId]);
    expect(await classIds('?adoptedBy=2')).to.deep.equal([pilotId]);
    expect(await classIds('?adoptedBy=1')).to.deep.equal([]);

    const refused = await call(service.url, 'GET', '/v1/badge-classes?framework=Europass');
    expect(refused.status).to.equal(400);
    expect(refused.body.error).to.include({ field: 'framework' });

    const stats = await call(service.url, 'GET', '/v1/stats');
    expect(stats.body.adoptedBadgeClasses).to.deep.equal([
      { classId: pilotId, name: pilot.name, publisher: { memberId: 1, did: SCHOOL }, adopters: 1, current: true },
    ]);
  });
});
