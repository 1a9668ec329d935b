import type { Coalescer } from '@shared-call/core';
import fc from 'fast-check';
import { gate, within } from './waits.js';

/** The view of an `'async'` coalescer the cases drive (options as core's `CallOptions`). */
export type AsyncCoalescer = Coalescer<'async', { timeoutMs?: number; signal?: AbortSignal }>;

/**
 * The cases of the conformance suite that need callers waiting at once in one thread: sharing, callers'
 * timeouts and aborts, abandoned flights, and randomized schedules checked against a model. Run inside
 * `describeCoalescer`'s describe block for `'async'` coalescers; `make` gives a fresh coalescer (closed after
 * the test).
 */
export function describeAsyncCases(make: () => AsyncCoalescer, randomRuns: number): void {
  test('concurrent same-key calls share one execution, its value and its error (the same objects)', async () => {
    const sc = make();
    const value = { rows: [1] };
    const opened = gate<typeof value>();
    let runs = 0;
    const first = sc.callWithInfo('k', () => (runs++, opened.promise));
    const second = sc.callWithInfo('k', () => (runs++, opened.promise));
    opened.resolve(value);
    const [a, b] = await within(Promise.all([first, second]));
    expect(a.value).toBe(value);
    expect(b.value).toBe(value);
    expect([a.shared, b.shared]).toEqual([true, true]);
    const thrown = new Error('shared');
    const failing = gate<void>();
    const fail = async () => {
      runs++;
      await failing.promise;
      throw thrown;
    };
    const failures = Promise.allSettled([1, 2].map(() => sc.call('e', fail)));
    failing.resolve();
    expect(await within(failures)).toEqual([1, 2].map(() => ({ status: 'rejected', reason: thrown })));
    expect((await failures).every((failure) => failure.status === 'rejected' && failure.reason === thrown)).toBe(true);
    expect(runs).toBe(2);
    expect(sc.getStats()).toMatchObject({ hits: 2, misses: 2, errors: 1, active: 0, hitRate: 0.5 });
  });

  test("a caller's timeout or abort fails only that caller; neither counts as an error", async () => {
    const sc = make();
    const opened = gate<string>();
    const leader = sc.call('k', () => opened.promise);
    const impatient = sc.call('k', () => 'must not run', { timeoutMs: 20 });
    const controller = new AbortController();
    const aborted = sc.call('k', () => 'must not run', { signal: controller.signal });
    const reason = new Error('caller left');
    controller.abort(reason);
    const [timedOut, abandoned] = await within(Promise.allSettled([impatient, aborted]));
    expect(timedOut).toEqual({ status: 'rejected', reason: expect.objectContaining({ name: 'TimeoutError' }) });
    expect(abandoned).toEqual({ status: 'rejected', reason });
    expect((abandoned as PromiseRejectedResult).reason).toBe(reason);
    opened.resolve('value');
    await expect(within(leader)).resolves.toBe('value');
    expect(sc.getStats()).toMatchObject({ hits: 2, misses: 1, errors: 0, active: 0 });
  });

  test('randomized schedules: every call gets its own flight\'s value; forget, sharing and stats follow the model', async () => {
    const key = fc.constantFrom('a', 'b');
    const step = fc.oneof(
      fc.record({ op: fc.constant('call' as const), key }),
      fc.record({ op: fc.constant('forget' as const), key }),
      fc.record({ op: fc.constant('forgetAll' as const) }),
      fc.record({ op: fc.constant('settle' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 24 }), async (steps) => {
        const sc = make();
        /** The model: flights by id, each with its key, gate and callers; the flight of each key that new calls join. */
        const flights: { key: string; opened: ReturnType<typeof gate<void>>; callers: Promise<unknown>[]; settled: boolean }[] = [];
        const tracked = new Map<string, number>();
        let joins = 0;
        const settle = async (id: number) => {
          const flight = flights[id]!;
          flight.settled = true;
          flight.opened.resolve();
          const infos = (await within(Promise.all(flight.callers))) as { value: unknown; shared: boolean }[];
          for (const info of infos) expect(info).toEqual({ ...info, value: { flight: id }, shared: infos.length > 1 });
          if (tracked.get(flight.key) === id) tracked.delete(flight.key);
        };
        for (const next of steps) {
          if (next.op === 'call') {
            let id = tracked.get(next.key);
            if (id === undefined) {
              id = flights.length;
              const flight = { key: next.key, opened: gate<void>(), callers: [] as Promise<unknown>[], settled: false };
              flights.push(flight);
              tracked.set(next.key, id);
              const own = id;
              flight.callers.push(sc.callWithInfo(next.key, async () => (await flight.opened.promise, { flight: own })));
            } else {
              joins++;
              flights[id]!.callers.push(sc.callWithInfo(next.key, () => ({ wrong: 'a joined call ran fn' })));
            }
          } else if (next.op === 'forget') {
            expect(sc.forget(next.key)).toBe(tracked.delete(next.key));
          } else if (next.op === 'forgetAll') {
            sc.forgetAll();
            tracked.clear();
          } else {
            const open = flights.flatMap((flight, id) => (flight.settled ? [] : [id]));
            if (open.length > 0) await settle(open[next.pick % open.length]!);
          }
          // `misses` is checked at the end only: redis counts an execution when fn starts, after a Redis round trip.
          expect(sc.getStats()).toMatchObject({ hits: joins });
        }
        for (const [id, flight] of flights.entries()) if (!flight.settled) await settle(id);
        expect(sc.getStats()).toMatchObject({ hits: joins, misses: flights.length, errors: 0, active: 0 });
      }),
      { numRuns: randomRuns },
    );
  });

  test("a flight every caller abandoned aborts fn's signal and is not counted as an error", async () => {
    const sc = make();
    const controller = new AbortController();
    const started = gate<AbortSignal>();
    const call = sc.call('k', (signal) => {
      started.resolve(signal);
      return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }, { signal: controller.signal });
    const signal = await within(started.promise);
    const reason = new Error('everyone left');
    controller.abort(reason);
    await expect(within(call)).rejects.toBe(reason);
    await within(new Promise((resolve) => (signal.aborted ? resolve(0) : signal.addEventListener('abort', resolve, { once: true }))));
    await within(new Promise((resolve) => setTimeout(resolve, 20))); // fn's rejection has been seen
    expect(sc.getStats()).toMatchObject({ misses: 1, errors: 0, active: 0 });
  });
}
