import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AsyncSharedCall } from '@shared-call/core';
import { controllerFor } from '../src/cancellation';
import { deferred, tick, within } from './helpers';

/**
 * The fast paths of a flight (issue 13): a miss without options starts its flight without a second lookup; the
 * promise callers receive is made by the flight's bookkeeping, or, for a same-key call made while `fn` runs,
 * lazily; a flight's phase replaces the table lookup of the identity-checked delete; the last `fn` found to take
 * no argument is remembered while its flight is in progress. Random schedules check them against a model.
 */

type Options = 'none' | 'timeout' | 'signal';
/** A same-key call made while the leader's `fn` runs, or a `forget` of the key there. */
type Inside = { kind: 'call'; options: Options } | { kind: 'forget' };
type Outcome = 'value' | 'throw' | 'rejected-now' | 'resolve-later' | 'reject-later' | 'thenable';
interface Scenario {
  leader: Options;
  shape: 'bare' | 'signalled';
  inside: Inside[];
  outcome: Outcome;
  after: Options[];
}

const options = fc.constantFrom<Options>('none', 'none', 'timeout', 'signal');
const scenario: fc.Arbitrary<Scenario> = fc.record({
  leader: options,
  shape: fc.constantFrom('bare' as const, 'signalled' as const),
  inside: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('call' as const), options }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'forget' as const }) },
    ),
    { maxLength: 4 },
  ),
  outcome: fc.constantFrom<Outcome>('value', 'throw', 'rejected-now', 'resolve-later', 'reject-later', 'thenable'),
  after: fc.array(options, { maxLength: 3 }),
});

/** The call options of a caller that never abandons its wait (the cancellation path without an abort). */
function optionsOf(kind: Options) {
  if (kind === 'timeout') return { timeoutMs: 60_000 };
  if (kind === 'signal') return { signal: new AbortController().signal };
  return undefined;
}

interface ModelFlight {
  /** What every caller of the flight must receive: this very value, or this very error. */
  readonly result: { ok: true; value: object } | { ok: false; error: Error };
}

/** Runs `scenarios` one after the other on one coalescer, each leader with the same `fn` of its shape. */
async function runScenarios(scenarios: Scenario[]) {
  const sc = new AsyncSharedCall();
  let flights = 0;
  let hits = 0;
  let errors = 0;
  let executions = 0;
  const signals = new Set<unknown>();
  // One leader fn per shape for the whole run, so that later flights meet the remembered fn.
  let body: () => unknown = () => undefined;
  const leaders = {
    bare: () => body(),
    signalled: function () {
      // eslint-disable-next-line prefer-rest-params
      const signal: unknown = arguments[0];
      expect(signal).toBeInstanceOf(AbortSignal);
      expect(signals.has(signal)).toBe(false); // a signal of its own per flight
      signals.add(signal);
      return body();
    },
  };

  for (const s of scenarios) {
    const value = { flight: flights };
    const error = new Error(`flight ${flights}`);
    const gate = deferred<object>();
    const main: ModelFlight = { result: s.outcome.includes('reject') || s.outcome === 'throw' ? { ok: false, error } : { ok: true, value } };
    let current: ModelFlight | undefined = main;
    const expected: [Promise<unknown>, ModelFlight][] = [];

    /** A call of 'k' by a caller that brings its own fn: it runs only if the call starts a flight. */
    const otherCall = (kind: Options) => {
      const own = { flight: flights };
      const promise = sc.call('k', () => {
        executions++;
        return own;
      }, optionsOf(kind));
      if (current === undefined) {
        current = { result: { ok: true, value: own } };
        flights++;
      } else hits++;
      expected.push([promise, current]);
    };

    body = () => {
      executions++;
      for (const step of s.inside) {
        if (step.kind === 'forget') {
          expect(sc.forget('k')).toBe(current !== undefined);
          current = undefined;
        } else otherCall(step.options);
      }
      if (s.outcome === 'throw') throw error;
      if (s.outcome === 'value') return value;
      if (s.outcome === 'rejected-now') return Promise.reject(error);
      if (s.outcome === 'thenable') return { then: (resolve: (v: object) => void) => resolve(value) };
      return gate.promise;
    };
    flights++;
    const leader = sc.call('k', leaders[s.shape], optionsOf(s.leader));
    expected.unshift([leader, main]);
    for (const kind of s.after) otherCall(kind);
    if (!main.result.ok) errors++;
    if (s.outcome === 'resolve-later') gate.resolve(value);
    if (s.outcome === 'reject-later') gate.reject(error);

    const outcomes = await within(Promise.allSettled(expected.map(([promise]) => promise)), 5_000, 'callers');
    outcomes.forEach((got, i) => {
      const { result } = expected[i][1];
      if (result.ok) expect(got).toEqual({ status: 'fulfilled', value: expect.anything() });
      else expect(got).toEqual({ status: 'rejected', reason: expect.anything() });
      if (got.status === 'fulfilled' && result.ok) expect(got.value).toBe(result.value);
      if (got.status === 'rejected' && !result.ok) expect(got.reason).toBe(result.error);
    });
    await tick();
    expect(sc.getStats()).toMatchObject({ misses: flights, hits, errors, active: 0 });
    expect(executions).toBe(flights);
  }
}

