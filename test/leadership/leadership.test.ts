import { expect } from 'chai';
import { Leadership, type LeaseStore } from '../../service/leadership';

/** A lease store in memory, judged by the same fake clock as the holders (unit test only). */
class MemoryLeases implements LeaseStore {
  rows = new Map<string, { holder: string; token: number; expiresAt: number }>();
  constructor(private readonly clock: { t: number }) {}
  async acquire(name: string, holder: string, ttlMs: number) {
    const row = this.rows.get(name);
    if (row && row.expiresAt > this.clock.t) return undefined;
    const token = (row?.token ?? 0) + 1;
    this.rows.set(name, { holder, token, expiresAt: this.clock.t + ttlMs });
    return token;
  }
  async renew(name: string, holder: string, token: number, ttlMs: number) {
    const row = this.rows.get(name);
    if (!row || row.holder !== holder || row.token !== token || row.expiresAt <= this.clock.t) return false;
    row.expiresAt = this.clock.t + ttlMs;
    return true;
  }
  async release(name: string, holder: string, token: number) {
    const row = this.rows.get(name);
    if (row && row.holder === holder && row.token === token) row.expiresAt = -Infinity;
  }
}

describe('leadership: one process acts on a lease at a time', () => {
  const clock = { t: 0 };
  const now = () => clock.t;
  let leases: MemoryLeases;
  const holder = (name: string) => new Leadership(leases, { lease: 'anchorer', holder: name, ttlMs: 3_000, now });

  beforeEach(() => {
    clock.t = 1_000;
    leases = new MemoryLeases(clock);
  });

  it('grants the lease to one holder; the other waits', async () => {
    const a = holder('a');
    const b = holder('b');
    expect(await a.step()).to.deep.equal({ token: 1, actUntil: 1_000 + 3_000 - 1_000 });
    expect(await b.step()).to.equal(undefined);
    expect(a.current()?.token).to.equal(1);
    expect(b.current()).to.equal(undefined);
  });

  it('stops acting before the lease ends in the database, by its own clock (a paused process wakes up without it)', async () => {
    const a = holder('a');
    await a.step();
    clock.t += 1_999;
    expect(a.current()?.token).to.equal(1);
    clock.t += 1; // 2,000 ms after the grant: the database still has it for 1,000 ms, the holder no longer acts
    expect(a.current()).to.equal(undefined);
    expect(leases.rows.get('anchorer')!.expiresAt).to.be.greaterThan(clock.t);
  });

  it('keeps the lease while it renews in time, with the same token', async () => {
    const a = holder('a');
    await a.step();
    for (let i = 0; i < 5; i++) {
      clock.t += 1_000;
      expect((await a.step())?.token).to.equal(1);
    }
    expect(await holder('b').step()).to.equal(undefined);
  });

  it('gives the lease to another holder with a larger token once it expired, and the old holder cannot renew it', async () => {
    const a = holder('a');
    const b = holder('b');
    await a.step();
    clock.t += 3_000;
    expect((await b.step())?.token).to.equal(2);
    expect(await a.step()).to.equal(undefined);
    expect(b.current()?.token).to.equal(2);
  });

  it('frees the lease at once when it steps down', async () => {
    const a = holder('a');
    const b = holder('b');
    await a.step();
    await a.stepDown();
    expect(a.current()).to.equal(undefined);
    expect((await b.step())?.token).to.equal(2);
  });

  it('refuses a safety margin that leaves no time to act', () => {
    expect(() => new Leadership(leases, { lease: 'x', holder: 'a', ttlMs: 100, safetyMarginMs: 100 })).to.throw(RangeError);
  });
});
