import { expect } from 'chai';
import { ZeroHash, hexlify, randomBytes } from 'ethers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotaryService, type LeadershipGate } from '../../service/batching';
import type { AnchorGateway } from '../../service/chain/anchor-gateway';
import { LeaseLostError } from '../../service/leadership';
import { Store, type NewCredential } from '../../service/store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lease this test hands out and takes back; it counts the steps and the stepDown. */
class TestGate implements LeadershipGate {
  leading = false;
  steps = 0;
  steppedDown = false;
  readonly stepIntervalMs = 20;
  async step() {
    this.steps++;
  }
  current() {
    return this.leading ? { token: 1, actUntil: Infinity } : undefined;
  }
  async stepDown() {
    this.steppedDown = true;
    this.leading = false;
  }
}

// Issue #13: with a lease, a service process seals, anchors and follows revocations only while it leads. The chain
// is never reached here: the gateway is a stub whose every call fails, which the anchorer records and retries.
describe('batching: the notary loops run only in the process that holds the anchorer lease', function () {
  let directory: string;
  let store: Store;
  let service: NotaryService | undefined;

  beforeEach(function () {
    directory = mkdtempSync(join(tmpdir(), 'badge-notary-leadership-'));
    store = Store.open({ path: join(directory, 'notary.sqlite') });
  });
  afterEach(async function () {
    await service?.stop();
    store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const queue = async (count: number) => {
    const credentials: NewCredential[] = Array.from({ length: count }, () => ({
      digest: hexlify(randomBytes(32)),
      memberId: 1,
      issuerDid: 'did:web:school.example',
      keyHash: ZeroHash,
      format: 'vc-jwt',
      artifact: 'x.y.z',
      submittedBy: 'test',
      receivedAt: 0,
      statusEntries: [],
    }));
    await store.credentials.insertMany(credentials);
  };
  const unreachableChain = new Proxy({}, { get: () => () => Promise.reject(new Error('no chain in this test')) }) as AnchorGateway;
  const start = (gate: TestGate | undefined, follows: { count: number }) => {
    service = new NotaryService({
      store,
      gateway: unreachableChain,
      config: { confirmations: 1, finalityDepth: undefined, batch: { maxSize: 4, maxAgeMs: 0 }, pollIntervalMs: 10 },
      revocationFollower: { follow: async () => void follows.count++ },
      ...(gate ? { leadership: gate } : {}),
    });
    service.start();
    return service;
  };

  it('seals nothing and follows nothing while another process leads, then does once it takes the lease, and frees it at stop', async function () {
    await queue(6);
    const gate = new TestGate();
    const follows = { count: 0 };
    const notary = start(gate, follows);
    await sleep(150);
    expect(gate.steps, 'the lease is asked for on its own timer').to.be.greaterThan(2);
    expect([notary.leads(), await store.credentials.queueDepth(), (await store.batches.countByState()).sealed, follows.count]).to.deep.equal([false, 6, 0, 0]);

    gate.leading = true;
    for (let i = 0; i < 100 && (await store.credentials.queueDepth()) > 0; i++) await sleep(10);
    expect(notary.leads()).to.equal(true);
    expect(await store.credentials.queueDepth()).to.equal(0);
    expect((await store.batches.countByState()).sealed, '6 credentials in batches of 4 at most').to.equal(2);
    expect(follows.count).to.be.greaterThan(0);

    await notary.stop();
    service = undefined;
    expect(gate.steppedDown, 'a clean stop frees the lease for the others at once').to.equal(true);
  });

  it('without a lease (one process, the SQLite default) always leads', async function () {
    await queue(2);
    const notary = start(undefined, { count: 0 });
    for (let i = 0; i < 100 && (await store.credentials.queueDepth()) > 0; i++) await sleep(10);
    expect([notary.leads(), (await store.credentials.queueDepth())]).to.deep.equal([true, 0]);
  });

  it('an anchorer tick stops at a fenced write the store refuses: nothing broadcast, nothing recorded, the batch left for the new leader', async function () {
    await queue(2);
    const broadcasts: string[] = [];
    const gateway = {
      findAnchor: async () => undefined,
      feeMarket: async () => ({ kind: 'legacy', baseFeePerGas: 1n, priorityFeePerGas: 0n }),
      prepareAnchor: async () => ({ hash: hexlify(randomBytes(32)), nonce: 0, raw: '0x00', fees: { kind: 'legacy', gasPrice: 1n }, gasLimit: 60_000n }),
      broadcast: async (raw: string) => void broadcasts.push(raw),
    } as unknown as AnchorGateway;
    const notary = new NotaryService({
      store,
      gateway,
      config: { confirmations: 1, finalityDepth: undefined, batch: { maxSize: 1, maxAgeMs: 0 }, pollIntervalMs: 10 },
    });
    expect(await notary.batcher.tick()).to.have.length(2);
    // What PgBatchRepository does when the lease moved on (test/store/pg-fenced-batch-writes.test.ts), here on the
    // SQLite store so that the tick's handling is seen alone.
    store.batches.markSubmitted = () => Promise.reject(new LeaseLostError('anchorer', 7));
    const report = await notary.anchorer.tick();
    expect([report.leaseLost, report.transitions.length, report.failures.length, broadcasts.length]).to.deep.equal([true, 0, 0, 0]);
    const sealed = await store.batches.inState('sealed');
    expect(sealed.map((batch) => [batch.state, batch.lastError])).to.deep.equal([['sealed', null], ['sealed', null]]);
  });
});