describe('flight fast paths against a model (issue 13)', () => {
  test('re-entrant calls, forgets inside fn, sync throws, thenables and cancellable callers: same value or error, stats', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(scenario, { minLength: 1, maxLength: 3 }), async (scenarios) => {
        await runScenarios(scenarios);
      }),
      { numRuns: 300 },
    );
  });

  test('a caller that joined while fn ran resumes after the flight left the table', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<string>();
    let inner: Promise<string> | undefined;
    const leader = sc.call('k', () => {
      inner = sc.call('k', () => 'never runs');
      return gate.promise;
    });
    const resumed = inner!.then(() => sc.call('k', () => 'next flight'));
    gate.resolve('first');
    await expect(within(leader, 5_000)).resolves.toBe('first');
    await expect(within(inner!, 5_000)).resolves.toBe('first');
    await expect(within(resumed, 5_000)).resolves.toBe('next flight');
    expect(sc.getStats()).toMatchObject({ misses: 2, hits: 1, active: 0 });
  });

  test('a re-entrant caller that times out leaves the flight; the leader still receives its value', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<string>();
    let inner: Promise<string> | undefined;
    const leader = sc.call('k', () => {
      inner = sc.call('k', () => 'never runs', { timeoutMs: 1 });
      return gate.promise;
    });
    await expect(within(inner!, 5_000)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(sc.getStats().active).toBe(1);
    gate.resolve('value');
    await expect(within(leader, 5_000)).resolves.toBe('value');
    expect(sc.getStats()).toMatchObject({ misses: 1, hits: 1, errors: 0, active: 0 });
  });

  test('the last caller to leave, one that joined while fn ran, aborts fn\'s signal and drops the flight', async () => {
    const sc = new AsyncSharedCall();
    const controller = new AbortController();
    let inner: Promise<string> | undefined;
    let fnSignal: AbortSignal | undefined;
    const leader = sc.call(
      'k',
      function () {
        // eslint-disable-next-line prefer-rest-params
        fnSignal = arguments[0] as AbortSignal;
        inner = sc.call('k', () => 'never runs', { signal: controller.signal });
        return new Promise<string>(() => undefined); // never settles
      },
      { timeoutMs: 1 },
    );
    await expect(within(leader, 5_000)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(fnSignal!.aborted).toBe(false);
    controller.abort(new Error('gone'));
    await expect(within(inner!, 5_000)).rejects.toThrow('gone');
    expect(fnSignal!.aborted).toBe(true);
    expect(sc.getStats()).toMatchObject({ misses: 1, hits: 1, errors: 0, active: 0 });
  });

  test('a leader whose signal aborts while its own fn runs leaves at once; the last to leave aborts fn', async () => {
    const sc = new AsyncSharedCall();
    const controller = new AbortController();
    const reason = new Error('aborted during fn');
    let fnSignal: AbortSignal | undefined;
    const leader = sc.call(
      'k',
      function () {
        // eslint-disable-next-line prefer-rest-params
        fnSignal = arguments[0] as AbortSignal;
        controller.abort(reason);
        return new Promise<string>(() => undefined); // never settles
      },
      { signal: controller.signal },
    );
    await expect(within(leader, 5_000)).rejects.toBe(reason);
    expect(fnSignal!.aborted).toBe(true);
    expect(sc.getStats()).toMatchObject({ misses: 1, errors: 0, active: 0 });
  });

  test('an unhandled failure stays unhandled: the promise a caller ignores rejects with nobody listening', () => {
    // In a process of its own (against the built package): jest fails a test on any unhandled rejection.
    const script = `
      const { AsyncSharedCall } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'commonjs', 'index.js'))});
      const sc = new AsyncSharedCall();
      const reasons = [];
      process.on('unhandledRejection', (reason) => reasons.push(reason.message));
      void sc.call('ignored', () => Promise.reject(new Error('ignored')));
      void sc.call('thrown', () => { throw new Error('thrown'); });
      sc.call('handled', () => Promise.reject(new Error('handled'))).catch(() => undefined);
      setTimeout(() => console.log(JSON.stringify(reasons)), 20);
    `;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(output)).toEqual(['ignored', 'thrown']);
  });
});

