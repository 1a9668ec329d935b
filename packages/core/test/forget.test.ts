import { AsyncSharedCall } from '@shared-call/core';
import { deferred } from './helpers';

/** An `old` flight of 'k', forgotten, then a `fresh` one of 'k' (running `freshFn`); each settles when the test says. */
function forgottenThenFresh<Old>() {
  const sc = new AsyncSharedCall();
  const old = deferred<Old>();
  const oldCall = sc.call('k', () => old.promise);
  sc.forget('k');
  const fresh = deferred<string>();
  const freshFn = jest.fn(() => fresh.promise);
  const freshCall = sc.call('k', freshFn);
  return { sc, old, oldCall, fresh, freshFn, freshCall };
}

describe('forget / forgetAll', () => {
  test('forget returns true only when a flight for the key was tracked', async () => {
    const sc = new AsyncSharedCall();
    expect(sc.forget('k')).toBe(false);
    const gate = deferred<number>();
    const call = sc.call('k', () => gate.promise);
    expect(sc.forget('k')).toBe(true);
    expect(sc.forget('k')).toBe(false);
    gate.resolve(1);
    await call;
    expect(sc.forget('k')).toBe(false);
  });

  test('after forget the next call runs fn again; the old flight does not remove the new one', async () => {
    const { sc, old, oldCall, fresh, freshFn, freshCall } = forgottenThenFresh<string>();
    old.resolve('old');
    await oldCall;
    const joiner = sc.call('k', () => 'must not run');
    fresh.resolve('fresh');
    expect(await Promise.all([oldCall, freshCall, joiner])).toEqual(['old', 'fresh', 'fresh']);
    expect(freshFn).toHaveBeenCalledTimes(1);
  });

  test('forgetAll forgets every key while each flight still delivers to its callers', async () => {
    const sc = new AsyncSharedCall();
    const gates = ['a', 'b', 'c'].map(() => deferred<string>());
    const calls = ['a', 'b', 'c'].map((k, i) => sc.call(k, () => gates[i].promise));
    sc.forgetAll();
    const rerun = jest.fn(() => 'new');
    const next = ['a', 'b', 'c'].map((k) => sc.call(k, rerun));
    expect(rerun).toHaveBeenCalledTimes(3);
    gates.forEach((g, i) => g.resolve(`old-${i}`));
    expect(await Promise.all(calls)).toEqual(['old-0', 'old-1', 'old-2']);
    expect(await Promise.all(next)).toEqual(['new', 'new', 'new']);
  });

  test('forget of a key whose flight failed does not disturb the new flight', async () => {
    const { sc, old, oldCall, fresh, freshCall } = forgottenThenFresh<never>();
    old.reject(new Error('old failed'));
    await expect(oldCall).rejects.toThrow('old failed');
    expect(sc.forget('k')).toBe(true); // the fresh flight is still tracked
    fresh.resolve('ok');
    expect(await freshCall).toBe('ok');
  });
});
