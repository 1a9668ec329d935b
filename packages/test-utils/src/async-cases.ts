import type { Coalescer } from '@shared-call/core';
import { deferred, until, within } from './waits.js';

/** The view of an `'async'` coalescer the cases drive (options as core's `CallOptions`). */
export type AsyncCoalescer = Coalescer<'async', { timeoutMs?: number; signal?: AbortSignal }>;

/**
 * The cases of the conformance suite about `AbortSignal`s, which only `'async'` coalescers take: a caller's
 * `signal`, and the flight's own signal given to fn. Run inside `describeCoalescer`'s describe block; `make`
 * gives a fresh coalescer (closed after the test).
 */
export function describeSignalCases(make: () => AsyncCoalescer): void {
  test("a caller's abort fails only that caller, with the abort reason itself; it is not an error", async () => {
    const sc = make();
    const opened = deferred<string>();
    const leader = sc.call('k', () => opened.promise);
    const controller = new AbortController();
    const aborted = sc.call('k', () => 'must not run', { signal: controller.signal });
    const reason = new Error('caller left');
    controller.abort(reason);
    await expect(within(aborted)).rejects.toBe(reason);
    opened.resolve('value');
    await expect(within(leader)).resolves.toBe('value');
    expect(sc.getStats()).toMatchObject({ hits: 1, misses: 1, errors: 0, active: 0 });
  });

  test("a flight every caller abandoned aborts fn's signal and is not counted as an error", async () => {
    const sc = make();
    const controller = new AbortController();
    const started = deferred<AbortSignal>();
    const call = sc.call('k', (signal) => {
      started.resolve(signal);
      return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }, { signal: controller.signal });
    const signal = await within(started.promise);
    const reason = new Error('everyone left');
    controller.abort(reason);
    await expect(within(call)).rejects.toBe(reason);
    await until(() => signal.aborted, "fn's signal aborted");
    await until(() => sc.getStats().active === 0, 'the abandoned flight ended'); // fn's rejection has been seen
    expect(sc.getStats()).toMatchObject({ misses: 1, errors: 0, active: 0 });
  });
}