/** A full collection (Node exposes `gc` to a new context once the flag is set). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('the remembered fn that takes no argument', () => {
  test('is not kept once its flight ends', async () => {
    const sc = new AsyncSharedCall();
    const refs: WeakRef<object>[] = [];
    await (async () => {
      const fn = () => Promise.resolve('value');
      refs.push(new WeakRef(fn));
      await Promise.all([sc.call('a', fn), sc.call('b', fn)]); // the second flight meets the remembered fn
    })();
    for (let i = 0; i < 3 && refs[0].deref() !== undefined; i++) {
      await tick();
      collect();
    }
    expect(refs[0].deref()).toBeUndefined();
  });

  test('stands for that very fn only: another fn of any shape still gets its own signal', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<void>();
    const bare = () => gate.promise.then(() => 'bare');
    const seen: unknown[] = [];
    const observing = function () {
      // eslint-disable-next-line prefer-rest-params
      seen.push(arguments[0]);
      return gate.promise.then(() => 'observing');
    };
    const calls = [sc.call('a', bare), sc.call('b', observing), sc.call('c', bare), sc.call('d', observing)];
    gate.resolve();
    await expect(within(Promise.all(calls), 5_000)).resolves.toEqual(['bare', 'observing', 'bare', 'observing']);
    expect(seen).toHaveLength(2);
    for (const signal of seen) expect(signal).toBeInstanceOf(AbortSignal);
    expect(seen[0]).not.toBe(seen[1]);
  });
});

describe('signals are made only for fns that can see them', () => {
  test('group() flights, with and without a timeout, make no AbortSignal; a fn that reads arguments gets one', async () => {
    const Original = globalThis.AbortController;
    let made = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        made++;
      }
    };
    try {
      const sc = new AsyncSharedCall();
      const seen: unknown[] = [];
      const load = sc.group()(async function (id: number) {
        seen.push(arguments.length); // the wrapped function sees its own arguments only
        return id * 2;
      });
      const bounded = sc.group({ timeoutMs: 60_000 })(async (id: number) => id * 3);
      await expect(Promise.all([load(1), load(1), load(2), bounded(1)])).resolves.toEqual([2, 2, 4, 3]);
      expect(seen).toEqual([1, 1]);
      expect(made).toBe(0);
      await sc.call('k', function () {
        // eslint-disable-next-line prefer-rest-params
        return arguments[0] as unknown;
      });
      expect(made).toBe(1);
    } finally {
      globalThis.AbortController = Original;
    }
  });
});

describe('controllerFor reads the source conservatively', () => {
  /* eslint-disable prefer-rest-params */
  test.each([
    ['a method named async', { async() { return arguments[0] as unknown; } }.async],
    ['an arrow with a comment in its parameter list', new Function('return (/* none */) => 1')() as () => number],
    ['an async arrow with a comment before its parameters', new Function('return async /* c */ () => 1')() as () => Promise<number>],
    ['a class', class {} as unknown as () => void],
    ['a generator', function* () { yield arguments[0] as unknown; }],
  ])('%s gets a signal', (_label, fn) => {
    expect(controllerFor(fn as (...args: never[]) => unknown)).toBeInstanceOf(AbortController);
  });
  /* eslint-enable prefer-rest-params */

  test.each([
    ['() =>\\n x', new Function('return () =>\n 1')() as () => number],
    ['async  () => x', new Function('return async  () => 1')() as () => Promise<number>],
    ['(  ) => x', new Function('return (  ) => 1')() as () => number],
  ])('%s cannot observe one, and gets none', (_label, fn) => {
    expect(controllerFor(fn)).toBeUndefined();
  });
});
