import { expect } from 'chai';
import { ReadsGatheredPerTick } from '../../service/store/postgres/reads-gathered-per-tick';

describe('store (PostgreSQL): point reads asked in one turn of the event loop go out as one statement', function () {
  const rows = new Map([
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ]);
  let statements: string[][];
  const reads = () =>
    new ReadsGatheredPerTick<string, number>(async (keys) => {
      statements.push(keys);
      return new Map(keys.filter((key) => rows.has(key)).map((key) => [key, rows.get(key)!]));
    });
  beforeEach(() => {
    statements = [];
  });

  it('answers the reads of one turn with one statement, each with its own row or nothing', async function () {
    const gathered = reads();
    expect(await Promise.all(['a', 'b', 'missing', 'c'].map((key) => gathered.read(key)))).to.deep.equal([1, 2, undefined, 3]);
    expect(statements).to.deep.equal([['a', 'b', 'missing', 'c']]);
  });

  it('asks for a key read twice in one turn once, and answers both', async function () {
    const gathered = reads();
    expect(await Promise.all([gathered.read('a'), gathered.read('a')])).to.deep.equal([1, 1]);
    expect(statements).to.deep.equal([['a']]);
  });

  it('sends a read of a later turn in a statement of its own, without waiting for more', async function () {
    const gathered = reads();
    expect(await gathered.read('a')).to.equal(1);
    expect(await gathered.read('b')).to.equal(2);
    expect(statements).to.deep.equal([['a'], ['b']]);
  });

  it('fails every read of a statement that fails, and serves the next turn afresh', async function () {
    let fail = true;
    const gathered = new ReadsGatheredPerTick<string, number>(async (keys) => {
      statements.push(keys);
      if (fail) throw new Error('connection lost');
      return new Map([['a', 1]]);
    });
    const outcomes = await Promise.allSettled([gathered.read('a'), gathered.read('b')]);
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(['rejected', 'rejected']);
    fail = false;
    expect(await gathered.read('a')).to.equal(1);
  });
});
