import { AsyncSharedCall } from '@shared-call/core';
import { deferred, stateOf, tick, within } from './helpers';

/** A flight that records the signal it was given and settles when the test says so. */
function controlledFlight<T>() {
  const gate = deferred<T>();
  let signal: AbortSignal | undefined;
  const fn = jest.fn((s: AbortSignal) => {
    signal = s;
    return gate.promise;
  });
  return { gate, fn, signal: () => signal! };
}

/** Two callers of one controlled flight; the first (`leaver`) aborts with `reason` before the flight settles. */
function oneCallerLeaves<T>() {
  const sc = new AsyncSharedCall();
  const flight = controlledFlight<T>();
  const controller = new AbortController();
  const leaver = sc.call('k', flight.fn, { signal: controller.signal });
  const stayer = sc.call('k', flight.fn);
  const reason = new Error('caller went away');
  controller.abort(reason);
  return { flight, leaver, stayer, reason };
}

describe('cancellation: signal', () => {
  test('aborting one caller rejects only that caller, with signal.reason, at once', async () => {
    const { flight, leaver, stayer, reason } = oneCallerLeaves<string>();
    await expect(within(leaver, 100)).rejects.toBe(reason);
    expect(flight.signal().aborted).toBe(false);
    flight.gate.resolve('value');
    expect(await stayer).toBe('value');
  });

  test('the default abort reason is an AbortError DOMException', async () => {
    const sc = new AsyncSharedCall();
    const controller = new AbortController();
    const call = sc.call('k', () => new Promise(() => undefined), { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('fn’s signal aborts only when every caller has abandoned; the flight is dropped', async () => {
    const sc = new AsyncSharedCall();
    const flight = controlledFlight<string>();
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const calls = controllers.map((c) => sc.call('k', flight.fn, { signal: c.signal }));
    controllers[0].abort();
    controllers[1].abort();
    await tick();
    expect(flight.signal().aborted).toBe(false);
    expect(sc.getStats().active).toBe(1);
    const lastReason = new Error('last one out');
    controllers[2].abort(lastReason);
    expect(flight.signal().aborted).toBe(true);
    expect(flight.signal().reason).toBe(lastReason);
    expect(sc.getStats().active).toBe(0);
    await Promise.allSettled(calls);

    const fresh = jest.fn(() => 'fresh');
    expect(await sc.call('k', fresh)).toBe('fresh');
    expect(fresh).toHaveBeenCalledTimes(1);
    flight.gate.resolve('late'); // the abandoned flight settling later changes nothing
    await tick();
    expect(sc.getStats()).toMatchObject({ active: 0, errors: 0 });
  });

  test('a caller without a signal keeps the flight alive when all cancellable callers leave', async () => {
    const sc = new AsyncSharedCall();
    const flight = controlledFlight<number>();
    const plain = sc.call('k', flight.fn);
    const controller = new AbortController();
    const leaver = sc.call('k', flight.fn, { signal: controller.signal });
    controller.abort();
    await expect(leaver).rejects.toBeDefined();
    expect(flight.signal().aborted).toBe(false);
    flight.gate.resolve(9);
    expect(await plain).toBe(9);
  });

  test('an already-aborted signal rejects without starting or joining a flight', async () => {
    const sc = new AsyncSharedCall();
    const reason = new Error('too late');
    const fn = jest.fn(() => 1);
    await expect(sc.call('k', fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();

    const flight = controlledFlight<number>();
    const running = sc.call('k', flight.fn);
    await expect(sc.callWithInfo('k', fn, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    flight.gate.resolve(1);
    expect(await sc.callWithInfo('k', () => 2)).toEqual({ value: 1, shared: true }); // joined the leader
    await running;
    expect(sc.getStats()).toMatchObject({ hits: 1, misses: 1 });
  });

  test('aborting after the flight settled changes nothing for that caller', async () => {
    const sc = new AsyncSharedCall();
    const controller = new AbortController();
    const value = await sc.call('k', () => 'done', { signal: controller.signal });
    controller.abort();
    expect(value).toBe('done');
  });

  test('the abort listener is removed once the flight settles (no listener leak on long-lived signals)', async () => {
    const sc = new AsyncSharedCall();
    const controller = new AbortController();
    const remove = jest.spyOn(controller.signal, 'removeEventListener');
    for (let i = 0; i < 20; i++) await sc.call('k', () => i, { signal: controller.signal });
    expect(remove).toHaveBeenCalledTimes(20);
  });

  test('callers that abandon a failing flight never see its error; the others do', async () => {
    const { flight, leaver, stayer, reason } = oneCallerLeaves<never>();
    const boom = new Error('boom');
    flight.gate.reject(boom);
    await expect(leaver).rejects.toBe(reason);
    await expect(stayer).rejects.toBe(boom);
  });
});

describe('the signal handed to fn', () => {
  test('a fn that declares no parameter still receives an AbortSignal that has not aborted', async () => {
    const sc = new AsyncSharedCall();
    const received = await sc.call('k', function () {
      // eslint-disable-next-line prefer-rest-params
      return arguments[0] as unknown;
    });
    expect(received).toBeInstanceOf(AbortSignal);
    expect((received as AbortSignal).aborted).toBe(false);
  });

  test('a fn that declares the parameter gets a signal of its own per flight', async () => {
    const sc = new AsyncSharedCall();
    const first = await sc.call('k', (signal) => signal);
    const second = await sc.call('k', (signal) => signal);
    expect(first).toBeInstanceOf(AbortSignal);
    expect(second).not.toBe(first);
  });

  test('a zero-parameter fn led by a cancellable caller is still aborted when every caller leaves', async () => {
    const sc = new AsyncSharedCall();
    let signal: AbortSignal | undefined;
    const controller = new AbortController();
    const call = sc.call(
      'k',
      function () {
        // eslint-disable-next-line prefer-rest-params
        signal = arguments[0] as AbortSignal;
        return new Promise<never>(() => undefined);
      },
      { signal: controller.signal },
    );
    controller.abort('gone');
    await expect(call).rejects.toBe('gone');
    expect(signal?.aborted).toBe(true);
  });
});

describe('cancellation: timeoutMs', () => {
  test('times out this caller with a TimeoutError DOMException; others still get the value', async () => {
    const sc = new AsyncSharedCall();
    const flight = controlledFlight<string>();
    const patient = sc.call('k', flight.fn);
    const hasty = sc.call('k', flight.fn, { timeoutMs: 20 });
    const error = await within(hasty, 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(await stateOf(patient)).toBe('pending');
    flight.gate.resolve('slow value');
    expect(await patient).toBe('slow value');
  });

  test('when every caller timed out, fn’s signal aborts with the TimeoutError and the next call starts fresh', async () => {
    const sc = new AsyncSharedCall();
    const flight = controlledFlight<string>();
    const calls = [sc.call('k', flight.fn, { timeoutMs: 10 }), sc.call('k', flight.fn, { timeoutMs: 30 })];
    await Promise.allSettled(calls.map((c) => within(c, 2_000)));
    expect(flight.signal().aborted).toBe(true);
    expect(flight.signal().reason).toMatchObject({ name: 'TimeoutError' });
    expect(await sc.call('k', () => 'fresh')).toBe('fresh');
  });

  test('timeoutMs 0 abandons on the next timer turn unless the flight settled in the same turn', async () => {
    const sc = new AsyncSharedCall();
    expect(await sc.call('k', () => 'sync value', { timeoutMs: 0 })).toBe('sync value');
    await expect(sc.call('j', () => new Promise(() => undefined), { timeoutMs: 0 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  test('the timer is cleared when the flight settles first (no stray timers keep the process alive)', async () => {
    const sc = new AsyncSharedCall();
    const clear = jest.spyOn(global, 'clearTimeout');
    await sc.call('k', () => 1, { timeoutMs: 60_000 });
    expect(clear).toHaveBeenCalled();
    clear.mockRestore();
  });

  test('signal and timeoutMs together: whichever fires first wins', async () => {
    const sc = new AsyncSharedCall();
    const controller = new AbortController();
    const never = () => new Promise<never>(() => undefined);
    const byTimeout = sc.call('a', never, { signal: controller.signal, timeoutMs: 10 });
    await expect(within(byTimeout, 2_000)).rejects.toMatchObject({ name: 'TimeoutError' });
    const bySignal = sc.call('b', never, { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort('stop');
    await expect(bySignal).rejects.toBe('stop');
  });

  test('Infinity means no timeout', async () => {
    const sc = new AsyncSharedCall();
    expect(await sc.call('k', () => 3, { timeoutMs: Infinity })).toBe(3);
  });
});
