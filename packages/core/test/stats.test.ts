import { AsyncSharedCall } from '@shared-call/core';
import { deferred } from './helpers';

describe('getStats / resetStats', () => {
  test('zero before any call, hitRate 0', () => {
    expect(new AsyncSharedCall().getStats()).toEqual({ hits: 0, misses: 0, errors: 0, active: 0, hitRate: 0 });
  });

  test('misses count flights, hits count joins, active counts flights in progress', async () => {
    const sc = new AsyncSharedCall();
    const a = deferred<number>();
    const b = deferred<number>();
    const calls = [sc.call('a', () => a.promise), sc.call('a', () => 0), sc.call('a', () => 0), sc.call('b', () => b.promise)];
    expect(sc.getStats()).toEqual({ hits: 2, misses: 2, errors: 0, active: 2, hitRate: 0.5 });
    a.resolve(1);
    await calls[0];
    expect(sc.getStats().active).toBe(1);
    b.resolve(2);
    await Promise.all(calls);
    expect(sc.getStats()).toEqual({ hits: 2, misses: 2, errors: 0, active: 0, hitRate: 0.5 });
  });

  test('errors count once per failed flight, not per caller', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<never>();
    const calls = Array.from({ length: 5 }, () => sc.call('k', () => gate.promise));
    gate.reject(new Error('x'));
    await Promise.allSettled(calls);
    await sc.call('k', () => {
      throw 'sync';
    }).catch(() => undefined);
    expect(sc.getStats()).toMatchObject({ errors: 2, misses: 2, hits: 4 });
  });

  test('resetStats zeroes hits, misses and errors but keeps active truthful', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<number>();
    const call = sc.call('k', () => gate.promise);
    void sc.call('k', () => 0);
    await sc.call('x', () => Promise.reject(new Error('x'))).catch(() => undefined);
    sc.resetStats();
    expect(sc.getStats()).toEqual({ hits: 0, misses: 0, errors: 0, active: 1, hitRate: 0 });
    gate.resolve(1);
    await call;
    expect(sc.getStats().active).toBe(0);
  });

  test('a forgotten flight still counts as active until it settles', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<number>();
    const call = sc.call('k', () => gate.promise);
    sc.forget('k');
    expect(sc.getStats().active).toBe(1);
    const second = sc.call('k', () => 2);
    expect(sc.getStats().active).toBe(2);
    gate.resolve(1);
    await Promise.all([call, second]);
    expect(sc.getStats().active).toBe(0);
  });

  test('getStats returns a snapshot, not a live view', async () => {
    const sc = new AsyncSharedCall();
    const before = sc.getStats();
    await sc.call('k', () => 1);
    expect(before.misses).toBe(0);
    expect(sc.getStats().misses).toBe(1);
  });
});
