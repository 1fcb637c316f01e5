// Property-based fuzzing (fast-check) of every route of the OpenAPI document, through the notary's own
// listening server (createHttpServer around createApp) on Hardhat's in-process chain and a SQLite file:
// malformed JSON, wrong types, huge and deeply nested documents, invalid UTF-8, oversized bulk arrays,
// bad media types and encodings, bad path and query parameters, and credentials or bearer tokens with a
// valid structure but a wrong signature. Every case must be a 4xx with the JSON error (never a 5xx, never
// a crash), and the store must hold exactly what it held before. The routes are read from the document,
// so a new route is fuzzed without touching this file. The seed is printed; BADGE_NOTARY_FUZZ_SEED replays.
import { expect } from 'chai';
import fc from 'fast-check';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { Agent, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runCli } from '../../service/cli/main';
import { openApiDocument } from '../../service/http';
import { createHttpServer, DEFAULT_HTTP_TIMEOUTS } from '../../service/notary-process';
import { bearer, deployNetwork, issueJwt, makeEnv, SCHOOL, type Env } from '../http/helpers';
import { forgedAuthorizations, forgedCredentials } from './hostile-fixtures';
import { expectJsonClientError, fuzzParameters, rawExchange, rowCounts, snapshotStore, type JsonishResponse } from './support';

type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query';
  schema: Schema;
}

interface Operation {
  method: string;
  /** The document's path: /v1/credentials/{digest}. */
  path: string;
  operationId: string;
  parameters: Parameter[];
  /** Media types of the request body; empty when the operation takes none. */
  bodyTypes: string[];
  bodySchema?: Schema;
  secured: boolean;
}

/** One request the fuzzer sends, and which fault it carries. */
interface FuzzCase {
  fault: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const SMALL_BULK = 20;
const INTAKE_LIMIT = 256 * 1024;
const JSON_LIMIT = 64 * 1024;

const schemas = openApiDocument.components.schemas as Record<string, Schema>;
const resolve = (schema: Schema): Schema => (typeof schema.$ref === 'string' ? schemas[schema.$ref.split('/').pop()!] : schema);

/** Every operation of the OpenAPI document. */
function operationsOf(document: typeof openApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const body = operation.requestBody as { content: Record<string, { schema: Schema }> } | undefined;
      operations.push({
        method,
        path,
        operationId: String(operation.operationId),
        parameters: ((operation.parameters as Parameter[] | undefined) ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
        bodyTypes: body ? Object.keys(body.content) : [],
        bodySchema: body?.content['application/json']?.schema,
        secured: Array.isArray(operation.security) && operation.security.length > 0,
      });
    }
  }
  return operations;
}

/** The property names a body schema may have (through oneOf, $ref), and whether it may be an array. */
function shapeOf(schema: Schema | undefined): { keys: string[]; arrays: { key: string | null; maxItems: number; items: Schema }[] } {
  const keys = new Set<string>();
  const arrays: { key: string | null; maxItems: number; items: Schema }[] = [];
  const walk = (node: Schema | undefined, key: string | null) => {
    if (!node) return;
    const resolved = resolve(node);
    for (const option of (resolved.oneOf as Schema[] | undefined) ?? []) walk(option, key);
    if (resolved.type === 'array') arrays.push({ key, maxItems: Number(resolved.maxItems ?? 1000), items: resolve((resolved.items as Schema) ?? {}) });
    if (key === null) {
      for (const [name, property] of Object.entries((resolved.properties as Record<string, Schema> | undefined) ?? {})) {
        keys.add(name);
        walk(property, name);
      }
      for (const name of (resolved.required as string[] | undefined) ?? []) keys.add(name);
    }
  };
  walk(schema, null);
  return { keys: [...keys], arrays };
}

/** Values a parameter schema accepts. */
function validValue(schema: Schema): fc.Arbitrary<string> {
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  if (schema.type === 'integer') return fc.integer({ min: Number(schema.minimum ?? 0), max: Number(schema.maximum ?? 1_000_000) }).map(String);
  return fc.string({ minLength: 1, maxLength: 20 });
}

