import { expect } from 'chai';
import express from 'express';
import { readdirSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { runCli } from '../../service/cli/main';
import { Output } from '../../service/cli/output';
import { NotaryError, presentError, redactUrls, sanitisedMessage } from '../../service/errors';
import { errorHandler, HttpError } from '../../service/http/errors';

const SERVICE = join(__dirname, '..', '..', 'service');

/** Every TypeScript module under service/ (the page's browser scripts are not TypeScript and cannot import it). */
function serviceModules(dir = SERVICE): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return serviceModules(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const isErrorClass = (value: unknown): value is new (...args: never[]) => Error =>
  typeof value === 'function' && value.prototype instanceof Error;

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) }, out, err };
}

describe('errors: one base', function () {
  it('every error class that a module of service/ exports derives from NotaryError', function () {
    const errorClasses: string[] = [];
    const strays: string[] = [];
    for (const path of serviceModules()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exports = require(path) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) {
        if (!isErrorClass(value)) continue;
        const where = `${relative(SERVICE, path)}: ${name}`;
        errorClasses.push(where);
        if (!(value.prototype instanceof NotaryError) && value !== NotaryError) strays.push(where);
      }
    }
    // The walk found the error modules (a walk that finds nothing would pass for nothing).
    expect(errorClasses.length).to.be.greaterThan(50);
    for (const expected of ['credentials/errors.ts: CredentialError', 'http/errors.ts: HttpError', 'cli/cli-errors.ts: CliUsageError', 'store/database.ts: StoreError']) {
      expect(errorClasses).to.include(expected);
    }
    expect(strays, 'error classes that do not derive from NotaryError').to.deep.equal([]);
  });

  it('a base error carries a code, a short message, details, a hint and its cause', function () {
    const cause = new Error('the disk said no');
    const error = new NotaryError('example-failed', 'the example failed', { details: 'step 2 of 3', hint: 'run it again', cause });
    expect(error).to.be.instanceOf(Error);
    expect(error.message).to.equal('the example failed: step 2 of 3');
    expect(error.cause).to.equal(cause);
    expect(presentError(error)).to.deep.equal({ code: 'example-failed', message: 'the example failed', details: 'step 2 of 3', hint: 'run it again' });
  });

  it('HTTP and the CLI present one base error the same way: code, message, details, hint', async function () {
    const error = new NotaryError('EXAMPLE_FAILED', 'the example failed', { details: 'step 2 of 3', hint: 'run it again' });

    const app = express();
    app.get('/fail', (_req, _res, next) => next(HttpError.from(error, 422)));
    app.use(errorHandler());
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    let httpBody: { error: Record<string, unknown> };
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/fail`);
      expect(response.status).to.equal(422);
      httpBody = (await response.json()) as typeof httpBody;
    } finally {
      server.close();
    }

    const { io, out, err } = captureIo();
    new Output(io, true).failure('error', presentError(error));
    const expected = { code: 'example-failed', message: 'the example failed', details: 'step 2 of 3', hint: 'run it again' };
    expect(httpBody.error).to.deep.equal(expected);
    expect(JSON.parse(out.join('\n'))).to.deep.equal({ error: expected });
    expect(err.join('\n')).to.equal('error: the example failed\n  step 2 of 3\n  hint: run it again');
  });

  it('the CLI prints a failure as JSON with --json, the shape the API answers with', async function () {
    const { io, out, err } = captureIo();
    const missing = join(__dirname, 'no-such-badge.json');
    const code = await runCli(['--json', 'notarise', missing], { io, env: { BADGE_NOTARY_API_KEY: 'key' } });
    expect(code).to.equal(2);
    expect(err.join('\n')).to.match(/^error: cannot read .*no-such-badge\.json: ENOENT/);
    expect(JSON.parse(out.join('\n')).error).to.include({ code: 'usage' });
  });

  it('a provider error is shown by its short message, every URL cut to its host: no key, user, path or query', function () {
    expect(redactUrls('failed at https://user:pw@eth.example:8545/v3/KEY?apikey=KEY, then "http://10.0.0.1/rpc"')).to.equal(
      'failed at https://eth.example:8545, then "http://10.0.0.1"',
    );
    const ethersLike = Object.assign(new Error('server response 500 (request={ }, info={ "requestUrl": "https://eth.example/v3/KEY", "responseBody": "KEY" })'), {
      shortMessage: 'server response 500 Internal Server Error',
      code: 'SERVER_ERROR',
    });
    expect(sanitisedMessage(ethersLike)).to.equal('server response 500 Internal Server Error');
    expect(sanitisedMessage(new Error('connect ECONNREFUSED https://eth.example/v3/KEY'))).to.equal('connect ECONNREFUSED https://eth.example');
  });
});
