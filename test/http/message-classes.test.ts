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

/** A V8 natives-syntax intrinsic as a function, e.g. `%HaveSameMap(a, b)`: V8's own answer about hidden classes. */
function v8Intrinsic<Args extends object[]>(name: string, arity: number): (...args: Args) => boolean {
  setFlagsFromString('--allow-natives-syntax');
  try {
    // The intrinsic is only parsed while the flag is on: compiled here, then the flag goes off again.
    const parameters = Array.from({ length: arity }, (_, i) => `a${i}`);
    return new Function(...parameters, `return %${name}(${parameters.join(', ')})`) as (...args: Args) => boolean;
  } finally {
    setFlagsFromString('--no-allow-natives-syntax');
  }
}

/** Do these two objects have the same hidden class? */
function sameHiddenClass(): (a: object, b: object) => boolean {
  const same = v8Intrinsic<[object, object]>('HaveSameMap', 2);
  if (same({}, []) !== false) throw new Error('%HaveSameMap answered that an object and an array share a hidden class');
  return same;
}

/** Are this object's properties in fast mode (a hidden class of their own shape), not a dictionary? */
function hasFastProperties(): (a: object) => boolean {
  const fast = v8Intrinsic<[object]>('HasFastProperties', 1);
  const dictionary: Record<string, number> = { a: 1, b: 2 };
  delete dictionary.a;
  if (fast(dictionary) !== false || fast({ a: 1 }) !== true) throw new Error('%HasFastProperties does not tell a dictionary from an object');
  return fast;
}

describe('HTTP server: requests and responses born with the app prototypes', function () {
  it('are Node messages whose prototypes are app.request and app.response, which keep what express put in them', function () {
    const app = express();
    const expressRequest = Object.getPrototypeOf(app.request);
    const expressResponse = Object.getPrototypeOf(app.response);
    const classes = expressMessageClasses(app);
    const req = new classes.IncomingMessage(new Socket());
    const res = new classes.ServerResponse(req);
    expect(Object.getPrototypeOf(req)).to.equal(app.request);
    expect(Object.getPrototypeOf(res)).to.equal(app.response);
    expect(Object.getPrototypeOf(app.request)).to.equal(expressRequest);
    expect(Object.getPrototypeOf(app.response)).to.equal(expressResponse);
    expect(app.request.app).to.equal(app);
    expect(app.response.app).to.equal(app);
    expect((res as unknown as express.Response).json).to.equal(expressResponse.json);
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
      const fast = hasFastProperties();
      // A response in dictionary mode has no class to share but the one a cache of V8's lends it until the next
      // garbage collection: every request and response must stay in fast mode.
      for (const [i, { req, res }] of served.entries()) {
        expect(fast(req), `request ${i}: fast properties`).to.equal(true);
        expect(fast(res), `response ${i}: fast properties`).to.equal(true);
      }
      // The first few may still see V8 settle field representations; the last ones must share their classes.
      const [previous, last] = served.slice(-2);
      expect(Object.getPrototypeOf(last.req)).to.equal(env.app.request);
      expect(same(previous.req, last.req), 'two requests: same hidden class').to.equal(true);
      expect(same(previous.res, last.res), 'two responses: same hidden class').to.equal(true);
    });
  });
});
