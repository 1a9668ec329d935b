import { ReentrantCallError, SharedCall } from '@shared-call/sync-workers';
import { fnv1a } from '../src/table/key-bytes';
import { COLLIDING_KEYS } from './helpers';

// The same table works from the main thread (Atomics.wait is allowed there in Node).
describe('SharedCall on one thread', () => {
  test('call returns fn’s value; the leader receives the very object, unshared', () => {
    const sc = new SharedCall();
    const value = { a: 1 };
    expect(sc.call('k', () => value)).toBe(value);
    expect(sc.callWithInfo('k', () => value)).toEqual({ value, shared: false });
    expect(sc.getStats()).toEqual({ hits: 0, misses: 2, errors: 0, active: 0, hitRate: 0, overflows: 0 });
  });

  test('the leader rethrows exactly what fn threw, even falsy values', () => {
    const sc = new SharedCall();
    const error = new TypeError('x');
    expect(() => sc.call('k', () => { throw error; })).toThrow(error);
    let caught: unknown = 'none';
    try {
      sc.call('k', () => { throw undefined; });
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).toBeUndefined();
    expect(sc.getStats()).toMatchObject({ errors: 2, active: 0 });
  });

  test('re-entering one’s own key is a ReentrantCallError, not a deadlock; the outer flight still completes', () => {
    const sc = new SharedCall();
    const outer = sc.call('k', () => {
      expect(() => sc.call('k', () => 'inner')).toThrow(ReentrantCallError);
      return 'outer';
    });
    expect(outer).toBe('outer');
    expect(sc.call('k', () => 'next')).toBe('next');
  });

  test('a blocking call for a key this thread’s pending callAsync leads is a ReentrantCallError', async () => {
    const sc = new SharedCall();
    let release!: (value: string) => void;
    const pending = sc.callAsync('k', () => new Promise<string>((resolve) => (release = resolve)));
    expect(() => sc.call('k', () => 'sync')).toThrow(/same thread leads/);
    release('async');
    await expect(pending).resolves.toBe('async');
  });

  test('keys whose hashes collide never share a flight', () => {
    const [a, b] = COLLIDING_KEYS[0]!;
    expect(fnv1a(Buffer.from(a))).toBe(fnv1a(Buffer.from(b)));
    const sc = new SharedCall({ slots: 2 });
    const result = sc.call(a, () => 'a:' + sc.call(b, () => 'b'));
    expect(result).toBe('a:b');
    expect(sc.getStats()).toMatchObject({ misses: 2, hits: 0, overflows: 0 });
  });

  test('keys are compared exactly: lone surrogates, empty and prototype-like keys are keys like any other', () => {
    const sc = new SharedCall();
    const keys = ['a\uD800', 'a\uDBFF', 'a\uFFFD', 'a', '', '__proto__', 'constructor', '\uDC00'.repeat(2047)];
    const nest = (i: number): string => (i === keys.length ? '' : sc.call(keys[i]!, () => String(i) + nest(i + 1)));
    expect(nest(0)).toBe('01234567');
    expect(sc.getStats()).toMatchObject({ misses: keys.length, hits: 0, overflows: 0 });
    expect(() => sc.call('\uDC00'.repeat(2048), () => 1)).toThrow(RangeError);
  });

  test('a full table runs fn uncoalesced and counts an overflow, then recovers', () => {
    const sc = new SharedCall({ slots: 2 });
    const nested = sc.call('a', () => sc.call('b', () => sc.call('c', () => 'c') + 'b') + 'a');
    expect(nested).toBe('cba');
    expect(sc.getStats()).toMatchObject({ misses: 3, overflows: 1, active: 0 });
    expect(() => sc.call('d', () => sc.call('e', () => sc.call('f', () => { throw new Error('deep'); })))).toThrow('deep');
    expect(sc.getStats()).toMatchObject({ overflows: 2, errors: 3, active: 0 });
    expect(sc.call('a', () => sc.call('b', () => 2))).toBe(2); // both slots free again
    expect(sc.getStats().overflows).toBe(2);
  });

  test('a flight takes at most 4095 callers (leader included); later ones run fn on their own as overflows', async () => {
    const sc = new SharedCall();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const fn = async () => {
      await gate;
      return 'v';
    };
    const calls = Array.from({ length: 4200 }, () => sc.callAsync('crowded', fn));
    expect(sc.getStats()).toMatchObject({ misses: 1 + 105, hits: 4094, overflows: 105 });
    open();
    expect(new Set(await Promise.all(calls))).toEqual(new Set(['v']));
    expect(sc.getStats()).toMatchObject({ active: 0 });
  }, 20_000);

  test('callAsync on a full table runs fn uncoalesced too, counting overflows and errors', async () => {
    const sc = new SharedCall({ slots: 1 });
    const inner = () => sc.callAsync('b', async () => 'b');
    await expect(sc.callAsync('a', async () => (await inner()) + 'a')).resolves.toBe('ba');
    await expect(sc.callAsync('c', () => sc.callAsync('d', () => Promise.reject(new Error('no'))))).rejects.toThrow('no');
    expect(sc.getStats()).toMatchObject({ misses: 4, overflows: 2, errors: 2, active: 0 });
  });

  test('forget: new callers start a new flight; the forgotten one completes; false when nothing is in flight', () => {
    const sc = new SharedCall();
    expect(sc.forget('k')).toBe(false);
    const outer = sc.call('k', () => {
      expect(sc.forget('k')).toBe(true);
      expect(sc.forget('k')).toBe(false);
      return sc.call('k', () => 'inner') + '+outer';
    });
    expect(outer).toBe('inner+outer');
    const all = sc.call('x', () => sc.call('y', () => {
      sc.forgetAll();
      return sc.call('x', () => 'x2') + sc.call('y', () => 'y2');
    }));
    expect(all).toBe('x2y2');
    expect(sc.getStats()).toMatchObject({ misses: 6, active: 0 });
  });

  test('resetStats keeps active', () => {
    const sc = new SharedCall();
    sc.call('k', () => {
      sc.resetStats();
      expect(sc.getStats()).toMatchObject({ misses: 0, active: 1 });
    });
    expect(sc.getStats()).toMatchObject({ misses: 0, active: 0 });
  });

  test('attach gives a second instance over the same table (stats, flights, default timeout)', () => {
    const sc = new SharedCall({ timeoutMs: 1234 });
    const twin = SharedCall.attach(sc.handle);
    expect(twin.handle.timeoutMs).toBe(1234);
    expect(Object.isFrozen(sc.handle) && Object.isFrozen(twin.handle)).toBe(true); // the default timeout cannot drift
    sc.call('k', () => expect(() => twin.call('k', () => 0)).toThrow(ReentrantCallError));
    expect(twin.getStats().misses).toBe(1);
    twin.resetStats();
    expect(sc.getStats().misses).toBe(0);
  });

  test('callAsync coalesces async functions in one thread and never throws synchronously', async () => {
    const sc = new SharedCall();
    let runs = 0;
    const fn = () => new Promise<number>((resolve) => setTimeout(() => resolve(++runs), 50));
    const results = await Promise.all(Array.from({ length: 20 }, () => sc.callAsync('k', fn)));
    expect(results).toEqual(Array(20).fill(1));
    expect(sc.getStats()).toMatchObject({ misses: 1, hits: 19, active: 0 });
    const bad = sc.callAsync(42 as never, fn);
    await expect(bad).rejects.toThrow(TypeError);
    await expect(sc.callAsync('k', () => Promise.reject(new RangeError('no')))).rejects.toThrow(RangeError);
  });

  test('group(): wrapper, decorator-style use, keyFor with a label stable across threads, forget, keyFn', () => {
    const sc = new SharedCall();
    let runs = 0;
    const square = sc.group()(function square(n: number): number {
      runs++;
      return n * n;
    });
    expect(square(3)).toBe(9);
    expect(square.keyFor(3)).toMatch(/^\d+\|square#[0-9a-z]+\(n3\)$/);
    const again = sc.group()(function square(n: number): number {
      runs++;
      return n * n;
    });
    expect(again.keyFor(3)).toBe(square.keyFor(3)); // same source and name: same key in every thread
    expect(square.forget(3)).toBe(false);
    const byId = sc.group({ keyFn: (user: { id: number }) => String(user.id), name: 'user' })((user: { id: number }) => user.id);
    expect(byId.keyFor({ id: 7 })).toBe('4|user:7');
    class Repo {
      @sc.group()
      load(id: number): string {
        runs++;
        return 'row' + id;
      }
    }
    expect(new Repo().load(1)).toBe('row1');
    expect(runs).toBe(2);
  });
});

describe('bad input', () => {
  const sc = new SharedCall();

  test.each([
    [{ slots: 0 }, RangeError, /options\.slots/],
    [{ slots: 1.5 }, RangeError, /options\.slots/],
    [{ slots: 4097 }, RangeError, /options\.slots must be an integer between 1 and 4096/],
    [{ slots: '4' }, TypeError, /options\.slots/],
    [{ maxResultBytes: 2 ** 31 }, RangeError, /options\.maxResultBytes/],
    [{ maxResultBytes: 0 }, RangeError, /options\.maxResultBytes/],
    [{ timeoutMs: -1 }, RangeError, /options\.timeoutMs/],
    [{ timeoutMs: '1' }, TypeError, /options\.timeoutMs/],
    ['fast', TypeError, /options/],
    [null, TypeError, /options/],
  ])('new SharedCall(%p) throws', (options, type, message) => {
    expect(() => new SharedCall(options as never)).toThrow(type);
    expect(() => new SharedCall(options as never)).toThrow(message);
  });

  test('call and callWithInfo name the bad argument', () => {
    expect(() => sc.call(1 as never, () => 1)).toThrow(/key must be a string/);
    expect(() => sc.call('k', 'fn' as never)).toThrow(/fn must be a function/);
    expect(() => sc.call('k', () => 1, { timeoutMs: NaN })).toThrow(RangeError);
    expect(() => sc.call('k', () => 1, 5 as never)).toThrow(TypeError);
    expect(() => sc.callWithInfo('k', () => 1, { timeoutMs: -5 })).toThrow(/options\.timeoutMs/);
    expect(() => sc.call('x'.repeat(5000), () => 1)).toThrow(/at most 4096 bytes/);
    // Issue 8 item 6: the size is reported in bytes, not characters.
    expect(() => sc.call('é'.repeat(3000), () => 1)).toThrow('key must be at most 4096 bytes of UTF-8, got 6000 bytes');
    expect(() => sc.call('\uDC00'.repeat(2048), () => 1)).toThrow(/got 4097 bytes/);
    expect(() => sc.forget(null as never)).toThrow(TypeError);
    expect(() => sc.watch({} as never)).toThrow(/worker must be a worker_threads Worker/);
    expect(() => sc.group({ keyFn: 1 } as never)).toThrow(/keyFn/);
    expect(sc.getStats()).toMatchObject({ misses: 0, active: 0 });
  });

  test('callAsync rejects on bad input', async () => {
    await expect(sc.callAsync('k', null as never)).rejects.toThrow(TypeError);
    await expect(sc.callAsync('k', () => 1, { timeoutMs: -1 })).rejects.toThrow(RangeError);
  });

  test('attach rejects anything that is not a handle', () => {
    const { handle } = sc;
    const foreign = [
      undefined,
      null,
      'handle',
      {},
      { ...handle, kind: 'other' },
      { ...handle, control: new SharedArrayBuffer(handle.control.byteLength) },
      { ...handle, control: new ArrayBuffer(64) },
      { ...handle, inline: new SharedArrayBuffer(8) },
      { ...handle, buffers: [] },
      { ...handle, maxResultBytes: 5 },
      { ...handle, timeoutMs: -1 },
    ];
    for (const value of foreign) expect(() => SharedCall.attach(value as never)).toThrow(TypeError);
    expect(SharedCall.attach(structuredClone(handle)).getStats()).toEqual(sc.getStats());
  });

  test('attach takes no options: a second argument is a TypeError, the table keeps its creator’s options', () => {
    const created = new SharedCall({ slots: 3, timeoutMs: 500 });
    const attach = SharedCall.attach as (handle: unknown, options?: unknown) => SharedCall;
    for (const options of [{ slots: 9 }, { timeoutMs: 10 }, {}, null]) {
      expect(() => attach(created.handle, options)).toThrow(
        expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: expect.stringMatching(/takes only a handle/) }),
      );
    }
    const attached = attach(created.handle, undefined);
    expect(attached.handle.timeoutMs).toBe(500);
    expect(new Int32Array(attached.handle.control).length).toBe(new Int32Array(created.handle.control).length);
    // A constructor given options always makes a new table, even while attach runs elsewhere.
    expect(new SharedCall({ slots: 2 }).handle.control).not.toBe(created.handle.control);
  });
});
