import fc from 'fast-check';
import { withCallers } from './helpers';

// Many threads, many flights, random schedules: no value ever reaches the wrong caller, no slot leaks.
describe('stress', () => {
  test('4 threads × 5000 calls over a 4-slot table: no mix-up, every slot reusable afterwards', async () => {
    await withCallers(4, { slots: 4 }, async (callers, sc) => {
      const keys = ['a', 'b', 'err-c', 'big-d', 'e', 'f'];
      const replies = await Promise.all(
        callers.workers.map((_, i) => callers.call(i, { key: '', behaviour: '', method: 'loop', arg: { keys, count: 5000, seed: i + 1 } }, 60_000)),
      );
      for (const reply of replies) expect(reply.value).toEqual({ mismatches: 0 });
      const stats = sc.getStats();
      expect(stats.hits + stats.misses).toBe(20_000);
      expect(stats.hits).toBeGreaterThan(0);
      expect(stats.misses).toBe(callers.executions);
      expect(stats).toMatchObject({ active: 0, overflows: 0 });
      // Every slot is EMPTY again: four nested flights fit, a fifth overflows.
      const depth = (n: number): number => (n === 0 ? 0 : 1 + sc.call(`nest-${n}`, () => depth(n - 1)));
      expect(depth(4)).toBe(4);
      expect(sc.getStats().overflows).toBe(0);
      expect(depth(5)).toBe(5);
      expect(sc.getStats().overflows).toBe(1);
    });
  }, 90_000);

  test('random schedules (fast-check): each caller gets its own key’s outcome; executions = misses', async () => {
    const call = fc.record({
      worker: fc.integer({ min: 0, max: 3 }),
      key: fc.constantFrom('x', 'y', 'z', 'fail'),
      ms: fc.integer({ min: 0, max: 15 }),
    });
    await withCallers(4, { slots: 8 }, async (callers, sc) => {
      await fc.assert(
        fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 24 }), async (schedule) => {
          sc.resetStats();
          const executions = callers.executions;
          const replies = await Promise.all(
            schedule.map(({ worker, key, ms }) =>
              callers.call(worker, key === 'fail'
                ? { key, behaviour: 'throw', arg: { ms, kind: 'TypeError', message: 'fail' } }
                : { key, behaviour: 'slow', arg: { ms, value: 'value of ' + key } }),
            ),
          );
          replies.forEach((reply, i) => {
            const { key } = schedule[i]!;
            if (key === 'fail') expect(reply.error).toMatchObject({ ctor: 'TypeError', message: 'fail', code: 'E_TEST' });
            else expect(reply.value).toBe('value of ' + key);
          });
          const stats = sc.getStats();
          expect(stats.hits + stats.misses).toBe(schedule.length);
          expect(stats.misses).toBe(callers.executions - executions);
          expect(stats.active).toBe(0);
        }),
        { numRuns: 25 },
      );
    });
  }, 90_000);
});
