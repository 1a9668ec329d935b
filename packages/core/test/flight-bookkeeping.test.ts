import fc from 'fast-check';
import { AsyncSharedCall } from '@shared-call/core';
import { deferred, within } from './helpers';

/**
 * A flight's bookkeeping reactions are functions bound to that flight, which knows its coalescer (issue 13: less
 * kept alive per flight in progress than closures). Many flights of several coalescers, with the same keys,
 * settle in a random order, some with errors: each caller receives its own flight's outcome, and each settlement
 * is booked by its own coalescer for its own flight (the table entry removed, `active` and `errors` counted there).
 */
describe('flight bookkeeping bound to its flight', () => {
  const plan = fc.record({
    coalescers: fc.integer({ min: 1, max: 3 }),
    keys: fc.integer({ min: 1, max: 4 }),
    callers: fc.integer({ min: 1, max: 3 }),
    seed: fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 12, maxLength: 12 }),
  });

  it('settles every flight with its own outcome, booked by its own coalescer', async () => {
    await fc.assert(
      fc.asyncProperty(plan, async ({ coalescers, keys, callers, seed }) => {
        const scs = Array.from({ length: coalescers }, () => new AsyncSharedCall());
        const flights = scs.flatMap((sc, c) =>
          Array.from({ length: keys }, (_, k) => {
            const [order, fails] = seed[c * keys + k]!;
            const gate = deferred<object>();
            const outcome = { c, k };
            const load = jest.fn(() => gate.promise);
            const received = Array.from({ length: callers }, () =>
              sc.call(`key:${k}`, load).then(
                (value) => ({ value }),
                (error: unknown) => ({ error }),
              ),
            );
            return { sc, c, k, order, fails, gate, outcome, load, received };
          }),
        );
        for (const sc of scs) expect(sc.getStats().active).toBe(keys);
        const order = [...flights].sort((a, b) => a.order - b.order);
        for (const flight of order) {
          if (flight.fails) flight.gate.reject(flight.outcome);
          else flight.gate.resolve(flight.outcome);
          const settled = await within(Promise.all(flight.received), 5_000);
          expect(flight.load).toHaveBeenCalledTimes(1);
          for (const got of settled) expect(got).toEqual(flight.fails ? { error: flight.outcome } : { value: flight.outcome });
          for (const got of settled) expect(Object.values(got)[0]).toBe(flight.outcome);
          // Out of its own table: the next call of its key in its coalescer starts a new flight.
          const next = jest.fn(() => 'next');
          await expect(flight.sc.call(`key:${flight.k}`, next)).resolves.toBe('next');
          expect(next).toHaveBeenCalledTimes(1);
        }
        scs.forEach((sc, c) => {
          const mine = flights.filter((flight) => flight.c === c);
          expect(sc.getStats()).toMatchObject({
            active: 0,
            errors: mine.filter((flight) => flight.fails).length,
            misses: keys * 2,
            hits: keys * (callers - 1),
          });
        });
      }),
      { numRuns: 100 },
    );
  });
});
