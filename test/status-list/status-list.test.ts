import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeList } from '@digitalbazaar/vc-bitstring-status-list';
import { loadStatusListKey } from '../../service/config/status-list-key';
import { buildAchievementCredential } from '../../service/credentials/builder';
import { InvalidBadgeInputError } from '../../service/credentials/errors';
import { demoBadgeInput } from '../../service/demo/demo-badge';
import {
  STATUS_LIST_LENGTH,
  StatusListError,
  bitAt,
  buildStatusEntry,
  decodeBitstring,
  encodeBitstring,
  revocationEntriesOf,
  statusListAddressOf,
  statusListUrl,
} from '../../service/status-list';

const LIST = 'https://notary.example/v1/status-lists/3/main';

describe('status lists: the bitstring, the entry, the builder (W3C Bitstring Status List)', function () {
  it('encodes as the REC says: GZIP, multibase base64url with u, index 0 the left-most bit; the outside library reads the same bits', async function () {
    const set = [0, 9, 4242, STATUS_LIST_LENGTH - 1];
    const encoded = encodeBitstring(set);
    expect(encoded).to.match(/^u[A-Za-z0-9_-]+$/);
    const bytes = decodeBitstring(encoded);
    expect(bytes.length).to.equal(STATUS_LIST_LENGTH / 8);
    expect(bytes[0]).to.equal(0x80);
    expect(bytes[1]).to.equal(0x40);
    const outside = await decodeList({ encodedList: encoded });
    expect(outside.length).to.equal(STATUS_LIST_LENGTH);
    for (const index of [0, 1, 8, 9, 10, 4241, 4242, 4243, STATUS_LIST_LENGTH - 2, STATUS_LIST_LENGTH - 1]) {
      expect(outside.getStatus(index), `bit ${index}`).to.equal(set.includes(index));
      expect(bitAt(bytes, index), `bit ${index}`).to.equal(set.includes(index));
    }
  });

  it('refuses a list shorter than 131,072 entries, one without the u prefix or not GZIP, and an index outside the list', function () {
    expect(() => encodeBitstring([], 1024)).to.throw(StatusListError, 'at least 131072');
    expect(() => encodeBitstring([STATUS_LIST_LENGTH])).to.throw(StatusListError, 'outside the list');
    expect(() => decodeBitstring(`u${gzipSync(Buffer.alloc(1024)).toString('base64url')}`)).to.throw(StatusListError, 'fewer than');
    expect(() => decodeBitstring(encodeBitstring([]).slice(1))).to.throw(StatusListError, 'multibase');
    expect(() => decodeBitstring('uAAAA')).to.throw(StatusListError, 'GZIP');
  });

  it('builds an entry at a random index (uniform over the list) or the one given, and reads it back', function () {
    const entry = buildStatusEntry(LIST, 17);
    expect(entry).to.deep.equal({
      id: `${LIST}#17`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '17',
      statusListCredential: LIST,
    });
    const drawn = new Set(Array.from({ length: 200 }, () => Number(buildStatusEntry(LIST).statusListIndex)));
    expect(drawn.size).to.be.greaterThan(195);
    expect([...drawn].every((index) => index >= 0 && index < STATUS_LIST_LENGTH)).to.equal(true);
    expect(revocationEntriesOf({ credentialStatus: entry })).to.deep.equal([{ memberId: 3, list: 'main', statusListCredential: LIST, index: 17 }]);
    expect(statusListUrl('https://notary.example/', { memberId: 3, list: 'main' })).to.equal(LIST);
    expect(statusListAddressOf('https://elsewhere.example/status/3')).to.equal(undefined);
  });

  it('reading entries: another purpose or another service’s list is left alone; a bad index names its field', function () {
    expect(revocationEntriesOf({ credentialStatus: { ...buildStatusEntry(LIST, 1), statusPurpose: 'suspension' } })).to.deep.equal([]);
    expect(revocationEntriesOf({ credentialStatus: buildStatusEntry('https://other.example/lists/1', 1) })).to.deep.equal([]);
    for (const statusListIndex of ['-1', '1.5', '0x10', String(STATUS_LIST_LENGTH), 7]) {
      const credential = { credentialStatus: [{ type: 'x' }, { ...buildStatusEntry(LIST, 1), statusListIndex }] };
      expect(() => revocationEntriesOf(credential), String(statusListIndex))
        .to.throw(StatusListError)
        .with.property('field', 'credentialStatus[1].statusListIndex');
    }
  });

  it('the builder adds the entry to a VC 2.0 credential, and refuses a VC 1.1 one or a bad index, naming the field', function () {
    const input = demoBadgeInput({ issuerDid: 'did:web:school.example' });
    const credential = buildAchievementCredential({ ...input, status: { statusListCredential: LIST, index: 5 } });
    expect(credential.credentialStatus).to.deep.equal(buildStatusEntry(LIST, 5));
    expect(buildAchievementCredential(input).credentialStatus).to.equal(undefined);
    expect(() => buildAchievementCredential({ ...input, vcVersion: '1.1', status: { statusListCredential: LIST } }))
      .to.throw(InvalidBadgeInputError)
      .with.nested.property('params.field', 'status');
    expect(() => buildAchievementCredential({ ...input, status: { statusListCredential: LIST, index: STATUS_LIST_LENGTH } }))
      .to.throw(InvalidBadgeInputError)
      .with.nested.property('params.field', 'status.index');
    expect(() => buildAchievementCredential({ ...input, status: { statusListCredential: 'ftp://x' } }))
      .to.throw(InvalidBadgeInputError)
      .with.nested.property('params.field', 'status.statusListCredential');
  });

  it('the notary’s status-list key is made once in the data directory (0600) and read back on the next start', function () {
    const directory = mkdtempSync(join(tmpdir(), 'badge-notary-status-key-'));
    try {
      const first = loadStatusListKey(directory);
      expect(statSync(join(directory, 'status-list-key.json')).mode & 0o777).to.equal(0o600);
      expect(loadStatusListKey(directory).did).to.equal(first.did);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
