import { getEventListeners } from 'node:events';
import type { RedisConnection, RedisSubscriber } from '@shared-call/redis';
import { Abandonment } from '../src/abandonment.js';
import { Subscriptions } from '../src/subscriptions.js';
import { closeAll, coalescer, freshNamespace, leaseHolder, processWaiting, deferred } from './helpers';

afterEach(closeAll);

/** A connection whose subscriber records the SUBSCRIBE and UNSUBSCRIBE commands it was given, in order. */
function recordingConnection() {
  const commands: string[] = [];
  let deliver: (channel: string, message: string) => void = () => {};
  const connection: RedisConnection = {
    eval: () => Promise.reject(new Error('not used')),
    async subscriber(onMessage) {
      deliver = onMessage;
      const subscriber: RedisSubscriber = {
        subscribe: async (channel) => void commands.push('SUBSCRIBE ' + channel),
        unsubscribe: async (channel) => void commands.push('UNSUBSCRIBE ' + channel),
        close: () => {},
      };
      return subscriber;
    },
  };
  return { connection, commands, publish: (channel: string, message: string) => deliver(channel, message) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Subscriptions: UNSUBSCRIBE once the waiter’s callers have their value', () => {
  test('the last listener leaving unsubscribes, after the microtasks queued when it left', async () => {
    const { connection, commands } = recordingConnection();
    const subscriptions = new Subscriptions(connection, 1000);
    const release = await subscriptions.listen('c', () => {});
    let resumed = false;
    release();
    void Promise.resolve().then(() => (resumed = true)); // a caller resuming
    expect(commands).toEqual(['SUBSCRIBE c']);
    await tick();
    expect(resumed).toBe(true);
    expect(commands).toEqual(['SUBSCRIBE c', 'UNSUBSCRIBE c']);
    release(); // again: nothing
    await tick();
    expect(commands).toHaveLength(2);
  });

  test('listening again before the deferred UNSUBSCRIBE keeps the subscription: no UNSUBSCRIBE after its SUBSCRIBE', async () => {
    const { connection, commands, publish } = recordingConnection();
    const subscriptions = new Subscriptions(connection, 1000);
    const first = await subscriptions.listen('c', () => {});
    first();
    const received: string[] = [];
    const second = await subscriptions.listen('c', (message) => received.push(message)); // same turn
    await tick();
    expect(commands).toEqual(['SUBSCRIBE c', 'SUBSCRIBE c']);
    publish('c', 'still subscribed');
    expect(received).toEqual(['still subscribed']);
    second();
    await tick();
    expect(commands).toEqual(['SUBSCRIBE c', 'SUBSCRIBE c', 'UNSUBSCRIBE c']);
  });

  test('after close, a released channel sends nothing', async () => {
    const { connection, commands } = recordingConnection();
    const subscriptions = new Subscriptions(connection, 1000);
    const release = await subscriptions.listen('c', () => {});
    release();
    await subscriptions.close();
    await tick();
    expect(commands).toEqual(['SUBSCRIBE c']);
  });
});

describe('Abandonment: no signal for an fn that cannot observe one', () => {
  test('an empty-parameter arrow gets none and adds no listener; any other fn gets one, removed on dispose', () => {
    const local = new AbortController();
    const blind = new Abandonment(local.signal, () => {}, () => 'v');
    expect(blind.signal).toBeUndefined();
    expect(getEventListeners(local.signal, 'abort')).toHaveLength(0);
    local.abort();
    blind.waiting(0);
    expect(blind.aborted).toBe(false);
    blind.dispose();

    const other = new AbortController();
    const seeing = new Abandonment(other.signal, () => {}, (signal: AbortSignal) => signal);
    expect(seeing.signal).toBeInstanceOf(AbortSignal);
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(1);
    seeing.dispose();
    expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    const rest = new Abandonment(other.signal, () => {}, (...args: unknown[]) => args); // length 0, not blind
    expect(rest.signal).toBeInstanceOf(AbortSignal);
    rest.dispose();
  });

  test('a signal-blind leader whose callers all left still hands its value to a waiting process', async () => {
    const namespace = freshNamespace();
    const gate = deferred<string>();
    const leader = coalescer({ namespace });
    const abort = new AbortController();
    const leading = leader.call('k', () => gate.promise, { signal: abort.signal });
    await leaseHolder(namespace, 'k');
    const waiting = coalescer({ namespace }).call('k', () => 'executed twice');
    await processWaiting(namespace, 'k');
    abort.abort(new Error('the only local caller left'));
    await expect(leading).rejects.toThrow('the only local caller left');
    gate.resolve('from the leader');
    await expect(waiting).resolves.toBe('from the leader');
  });
});
