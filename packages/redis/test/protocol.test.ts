import { flightNames } from '../src/names.js';
import { client, closeAll, coalescer, deferred, freshNamespace, leaseHolder, sleep, spiedConnection } from './helpers';

afterEach(closeAll);

describe('waking waiters', () => {
  // The waiter checks (ACQUIRE: "someone leads"), subscribes, and checks again. The result may land in either
  // gap; the test holds back the nth "someone leads" reply until the leader has published.
  test.each([
    [1, 'between the first check and SUBSCRIBE: found in the result key'],
    [2, 'between SUBSCRIBE and the second check: kept by the inbox'],
  ])('no lost wake-up when the result lands after check %i (%s)', async (nth) => {
    const namespace = freshNamespace();
    const release = deferred<string>();
    const leader = coalescer({ namespace, leaseMs: 10_000 }).call('race', () => release.promise);
    await leaseHolder(namespace, 'race');
    const spied = spiedConnection();
    let held = 0;
    spied.beforeReply = async (script, reply) => {
      if (!script.includes("redis.call('SET'") || !Array.isArray(reply) || reply[0] !== 0 || ++held !== nth) return;
      release.resolve('published');
      await leader;
      await sleep(50);
    };
    const waiter = coalescer({ namespace, redis: spied, leaseMs: 10_000 });
    const started = Date.now();
    await expect(waiter.call('race', () => 'executed twice')).resolves.toBe('published');
    expect(Date.now() - started).toBeLessThan(2000); // not the 10 s lease
    expect(held).toBe(nth);
    expect(waiter.getStats()).toMatchObject({ misses: 0, remoteHits: 1 });
  });

  test('a waiter that missed the message reads the stored result when the lease would have expired', async () => {
    const namespace = freshNamespace();
    const spied = spiedConnection();
    spied.onMessage = () => false; // its subscriber loses every message
    const leader = coalescer({ namespace, leaseMs: 200 }).call('missed', async () => (await sleep(50), 'stored'));
    await leaseHolder(namespace, 'missed');
    const waiter = coalescer({ namespace, redis: spied, leaseMs: 200 });
    await expect(waiter.call('missed', () => 'executed twice')).resolves.toBe('stored');
    await expect(leader).resolves.toBe('stored');
    expect(waiter.getStats()).toMatchObject({ misses: 0, remoteHits: 1, takeovers: 0 });
  });

  test('callers who all leave while the lease is being taken: fn never runs and the lease is released', async () => {
    const namespace = freshNamespace();
    const spied = spiedConnection();
    spied.beforeReply = (script) => (script.includes("redis.call('SET'") ? sleep(150) : undefined);
    const controller = new AbortController();
    let executions = 0;
    const leaving = coalescer({ namespace, redis: spied, leaseMs: 10_000 }).call('gone', () => ++executions, {
      signal: controller.signal,
    });
    await sleep(20);
    controller.abort(new Error('left'));
    await expect(leaving).rejects.toThrow('left');
    await sleep(300); // the lease was taken, then given back with "retry"
    expect(executions).toBe(0);
    expect(await client().get(flightNames(namespace, 'gone').lease)).toBeNull();
  });

  test('a caller\'s timeoutMs abandons only its own wait', async () => {
    const namespace = freshNamespace();
    const leader = coalescer({ namespace }).call('slow', async () => (await sleep(300), 'done'));
    await leaseHolder(namespace, 'slow');
    const waiter = coalescer({ namespace });
    await expect(waiter.call('slow', () => 'x', { timeoutMs: 50 })).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(leader).resolves.toBe('done');
  });
});