/** Whether the text is a value the parameter schema accepts (as the service reads it). */
function accepts(schema: Schema, text: string): boolean {
  if (typeof schema.pattern === 'string') return new RegExp(schema.pattern).test(text);
  if (Array.isArray(schema.enum)) return (schema.enum as string[]).includes(text);
  if (schema.type === 'integer') {
    if (!/^[1-9][0-9]*$/.test(text) && text !== '0') return false;
    const value = Number(text);
    return Number.isSafeInteger(value) && value >= Number(schema.minimum ?? 0) && value <= Number(schema.maximum ?? Number.MAX_SAFE_INTEGER);
  }
  return true;
}

/** Values the parameter schema refuses: near misses, wrong types, huge, odd Unicode; undefined when it takes any text. */
function invalidValue(schema: Schema): fc.Arbitrary<string> | undefined {
  if (typeof schema.pattern !== 'string' && !Array.isArray(schema.enum) && schema.type !== 'integer') return undefined;
  const nearMiss = validValue(schema).chain((valid) =>
    fc.oneof(
      fc.constant(valid.slice(0, -1)),
      fc.constant(`${valid}0`),
      fc.constant(` ${valid}`),
      fc.constant(valid.toUpperCase().replace('0X', '0x') === valid ? `${valid}g` : valid.toUpperCase()),
      fc.nat({ max: Math.max(0, valid.length - 1) }).map((at) => `${valid.slice(0, at)}\u00e9${valid.slice(at + 1)}`),
    ),
  );
  return fc
    .oneof(
      nearMiss,
      fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', '+1', 'NaN', 'Infinity', 'null', 'undefined', '[]', '{}', '١٢', '9'.repeat(40), '0'.repeat(300), '%', '%%', '..', '%00'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1000, max: 30_000 }).map((n) => 'x'.repeat(n)),
    )
    .filter((text) => text.length > 0 && !accepts(schema, text));
}

/** Puts a (possibly already percent-encoded) value in a URL: raw escapes such as %FF are kept as they are. */
const encode = (text: string) => (/^(%[0-9A-Fa-f]{2}|%|[A-Za-z0-9._~-])*$/.test(text) && text.includes('%') ? text : encodeURIComponent(text));

/** Bytes that are not UTF-8: stray continuation bytes, overlong forms, surrogates, truncated sequences. */
const INVALID_UTF8 = [[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80]]
  .map((bytes) => Buffer.from(bytes));

function withInvalidUtf8(text: string, at: number, bytes: Buffer): Buffer {
  const cut = Math.min(text.length, at);
  return Buffer.concat([Buffer.from(text.slice(0, cut)), bytes, Buffer.from(text.slice(cut))]);
}

