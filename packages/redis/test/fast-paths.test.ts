import { getEventListeners } from 'node:events';
import type { RedisConnection, RedisSubscriber } from '@shared-call/redis';
import { Abandonment } from '../src/abandonment.js';
import fc from 'fast-check';
import { RedisSharedCall } from '@shared-call/redis';
import { Inbox } from '../src/inbox.js';
import { decodeBody, encodeOutcome, LOCAL_BODY } from '../src/payload.js';
import { ScriptCache } from '../src/script-cache.js';
import { Subscriptions } from '../src/subscriptions.js';
import { decodeValue } from '../src/value-decoder.js';
import { client, closeAll, coalescer, freshNamespace, leaseHolder, processWaiting, deferred } from './helpers';

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

describe('the hand-over of a settled flight: nothing between the value and the wire that need not be there', () => {
  test('a script call is written to the connection before send returns, with no microtask in between', async () => {
    const written: string[] = [];
    const connection: RedisConnection = {
      eval: async (_script, _keys, args) => void written.push('EVAL ' + args[0]),
      evalsha: async (_sha1, _keys, args) => void written.push('EVALSHA ' + args[0]),
      loadScripts: async () => void written.push('LOAD'),
      subscriber: () => Promise.reject(new Error('not used')),
    };
    const cache = new ScriptCache(connection, ['return 1']);
    const first = cache.send('return 1', ['k'], ['a']);
    expect(written).toEqual(['LOAD', 'EVAL a']); // not loaded yet: by EVAL, with the load alongside
    await first;
    await tick();
    void cache.send('return 1', ['k'], ['b']);
    void cache.send('return 2', ['other'], ['c']); // a script it does not cache, by EVAL
    expect(written).toEqual(['LOAD', 'EVAL a', 'EVALSHA b', 'EVAL c']);
  });

  test('a connection that throws instead of rejecting fails the call, never the caller', async () => {
    const connection: RedisConnection = {
      eval: () => {
        throw new Error('closed');
      },
      subscriber: () => Promise.reject(new Error('not used')),
    };
    const cache = new ScriptCache(connection, []);
    await expect(cache.send('return 1', ['k'], [])).rejects.toThrow('closed');
  });

  test('strings encode and decode by the shortcut exactly as by the full codec, up to the size limit', () => {
    const limits = { maxResultBytes: 64, errorClasses: [] };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const body = encodeOutcome({ ok: true, value: text }, limits);
        const json = '{"t":"ok","v":' + JSON.stringify(text) + '}';
        if (Buffer.byteLength(json) > limits.maxResultBytes) {
          expect(() => decodeBody(json, limits)).toThrow(TypeError); // counted in UTF-8, not UTF-16
          return expect(body).toBe(LOCAL_BODY);
        }
        expect(body).toBe(json);
        expect(decodeBody(body, limits)).toEqual({ t: 'ok', value: text });
      }),
    );
    // a primitive decodes to itself; anything else still goes through the validating decoder
    for (const value of [null, true, 0, 1.5, 'x']) expect(decodeValue(value, [])).toBe(value);
    expect(() => decodeValue({}, [])).toThrow(TypeError);
    expect(() => decodeValue(['o', '__proto__', 1], [])).toThrow(TypeError);
  });

  test('a delivered message resumes the waiter at once; its timer and abort listener are released after', async () => {
    const inbox = new Inbox();
    const controller = new AbortController();
    const first = inbox.next('t', 60_000, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    inbox.push('t\nfirst');
    await expect(first).resolves.toBe('first');
    // A second wait begun before the first one's alarm is released is not disturbed by it.
    const second = inbox.next('u', 60_000, controller.signal);
    await tick();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1); // the second's only
    inbox.push('u\nsecond');
    await expect(second).resolves.toBe('second');
    controller.abort(); // after delivery: nothing left to reject
    await tick();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  test('close() right after a caller got its value still waits for the SETTLE sent once the callers resumed', async () => {
    const redis = client();
    const events: string[] = [];
    const evalsha = redis.evalsha.bind(redis) as (...args: unknown[]) => Promise<unknown>;
    (redis as unknown as { evalsha: unknown }).evalsha = (...args: unknown[]) =>
      evalsha(...args).then((reply) => {
        if (args.at(-1) === 'PUBLISH') events.push('SETTLE answered'); // SETTLE's last argument
        return reply;
      });
    const sc = new RedisSharedCall({ redis, namespace: freshNamespace() });
    for (let i = 0; i < 3; i++) await sc.call(`warm${i}`, () => 'v'); // until the scripts go by EVALSHA
    for (let waited = 0; events.length < 3; waited++) {
      if (waited > 500) throw new Error('the warm-up flights did not settle');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    events.length = 0;
    await expect(sc.call('k', () => 'v')).resolves.toBe('v');
    await sc.close(); // called before the SETTLE's nextTick
    events.push('closed');
    expect(events).toEqual(['SETTLE answered', 'closed']);
  });
});
