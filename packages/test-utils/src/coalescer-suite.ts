import type { Coalescer } from '@shared-call/core';
import { describeSignalCases, type AsyncCoalescer } from './async-cases.js';
import { describeCallerCases } from './caller-cases.js';
import { Gates, inThread, type CallerDriver } from './callers.js';
import { settled } from './waits.js';

/** A coalescer class under the conformance suite, as its package's test describes it. */
export interface CoalescerSubject<M extends 'async' | 'sync'> {
  /** The class's name, for the suite's title. */
  readonly name: string;
  /** How its `call` delivers results: a Promise (`'async'`) or the value itself (`'sync'`). */
  readonly mode: M;
  /** A fresh instance for one test (the suite calls {@link close} on it afterwards, if given). */
  make(): Coalescer<M, { timeoutMs?: number }>;
  close?(coalescer: Coalescer<M, { timeoutMs?: number }>): Promise<void>;
  /**
   * What a same-key call made inside the flight's own `fn` does: `'joins'` the flight (in-process coalescers),
   * or `'throws'` a `ReentrantCallError` (a blocking coalescer cannot wait for its own thread).
   */
  readonly reentrant: 'joins' | 'throws';
  /**
   * Who makes the concurrent calls of the cross-caller cases: callers in the test's thread by default (`'async'`
   * coalescers); a blocking coalescer's must be other threads (`workerCallers`).
   */
  readonly callers?: CallerDriver<Coalescer<M, { timeoutMs?: number }>>;
}

/** A bad-input error: a `TypeError` or `RangeError` with the stated code. */
const badInput = (kind: typeof TypeError | typeof RangeError, code: string) =>
  expect.objectContaining({ name: kind.name, code });

/**
 * The conformance suite of the `Coalescer` contract (core's coalescer.ts): every class runs it from its own
 * package's tests, so that a difference between their contracts is a failing test. The cases with callers
 * waiting at once (caller-cases.ts, `randomRuns` randomized schedules) run on every class, through
 * `subject.callers`; the contract allows one difference there, stated in caller-cases.ts (`expectOneOutcome`):
 * callers in other threads receive copies, not the very objects. The `AbortSignal` cases (async-cases.ts) run
 * on `'async'` coalescers only: a `'sync'` call takes no signal and gives fn none.
 */