/** A case as fast-check prints it when it fails: shortened, so that a 200 KB body does not flood the log. */
function printable(fuzz: FuzzCase): FuzzCase {
  const short = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}... (${text.length} characters)` : text);
  return Object.assign(fuzz, {
    [fc.toStringMethod]: () =>
      `${fuzz.fault}: ${short(fuzz.url)} ${JSON.stringify(fuzz.headers)} ${fuzz.body ? short(fuzz.body.toString('latin1')) : '(no body)'}`,
  });
}

/** A document nested `depth` levels deep, as JSON text, built without recursion. */
function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('security: property-based fuzzing of every route', function () {
  this.timeout(900_000);
  let env: Env;
  let server: Server;
  let port: number;
  let agent: Agent;
  let initial: string;
  let forged: Awaited<ReturnType<typeof forgedCredentials>>;
  let tokens: Awaited<ReturnType<typeof forgedAuthorizations>>;
  const outcomes = new Map<string, Map<string, number>>();
  const count = (route: string, key: string) => {
    const perRoute = outcomes.get(route) ?? new Map<string, number>();
    perRoute.set(key, (perRoute.get(key) ?? 0) + 1);
    outcomes.set(route, perRoute);
  };
  const operations = operationsOf(openApiDocument);
  const runs = fuzzParameters(process.env.BADGE_NOTARY_SLOW_TESTS === '1' ? 120 : 60);

  before(async function () {
    env = await makeEnv(await loadFixture(deployNetwork), {
      maxBulk: SMALL_BULK,
      maxBodyBytes: INTAKE_LIMIT,
      limits: {
        maxJsonBodyBytes: JSON_LIMIT, maxVerifyBodyBytes: JSON_LIMIT,
        rateLimitPerMember: 1_000_000, rateLimitPerAddress: 1_000_000, rateLimitAuthFailuresPerAddress: 1_000_000
      },
    });
    // Something in every kind of row the routes could touch: a queued credential and a recorded revocation.
    const taken = await request(env.app).post('/v1/credentials').set(bearer(env.keys.schoolEditor)).send({ credential: await issueJwt(env.chain.schoolKey, SCHOOL) });
    expect(taken.status, JSON.stringify(taken.body)).to.equal(202);
    await env.store.revocations.create({ memberId: 1, digests: [taken.body.digest], reason: 1, requestedBy: 'fixture', requestedAt: env.now() });
    forged = await forgedCredentials(env);
    tokens = await forgedAuthorizations(env);
    server = createHttpServer(env.app);
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    port = (server.address() as AddressInfo).port;
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    initial = await snapshotStore(env.store);
    console.log(`      fuzz seed ${runs.seed} (BADGE_NOTARY_FUZZ_SEED=${runs.seed} replays), ${runs.numRuns} runs per property; rows: ${JSON.stringify(await rowCounts(env.store))}`);
  });

  after(async function () {
    agent?.destroy();
    if (server) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
    if (outcomes.size > 0) {
      console.log('      outcomes per route (fault kinds: cases; statuses: count)');
      for (const [route, counts] of outcomes) console.log(`        ${route}  ${[...counts].map(([key, n]) => `${key}: ${n}`).join(', ')}`);
    }
    await env?.close();
  });

  // The server closes a keep-alive connection idle for its keep-alive timeout. A request written on it just then
  // is reset (the race every HTTP/1.1 client has), and the time between two properties (building the next
  // arbitrary, on a loaded machine) can exceed that timeout. So a connection idle for most of it is not reused;
  // a fault of the server that closes or resets a connection right after answering still fails the next case.
  const STALE_AFTER_MS = DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs - 1_000;
  let lastExchangeAt = 0;

  /** Sends one request over the loopback; a connection the server cut after answering is fine. */
  function send(method: string, url: string, headers: Record<string, string>, body?: Buffer): Promise<JsonishResponse> {
    if (Date.now() - lastExchangeAt > STALE_AFTER_MS) {
      agent.destroy();
      agent = new Agent({ keepAlive: true, maxSockets: 1 });
    }
    return new Promise<JsonishResponse>((done, fail) => {
      let answered: JsonishResponse | undefined;
      const outgoing = httpRequest(
        { host: '127.0.0.1', port, method: method.toUpperCase(), path: url, agent, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            answered = { status: response.statusCode ?? 0, headers: response.headers as IncomingHttpHeaders, text: Buffer.concat(chunks).toString('utf8') };
            done(answered);
          });
          response.on('error', (error) => (answered ? done(answered) : fail(error)));
        },
      );
      outgoing.on('error', (error) => (answered ? done(answered) : fail(error)));
      outgoing.end(body);
    }).finally(() => {
      lastExchangeAt = Date.now();
    });
  }

  /** A path of the operation with valid path parameters (or one invalid one, when `bad` names it). */
  function urlArbitrary(operation: Operation, bad?: string): fc.Arbitrary<string> {
    const pathParameters = operation.parameters.filter((p) => p.in === 'path');
    const values = pathParameters.map((p) => (p.name === bad ? invalidValue(p.schema)! : validValue(p.schema)).map((value) => ({ name: p.name, value })));
    return fc.tuple(...values).map((pairs) => pairs.reduce((url, { name, value }) => url.replace(`{${name}}`, encode(value)), operation.path));
  }

  const adminAuth = () => ({ Authorization: `Bearer ${env.keys.schoolAdmin}` });

  /** Every fault that applies to the operation, as one arbitrary of cases. */
  function caseArbitrary(operation: Operation): fc.Arbitrary<FuzzCase> {
    const faults: fc.Arbitrary<FuzzCase>[] = [];
    const auth = operation.secured ? adminAuth() : {};
    const goodUrl = urlArbitrary(operation);
    const jsonHeaders = { ...auth, 'Content-Type': 'application/json' };
    const bodyCase = (fault: string, body: fc.Arbitrary<Buffer>, headers: Record<string, string> = jsonHeaders) =>
      fc.tuple(goodUrl, body).map(([url, bytes]): FuzzCase => ({ fault, url, headers, body: bytes }));

    // Path and query parameters.
    for (const parameter of operation.parameters) {
      // A path parameter that takes any text (a DID) has no invalid value to try.
      if (parameter.in === 'path' && invalidValue(parameter.schema) !== undefined) {
        faults.push(urlArbitrary(operation, parameter.name).map((url) => ({ fault: `path ${parameter.name}`, url, headers: auth })));
      }
      if (parameter.in === 'query') {
        const invalid = invalidValue(parameter.schema);
        if (invalid) faults.push(fc.tuple(goodUrl, invalid).map(([url, value]) => ({ fault: `query ${parameter.name}`, url: `${url}?${parameter.name}=${encode(value)}`, headers: auth })));
        faults.push(
          fc.tuple(goodUrl, validValue(parameter.schema), validValue(parameter.schema)).map(([url, a, b]) => ({
            fault: `query ${parameter.name} twice`,
            url: `${url}?${parameter.name}=${encode(a)}&${parameter.name}=${encode(b)}`,
            headers: auth,
          })),
        );
      }
    }

    // Credentials of the wrong kind.
    if (operation.secured) {
      faults.push(
        fc
          .tuple(
            goodUrl,
            fc.oneof(
              fc.constantFrom(...tokens).map((token) => token.header),
              fc.string({ unit: 'grapheme-ascii', maxLength: 200 }).map((text) => `Bearer ${text}`),
              fc.string({ unit: 'grapheme-ascii', maxLength: 200 }),
            ),
          )
          .filter(([, header]) => header === undefined || /^[\x20-\x7e]*$/.test(header))
          .map(([url, header]): FuzzCase => ({
            fault: 'authorization',
            url,
            headers: header === undefined ? {} : { Authorization: header as string },
          body: operation.bodyTypes.length > 0 ? Buffer.from('{}') : undefined,
        })),
      );
    }

    if (operation.bodyTypes.length > 0) {
      const shape = shapeOf(operation.bodySchema);
      const limit = operation.operationId === 'submitCredentials' ? INTAKE_LIMIT : JSON_LIMIT;
      const key = shape.keys.length > 0 ? fc.constantFrom(...shape.keys) : fc.constant('value');
      const anyJson = fc.jsonValue({ maxDepth: 3 });

      faults.push(
        bodyCase(
          'malformed json',
          fc
            .oneof(
              fc.string({ maxLength: 200 }),
              fc.constantFrom('{', '{"credential": ', '[1, 2', "{'a': 1}", '{"a": NaN}', '{"a": 1} trailing', '/* c */ {}', '{"a":1,}', '\u0000', '{"a": "\\x41"}', '{"a": "\\ud800"}'),
              fc.tuple(anyJson, fc.nat()).map(([value, at]) => {
                const text = JSON.stringify(value);
                return text.slice(0, text.length > 1 ? at % (text.length - 1) : 0);
              }),
            )
            .filter((text) => {
              try {
                JSON.parse(text);
                return false;
              } catch {
                return true;
              }
            })
            .map((text) => Buffer.from(text)),
        ),
      );
      faults.push(bodyCase('wrong types', anyJson.map((value) => Buffer.from(JSON.stringify(value)))));
      faults.push(
        bodyCase(
          'wrong field types',
          fc.dictionary(key, anyJson, { minKeys: 1, maxKeys: 4 }).map((value) => Buffer.from(JSON.stringify(value))),
        ),
      );
      faults.push(
        bodyCase(
          'huge',
          fc.tuple(key, fc.integer({ min: Math.floor(limit / 2), max: limit * 2 }), fc.boolean()).map(([name, size, asArray]) =>
            Buffer.from(asArray ? `{"${name}": [${Array.from({ length: Math.floor(size / 4) }, () => '"x"').join(',')}]}` : `{"${name}": "${'x'.repeat(size)}"}`),
          ),
        ),
      );
      faults.push(
        bodyCase(
          'deeply nested',
          fc.tuple(key, fc.integer({ min: 1_000, max: Math.floor(limit / 6) }), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.boolean()).map(([name, depth, kind, wrapped]) =>
            Buffer.from(wrapped ? `{"${name}": ${deepJson(depth, kind)}}` : deepJson(depth, kind)),
          ),
        ),
      );
      // Depth inside what the parsers read: a credential object, a credential as JSON text, a JWT's claims.
      const jsonForgeries = forged.filter((f) => typeof f.credential !== 'string');
      faults.push(
        bodyCase(
          'deeply nested credential',
          fc
            .tuple(fc.constantFrom(...jsonForgeries), key, fc.oneof(fc.constantFrom(1_000, 3_000, 5_000, 8_000), fc.integer({ min: 100, max: 20_000 })), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.constantFrom('object', 'text', 'jwt claims'))
            .map(([{ credential }, name, depth, kind, form]) => {
              const deep = deepJson(depth, kind);
              const document = JSON.stringify({ ...(credential as object), name: '__DEEP__' }).replace('"__DEEP__"', deep);
              if (form === 'object') return Buffer.from(`{"${name}": ${document}}`);
              if (form === 'text') return Buffer.from(JSON.stringify({ [name]: document }));
              const claims = Buffer.from(`{"iss":"${SCHOOL}","vc":${document}}`).toString('base64url');
              return Buffer.from(JSON.stringify({ [name]: `eyJhbGciOiJFZERTQSJ9.${claims}.${Buffer.alloc(64).toString('base64url')}` }));
            }),
        ),
      );
      faults.push(
        bodyCase(
          'invalid utf-8',
          fc.tuple(anyJson, key, fc.nat(), fc.constantFrom(...INVALID_UTF8), fc.boolean()).map(([value, name, at, bytes, inString]) => {
            if (inString) {
              const text = `{"${name}": "abc`;
              return Buffer.concat([Buffer.from(text), bytes, Buffer.from('def"}')]);
            }
            const text = JSON.stringify({ [name]: value });
            return withInvalidUtf8(text, at % (text.length + 1), bytes);
          }),
        ),
      );
      faults.push(
        bodyCase(
          'forged credential',
          fc.tuple(fc.constantFrom(...forged), key, fc.constantFrom('field', 'bare', 'array', 'enveloped')).map(([{ credential }, name, form]) => {
            if (form === 'bare') return Buffer.from(JSON.stringify(credential));
            if (form === 'array') return Buffer.from(JSON.stringify([credential, credential]));
            if (form === 'enveloped' && typeof credential === 'string') {
              return Buffer.from(JSON.stringify({ [name]: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: 'EnvelopedVerifiableCredential', id: `data:application/vc+jwt,${credential}` } }));
            }
            return Buffer.from(JSON.stringify({ [name]: credential }));
          }),
        ),
      );
      const bulkArrays = shape.arrays.length > 0 ? shape.arrays : [{ key: null, maxItems: SMALL_BULK, items: {} as Schema }];
      faults.push(
        bodyCase(
          'oversized bulk',
          fc.tuple(fc.constantFrom(...bulkArrays), fc.integer({ min: 1, max: 1_000 })).chain(([array, extra]) => {
            const maximum = operation.operationId === 'submitCredentials' ? SMALL_BULK : array.maxItems;
            const item = typeof array.items.pattern === 'string'
              ? validValue(array.items)
              : fc.constantFrom<unknown>('eyJhbGciOiJFZERTQSJ9.e30.sig', { '@context': [] }, 1, null);
            return fc
              .array(item, { minLength: maximum + 1, maxLength: maximum + extra })
              .map((items) => Buffer.from(JSON.stringify(array.key === null ? items : { [array.key]: items })));
          }),
        ),
      );
      faults.push(
        fc.tuple(goodUrl, anyJson, fc.constantFrom('text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'image/png', 'application/json; charset=latin1', 'application/json; charset=utf-7', 'application/octet-stream', 'json', '*/*', '')).map(
          ([url, value, type]): FuzzCase => ({ fault: 'media type', url, headers: { ...auth, ...(type ? { 'Content-Type': type } : {}) }, body: Buffer.from(JSON.stringify({ x: value })) }),
        ),
      );
      faults.push(
        fc.tuple(goodUrl, fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'gzip, gzip')).map(([url, bytes, encoding]): FuzzCase => ({
          fault: 'content encoding',
          url,
          headers: { ...jsonHeaders, 'Content-Encoding': encoding },
          body: encoding === 'gzip' && bytes[0] % 2 === 0 ? gzipSync(Buffer.from('{"not": "closed"')) : Buffer.from(bytes),
        })),
      );
      faults.push(goodUrl.map((url): FuzzCase => ({ fault: 'missing body', url, headers: jsonHeaders })));
      // Every other media type the document lists (baked images, ...): bytes that are not what they claim.
      for (const type of operation.bodyTypes.filter((t) => t !== 'application/json' && t !== 'application/jwt')) {
        faults.push(
          bodyCase(
            `${type} body`,
            fc.oneof(
              fc.uint8Array({ minLength: 1, maxLength: 500 }).map((bytes) => Buffer.from(bytes)),
              fc
                .uint8Array({ maxLength: 200 })
                .map((bytes) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(bytes)])),
              fc.string({ maxLength: 200 }).map((text) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg">${text}`)),
              fc.integer({ min: 100, max: 5_000 }).map((depth) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential><![CDATA[${'['.repeat(depth)}]]></openbadges:credential></svg>`)),
              fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.string({ maxLength: 100 })).map(([bytes, text]) => Buffer.concat([Buffer.from(`<svg>${text}`), bytes, Buffer.from('</svg>')])),
            ),
            { ...auth, 'Content-Type': type },
          ),
        );
      }
      if (operation.bodyTypes.includes('application/jwt')) {
        faults.push(
          bodyCase(
            'jws as text',
            fc.oneof(
              fc.string({ maxLength: 300 }).map((text) => Buffer.from(text)),
              fc.constantFrom(...forged.filter((f) => typeof f.credential === 'string')).map((f) => Buffer.from(f.credential as string)),
              fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.nat({ max: 40 })).map(([bytes, at]) => withInvalidUtf8('eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln', at, bytes)),
            ),
            { ...auth, 'Content-Type': 'application/jwt' },
          ),
        );
      }
    }
    return (faults.length > 0 ? fc.oneof(...faults) : fc.constant({ fault: 'none', url: operation.path, headers: auth })).map(printable);
  }

  /** Harmless noise for operations that take no input at all: unknown query parameters, headers, a stray body. */
  function noiseArbitrary(operation: Operation): fc.Arbitrary<FuzzCase> {
    const auth = operation.secured ? adminAuth() : {};
    return fc
      .tuple(
        fc.dictionary(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
        fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
        fc.option(fc.uint8Array({ maxLength: 100 })),
      )
      .map(([query, requestId, body]) => ({
        fault: 'noise',
        url: `${operation.path}${Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : ''}`,
        headers: { ...auth, 'X-Request-Id': requestId.replace(/[\r\n]/g, ''), ...(body ? { 'Content-Type': 'application/octet-stream' } : {}) },
        body: body ? Buffer.from(body) : undefined,
      }))
      .map(printable);
  }

  for (const operation of operations) {
    const route = `${operation.method.toUpperCase()} ${operation.path}`;
    const takesInput = operation.parameters.length > 0 || operation.bodyTypes.length > 0 || operation.secured;
    // POST /v1/verify answers a report, verified or not, for anything it can read as a credential: a 200 with
    // `verified: false` is its documented answer to a forged or unreadable credential.
    const reportRoute = operation.operationId === 'verify';

    if (takesInput) {
      it(`${route}: every malformed input is a 4xx with a JSON error; the store is unchanged`, async function () {
        await fc.assert(
          fc.asyncProperty(caseArbitrary(operation), async (fuzz) => {
            const response = await send(operation.method, fuzz.url, fuzz.headers, fuzz.body);
            count(route, fuzz.fault);
            count(route, String(response.status));
            const context = `${route} [${fuzz.fault}] ${fuzz.url.slice(0, 120)} body ${fuzz.body?.subarray(0, 120).toString('latin1') ?? '-'}`;
            expect(response.status, `${context}: never a 5xx`).to.be.below(500);
            if (reportRoute && response.status === 200) {
              expect(JSON.parse(response.text).verified, `${context}: a report, not verified`).to.equal(false);
            } else {
              expectJsonClientError(response, context);
            }
            expect((await snapshotStore(env.store)), `${context}: the store`).to.equal(initial);
          }),
          runs,
        );
      });
    }

    if (operation.method === 'get' && operation.parameters.every((p) => p.in !== 'path')) {
      it(`${route}: ignores unknown query parameters, headers and a stray body`, async function () {
        const baseline = await send(operation.method, operation.path, operation.secured ? adminAuth() : {});
        expect(baseline.status, route).to.be.below(500);
        await fc.assert(
          fc.asyncProperty(noiseArbitrary(operation), async (fuzz) => {
            const response = await send(operation.method, fuzz.url, fuzz.headers, fuzz.body);
            count(route, 'noise');
            count(route, String(response.status));
            expect(response.status, `${route} noise ${fuzz.url}`).to.equal(baseline.status);
            expect((await snapshotStore(env.store))).to.equal(initial);
          }),
          { ...runs, numRuns: Math.ceil(runs.numRuns / 3) },
        );
      });
    }
  }

  it('raw requests: invalid UTF-8 and control bytes in the path, broken framing: a JSON 4xx or a closed connection, never a 5xx', async function () {
    const paths = operations.map((operation) => operation.path.replace(/\{[^}]+\}/g, 'x'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom(...INVALID_UTF8, Buffer.from([0x00]), Buffer.from([0x7f]), Buffer.from('%FF%FE'), Buffer.from('%C0%AF'), Buffer.from('%E0%A4%A')),
        fc.constantFrom('path', 'header', 'short body', 'long body', 'bad chunk'),
        async (path, bytes, where) => {
          const head = (extra: string) => Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${env.keys.schoolAdmin}\r\nContent-Type: application/json\r\n${extra}Connection: close\r\n\r\n`);
          let message: Buffer;
          if (where === 'path') message = Buffer.concat([Buffer.from(`GET ${path}/`), bytes, Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')]);
          else if (where === 'header') message = Buffer.concat([Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd: a`), bytes, Buffer.from('b\r\nConnection: close\r\n\r\n')]);
          else if (where === 'short body') message = Buffer.concat([head('Content-Length: 100\r\n'), Buffer.from('{"credential": "'), bytes]);
          else if (where === 'long body') message = Buffer.concat([head('Content-Length: 5\r\n'), Buffer.from('{"a": 1}'), bytes, Buffer.from('\r\n\r\n')]);
          else message = Buffer.concat([head('Transfer-Encoding: chunked\r\n'), Buffer.from('zz\r\n'), bytes, Buffer.from('\r\n0\r\n\r\n')]);
          const response = await rawExchange(port, message, 5_000);
          count('raw', where);
          count('raw', String(response.status));
          // The server may also close a connection whose request it could not finish reading (status 0); odd
          // bytes in a header value it does not read are no error (HTTP allows obs-text there).
          expect(response.status, `${where}: ${message.toString('latin1').slice(0, 100)}`).to.be.below(500);
          if (response.status >= 400) {
            expect(response.headers['content-type'], where).to.match(/^application\/json/);
            expect(JSON.parse(response.text).error.code).to.be.a('string');
          }
          expect((await snapshotStore(env.store))).to.equal(initial);
        },
      ),
      { ...runs, numRuns: Math.ceil(runs.numRuns / 2) },
    );
    expect((await send('get', '/health', {})).status, 'the server still answers').to.equal(200);
  });

  it('the CLI notarise command with fuzzed files against this server: exit 2 with a message, the store unchanged', async function () {
    const directory = mkdtempSync(join(tmpdir(), 'badge-notary-fuzz-cli-'));
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.string({ minLength: 1, maxLength: 200 }).map((text) => Buffer.from(text)),
              fc.constantFrom(...forged).map((f) => Buffer.from(typeof f.credential === 'string' ? f.credential : JSON.stringify(f.credential))),
              fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.string({ maxLength: 50 })).map(([bytes, text]) => Buffer.concat([Buffer.from(text), bytes])),
              fc.integer({ min: 1, max: 200 }).map((depth) => Buffer.from(`{${'['.repeat(depth)}`)),
            ),
            { minLength: 1, maxLength: 3 },
          ),
          async (contents) => {
            const files = contents.map((bytes, index) => {
              const file = join(directory, `credential-${index}.txt`);
              writeFileSync(file, bytes);
              return file;
            });
            const out: string[] = [];
            const err: string[] = [];
            const code = await runCli(['notarise', '--url', `http://127.0.0.1:${port}`, ...files], {
              env: { BADGE_NOTARY_API_KEY: env.keys.schoolEditor },
              io: { out: (text) => out.push(text), err: (text) => err.push(text) },
            });
            count('CLI notarise', `exit ${code}`);
            expect(code, `exit status; out ${out.join(' ')} err ${err.join(' ')}`).to.equal(2);
            expect(err.join('\n')).to.match(/^(error|refused by the service): /);
            expect((await snapshotStore(env.store))).to.equal(initial);
          },
        ),
        { ...runs, numRuns: Math.ceil(runs.numRuns / 2) },
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
