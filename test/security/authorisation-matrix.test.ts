// The authorisation matrix: every write route of the API against every kind of caller: nobody, another
// member, an editor, an administrator (by API key and by member JWT), and the administrator of a member that
// the registry has suspended or removed (real votes on Hardhat's in-process chain, seen by the service through
// the indexer's mirror). One table says what each cell must answer; only the allowed callers change anything,
// and a refused call leaves the store exactly as it was.
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import request from 'supertest';
import { createApiClient } from '../../service/http';
import { apiJwt, deployNetwork, issueJwt, makeEnv, SCHOOL, type Chain, type Env } from '../http/helpers';
import { snapshotStore } from './support';

type Actor = 'nobody' | 'another member' | 'editor' | 'admin' | 'admin by JWT' | 'suspended member' | 'removed member';
type Route = 'POST /v1/credentials' | 'POST /v1/revocations' | 'POST /v1/clients' | 'DELETE /v1/clients/{id}';

/** What a cell must answer: the status, and the error code when it is refused. */
interface Expected {
  status: number;
  code?: string;
}

const allowed = (status: number): Expected => ({ status });
const refused = (status: number, code: string): Expected => ({ status, code });
const NOBODY = refused(401, 'unauthenticated');
const INACTIVE = refused(403, 'member-not-active');

/**
 * The matrix. "another member" is the NGO's administrator acting on the school's things (its credential,
 * its stored digest, its API client); POST /v1/clients names no member, so there it creates a client of the
 * NGO itself, never of the school (checked apart).
 */
const MATRIX: Record<Route, Record<Actor, Expected>> = {
  'POST /v1/credentials': {
    nobody: NOBODY,
    'another member': refused(403, 'foreign-issuer'),
    editor: allowed(202),
    admin: allowed(202),
    'admin by JWT': allowed(202),
    'suspended member': INACTIVE,
    'removed member': INACTIVE,
  },
  'POST /v1/revocations': {
    nobody: NOBODY,
    'another member': refused(403, 'forbidden'),
    editor: allowed(202),
    admin: allowed(202),
    'admin by JWT': allowed(202),
    'suspended member': INACTIVE,
    'removed member': INACTIVE,
  },
  'POST /v1/clients': {
    nobody: NOBODY,
    'another member': allowed(201),
    editor: refused(403, 'insufficient-role'),
    admin: allowed(201),
    'admin by JWT': allowed(201),
    'suspended member': INACTIVE,
    'removed member': INACTIVE,
  },
  'DELETE /v1/clients/{id}': {
    nobody: NOBODY,
    'another member': refused(403, 'forbidden'),
    editor: refused(403, 'insufficient-role'),
    admin: allowed(200),
    'admin by JWT': allowed(200),
    'suspended member': INACTIVE,
    'removed member': INACTIVE,
  },
};

const ROUTES = Object.keys(MATRIX) as Route[];
const ACTORS = Object.keys(MATRIX[ROUTES[0]]) as Actor[];

/** The chain as the fixture left it, and member 1 suspended or removed by member 2's vote (quorum 1). */
async function schoolSuspended(): Promise<Chain> {
  const chain = await loadFixture(deployNetwork);
  await (await chain.as(2).voteSuspension(1)).wait();
  return chain;
}
async function schoolRemoved(): Promise<Chain> {
  const chain = await loadFixture(deployNetwork);
  await (await chain.as(2).voteRemoval(1)).wait();
  return chain;
}

