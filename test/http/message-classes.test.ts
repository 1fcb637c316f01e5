// The notary's server makes its requests and responses with the app's prototypes (service/http/message-classes.ts):
// express's per-request prototype swap then changes nothing, and V8 keeps the requests on shared hidden classes
// instead of making new ones for each (which made every property read on req and res miss its inline cache).
import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import express from 'express';
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import request from 'supertest';
import { expressMessageClasses } from '../../service/http';
import { createHttpServer } from '../../service/notary-process';
import { bearer, deployNetwork, issueJwt, makeEnv, SCHOOL, type Env } from './helpers';

/** V8's own answer to "do these two objects have the same hidden class?" (a natives-syntax intrinsic). */
function sameHiddenClass(): (a: object, b: object) => boolean {
  setFlagsFromString('--allow-natives-syntax');
  try {
    // The intrinsic is only parsed while the flag is on: compiled (and called once, so that a lazy compile has
    // happened) here, then the flag goes off again.
    const same = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    if (same({}, []) !== false) throw new Error('%HaveSameMap answered that an object and an array share a hidden class');
    return same;
  } finally {
    setFlagsFromString('--no-allow-natives-syntax');
  }
}

describe('HTTP server: requests and responses born with the app prototypes', function () {
  it('are Node messages whose prototypes are app.request and app.response', function () {
    const app = express();
    const classes = expressMessageClasses(app);
    const req = new classes.IncomingMessage!(new Socket());
    const res = new classes.ServerResponse!(req);
    expect(Object.getPrototypeOf(req)).to.equal(app.request);
    expect(Object.getPrototypeOf(res)).to.equal(app.response);
    expect(req).to.be.instanceOf(IncomingMessage);
    expect(res).to.be.instanceOf(ServerResponse);
    // Initialised by Node's own constructors.
    expect(req.headers).to.deep.equal({});
    expect(res.statusCode).to.equal(200);
    expect(res.req).to.equal(req);
  });

  describe('in the notary server (createHttpServer around the API)', function () {
    let env: Env;
    let server: Server;
    afterEach(async function () {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await env?.close();
    });

    it('keep one hidden class per kind for every receipt lookup, through the middleware, the route and the answer', async function () {
      env = await makeEnv(await loadFixture(deployNetwork));
      const submitted = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: await issueJwt(env.chain.schoolKey, SCHOOL) });
      expect(submitted.status).to.equal(202);
      await env.anchorAll();

      server = createHttpServer(env.app);
      const served: { req: IncomingMessage; res: ServerResponse }[] = [];
      server.on('request', (req: IncomingMessage, res: ServerResponse) => served.push({ req, res }));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/credentials/${submitted.body.digest}/receipt`;
      const bodies = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const answer = await fetch(url);
        expect(answer.status).to.equal(200);
        bodies.add(await answer.text());
      }
      expect(bodies.size, 'the same receipt every time').to.equal(1);
      expect(JSON.parse([...bodies][0]).digest).to.equal(submitted.body.digest);

      const same = sameHiddenClass();
      // The first few may still see V8 settle field representations; the last ones must share their classes.
      const [previous, last] = served.slice(-2);
      expect(Object.getPrototypeOf(last.req)).to.equal(env.app.request);
      expect(same(previous.req, last.req), 'two requests: same hidden class').to.equal(true);
      expect(same(previous.res, last.res), 'two responses: same hidden class').to.equal(true);
    });
  });
});
