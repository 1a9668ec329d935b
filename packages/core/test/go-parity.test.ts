// The cases of Go's golang.org/x/sync/singleflight tests, restated for AsyncSharedCall.
import { AsyncSharedCall } from '@shared-call/core';
import { deferred, tick, within } from './helpers';

/** A flight of 'key' held open by `gate` (`first`, its leader) and a caller joining it (`second`; its fn must not run). */
function twoCallers<R>(call: (key: string, fn: () => string | Promise<string>) => R) {
  const gate = deferred<string>();
  return { gate, first: call('key', () => gate.promise), second: call('key', () => 'must not run') };
}

describe('Go singleflight parity', () => {
  test('Do: a single call returns fn’s value, unshared', async () => {
    const sc = new AsyncSharedCall();
    expect(await sc.callWithInfo('key', () => 'bar')).toEqual({ value: 'bar', shared: false });
  });

  test('DoErr: the error returned is the very error fn produced', async () => {
    const sc = new AsyncSharedCall();
    const someErr = new Error('Some error');
    await expect(sc.call('key', () => Promise.reject(someErr))).rejects.toBe(someErr);
  });

  test('DoDupSuppress: many concurrent duplicates run fn once and all get its value', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<string>();
    let calls = 0;
    const fn = () => {
      calls++;
      return gate.promise;
    };
    const waiters = Array.from({ length: 10 }, () => sc.callWithInfo('key', fn));
    await tick();
    gate.resolve('bar');
    const results = await within(Promise.all(waiters));
    expect(calls).toBe(1);
    for (const r of results) expect(r).toEqual({ value: 'bar', shared: true });
  });

  test('Forget: a third call joins the second flight and is not evicted when the first settles', async () => {
    const sc = new AsyncSharedCall();
    const first = deferred<number>();
    const second = deferred<number>();
    const firstCall = sc.call('key', () => first.promise);
    expect(sc.forget('key')).toBe(true);

    const secondFn = jest.fn(() => second.promise);
    const secondCall = sc.call('key', secondFn);
    first.resolve(1); // the old flight settles: it must not remove the second one
    expect(await firstCall).toBe(1);

    const thirdFn = jest.fn(() => Promise.resolve(3));
    const thirdCall = sc.call('key', thirdFn);
    second.resolve(2);
    expect(await secondCall).toBe(2);
    expect(await thirdCall).toBe(2);
    expect(secondFn).toHaveBeenCalledTimes(1);
    expect(thirdFn).not.toHaveBeenCalled();
  });

  test('forget during the flight: its current callers still receive its result', async () => {
    const sc = new AsyncSharedCall();
    const { gate, first: a, second: b } = twoCallers(sc.call.bind(sc));
    sc.forget('key');
    gate.resolve('v');
    expect(await Promise.all([a, b])).toEqual(['v', 'v']);
  });

  test('panic: a throw inside fn is delivered to every caller and nobody hangs', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<void>();
    const fn = async () => {
      await gate.promise;
      throw new Error('panic');
    };
    const waiters = [sc.call('key', fn), sc.call('key', fn), sc.call('key', fn)];
    gate.resolve();
    const outcomes = await within(Promise.allSettled(waiters));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });

  test('Example: the second caller of a flight sees shared = true, a later lone caller does not', async () => {
    const sc = new AsyncSharedCall();
    const { gate, first: one, second: two } = twoCallers(sc.callWithInfo.bind(sc));
    gate.resolve('result');
    expect(await one).toEqual({ value: 'result', shared: true });
    expect(await two).toEqual({ value: 'result', shared: true });
    expect(await sc.callWithInfo('key', () => 'alone')).toEqual({ value: 'alone', shared: false });
  });
});
