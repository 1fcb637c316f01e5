// The dashboard's calendar and window (service/stats): UTC months and days across year ends, the defaults, the limits.
import { expect } from 'chai';
import { UseCaseError } from '../../service/notary/errors';
import { daysEndingAt, monthEndSeconds, monthsBetween, monthStartSeconds, statsWindow } from '../../service/stats';

const JAN_3_2027 = Date.parse('2027-01-03T23:59:59.999Z');

describe('stats: the dashboard’s window', function () {
  it('lists months across a year end, and bounds a month in UTC seconds', function () {
    expect(monthsBetween('2026-11', '2027-02')).to.deep.equal(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(monthsBetween('2026-12', '2026-12')).to.deep.equal(['2026-12']);
    expect(monthStartSeconds('2026-12')).to.equal(Date.parse('2026-12-01T00:00:00Z') / 1000);
    expect(monthEndSeconds('2026-12')).to.equal(Date.parse('2027-01-01T00:00:00Z') / 1000);
  });

  it('lists the days that end today, across a month and a year end', function () {
    expect(daysEndingAt(JAN_3_2027, 5)).to.deep.equal(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03']);
    expect(daysEndingAt(Date.parse('2028-03-01T00:00:00Z'), 2)).to.deep.equal(['2028-02-29', '2028-03-01']);
  });

  it('defaults to the twelve months that end with this one, 30 days and 20 batches', function () {
    const window = statsWindow({}, JAN_3_2027);
    expect(window.months[0]).to.equal('2026-02');
    expect(window.months[11]).to.equal('2027-01');
    expect(window.months).to.have.length(12);
    expect(window.days).to.have.length(30);
    expect(window.days[29]).to.equal('2027-01-03');
    expect(window.batches).to.equal(20);
    expect(statsWindow({ to: '2026-03' }, JAN_3_2027).months[0]).to.equal('2025-04');
  });

  it('refuses a bad window with an invalid-input error naming its field', function () {
    const cases: [Parameters<typeof statsWindow>[0], string][] = [
      [{ from: '2026-00' }, 'from'],
      [{ to: '2026-1' }, 'to'],
      [{ from: '2027-02', to: '2027-01' }, 'from'],
      [{ from: '2016-12', to: '2026-12' }, 'from'],
      [{ days: 0 }, 'days'],
      [{ days: 1.5 }, 'days'],
      [{ batches: 501 }, 'batches'],
    ];
    for (const [query, field] of cases) {
      let caught: unknown;
      try {
        statsWindow(query, JAN_3_2027);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(query)).to.be.instanceOf(UseCaseError);
      expect((caught as UseCaseError).kind).to.equal('invalid-input');
      expect((caught as UseCaseError).details.field, JSON.stringify(query)).to.equal(field);
    }
    expect(statsWindow({ from: '2017-01', to: '2026-12' }, JAN_3_2027).months, 'exactly 120 months is allowed').to.have.length(120);
  });
});
