import { expect } from 'chai';
import { Leadership, LeaseLostError } from '../../service/leadership';
import type { NewCredential } from '../../service/store';
import { PgLeaseStore } from '../../service/store/postgres/lease-store';
import { migratePostgres } from '../../service/store/postgres/migrate';
import { PgBatchRepository } from '../../service/store/postgres/pg-batch-repository';
import { PgDatabase } from '../../service/store/postgres/pg-database';
import { postgresBinaries, startPostgres, type PostgresServer } from '../support/postgres-server';
import { rejects } from '../support/rejects';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const TTL_MS = 1_500;

// Issue #13: the batch writes of a process sharing PostgreSQL with others are fenced by the anchorer lease. The
// worst case is played here: a leader whose own clock says it still leads (its process was paused in a way its
// monotonic clock did not see) while the database gave the lease to another process. Its writes must be refused.
describe('store (PostgreSQL): batch writes fenced by the anchorer lease', function () {
  this.timeout(120_000);
  let server: PostgresServer;
  let db: PgDatabase;
  let leases: PgLeaseStore;
  let lease = 0;

  before(async function () {
    if (!postgresBinaries()) {
      console.log(`      skipped: PostgreSQL is missing; install Debian's with: apt-get install -y postgresql`);
      this.skip();
    }
    server = await startPostgres();
    db = PgDatabase.connect(server.url, { max: 6 });
    await migratePostgres(db.pool);
    leases = new PgLeaseStore(db.pool);
  });
  after(async () => {
    await db?.close();
    await server?.destroy();
  });
  beforeEach(async () => {
    await db.query('TRUNCATE credentials, batches, batch_trees, anchor_transactions RESTART IDENTITY CASCADE');
    lease++;
  });

  const queue = async (...numbers: number[]) => {
    for (const n of numbers) {
      const r: NewCredential = { digest: hash(n), memberId: 1, issuerDid: 'did:web:school.example', keyHash: hash(0), format: 'vc-jwt', artifact: `jwt-${n}`, submittedBy: 'test', receivedAt: n, statusEntries: [] };
      await db.query(
        `INSERT INTO credentials (digest, member_id, issuer_did, key_hash, format, artifact, submitted_by, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [r.digest, r.memberId, r.issuerDid, r.keyHash, r.format, r.artifact, r.submittedBy, r.receivedAt],
      );
    }
  };
  /** A process's leadership; `frozen` makes its own clock stand still, so it believes it leads for ever. */
  const leadershipOf = (holder: string, clock?: { now: number }) =>
    new Leadership(leases, { lease: `anchorer-${lease}`, holder, ttlMs: TTL_MS, ...(clock ? { now: () => clock.now } : {}) });
  const signed = (n: number) => ({ hash: hash(1000 + n), nonce: n, sentAt: 10 + n, raw: `0x0${n}`, fees: { kind: 'legacy' as const, gasPrice: 1n }, gasLimit: 60_000n });
  const placement = async (digest: string) =>
    (await db.query<{ batch_id: number | null }>('SELECT batch_id FROM credentials WHERE digest = $1', [digest])).rows[0]?.batch_id;

  it('lets the leader seal and submit, and refuses every write of a process that does not lead', async function () {
    await queue(1, 2, 3);
    const leader = leadershipOf('a');
    expect(await leader.step()).to.not.equal(undefined);
    const batches = new PgBatchRepository(db, leader.fence());
    const batch = await batches.seal({ root: hash(99), tree: Buffer.from('tree'), digests: [hash(1), hash(2)], sealedAt: 5 });
    await batches.markSubmitted(batch.id, signed(1));

    const follower = leadershipOf('b');
    expect(await follower.step(), 'the lease is held: b does not lead').to.equal(undefined);
    const followerBatches = new PgBatchRepository(db, follower.fence());
    await rejects(followerBatches.seal({ root: hash(98), tree: Buffer.from('t'), digests: [hash(3)], sealedAt: 6 }), LeaseLostError);
    await rejects(followerBatches.recordError(batch.id, 'not mine'), LeaseLostError);
    expect(await placement(hash(3)), 'the follower sealed nothing').to.equal(null);
    expect((await followerBatches.get(batch.id))?.state, 'reads are not fenced: every process serves receipts').to.equal('submitted');
    expect((await followerBatches.get(batch.id))?.lastError ?? null).to.equal(null);
  });

  it('refuses the writes of an old leader that still believes it leads once another process took the lease over', async function () {
    await queue(1, 2);
    const pausedClock = { now: 0 };
    const old = leadershipOf('a', pausedClock);
    expect(await old.step()).to.not.equal(undefined);
    const oldBatches = new PgBatchRepository(db, old.fence());
    const batch = await oldBatches.seal({ root: hash(99), tree: Buffer.from('tree'), digests: [hash(1)], sealedAt: 5 });

    await sleep(TTL_MS + 200); // the lease ends in the database; a's frozen clock does not see it
    const next = leadershipOf('b');
    expect(await next.step(), 'b takes the expired lease').to.not.equal(undefined);
    expect(old.current(), 'a still believes it leads').to.not.equal(undefined);

    await rejects(oldBatches.markSubmitted(batch.id, signed(1)), LeaseLostError);
    await rejects(oldBatches.seal({ root: hash(98), tree: Buffer.from('t'), digests: [hash(2)], sealedAt: 6 }), LeaseLostError);
    const stored = await oldBatches.get(batch.id);
    expect([stored?.state, stored?.txHash ?? null, await placement(hash(2))], 'nothing of a’s writes is stored').to.deep.equal(['sealed', null, null]);
    expect(await oldBatches.transactions(batch.id)).to.deep.equal([]);

    const nextBatches = new PgBatchRepository(db, next.fence());
    await nextBatches.markSubmitted(batch.id, signed(2));
    expect((await nextBatches.get(batch.id))?.txHash).to.equal(signed(2).hash);
  });
});
