import fc from 'fast-check';
import { Renewals } from '../src/renewals.js';

describe('Renewals: one timer for every lease being renewed', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('each lease is renewed within everyMs of being added, whenever it is added, until it is removed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 299 }), { minLength: 1, maxLength: 6 }), (delays) => {
        const renewals = new Renewals(100);
        const counts = delays.map(() => 0);
        const stops: (() => void)[] = [];
        for (const [i, delay] of delays.entries()) {
          jest.advanceTimersByTime(delay);
          stops.push(renewals.add(() => counts[i]!++));
          const before = counts[i]!;
          jest.advanceTimersByTime(100);
          expect(counts[i]).toBeGreaterThan(before); // at most everyMs after it was added
          expect(jest.getTimerCount()).toBe(1); // however many leases: one interval
        }
        for (const stop of stops) stop();
        const after = [...counts];
        jest.advanceTimersByTime(1000);
        expect(counts).toEqual(after); // none renewed once removed
        expect(jest.getTimerCount()).toBe(0); // and the interval stopped at its first idle tick
      }),
      { numRuns: 50 },
    );
  });

  test('a flight that ends before the first tick sends no RENEW; the next lease starts the interval again', () => {
    const renewals = new Renewals(100);
    let renewed = 0;
    renewals.add(() => renewed++)();
    jest.advanceTimersByTime(100);
    expect(renewed).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    const stop = renewals.add(() => renewed++);
    jest.advanceTimersByTime(250);
    expect(renewed).toBe(2);
    stop();
  });
});
