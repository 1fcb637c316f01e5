import { expect } from 'chai';
import { WindowCounter } from '../../service/http/rate-limit';

describe('HTTP API: the rate limits\' window counter', function () {
  it('counts hits per key in a window that starts at the key\'s first hit, then starts again', function () {
    const counter = new WindowCounter(1000);
    expect(counter.hit('a', 100)).to.deep.equal({ hits: 1, resetAt: 1100 });
    expect(counter.hit('a', 600)).to.deep.equal({ hits: 2, resetAt: 1100 });
    expect(counter.hit('b', 700)).to.deep.equal({ hits: 1, resetAt: 1700 });
    expect(counter.hit('a', 1099).hits).to.equal(3);
    expect(counter.hit('a', 1100)).to.deep.equal({ hits: 1, resetAt: 2100 });
  });

  it('gives a hit back only within the window it was counted in', function () {
    const counter = new WindowCounter(1000);
    const first = counter.hit('a', 0);
    counter.hit('a', 10);
    counter.giveBack('a', first.resetAt);
    expect(counter.hit('a', 20).hits).to.equal(2);
    const stale = first.resetAt;
    counter.hit('a', 1000); // a new window
    counter.giveBack('a', stale);
    expect(counter.hit('a', 1001).hits, 'the old window\'s give-back does not touch the new one').to.equal(2);
    counter.giveBack('unknown', 5);
  });

  it('forgets the keys whose window ended, so that memory follows the clients of about one window', function () {
    const counter = new WindowCounter(1000);
    for (let i = 0; i < 100; i++) counter.hit(`client-${i}`, 10);
    expect(counter.size).to.equal(100);
    counter.hit('late', 2500);
    expect(counter.size).to.equal(1);
  });
});
