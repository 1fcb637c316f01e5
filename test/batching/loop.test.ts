import { expect } from 'chai';
import { Loop } from '../../service/batching';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batching: the loop that runs a step on a timer', function () {
  it('never runs two steps at once, even when a step outlasts the interval', async function () {
    let running = 0;
    let mostAtOnce = 0;
    let steps = 0;
    const loop = new Loop(5, async () => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await sleep(30); // six intervals
      running--;
      steps++;
    });
    loop.start();
    while (steps < 3) await sleep(10);
    await loop.stop();
    expect(mostAtOnce).to.equal(1);
  });

  it('stop() waits for the step in flight, and no step starts after it', async function () {
    let finished = false;
    let started = 0;
    const loop = new Loop(1, async () => {
      started++;
      await sleep(50);
      finished = true;
    });
    loop.start();
    while (started === 0) await sleep(1);
    await loop.stop();
    expect(finished, 'the step in flight ended before stop() resolved').to.equal(true);
    const startedAtStop = started;
    await sleep(30);
    expect(started).to.equal(startedAtStop);
  });

  it('goes on after a failing step', async function () {
    let steps = 0;
    const loop = new Loop(1, async () => {
      steps++;
      throw new Error('the database is down');
    });
    loop.start();
    while (steps < 3) await sleep(5);
    await loop.stop();
  });
});
