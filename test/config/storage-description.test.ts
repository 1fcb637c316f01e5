import { expect } from 'chai';
import { storageDescription } from '../../service/config/storage-description';

describe('config: where the records are, as the start banner says it', function () {
  it('names the SQLite file, relative to the working folder', function () {
    expect(storageDescription({ databasePath: '/srv/notary/data/notary.sqlite' }, '/srv/notary')).to.equal('data/notary.sqlite');
  });

  it('names the PostgreSQL server and database, never the password or the parameters, and the mirror cache', function () {
    const described = storageDescription(
      {
        databasePath: '/srv/notary/data/chain-mirror.sqlite',
        postgres: { url: 'postgres://notary:s3cret@db.internal:5433/badges?sslmode=require', poolSize: 10, leaseTtlMs: 15_000 },
      },
      '/srv/notary',
    );
    expect(described).to.equal('PostgreSQL postgres://db.internal:5433, database badges; chain mirror cached in data/chain-mirror.sqlite');
    expect(described).not.to.include('s3cret').and.not.to.include('notary:').and.not.to.include('sslmode');
  });
});
