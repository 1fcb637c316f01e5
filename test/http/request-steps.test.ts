import { expect } from 'chai';
import type { Request, Response } from 'express';
import { everyRequest, type RequestStep } from '../../service/http/request-steps';

/** Runs the steps as one middleware on a dummy request; what `next` was called with, once it was. */
function run(steps: RequestStep[]): { settled: Promise<unknown>; calledAtOnce: () => boolean } {
  let called = false;
  const settled = new Promise<unknown>((resolve) => {
    everyRequest(steps)({} as Request, {} as Response, (error?: unknown) => {
      called = true;
      resolve(error);
    });
  });
  return { settled, calledAtOnce: () => called };
}

describe('http: the steps every request takes (everyRequest)', function () {
  it('runs synchronous steps in order and calls next at once', async function () {
    const order: string[] = [];
    const { settled, calledAtOnce } = run([() => void order.push('a'), () => void order.push('b')]);
    expect(calledAtOnce(), 'no promise in the way').to.equal(true);
    expect(await settled).to.equal(undefined);
    expect(order).to.deep.equal(['a', 'b']);
  });

  it('waits for a step that returns a promise before the steps after it', async function () {
    const order: string[] = [];
    const { settled, calledAtOnce } = run([
      () => new Promise<void>((resolve) => setTimeout(() => (order.push('slow'), resolve()), 20)),
      () => void order.push('after'),
    ]);
    expect(calledAtOnce()).to.equal(false);
    expect(await settled).to.equal(undefined);
    expect(order).to.deep.equal(['slow', 'after']);
  });

  it('passes a thrown error or a rejection to next, and runs no step after it', async function () {
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    let ranAfter = false;
    expect(await run([() => { throw thrown; }, () => void (ranAfter = true)]).settled).to.equal(thrown);
    expect(await run([() => Promise.reject(rejected), () => void (ranAfter = true)]).settled).to.equal(rejected);
    expect(ranAfter).to.equal(false);
  });
});
