import { expect } from 'chai';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import type { Express } from 'express';
import request from 'supertest';
import { openApiDocument } from '../../service/http';
import { WEB_PAGE_ROUTES } from '../../service/web';
import { DASHBOARD_ROUTES } from '../../service/web/dashboard';
import { CONSOLE_PAGE_ROUTES } from '../../service/web/console';
import { deployNetwork, makeEnv, type Env } from './helpers';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean>; stack: { name: string }[] };
}

/** Every "METHOD /path" express routes, read from its router (the 405 catch-alls left out). */
function routesOf(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: RouteLayer[] } }).router.stack;
  const routes: string[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    if (layer.route.stack.some((handler) => handler.name === 'methodNotAllowed')) continue;
    for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${layer.route.path}`);
  }
  return routes.sort();
}

/** Every "METHOD /path" the document describes, its {param} written as express's :param. */
function documentedRoutes(document: typeof openApiDocument): string[] {
  const routes: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item).filter((key) => HTTP_METHODS.includes(key))) {
      routes.push(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`);
    }
  }
  return routes.sort();
}

/** Every $ref in the document. */
function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsOf(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item);
      else refsOf(item, found);
    }
  }
  return found;
}

describe('HTTP API: the OpenAPI document', function () {
  let env: Env;
  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), { indexed: false });
  });
  after(async () => env?.close());

  it('describes exactly the routes express serves: none missing from either', function () {
    // The verifier web page's routes (service/web WEB_PAGE_ROUTES: GET /, /verify, /web/:file) are not the API:
    // left out by name, and each must be served.
    // The dashboard's page (service/web/dashboard.ts DASHBOARD_ROUTES: GET /dashboard, /dashboard/:file) likewise,
    // and the governance console's (service/web/console.ts CONSOLE_PAGE_ROUTES: /console and its files).
    const all = routesOf(env.app);
    const pages = [...WEB_PAGE_ROUTES, ...DASHBOARD_ROUTES, ...CONSOLE_PAGE_ROUTES];
    expect(all).to.include.members(pages);
    const served = all.filter((route) => !pages.includes(route));
    const documented = documentedRoutes(openApiDocument);
    expect(served.length).to.be.greaterThan(15);
    expect(served.filter((route) => !documented.includes(route)), 'served but not documented').to.deep.equal([]);
    expect(documented.filter((route) => !served.includes(route)), 'documented but not served').to.deep.equal([]);
  });

  it('is OpenAPI 3.1, every operation with an id, a success answer, and every $ref resolving', function () {
    expect(openApiDocument.openapi).to.equal('3.1.0');
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(openApiDocument.paths)) {
      for (const [method, operation] of Object.entries(
        item as Record<string, { operationId: string; responses: Record<string, unknown>; parameters?: { name: string; in: string }[] }>
      )) {
        expect(ids.has(operation.operationId), `${method} ${path}: operationId`).to.equal(false);
        ids.add(operation.operationId);
        expect(Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)), `${method} ${path}: a 2xx`).to.equal(true);
        const pathParameters = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        const declared = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared, `${method} ${path}: path parameters`).to.deep.equal(pathParameters);
      }
    }
    const schemas = openApiDocument.components.schemas as Record<string, unknown>;
    for (const target of refsOf(openApiDocument)) {
      expect(target.startsWith('#/components/schemas/'), target).to.equal(true);
      expect(schemas, target).to.have.property(target.slice('#/components/schemas/'.length));
    }
  });

  it('is served at /openapi.json', async function () {
    const response = await request(env.app).get('/openapi.json');
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.match(/^application\/json/);
    expect(response.body).to.deep.equal(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
