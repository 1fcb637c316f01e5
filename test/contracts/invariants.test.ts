// Model-based tests of ConfederationRegistry: fast-check draws random sequences of registry calls (applications,
// votes on admission, suspension, reinstatement, removal and the quorum, keys, notaries, revokers, anchors,
// revocations, endorsements, controller changes), from many accounts and at random times. Each command asks the
// model (registry-model.ts) what the registry must answer, sends the call, and checks that the registry accepted
// it with exactly the expected events or refused it with exactly the expected custom error (a refused call mines
// nothing). After every accepted call the invariants (registry-invariants.ts) are read back from the chain, over
// every member and what the model holds or the call touched; after each sequence, over every pool. Each run
// starts from the same snapshot (loadFixture reverts to it: three founders, quorum 2, three notaries), and the
// chain time is set block by block (1 s to 28 hours apart).
//
// Replay a failure with the seed and path it prints:
//   BADGE_NOTARY_INVARIANT_SEED=<seed> BADGE_NOTARY_INVARIANT_PATH=<path> npx hardhat test --no-compile test/contracts/invariants.test.ts
// More runs: BADGE_NOTARY_INVARIANT_RUNS=<n> (default 30, 150 with BADGE_NOTARY_SLOW_TESTS=1, 10 under coverage); longer sequences:
// BADGE_NOTARY_INVARIANT_COMMANDS=<n> (default 60).
import { expect } from 'chai';
import fc from 'fast-check';
import { ethers } from 'hardhat';
import { loadFixture, time } from '@nomicfoundation/hardhat-network-helpers';
import {
  ACTOR_COUNT,
  INITIAL_QUORUM,
  RegistryModel,
  deltaArg,
  describeCommand,
  plan,
  specArbitraries,
  type CommandSpec,
} from './registry-model';
import { ChainLedger, Coverage, RegistryDriver, Touched, checkInvariants, invariantFixture, norm, underCoverage } from './registry-invariants';

const SLOW = process.env.BADGE_NOTARY_SLOW_TESTS === '1';
// Fewer under solidity-coverage, whose instrumented contract is much slower and only needs its lines reached.
const RUNS = Number(process.env.BADGE_NOTARY_INVARIANT_RUNS ?? (underCoverage() ? 10 : SLOW ? 150 : 30));
const MAX_COMMANDS = Number(process.env.BADGE_NOTARY_INVARIANT_COMMANDS ?? 60);
const SEED = process.env.BADGE_NOTARY_INVARIANT_SEED === undefined
  ? (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) | 0
  : Number(process.env.BADGE_NOTARY_INVARIANT_SEED);
const PATH = process.env.BADGE_NOTARY_INVARIANT_PATH;

const STATUS_NAMES = ['None', 'Pending', 'Active', 'Suspended', 'Removed'];

/** The most gas one anchor may cost (DESIGN.md; anchors.test.ts checks it once, here every anchor does). */
const ANCHOR_GAS_CEILING = 50_000n;

interface Real {
  driver: RegistryDriver;
  ledger: ChainLedger;
  coverage: Coverage;
  /** The latest block: a refused call must not mine one. */
  blockNumber: number;
}

class RegistryCommand implements fc.AsyncCommand<RegistryModel, Real> {
  constructor(
    readonly spec: CommandSpec,
    /** Seconds from the latest block to the block this call goes into. */
    readonly dt: number,
  ) {}

  check(): boolean {
    // Every command applies in every state: the model says whether the registry accepts or refuses it.
    return true;
  }

