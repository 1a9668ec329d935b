import { AsyncSharedCall } from '@shared-call/core';
import { deferred, stateOf, within } from './helpers';

describe('call: coalescing', () => {
  test('1000 concurrent callers share one execution and the same object', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<void>();
    const fn = jest.fn(async () => {
      await gate.promise;
      return { rows: [1, 2, 3] };
    });
    const calls = Array.from({ length: 1000 }, () => sc.call('k', fn));
    gate.resolve();
    const results = await within(Promise.all(calls));
    expect(fn).toHaveBeenCalledTimes(1);
    for (const r of results) expect(r).toBe(results[0]);
  });

  test('fn starts synchronously inside the leader call and receives an AbortSignal', () => {
    const sc = new AsyncSharedCall();
    const fn = jest.fn((_signal: AbortSignal) => 1);
    void sc.call('k', fn);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn.mock.calls[0][0]).toBeInstanceOf(AbortSignal);
  });

  test('a settled flight is removed: the next call runs fn again (no caching)', async () => {
    const sc = new AsyncSharedCall();
    let n = 0;
    expect(await sc.call('k', () => ++n)).toBe(1);
    expect(await sc.call('k', () => ++n)).toBe(2);
  });

  test('the flight is removed before callers resume, so a caller re-calling at once starts a new flight', async () => {
    const sc = new AsyncSharedCall();
    let n = 0;
    const second = sc.call('k', () => ++n).then(() => sc.call('k', () => ++n));
    expect(await second).toBe(2);
  });

  test('different keys never share a flight', async () => {
    const sc = new AsyncSharedCall();
    const [a, b] = await Promise.all([sc.call('a', () => 'A'), sc.call('b', () => 'B')]);
    expect([a, b]).toEqual(['A', 'B']);
  });

  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', ''])(
    'key %p behaves like any other key',
    async (key) => {
      const sc = new AsyncSharedCall();
      const gate = deferred<string>();
      const fn = jest.fn(() => gate.promise);
      const calls = [sc.call(key, fn), sc.call(key, fn)];
      gate.resolve('v');
      expect(await Promise.all(calls)).toEqual(['v', 'v']);
      expect(fn).toHaveBeenCalledTimes(1);
    },
  );

  test('a same-key call made synchronously inside fn joins the flight instead of running fn again', async () => {
    const sc = new AsyncSharedCall();
    let inner: Promise<number> | undefined;
    const fn = jest.fn(async () => {
      inner ??= sc.call('k', fn);
      return 7;
    });
    const outer = sc.call('k', fn);
    expect(await within(outer)).toBe(7);
    expect(await within(inner!)).toBe(7);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(sc.getStats().active).toBe(0);
  });

  test('synchronous return values are delivered as promises', async () => {
    const sc = new AsyncSharedCall();
    const p = sc.call('k', () => 5);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe(5);
  });

  test('a thenable result is adopted', async () => {
    const sc = new AsyncSharedCall();
    const thenable = { then: (resolve: (v: string) => void) => resolve('adopted') } as PromiseLike<string>;
    expect(await sc.call('k', () => thenable)).toBe('adopted');
  });
});

describe('call: errors', () => {
  test('a rejection reaches every caller as the same error object', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<never>();
    const calls = Array.from({ length: 50 }, () => sc.call('k', () => gate.promise));
    const boom = new Error('db down');
    gate.reject(boom);
    const outcomes = await Promise.allSettled(calls);
    for (const o of outcomes) expect(o).toEqual({ status: 'rejected', reason: boom });
    for (const o of outcomes) expect((o as PromiseRejectedResult).reason).toBe(boom);
  });

  test('a synchronous throw in fn becomes a rejection for every caller (Go: panics become errors)', async () => {
    const sc = new AsyncSharedCall();
    const boom = new TypeError('sync boom');
    let joined: Promise<unknown> | undefined;
    const leader = sc.call('k', () => {
      joined = sc.call('k', () => 'never');
      throw boom;
    });
    await expect(leader).rejects.toBe(boom);
    await expect(joined).rejects.toBe(boom);
  });

  test.each([['a string', 'oops'], ['undefined', undefined], ['zero', 0], ['null', null], ['false', false]])(
    'a non-Error rejection (%s) still rejects every caller with that value',
    async (_label, reason) => {
      const sc = new AsyncSharedCall();
      const gate = deferred<never>();
      const calls = [sc.call('k', () => gate.promise), sc.call('k', () => gate.promise)];
      gate.reject(reason);
      for (const call of calls) {
        expect(await call.then(() => 'resolved', (e: unknown) => ({ rejected: e }))).toEqual({ rejected: reason });
      }
    },
  );

  test('a failure does not leak into the next flight', async () => {
    const sc = new AsyncSharedCall();
    await expect(sc.call('k', () => Promise.reject(new Error('first')))).rejects.toThrow('first');
    expect(await sc.call('k', () => 'second')).toBe('second');
  });

  test('a throwing thenable rejects every caller', async () => {
    const sc = new AsyncSharedCall();
    const boom = new Error('then threw');
    const bad = {
      then() {
        throw boom;
      },
    };
    await expect(sc.call('k', () => bad)).rejects.toBe(boom);
  });

  test('a caller still waiting after its flight rejected is never left pending', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<never>();
    const call = sc.call('k', () => gate.promise);
    gate.reject(new Error('x'));
    await call.catch(() => undefined);
    expect(await stateOf(call)).toBe('rejected');
  });
});