describe('security: the authorisation matrix of the write routes', function () {
  this.timeout(300_000);
  const results: string[] = [];
  after(function () {
    if (results.length > 0) console.log(`      matrix results:\n${results.map((line) => `        ${line}`).join('\n')}`);
  });

  /** The Authorization header of an actor; undefined for nobody. */
  async function authorizationOf(env: Env, actor: Actor): Promise<string | undefined> {
    switch (actor) {
      case 'nobody':
        return undefined;
      case 'another member':
        return `Bearer ${env.keys.ngoAdmin}`;
      case 'editor':
        return `Bearer ${env.keys.schoolEditor}`;
      case 'admin by JWT':
        return `Bearer ${await apiJwt(env.chain.schoolJwtKey, SCHOOL, env.now())}`;
      default:
        return `Bearer ${env.keys.schoolAdmin}`;
    }
  }

  /**
   * Prepares what the call acts on (a fresh credential, a stored digest of the school, a client of the school)
   * and sends it; checks the answer, and what changed in the store.
   */
  async function cell(env: Env, route: Route, actor: Actor): Promise<void> {
    const expected = MATRIX[route][actor];
    const authorization = await authorizationOf(env, actor);
    const send = (test: request.Test) => (authorization ? test.set('Authorization', authorization) : test);
    let call: () => Promise<request.Response>;
    let changed: (response: request.Response) => unknown;

    if (route === 'POST /v1/credentials') {
      const credential = await issueJwt(env.chain.schoolKey, SCHOOL);
      call = () => send(request(env.app).post('/v1/credentials')).send({ credential });
      changed = async (response) => expect(await env.store.credentials.get(response.body.digest)).to.include({ memberId: 1 });
    } else if (route === 'POST /v1/revocations') {
      const stored = await request(env.app).post('/v1/credentials').set('Authorization', `Bearer ${env.keys.schoolEditor}`).send({ credential: await issueJwt(env.chain.schoolKey, SCHOOL) });
      // A suspended or removed school cannot store one any more: its digest is put in the store directly.
      const digest: string = stored.status === 202 ? stored.body.digest : `0x${Buffer.from(await issueJwt(env.chain.schoolKey, SCHOOL)).subarray(0, 32).toString('hex')}`;
      if (stored.status !== 202) {
        await env.store.credentials.insertMany([{ digest, memberId: 1, issuerDid: SCHOOL, keyHash: env.chain.schoolKey.keyHash, format: 'vc-jwt', artifact: 'x', submittedBy: 'matrix', receivedAt: env.now() }]);
      }
      call = () => send(request(env.app).post('/v1/revocations')).send({ digests: [digest], reason: 3 });
      changed = async (response) => {
        expect(response.body.revocation).to.include({ memberId: 1, state: 'submitted' });
        expect(await env.store.revocations.forDigest(digest)).to.have.length(1);
      };
    } else if (route === 'POST /v1/clients') {
      call = () => send(request(env.app).post('/v1/clients')).send({ role: 'editor', label: `matrix ${actor}` });
      changed = async (response) => {
        const client = (await env.store.clients.get(response.body.client.id))!;
        // Another member's administrator makes a client of its own member, never one of the school.
        expect(client.memberId).to.equal(actor === 'another member' ? 2 : 1);
      };
    } else {
      const { client } = await createApiClient(env.store, { memberId: 1, role: 'editor', label: `target of ${actor}`, now: env.now() });
      call = () => send(request(env.app).delete(`/v1/clients/${client.id}`));
      changed = async () => expect((await env.store.clients.get(client.id))!.revokedAt).to.be.a('number');
    }

    const before = await snapshotStore(env.store);
    const response = await call();
    const outcome = `${response.status}${response.body?.error?.code ? ` ${response.body.error.code}` : ''}`;
    results.push(`${route.padEnd(24)} ${actor.padEnd(17)} ${outcome}`);
    expect(response.status, `${route} as ${actor}: ${response.text.slice(0, 300)}`).to.equal(expected.status);
    if (expected.code) {
      expect(response.body.error?.code, `${route} as ${actor}`).to.equal(expected.code);
      expect((await snapshotStore(env.store)), `${route} as ${actor}: nothing changed`).to.equal(before);
    } else {
      await changed(response);
    }
  }

  const states: { name: string; fixture: () => Promise<Chain>; status: number; actors: Actor[] }[] = [
    { name: 'the school active', fixture: () => loadFixture(deployNetwork), status: 2, actors: ACTORS.filter((a) => !a.endsWith('member') || a === 'another member') },
    { name: 'the school suspended', fixture: () => loadFixture(schoolSuspended), status: 3, actors: ['suspended member'] },
    { name: 'the school removed', fixture: () => loadFixture(schoolRemoved), status: 4, actors: ['removed member'] },
  ];

  for (const state of states) {
    describe(`with ${state.name} in the registry`, function () {
      let env: Env;
      before(async function () {
        env = await makeEnv(await state.fixture());
        // The service sees the member's status through the indexer's mirror, not by asking the chain.
        expect(env.store.registry.member(1)?.status, 'the mirror').to.equal(state.status);
      });
      after(async () => env?.close());

      for (const route of ROUTES) {
        for (const actor of state.actors) {
          const expected = MATRIX[route][actor];
          it(`${route} as ${actor}: ${expected.code ? `${expected.status} ${expected.code}` : `${expected.status}, allowed`}`, async function () {
            await cell(env, route, actor);
          });
        }
      }
    });
  }

  it('the matrix has one allowed answer or one refusal for every route and caller', function () {
    for (const route of ROUTES) {
      expect(Object.keys(MATRIX[route]).sort(), route).to.deep.equal([...ACTORS].sort());
      for (const actor of ACTORS) {
        const { status, code } = MATRIX[route][actor];
        expect(status < 300 ? code === undefined : code !== undefined, `${route} ${actor}`).to.equal(true);
      }
    }
  });
});