describe('forget', () => {
  test('the next call starts a new flight everywhere; the forgotten flight still delivers to its callers', async () => {
    const namespace = freshNamespace();
    const [a, b, c] = [coalescer({ namespace }), coalescer({ namespace }), coalescer({ namespace })];
    const old = a.call('k', async () => (await sleep(250), 'old'));
    await leaseHolder(namespace, 'k');
    const waitingForOld = coalescer({ namespace }).call('k', () => 'executed thrice');
    await sleep(20);
    expect(b.forget('k')).toBe(false); // b has no flight of its own for k
    const fresh = b.call('k', async () => (await sleep(600), 'new'));
    await sleep(50);
    expect(b.forget('nothing')).toBe(false);
    await expect(old).resolves.toBe('old');
    await expect(c.call('k', () => 'executed thrice')).resolves.toBe('new'); // the old settle kept b's lease
    await expect(waitingForOld).resolves.toBe('new'); // the old result was refused: it joined the new flight
    await expect(fresh).resolves.toBe('new');
  });

  test('forgetAll() forgets every flight in progress', async () => {
    const namespace = freshNamespace();
    const a = coalescer({ namespace });
    let executions = 0;
    const fn = async () => (++executions, await sleep(100), executions);
    const first = [a.call('x', fn), a.call('y', fn)];
    await sleep(20);
    expect(a.forget('x')).toBe(true);
    a.forgetAll();
    const second = [a.call('x', fn), a.call('y', fn)];
    await Promise.all([...first, ...second]);
    expect(executions).toBe(4);
  });
});

describe('payloads written into Redis by someone else', () => {
  test('crafted messages are refused without polluting prototypes; the real result still arrives', async () => {
    const namespace = freshNamespace();
    const release = deferred<{ safe: boolean }>();
    const leader = coalescer({ namespace }).call('crafted', () => release.promise);
    const token = await leaseHolder(namespace, 'crafted');
    const waiter = coalescer({ namespace, maxResultBytes: 1000 });
    const waiting = waiter.call('crafted', () => ({ safe: false }));
    await sleep(50);
    const crafted = [
      '{"t":"ok","v":{"__proto__":{"polluted":true}}}',
      '{"t":"ok","v":{"constructor":{"prototype":{"polluted":true}}}}',
      '{"t":"ok","v":1', // not JSON
      '["t","ok"]',
      '{"t":"eval","v":"process.exit(1)"}',
      '{"t":"ok","v":"' + 'x'.repeat(2000) + '"}', // over maxResultBytes
      '{"t":"err","e":{"kind":"error","type":"Function","name":{},"message":"m"}}',
      'no newline, no token',
    ];
    const publisher = client();
    const channel = flightNames(namespace, 'crafted').channel;
    for (const body of crafted) await publisher.publish(channel, body.startsWith('no') ? body : token + '\n' + body);
    await sleep(50);
    release.resolve({ safe: true });
    await expect(waiting).resolves.toEqual({ safe: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(waiter.getStats()).toMatchObject({ invalidPayloads: crafted.length - 1, remoteHits: 1, misses: 0 });
    await leader;
  });

  test('a crafted stored result is refused: the waiter runs fn itself once the fake lease expires', async () => {
    const namespace = freshNamespace();
    const names = flightNames(namespace, 'stored');
    const redis = client();
    await redis.set(names.lease, 'fake', 'PX', 150);
    await redis.set(names.result, 'fake\n{"t":"ok","v":{"__proto__":{"polluted":true}}}', 'PX', 5000);
    const waiter = coalescer({ namespace });
    await expect(waiter.call('stored', () => 'own')).resolves.toBe('own');
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(waiter.getStats()).toMatchObject({ invalidPayloads: 1, misses: 1 });
  });

  test('a lease without expiry (not written by this protocol) makes the call run locally at once', async () => {
    const namespace = freshNamespace();
    await client().set(flightNames(namespace, 'stuck').lease, 'forever');
    const waiter = coalescer({ namespace, leaseMs: 10_000 });
    const started = Date.now();
    await expect(waiter.call('stuck', () => 'local')).resolves.toBe('local');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(waiter.getStats().fallbacks).toBe(1);
  });
});
