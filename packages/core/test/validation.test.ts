import { AsyncSharedCall } from '@shared-call/core';

const sc = new AsyncSharedCall();
const ok = () => 1;

describe('bad input gets a clear TypeError/RangeError naming the argument (as a rejection)', () => {
  test.each([42, undefined, null, Symbol('k'), { key: 'k' }])('non-string key %p', async (key) => {
    const call = sc.call(key as unknown as string, ok);
    await expect(call).rejects.toThrow(TypeError);
    await expect(call).rejects.toThrow(/key must be a string/);
    await expect(sc.callWithInfo(key as unknown as string, ok)).rejects.toThrow(/key must be a string/);
  });

  test.each([undefined, 'fn', 1, {}])('fn not a function: %p', async (fn) => {
    const call = sc.call('k', fn as never);
    await expect(call).rejects.toThrow(TypeError);
    await expect(call).rejects.toThrow(/^fn must be a function, got /);
  });

  test.each([-1, NaN, -Infinity, 2 ** 31])('timeoutMs out of range: %p', async (timeoutMs) => {
    await expect(sc.call('k', ok, { timeoutMs })).rejects.toThrow(RangeError);
    await expect(sc.call('k', ok, { timeoutMs })).rejects.toThrow(/options\.timeoutMs must be between 0 and/);
  });

  test('timeoutMs of the wrong type', async () => {
    await expect(sc.call('k', ok, { timeoutMs: '10' as never })).rejects.toThrow(
      new TypeError('options.timeoutMs must be a number of milliseconds, got string "10"'),
    );
  });

  test('options that are not an object, and a signal that is not an AbortSignal', async () => {
    await expect(sc.call('k', ok, 5 as never)).rejects.toThrow(/options must be an object or undefined/);
    await expect(sc.call('k', ok, { signal: { aborted: false } as never })).rejects.toThrow(
      /options\.signal must be an AbortSignal/,
    );
  });

  test('bad input starts nothing and counts nothing', async () => {
    const fresh = new AsyncSharedCall();
    const fn = jest.fn(ok);
    await fresh.call('k', fn, { timeoutMs: -5 }).catch(() => undefined);
    expect(fn).not.toHaveBeenCalled();
    expect(fresh.getStats()).toEqual({ hits: 0, misses: 0, errors: 0, active: 0, hitRate: 0 });
  });

  test('forget with a non-string key throws a TypeError', () => {
    expect(() => sc.forget(1 as never)).toThrow(/key must be a string/);
  });

  test('group options are validated when group() is called', () => {
    expect(() => sc.group({ keyFn: 'id' as never })).toThrow(new TypeError('keyFn must be a function, got string "id"'));
    expect(() => sc.group({ name: 3 as never })).toThrow(/name must be a string/);
    expect(() => sc.group({ timeoutMs: -1 })).toThrow(RangeError);
    expect(() => sc.group(7 as never)).toThrow(/group options must be an object/);
    expect(() => sc.group()(undefined as never)).toThrow(/the function given to group\(\) must be a function/);
  });

  test('keyFn returning a non-string rejects the call with a TypeError; fn does not run', async () => {
    const fn = jest.fn(async (id: number) => id);
    const wrapped = sc.group({ keyFn: (id: number) => id as unknown as string })(fn);
    await expect(wrapped(1)).rejects.toThrow(new TypeError('keyFn must return a string, got number 1'));
    expect(fn).not.toHaveBeenCalled();
  });

  test('a throwing keyFn rejects the call with its error (never resolves to undefined)', async () => {
    const boom = new Error('keyFn failed');
    const wrapped = sc.group({
      keyFn: () => {
        throw boom;
      },
    })(async () => 'value');
    await expect(wrapped()).rejects.toBe(boom);
  });
});
