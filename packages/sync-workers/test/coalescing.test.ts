import { SharedCall } from '@shared-call/sync-workers';
import { Callers, coalesce, until } from './helpers';

// Real worker threads block in Atomics.wait on one table and receive the leader's outcome.
describe('coalescing across worker threads', () => {
  const sc = new SharedCall();
  let callers: Callers;
  beforeAll(async () => {
    callers = await new Callers().start(6, sc.handle);
  });
  afterAll(() => callers.close());

  /** Worker 0 leads `key`, workers 1..5 join it; returns all six replies, the leader's first. */
  const shareOnSix = (key: string, behaviour: string, arg: object) => coalesce(callers, sc, { key, behaviour, arg }, [1, 2, 3, 4, 5]);

  test('N threads, one execution, deep-equal structured values for all, shared = true', async () => {
    const value = {
      list: [1, 'two', null, undefined, { nested: [3n] }],
      map: new Map<unknown, unknown>([['a', new Set([1, 2])], [4, new Date(86_400_000)]]),
      typed: new Float64Array([1.5, -2.25]),
      bytes: new Uint8Array([1, 2, 3]),
      big: 2n ** 70n,
    };
    const executions = callers.executions;
    const replies = await shareOnSix('values', 'value', { value });
    expect(callers.executions - executions).toBe(1);
    for (const reply of replies) {
      expect(reply.ok).toBe(true);
      expect(reply.shared).toBe(true);
      expect(reply.value).toEqual(value);
    }
    expect(sc.getStats()).toMatchObject({ active: 0 });
  });

  test.each([
    ['a number', 42.5],
    ['NaN', NaN],
    ['-0', -0],
    ['Infinity', -Infinity],
    ['an empty string', ''],
    ['a string with a lone surrogate and emoji', 'a\uD800b😀'],
    ['a 100 KB string (stored outside the slot)', 'x'.repeat(50_000) + 'é'],
    ['true', true],
    ['false', false],
    ['null', null],
    ['undefined', undefined],
    ['a bigint', -(2n ** 80n)],
  ])('a primitive result (%s) reaches every waiter identical', async (_, value) => {
    const replies = await shareOnSix(`primitive-${_}`, 'value', { value });
    for (const reply of replies) {
      expect(reply.ok).toBe(true);
      expect(Object.is(reply.value, value)).toBe(true);
    }
  });

  test.each(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError'])(
    'a thrown %s reaches every waiter with class, message, stack, code and cause',
    async (kind) => {
      const replies = await shareOnSix(`error-${kind}`, 'throw', { kind, message: `boom ${kind}` });
      const [leader, ...waiters] = replies;
      expect(leader!.ok).toBe(false);
      for (const waiter of waiters) {
        expect(waiter.ok).toBe(false);
        expect(waiter.error).toEqual(leader!.error);
      }
      expect(leader!.error).toMatchObject({ ctor: kind, name: kind, message: `boom ${kind}`, code: 'E_TEST' });
      expect(leader!.error.stack).toContain('caller.cjs');
      expect(leader!.error.cause).toMatchObject({ ctor: 'RangeError', message: 'the cause' });
    },
  );

  test('a custom error class arrives as its nearest built-in class with its name; AggregateError keeps errors', async () => {
    const custom = await shareOnSix('custom', 'throw', { kind: 'custom', message: 'mine' });
    for (const reply of custom.slice(1)) {
      expect(reply.error).toMatchObject({ ctor: 'TypeError', name: 'CustomError', message: 'mine', code: 'E_TEST' });
    }
    const aggregate = await shareOnSix('aggregate', 'throw', { kind: 'aggregate', message: 'many' });
    for (const reply of aggregate.slice(1)) {
      expect(reply.error).toMatchObject({ ctor: 'AggregateError', message: 'many' });
      expect(reply.error.errors.map((e: { ctor: string }) => e.ctor)).toEqual(['Error', 'TypeError']);
    }
  });

  test.each([['a string', 'oops'], ['zero', 0], ['undefined', undefined], ['null', null], ['an object', { reason: [1] }]])(
    'a thrown non-Error (%s) arrives as the same value',
    async (_, thrown) => {
      const replies = await shareOnSix(`throw-${String(_)}`, 'throwValue', { value: thrown });
      for (const reply of replies) {
        expect(reply.ok).toBe(false);
        expect(reply.error).toEqual({ thrown });
      }
    },
  );

  test('after a flight settles the next call runs fn again (nothing is cached)', async () => {
    const executions = callers.executions;
    await callers.call(0, { key: 'again', behaviour: 'value', arg: { value: 1 } });
    const second = await callers.call(1, { key: 'again', behaviour: 'value', arg: { value: 2 } });
    expect(second).toMatchObject({ ok: true, value: 2, shared: false });
    expect(callers.executions - executions).toBe(2);
  });

  test('forget in one thread is seen by all: new callers start a new flight, the old one still delivers', async () => {
    const executions = callers.executions;
    const entered = callers.entered;
    const hits = sc.getStats().hits;
    const [first, second] = [callers.nextGate(), callers.nextGate()];
    const leadFirst = callers.call(0, { key: 'forgotten', behaviour: 'value', arg: { value: 'first', gate: first } });
    await callers.entries(entered + 1);
    const joinedFirst = callers.call(1, { key: 'forgotten', behaviour: 'value', arg: { value: 'x' } });
    await until(() => sc.getStats().hits === hits + 1, 10_000, 'joined the first flight');
    expect(sc.forget('forgotten')).toBe(true);
    const leadSecond = callers.call(2, { key: 'forgotten', behaviour: 'value', arg: { value: 'second', gate: second } });
    await callers.entries(entered + 2);
    const joinedSecond = callers.call(3, { key: 'forgotten', behaviour: 'value', arg: { value: 'x' } });
    await until(() => sc.getStats().hits === hits + 2, 10_000, 'joined the second flight');
    callers.openGate();
    callers.openGate();
    const values = (await Promise.all([leadFirst, joinedFirst, leadSecond, joinedSecond])).map((reply) => reply.value);
    expect(values).toEqual(['first', 'first', 'second', 'second']);
    expect(callers.executions - executions).toBe(2);
  });

  test('a wait that would close a cycle (A leads a and waits for b, B leads b and calls a) is a ReentrantCallError', async () => {
    const entered = callers.entered;
    const hits = sc.getStats().hits;
    const [gateA, gateB] = [callers.nextGate(), callers.nextGate()];
    const leadA = callers.call(0, { key: 'cycle-a', behaviour: 'reenter', arg: { key: 'cycle-b', gate: gateA } });
    const leadB = callers.call(1, { key: 'cycle-b', behaviour: 'reenter', arg: { key: 'cycle-a', gate: gateB } });
    await callers.entries(entered + 2);
    callers.openGate(); // A calls b and blocks on B's flight
    await until(() => sc.getStats().hits === hits + 1, 10_000, 'A waits for b');
    callers.openGate(); // B calls a: waiting would deadlock
    const [a, b] = await Promise.all([leadA, leadB]);
    expect(b.error).toMatchObject({ name: 'ReentrantCallError', message: expect.stringContaining('through other threads') });
    expect(a.error).toMatchObject({ name: 'ReentrantCallError', message: b.error.message }); // B's failure, passed on to A
    expect(sc.getStats()).toMatchObject({ active: 0 });
  });

  test('stats count the calls of every thread', async () => {
    sc.resetStats();
    await shareOnSix('stats', 'slow', { value: 1 });
    await shareOnSix('stats-error', 'throw', { kind: 'Error', message: 'x' });
    expect(sc.getStats()).toEqual({ hits: 10, misses: 2, errors: 1, active: 0, hitRate: 10 / 12, overflows: 0 });
  });
});
