import fc from 'fast-check';
import { HolderWatch } from '../src/holder-watch';

/**
 * A waiter's checks of a lease, simulated: each check is sent, runs in Redis after `up` ms and is answered
 * `down` ms later; the waiter checks again after `waitMs`, as the coordinator does. `expiryAt(t)` is when the
 * lease expires as Redis sees it at time t.
 */
function watchChecks(
  leaseMs: number,
  expiryAt: (t: number) => number,
  delays: { up: number; down: number }[],
): { watch: HolderWatch; at: number; lapsedAt?: number; longestWait: number } {
  const watch = new HolderWatch(leaseMs);
  let at = 0;
  let longestWait = 0;
  for (const { up, down } of delays) {
    const ran = at + up;
    const answered = ran + down;
    watch.observe('holder', expiryAt(ran) - ran, 1, at, answered);
    if (watch.lapsed) return { watch, at: answered, lapsedAt: answered, longestWait };
    const wait = watch.waitMs(answered);
    longestWait = Math.max(longestWait, wait);
    at = answered + wait;
  }
  return { watch, at, longestWait };
}

const delays = (max: number) => fc.array(fc.record({ up: fc.nat(max), down: fc.nat(max) }), { minLength: 1, maxLength: 30 });

describe('HolderWatch (issue 9, item 4)', () => {
  test('a holder renewing every third of the lease is never taken for lapsed, whatever the round trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (leaseMs, phase) =>
        fc.assert(
          fc.property(delays(Math.floor(leaseMs / 10)), (trips) => {
            const every = leaseMs / 3;
            // Renewed at phase·every, then every `every` ms: the lease always lasts leaseMs from the last renewal.
            const expiryAt = (t: number) => Math.floor((t - phase * every) / every) * every + phase * every + leaseMs;
            expect(watchChecks(leaseMs, expiryAt, trips).lapsedAt).toBeUndefined();
          }),
          { numRuns: 20 },
        ),
      ),
      { numRuns: 50 },
    );
  });

  test('a lease that is never renewed, however long its PX, is taken for lapsed within leaseMs and the round trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 10_000 }), fc.integer({ min: 10, max: 100_000 }), (leaseMs, leases) =>
        fc.assert(
          fc.property(delays(Math.floor(leaseMs / 10)).filter((trips) => trips.length >= 2), (trips) => {
            const trip = Math.floor(leaseMs / 10);
            const px = Math.min(leases * leaseMs, 3_000_000_000); // planted: expires long after, never moves
            const result = watchChecks(leaseMs, () => px, trips);
            expect(result.longestWait).toBeLessThanOrEqual(leaseMs + 2); // no timer beyond the waiter's own bound
            expect(result.lapsedAt).toBeLessThanOrEqual(leaseMs + 2 + 4 * trip); // the second check says so
          }),
          { numRuns: 20 },
        ),
      ),
      { numRuns: 50 },
    );
  });
});
