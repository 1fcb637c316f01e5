import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { JsonRpcRegistryReader } from '../../service/chain/json-rpc-registry-reader';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { generateIssuerKey } from '../../service/credentials/keys';
import { signCredential } from '../../service/credentials/signer';
import type { JsonObject } from '../../service/credentials/types';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import { encodeBitstring, signStatusListCredential, type RegistryBlock } from '../../service/status-list';
import { VerificationReport } from '../../service/http/schemas';
import { verifyBadge, type StatusListSource } from '../../service/verify';
import { bearer, deployNetwork, makeEnv, SCHOOL, type Env } from '../http/helpers';

// The verifier checks a credential's status both ways: its W3C status list and the chain. The chain decides the
// revocation step; a list that is stale, tampered, signed by a stranger or that disagrees is reported.
describe('status lists: the verifier checks the list and the chain, and reports what is wrong with the list', function () {
  let env: Env;
  afterEach(async () => env?.close());

  const LIST = 'http://notary.test/v1/status-lists/1/main';
  const INDEX = 31_337;

  /** A school badge with a status entry, notarised and anchored; its digest and receipt. */
  async function notarised(): Promise<{ credential: JsonObject; digest: string; receipt: unknown }> {
    const credential = (await signCredential({
      credential: buildAchievementCredential({ ...demoBadgeInput({ issuerDid: SCHOOL }), status: { statusListCredential: LIST, index: INDEX } }),
      key: env.chain.schoolKey,
      format: 'data-integrity',
    })) as JsonObject;
    const submitted = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential });
    expect(submitted.status, JSON.stringify(submitted.body)).to.equal(202);
    await env.anchorAll();
    await env.index();
    const digest = submitted.body.digest as string;
    const receipt = (await request(env.app).get(`/v1/credentials/${digest}/receipt`)).body as unknown;
    return { credential, digest, receipt };
  }
  const verifyHttp = async (credential: JsonObject) => {
    const answer = await request(env.app).post('/v1/verify').send({ credential });
    expect(answer.status).to.equal(200);
    const parsed = VerificationReport.safeParse(answer.body);
    expect(parsed.success, parsed.error?.message).to.equal(true);
    return answer.body as { verified: boolean; statusList: Record<string, unknown>; warnings?: string[]; steps: { name: string; status: string }[] };
  };
  const revocationStep = (report: { steps: { name: string; status: string }[] }) => report.steps.find((step) => step.name === 'revocation')!.status;

  it('POST /v1/verify: agrees before; after an on-chain revocation the unpolled list is stale; after one poll it agrees again', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const { credential, digest } = await notarised();

    const before = await verifyHttp(credential);
    expect(before.verified).to.equal(true);
    expect(before.statusList).to.include({ url: LIST, index: INDEX, outcome: 'agrees', listRevoked: false });
    expect(before.warnings ?? []).to.deep.equal([]);

    await (await env.chain.as(1).revokeCredentials(1, [digest], 1)).wait();
    const stale = await verifyHttp(credential);
    expect(revocationStep(stale)).to.equal('failed');
    expect(stale.statusList).to.include({ outcome: 'stale', listRevoked: false });
    expect(stale.warnings!.some((warning) => /status list: the status list is stale/.test(warning))).to.equal(true);

    await env.index();
    const after = await verifyHttp(credential);
    expect(after.statusList).to.include({ outcome: 'agrees', listRevoked: true });
  });

  it('a list given to verifyBadge: tampered, signed by a stranger, or saying revoked against the chain, is reported', async function () {
    env = await makeEnv(await loadFixture(deployNetwork));
    const { credential, receipt } = await notarised();
    const served = (await request(env.app).get('/v1/status-lists/1/main').set('Host', 'notary.test')).body as JsonObject;
    const notary = served.issuer as string;
    const verifyWith = (list: unknown, trustedIssuers = [notary]) => {
      const source: StatusListSource = { trustedIssuers, load: async () => structuredClone(list) };
      return verifyBadge({
        credential,
        receipt,
        reader: new JsonRpcRegistryReader(env.chain.provider, env.chain.registryAddress, env.chain.deploymentBlock),
        now: new Date(env.now()),
        statusLists: source,
      });
    };

    expect((await verifyWith(served)).statusList).to.include({ outcome: 'agrees', listRevoked: false });

    // Tampered: the bit set in the served list without a new signature.
    const tampered = structuredClone(served);
    (tampered.credentialSubject as JsonObject).encodedList = encodeBitstring([INDEX]);
    const refused = await verifyWith(tampered);
    expect(refused.statusList).to.include({ outcome: 'invalid' });
    expect(refused.statusList!.message).to.match(/signature does not hold/);
    expect(refused.verified, 'the chain, not the list, decides').to.equal(true);
    expect(refused.warnings).to.have.length(1);

    // Re-signed by a key the verifier does not trust.
    const stranger = generateIssuerKey({ type: 'Ed25519' });
    const builtFrom = served.registryBlock as unknown as RegistryBlock;
    const forged = await signStatusListCredential({ url: LIST, memberId: 1, revoked: [INDEX], builtFrom }, stranger, new Date());
    const untrusted = await verifyWith(forged);
    expect(untrusted.statusList).to.include({ outcome: 'invalid' });
    expect(untrusted.statusList!.message).to.match(/not a trusted list issuer/);

    // A list of a trusted signer that says revoked where the chain has no revocation: a disagreement.
    const disagreeing = await verifyWith(forged, [stranger.did]);
    expect(disagreeing.statusList).to.include({ outcome: 'disagrees', listRevoked: true });
    expect(disagreeing.statusList!.message).to.match(/says revoked, but the chain has no revocation/);

    // A list past its validUntil (a copy served again later): stale.
    const expired = await signStatusListCredential({ url: LIST, memberId: 1, revoked: [], builtFrom, validUntil: '2020-01-01T00:00:00Z' }, stranger, new Date());
    const replayed = await verifyWith(expired, [stranger.did]);
    expect(replayed.statusList).to.include({ outcome: 'stale' });
    expect(replayed.statusList!.message).to.match(/expired at 2020-01-01T00:00:00Z/);
    expect(Date.parse(served.validUntil as string) - env.now()).to.be.within(23 * 3600_000, 24 * 3600_000 + 1000);

    // A list that cannot be had.
    const source: StatusListSource = { trustedIssuers: [notary], load: async () => Promise.reject(new Error('connection refused')) };
    const reader = new JsonRpcRegistryReader(env.chain.provider, env.chain.registryAddress, env.chain.deploymentBlock);
    const unavailable = await verifyBadge({ credential, receipt, reader, now: new Date(env.now()), statusLists: source });
    expect(unavailable.statusList).to.include({ outcome: 'unavailable' });
  });
});
