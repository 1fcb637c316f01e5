import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileDurably } from '../../service/durable-file';
import { loadStatusListKey, STATUS_LIST_KEY_FILE } from '../../service/config/status-list-key';

describe('files kept beside the database, written durably', function () {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'badge-notary-durable-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('writes the whole text with the mode asked, and leaves no temporary file', function () {
    const path = join(folder, 'key.json');
    writeFileDurably(path, '{"a":1}\n', { mode: 0o600 });
    expect(readFileSync(path, 'utf8')).to.equal('{"a":1}\n');
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(readdirSync(folder)).to.deep.equal(['key.json']);
  });

  it('replaces a file whole when not exclusive', function () {
    const path = join(folder, 'deployment.json');
    writeFileDurably(path, 'old');
    writeFileDurably(path, 'new');
    expect(readFileSync(path, 'utf8')).to.equal('new');
    expect(readdirSync(folder)).to.deep.equal(['deployment.json']);
  });

  it('refuses to replace an existing file when exclusive, keeping it and leaving no temporary file', function () {
    const path = join(folder, 'key.json');
    writeFileSync(path, 'the first key');
    expect(() => writeFileDurably(path, 'a second key', { exclusive: true })).to.throw(/EEXIST/);
    expect(readFileSync(path, 'utf8')).to.equal('the first key');
    expect(readdirSync(folder)).to.deep.equal(['key.json']);
  });

  it('the status-list key: made once, read back the same on the next start', function () {
    const first = loadStatusListKey(folder);
    const again = loadStatusListKey(folder);
    expect(again.did).to.equal(first.did);
    expect(statSync(join(folder, STATUS_LIST_KEY_FILE)).mode & 0o777).to.equal(0o600);
    expect(readdirSync(folder)).to.deep.equal([STATUS_LIST_KEY_FILE]);
  });
});
