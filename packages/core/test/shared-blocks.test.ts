import { armAlarm, checkInteger, quote, raceAlarm, settle, settleAsync } from '../src/internal';
import { deferred, within } from './helpers';

// The building blocks core shares with sync-workers and redis through `@shared-call/core/internal`.
describe('armAlarm / raceAlarm: the one timer-plus-abort race', () => {
  test('the timer fires onTimeout; release disarms both the timer and the abort listener', async () => {
    const fired = deferred<void>();
    armAlarm({ timeoutMs: 1 }, { onTimeout: () => fired.resolve() });
    await within(fired.promise);

    const controller = new AbortController();
    const calls: string[] = [];
    const release = armAlarm({ signal: controller.signal, timeoutMs: 5 }, {
      onTimeout: () => calls.push('timeout'),
      onAbort: () => calls.push('abort'),
    });
    release();
    release(); // idempotent
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toEqual([]);
  });

  test('an abort calls onAbort with the reason; a handler that declines leaves the timer armed', async () => {
    const controller = new AbortController();
    const calls: unknown[] = [];
    const timedOut = deferred<void>();
    const release = armAlarm({ signal: controller.signal, timeoutMs: 20 }, {
      onAbort: (reason) => calls.push(reason),
      onTimeout: () => timedOut.resolve(),
    });
    controller.abort('why');
    await within(timedOut.promise);
    release();
    expect(calls).toEqual(['why']);
  });

  test('afterPendingIO: a promise settled in the same turn as the timer wins the race', async () => {
    const reply = deferred<string>();
    const raced = raceAlarm(reply.promise, { timeoutMs: 1, afterPendingIO: true }, (end) => ({
      onTimeout: () => end(new Error('late')),
    }));
    // Resolve from a timer that expires with the alarm's: without afterPendingIO the alarm could fire first.
    setTimeout(() => reply.resolve('answer'), 1);
    const started = Date.now();
    while (Date.now() - started < 5); // both timers expire during this stall
    await expect(within(raced)).resolves.toBe('answer');
  });

  test('raceAlarm settles like the promise, or rejects with what end() is given, and releases the listener', async () => {
    await expect(raceAlarm(Promise.resolve(1), {}, () => ({}))).resolves.toBe(1);
    await expect(raceAlarm(Promise.reject(new Error('fn')), {}, () => ({}))).rejects.toThrow('fn');
    const controller = new AbortController();
    const pending = new Promise<never>(() => {});
    const raced = raceAlarm(pending, { signal: controller.signal }, (end) => ({ onAbort: end }));
    controller.abort('stop');
    await expect(within(raced)).rejects.toBe('stop');
  });
});

describe('settle / settleAsync: the one outcome shape', () => {
  test('a value, or what was thrown or rejected', async () => {
    const error = new Error('x');
    expect(settle(() => 1)).toEqual({ ok: true, value: 1 });
    expect(settle(() => { throw error; })).toEqual({ ok: false, error });
    await expect(settleAsync(async () => 2)).resolves.toEqual({ ok: true, value: 2 });
    await expect(settleAsync(() => Promise.reject(error))).resolves.toEqual({ ok: false, error });
    await expect(settleAsync(() => { throw error; })).resolves.toEqual({ ok: false, error });
  });
});

describe('checkInteger and quote: one wording for every package', () => {
  test('whole numbers in range, the fallback for undefined, TypeError or RangeError otherwise', () => {
    expect(checkInteger(undefined, 'options.n', 1, 10, 7)).toBe(7);
    expect(checkInteger(10, 'options.n', 1, 10, 7)).toBe(10);
    expect(() => checkInteger('3', 'options.n', 1, 10, 7)).toThrow(new TypeError('options.n must be a number, got string "3"'));
    for (const bad of [0, 11, 1.5, NaN, Infinity]) {
      expect(() => checkInteger(bad, 'options.n', 1, 10, 7)).toThrow(RangeError);
    }
    expect(() => checkInteger(11, 'options.n', 1, 10, 7)).toThrow('options.n must be an integer between 1 and 10, got 11');
  });

  test('quote cuts after 60 characters', () => {
    expect(quote('k')).toBe('"k"');
    expect(quote('a'.repeat(60))).toBe(JSON.stringify('a'.repeat(60)));
    expect(quote('a'.repeat(61))).toBe(JSON.stringify('a'.repeat(60) + '…'));
  });
});