export function describeCoalescer<M extends 'async' | 'sync'>(subject: CoalescerSubject<M>, randomRuns = 25): void {
  type Subject = Coalescer<M, { timeoutMs?: number }>;
  // The suite drives both modes through one view, `Loose`; `settled` turns either delivery into a Promise.
  type Loose = AsyncCoalescer;
  let opened: Subject[] = [];
  const made = (): Subject => {
    const coalescer = subject.make();
    opened.push(coalescer);
    return coalescer;
  };
  const make = (): Loose => made() as unknown as Loose;
  const isAsync = subject.mode === 'async';
  const driver = subject.callers ?? (isAsync ? (inThread as unknown as CallerDriver<Subject>) : undefined);
  if (driver === undefined) throw new TypeError(`${subject.name}: a blocking coalescer needs callers in other threads`);
  const arrange = () => {
    const [sc, gates] = [made(), new Gates()];
    return { sc, gates, callers: driver.callersOf(sc, gates) };
  };

  describe(`${subject.name} keeps the Coalescer contract`, () => {
    afterEach(async () => {
      await driver.afterEach?.();
      for (const coalescer of opened.splice(0)) await subject.close?.(coalescer);
      opened = [];
    });
    afterAll(() => driver.close?.());

    test('nothing is cached: a call after a flight settled starts a new one', async () => {
      const sc = make();
      let runs = 0;
      expect(await settled(() => sc.call('k', () => ++runs))).toBe(1);
      expect(await settled(() => sc.call('k', () => ++runs))).toBe(2);
      const info = await settled(() => sc.callWithInfo('k', () => ++runs));
      expect(info).toEqual({ ...info, value: 3, shared: false });
      expect(sc.getStats()).toMatchObject({ hits: 0, misses: 3, errors: 0, active: 0, hitRate: 0 });
    });

    test("the leader receives fn's error itself (the same object); the flight counts one error", async () => {
      const sc = make();
      const thrown = new Error('boom');
      await expect(settled(() => sc.call('k', () => { throw thrown; }))).rejects.toBe(thrown);
      const rejected = { reason: 'not an Error' };
      await expect(settled(() => sc.call('k', () => (isAsync ? Promise.reject(rejected) : (() => { throw rejected; })())))).rejects.toBe(rejected);
      expect(sc.getStats()).toMatchObject({ misses: 2, errors: 2, active: 0 });
    });

    test('forget returns true only if a flight of the key is tracked: a second forget returns false', async () => {
      const sc = make();
      expect(sc.forget('k')).toBe(false);
      const inside: boolean[] = [];
      await settled(() =>
        sc.call('k', () => {
          inside.push(sc.forget('other'), sc.forget('k'), sc.forget('k'));
          return 1;
        }),
      );
      expect(inside).toEqual([false, true, false]);
      expect(sc.forget('k')).toBe(false);
    });

    test('after forget (or forgetAll) the next call of the key starts a new flight; the forgotten one still delivers', async () => {
      for (const forget of [(sc: Loose) => sc.forget('k'), (sc: Loose) => sc.forgetAll()]) {
        const sc = make();
        let inner: unknown;
        const outer = await settled(() =>
          sc.call('k', () => {
            forget(sc);
            inner = sc.call('k', () => 'new flight'); // a new flight, not a join (nor a re-entrant call)
            return 'forgotten flight';
          }),
        );
        expect(outer).toBe('forgotten flight');
        expect(await inner).toBe('new flight');
        expect(sc.getStats()).toMatchObject({ hits: 0, misses: 2, active: 0 });
      }
    });

    test('stats: active counts flights in progress; resetStats zeroes every counter but active', async () => {
      const sc = make();
      await expect(settled(() => sc.call('failed', () => { throw new Error('x'); }))).rejects.toThrow('x');
      const during = await settled(() =>
        sc.call('k', () => {
          const before = sc.getStats();
          sc.resetStats();
          return { before, after: sc.getStats() };
        }),
      );
      expect(during.before).toMatchObject({ misses: 2, errors: 1, active: 1, hitRate: 0 });
      expect(during.after).toMatchObject({ hits: 0, misses: 0, errors: 0, active: 1, hitRate: 0 });
      expect(sc.getStats()).toMatchObject({ hits: 0, misses: 0, errors: 0, active: 0 });
    });

    test('a same-key call inside fn ' + (subject.reentrant === 'joins' ? 'joins the flight' : 'throws ReentrantCallError'), async () => {
      const sc = make();
      let runs = 0;
      let inner: unknown;
      const outer = await settled(() =>
        sc.call('k', () => {
          runs++;
          try {
            inner = sc.call('k', () => 'must not run');
          } catch (error) {
            inner = error;
          }
          return isAsync ? Promise.resolve('value') : 'value';
        }),
      );
      expect(outer).toBe('value');
      expect(runs).toBe(1);
      if (subject.reentrant === 'joins') {
        expect(await inner).toBe('value');
        expect(sc.getStats()).toMatchObject({ hits: 1, misses: 1 });
      } else {
        expect(inner).toMatchObject({ name: 'ReentrantCallError', code: 'ERR_SHARED_CALL_REENTRANT' });
      }
    });

    test(`bad input is a TypeError or RangeError with a code, ${isAsync ? 'rejected, never thrown synchronously' : 'thrown'}`, async () => {
      const sc = make();
      const calls: [() => unknown, typeof TypeError | typeof RangeError, string][] = [
        [() => sc.call(1 as never, () => 1), TypeError, 'ERR_INVALID_ARG_TYPE'],
        [() => sc.call('k', 'fn' as never), TypeError, 'ERR_INVALID_ARG_TYPE'],
        [() => sc.callWithInfo(undefined as never, () => 1), TypeError, 'ERR_INVALID_ARG_TYPE'],
        [() => sc.call('k', () => 1, { timeoutMs: -1 }), RangeError, 'ERR_OUT_OF_RANGE'],
        [() => sc.call('k', () => 1, { timeoutMs: 'soon' as never }), TypeError, 'ERR_INVALID_ARG_TYPE'],
        [() => sc.call('k', () => 1, 'options' as never), TypeError, 'ERR_INVALID_ARG_TYPE'],
      ];
      for (const [call, kind, code] of calls) {
        let delivered: unknown;
        try {
          delivered = call();
        } catch (error) {
          expect(isAsync).toBe(false);
          expect(error).toEqual(badInput(kind, code));
          continue;
        }
        expect(isAsync).toBe(true);
        await expect(delivered).rejects.toEqual(badInput(kind, code));
      }
      expect(() => sc.forget(1 as never)).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }));
      expect(() => sc.group({ timeoutMs: -1 })).toThrow(expect.objectContaining({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }));
      expect(() => sc.group({ keyFn: 'id' as never })).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }));
      expect(sc.getStats()).toMatchObject({ hits: 0, misses: 0, errors: 0, active: 0 });
    });

    test('group(): a wrapped function delivers as call does; its forget returns false when nothing is tracked', async () => {
      const sc = make();
      let runs = 0;
      const square = sc.group()((x: number) => (runs++, x * x));
      expect(await settled(() => square(3))).toBe(9);
      expect(square.forget(3)).toBe(false);
      expect(typeof square.keyFor(3)).toBe('string');
      expect(square.keyFor(3)).not.toBe(square.keyFor(4));
      expect(runs).toBe(1);
    });

    describeCallerCases(arrange, randomRuns);
    if (isAsync) describeSignalCases(make);
  });
}
