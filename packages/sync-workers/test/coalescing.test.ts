import { SharedCall } from '@shared-call/sync-workers';
import { Callers } from './helpers';

// Real worker threads block in Atomics.wait on one table and receive the leader's outcome.
describe('coalescing across worker threads', () => {
  const sc = new SharedCall();
  let callers: Callers;
  beforeAll(async () => {
    callers = await new Callers().start(6, sc.handle);
  });
  afterAll(() => callers.close());

  /** Worker 0 leads `key` (fn entered), then workers 1..5 join; returns all six replies. */
  async function coalesce(key: string, behaviour: string, arg: object) {
    const before = callers.entered;
    const leader = callers.call(0, { key, behaviour, arg });
    await callers.entries(before + 1);
    const waiters = [1, 2, 3, 4, 5].map((i) => callers.call(i, { key, behaviour, arg }));
    return Promise.all([leader, ...waiters]);
  }

  test('N threads, one execution, deep-equal structured values for all, shared = true', async () => {
    const value = {
      list: [1, 'two', null, undefined, { nested: [3n] }],
      map: new Map<unknown, unknown>([['a', new Set([1, 2])], [4, new Date(86_400_000)]]),
      typed: new Float64Array([1.5, -2.25]),
      bytes: new Uint8Array([1, 2, 3]),
      big: 2n ** 70n,
    };
    const executions = callers.executions;
    const replies = await coalesce('values', 'slow', { ms: 300, value });
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
    const replies = await coalesce(`primitive-${_}`, 'slow', { ms: 150, value });
    for (const reply of replies) {
      expect(reply.ok).toBe(true);
      expect(Object.is(reply.value, value)).toBe(true);
    }
  });

  test.each(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError'])(
    'a thrown %s reaches every waiter with class, message, stack, code and cause',
    async (kind) => {
      const replies = await coalesce(`error-${kind}`, 'throw', { ms: 200, kind, message: `boom ${kind}` });
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
    const custom = await coalesce('custom', 'throw', { ms: 200, kind: 'custom', message: 'mine' });
    for (const reply of custom.slice(1)) {
      expect(reply.error).toMatchObject({ ctor: 'TypeError', name: 'CustomError', message: 'mine', code: 'E_TEST' });
    }
    const aggregate = await coalesce('aggregate', 'throw', { ms: 200, kind: 'aggregate', message: 'many' });
    for (const reply of aggregate.slice(1)) {
      expect(reply.error).toMatchObject({ ctor: 'AggregateError', message: 'many' });
      expect(reply.error.errors.map((e: { ctor: string }) => e.ctor)).toEqual(['Error', 'TypeError']);
    }
  });

  test.each([['a string', 'oops'], ['zero', 0], ['undefined', undefined], ['null', null], ['an object', { reason: [1] }]])(
    'a thrown non-Error (%s) arrives as the same value',
    async (_, thrown) => {
      const replies = await coalesce(`throw-${String(_)}`, 'throwValue', { ms: 200, value: thrown });
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
    const before = callers.entered;
    const first = callers.call(0, { key: 'forgotten', behaviour: 'slow', arg: { ms: 400, value: 'first' } });
    await callers.entries(before + 1);
    const joinedFirst = callers.call(1, { key: 'forgotten', behaviour: 'value', arg: { value: 'x' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sc.forget('forgotten')).toBe(true);
    const second = callers.call(2, { key: 'forgotten', behaviour: 'slow', arg: { ms: 300, value: 'second' } });
    await callers.entries(before + 2);
    const joinedSecond = callers.call(3, { key: 'forgotten', behaviour: 'value', arg: { value: 'x' } });
    const values = (await Promise.all([first, joinedFirst, second, joinedSecond])).map((reply) => reply.value);
    expect(values).toEqual(['first', 'first', 'second', 'second']);
    expect(callers.executions - executions).toBe(2);
  });

  test('stats count the calls of every thread', async () => {
    sc.resetStats();
    await coalesce('stats', 'slow', { ms: 200, value: 1 });
    await coalesce('stats-error', 'throw', { ms: 200, kind: 'Error', message: 'x' });
    expect(sc.getStats()).toEqual({ hits: 10, misses: 2, errors: 1, active: 0, hitRate: 10 / 12, overflows: 0 });
  });
});
