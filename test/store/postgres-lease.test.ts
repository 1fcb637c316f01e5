import { expect } from 'chai';
import { Pool } from 'pg';
import { Leadership, LeaseLostError } from '../../service/leadership';
import { assertLeaseHeld, PgLeaseStore } from '../../service/store/postgres/lease-store';
import { migratePostgres } from '../../service/store/postgres/migrate';
import { postgresBinaries, startPostgres, type PostgresServer } from '../support/postgres-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The anchorer's lease in a real PostgreSQL (issue #13): one holder at a time, and a fence for its writes. */
describe('store (PostgreSQL): the anchorer lease and its fence', function () {
  this.timeout(120_000);
  let server: PostgresServer;
  let pool: Pool;
  let leases: PgLeaseStore;
  let lease = 0;
  let name: string;

  before(async function () {
    if (!postgresBinaries()) {
      console.log(`      skipped: PostgreSQL is missing; install Debian's with: apt-get install -y postgresql`);
      this.skip();
    }
    server = await startPostgres();
    pool = new Pool({ connectionString: server.url, max: 6 });
    await migratePostgres(pool);
    leases = new PgLeaseStore(pool);
    await pool.query('CREATE TABLE anchored (lease text, token bigint, root text)');
  });
  after(async () => {
    await pool?.end();
    await server?.destroy();
  });
  beforeEach(() => {
    name = `anchorer-${++lease}`;
  });

  /** A leader's write: the fence, then the row, in one transaction. */
  const fencedWrite = async (holder: string, token: number, root: string, holdMs = 0) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await assertLeaseHeld(client, name, holder, token);
      await client.query('INSERT INTO anchored VALUES ($1, $2, $3)', [name, token, root]);
      if (holdMs) await sleep(holdMs);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  const written = async () => (await pool.query('SELECT token::int, root FROM anchored WHERE lease = $1 ORDER BY root', [name])).rows;

  it('grants a lease to one of two holders asking at once, and a new token at each change of holder', async () => {
    const grants = await Promise.all([leases.acquire(name, 'a', 60_000), leases.acquire(name, 'b', 60_000)]);
    expect(grants.filter((token) => token !== undefined)).to.deep.equal([1]);
    const winner = grants[0] === 1 ? 'a' : 'b';
    await leases.release(name, winner, 1);
    expect(await leases.acquire(name, winner === 'a' ? 'b' : 'a', 60_000)).to.equal(2);
  });

  it('lets another holder take an expired lease; the old holder can neither renew it nor write under it', async () => {
    expect(await leases.acquire(name, 'old', 300)).to.equal(1);
    await fencedWrite('old', 1, 'root-1');
    await sleep(400); // the old leader is paused past its lease (SIGSTOP)
    expect(await leases.acquire(name, 'new', 60_000)).to.equal(2);
    expect(await leases.renew(name, 'old', 1, 60_000)).to.equal(false);
    let refused: unknown;
    await fencedWrite('old', 1, 'root-2').catch((error) => (refused = error));
    expect(refused).to.be.instanceOf(LeaseLostError);
    await fencedWrite('new', 2, 'root-2');
    expect(await written()).to.deep.equal([
      { token: 1, root: 'root-1' },
      { token: 2, root: 'root-2' },
    ]);
  });

  it('refuses a write under an expired lease even when nobody took it over', async () => {
    expect(await leases.acquire(name, 'a', 200)).to.equal(1);
    await sleep(300);
    let refused: unknown;
    await fencedWrite('a', 1, 'late').catch((error) => (refused = error));
    expect(refused).to.be.instanceOf(LeaseLostError);
    expect(await written()).to.deep.equal([]);
  });

  it('makes a takeover wait for the old leader\'s fenced transaction in flight, so their writes never overlap', async () => {
    expect(await leases.acquire(name, 'old', 300)).to.equal(1);
    // The old leader's transaction holds the fence until the test lets it commit: no race on timings.
    let letOldCommit!: () => void;
    const oldMayCommit = new Promise<void>((resolve) => (letOldCommit = resolve));
    const client = await pool.connect();
    const inFlight = (async () => {
      try {
        await client.query('BEGIN');
        await assertLeaseHeld(client, name, 'old', 1);
        await client.query('INSERT INTO anchored VALUES ($1, 1, $2)', [name, 'root-old']);
        await oldMayCommit;
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    })();
    // The lease expires while the old leader's transaction is in flight (it was paused, say).
    while ((await pool.query('SELECT 1 FROM leases WHERE name = $1 AND expires_at <= clock_timestamp()', [name])).rowCount === 0) await sleep(50);
    let taken: number | undefined;
    const takeover = leases.acquire(name, 'new', 60_000).then((token) => (taken = token));
    // The server shows the takeover waiting on the row lock the fence holds (without FOR SHARE it would not wait,
    // and this loop would end in its deadline).
    const deadline = Date.now() + 10_000;
    const waitingOnTheFence = () =>
      pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE leases SET holder%'`);
    try {
      while ((await waitingOnTheFence()).rowCount === 0) {
        expect(taken, 'the takeover went through while the old transaction held the fence').to.equal(undefined);
        if (Date.now() > deadline) throw new Error('the takeover never waited for the fenced transaction');
        await sleep(20);
      }
      expect(taken).to.equal(undefined);
    } finally {
      letOldCommit();
    }
    await inFlight;
    expect(await takeover).to.equal(2);
    expect(await written()).to.deep.equal([{ token: 1, root: 'root-old' }]);
  });

  it('drives Leadership: a paused holder wakes up without the lease, the other leads with the next token', async () => {
    const a = new Leadership(leases, { lease: name, holder: 'a', ttlMs: 600 });
    const b = new Leadership(leases, { lease: name, holder: 'b', ttlMs: 600 });
    expect((await a.step())?.token).to.equal(1);
    expect(await b.step()).to.equal(undefined);
    await sleep(700); // a does not renew: paused
    expect(a.current()).to.equal(undefined);
    expect((await b.step())?.token).to.equal(2);
    expect(await a.step()).to.equal(undefined);
  });
});