  async run(model: RegistryModel, real: Real): Promise<void> {
    const T = model.now + BigInt(this.dt);
    const { from, fn, args, expect: expected } = plan(model, this.spec, T);
    const sender = model.actors.indexOf(from);
    const where = `${this} -> ${fn}(${args.map((a) => (Array.isArray(a) ? `[${a.join(', ')}]` : String(a))).join(', ')}) from actor ${sender}`;
    await real.driver.setNextBlockTime(T);
    const outcome = await real.driver.send(from, fn, args);
    real.coverage.record(this.spec.kind, outcome.ok ? 'accepted' : outcome.error);

    if (expected.kind === 'refused') {
      const got = outcome.ok ? { accepted: norm(outcome.events) } : { error: outcome.error, args: norm(outcome.args) };
      expect(got, `${where}: the registry answered (left) what the model refuses with (right)`).to.deep.equal({ error: expected.error, args: norm(expected.args) });
      expect(await real.driver.blockNumber(), `${where}: a refused call mines nothing`).to.equal(real.blockNumber);
      return;
    }
    if (!outcome.ok) expect.fail(`${where}: the model accepts it, the registry refused it with ${outcome.error}(${String(norm(outcome.args))})`);
    expect(outcome.timestamp, `${where}: block time`).to.equal(T);
    expect(norm(outcome.events), `${where}: events`).to.deep.equal(norm(expected.events.map((e) => ({ name: e.name, args: e.args }))));
    if (fn === 'anchor' && !underCoverage()) expect(outcome.gasUsed, `${where}: anchor gas`).to.be.at.most(ANCHOR_GAS_CEILING);
    for (const e of outcome.events) if (e.name === 'MemberStatusChanged') real.coverage.record('status changes', `${STATUS_NAMES[Number(e.args[1])]}->${STATUS_NAMES[Number(e.args[2])]}`);
    expected.apply(model);
    model.now = T;
    real.blockNumber = outcome.blockNumber;
    await checkInvariants(model, real.driver, real.ledger, { deep: false, touched: new Touched(this.spec, from, args) });
  }

  toString(): string {
    return describeCommand(this.spec, this.dt);
  }
}

const commandArbitraries = specArbitraries.map((arbitrary) =>
  fc.tuple(arbitrary, deltaArg).map(([spec, dt]) => new RegistryCommand(spec, dt)),
);

describe('ConfederationRegistry: invariants over random sequences of calls (model-based, fast-check)', function () {
  this.timeout(Math.max(600_000, RUNS * MAX_COMMANDS * 200));

  it(`keeps its invariants and answers as the model says, over ${RUNS} random sequences of up to ${MAX_COMMANDS} calls`, async function () {
    const signers = await ethers.getSigners();
    const actors = signers.slice(1, 1 + ACTOR_COUNT).map((s) => s.address);
    const coverage = new Coverage();
    let runs = 0;
    let commandsRun = 0;
    console.log(`      seed ${SEED}${PATH ? `, path ${PATH}` : ''}: replay with BADGE_NOTARY_INVARIANT_SEED=${SEED}`);
    const started = performance.now();

    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbitraries, { maxCommands: MAX_COMMANDS, size: 'max' }), async (commands) => {
        // Back to the fixture's snapshot: three founders (members 1-3, controlled by actors 0-2), quorum 2, two
        // notaries for member 1 and one for member 2.
        const { registry, founderRecords, deployedAt, notaryA, notaryB, notaryC } = await loadFixture(invariantFixture);
        const driver = new RegistryDriver(await registry.getAddress(), registry.interface);
        const founders = founderRecords.map((f) => ({ did: f.did, controller: f.controller, role: f.role }));
        const model = new RegistryModel(actors, founders, INITIAL_QUORUM, BigInt(deployedAt));
        model.notaryOf.set(notaryA.address, 1);
        model.notaryOf.set(notaryB.address, 2);
        model.notaryOf.set(notaryC.address, 1);
        model.now = BigInt(await time.latest());
        const real: Real = { driver, ledger: new ChainLedger(), coverage, blockNumber: await driver.blockNumber() };
        runs++;
        await fc.asyncModelRun(() => ({ model, real }), commands);
        commandsRun += [...commands].length;
        // Every sweep, over every member, key, root and pair, once the sequence is over.
        await checkInvariants(model, driver, real.ledger, { deep: true });
      }),
      { numRuns: RUNS, seed: SEED, ...(PATH ? { path: PATH } : {}) },
    );

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`      ${runs} runs, ${commandsRun} commands in ${seconds} s; outcomes per command:\n${coverage.table()}`);
    // The sequences must reach the states where each kind of call succeeds, or the property says little (with
    // 30 runs or more: fewer are too few to expect every kind).
    if (runs < 30) return;
    for (const kind of ['apply', 'vote', 'voteQuorum', 'registerKey', 'revokeKey', 'authoriseNotary', 'authoriseRevoker', 'anchor', 'revokeCredentials', 'endorse', 'changeController']) {
      expect(coverage.accepted(kind), `${kind} accepted at least once`).to.be.greaterThan(0);
    }
    expect(coverage.refusals().size, 'distinct refusals seen').to.be.at.least(20);
  });
});
