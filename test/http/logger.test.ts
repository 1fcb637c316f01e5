import { expect } from 'chai';
import { Writable } from 'node:stream';
import { FetchRequest, makeError } from 'ethers';
import { serviceLogger } from '../../service/http';

const SECRET = 'sk-live-logger-0a1b2c';

describe('HTTP: the service logger', function () {
  it('writes an ethers provider error without its request URL, response body or the key in them', function () {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const url = `https://rpc.example/v3/${SECRET}`;
    const error = makeError(`server response 500 (requestUrl="${url}")`, 'SERVER_ERROR', {
      request: new FetchRequest(url),
      info: { requestUrl: url, responseBody: `no such key ${SECRET}` },
    });
    serviceLogger('info', sink).error({ err: error }, 'the chain failed');
    expect(lines).to.have.length(1);
    const entry = JSON.parse(lines[0]);
    expect(entry.err.type, lines[0]).to.equal('Error');
    expect(entry.err.message).to.be.a('string').and.not.equal('');
    expect(lines[0]).not.to.contain(SECRET);
  });
});
