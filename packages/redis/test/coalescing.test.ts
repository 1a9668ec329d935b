import { RedisSharedCall } from '@shared-call/redis';
import { client, closeAll, coalescer, freshNamespace, leaseHolder, sleep, spiedConnection } from './helpers';

afterEach(closeAll);

describe('one flight across coalescers (each stands for a process)', () => {
  test('1000 local callers cost the Redis commands of one caller', async () => {
    const namespace = freshNamespace();
    const single = spiedConnection();
    const many = spiedConnection();
    const one = coalescer({ redis: single, namespace });
    await one.call('one', () => 'v');
    await one.close(); // waits for the SETTLE, sent once the callers have their value
    let executions = 0;
    const sc = coalescer({ redis: many, namespace });
    const values = await Promise.all(
      Array.from({ length: 1000 }, () => sc.call('many', async () => (++executions, await sleep(20), 'v'))),
    );
    await sc.close();
    expect(executions).toBe(1);
    expect(values.every((v) => v === 'v')).toBe(true);
    expect(many.evals).toEqual(single.evals);
    expect(many.subscribes).toBe(single.subscribes);
    expect(many.evals.length + many.subscribes).toBeLessThanOrEqual(3); // SUBSCRIBE, ACQUIRE, SETTLE
    expect(sc.getStats()).toMatchObject({ hits: 999, misses: 1, remoteHits: 0, fallbacks: 0 });
  });

  test('a second coalescer joins the first one\'s flight and receives a copy of its value', async () => {
    const namespace = freshNamespace();
    const [a, b] = [coalescer({ namespace }), coalescer({ namespace })];
    let executions = 0;
    const fn = async () => (++executions, await sleep(150), { id: 7, tags: ['x'], nested: { ok: true } });
    const first = a.callWithInfo('user:7', fn);
    await leaseHolder(namespace, 'user:7');
    const second = await b.callWithInfo('user:7', fn);
    expect(executions).toBe(1);
    expect(second).toEqual({ value: (await first).value, shared: true, fencingToken: (await first).fencingToken });
    expect(second.value).not.toBe((await first).value);
    expect(b.getStats()).toMatchObject({ hits: 1, misses: 0, remoteHits: 1 });
    expect(a.getStats()).toMatchObject({ hits: 0, misses: 1 });
  });

  test('undefined and falsy values cross processes as they are', async () => {
    const namespace = freshNamespace();
    const [a, b] = [coalescer({ namespace }), coalescer({ namespace })];
    for (const value of [undefined, null, 0, '', false]) {
      const key = 'falsy:' + String(value);
      const fn = async () => (await sleep(60), value);
      const leader = a.call(key, fn);
      await leaseHolder(namespace, key);
      await expect(b.call(key, () => 'executed twice')).resolves.toBe(value);
      await expect(leader).resolves.toBe(value);
    }
  });

  test('after a flight settles, the next call starts a new one (nothing is cached)', async () => {
    const namespace = freshNamespace();
    const [a, b] = [coalescer({ namespace }), coalescer({ namespace })];
    let executions = 0;
    await a.call('k', () => ++executions);
    await expect(a.call('k', () => ++executions)).resolves.toBe(2); // its SETTLE is sent after its callers resolve
    await a.close();
    await expect(b.call('k', () => ++executions)).resolves.toBe(3);
    expect(executions).toBe(3);
  });

  test('a value that cannot cross exactly (a class instance) is not shared: the waiter runs fn itself', async () => {
    class Point {
      constructor(readonly x: number) {}
    }
    const namespace = freshNamespace();
    const [a, b] = [coalescer({ namespace }), coalescer({ namespace })];
    const leader = a.call('point', async () => (await sleep(80), new Point(0)));
    await leaseHolder(namespace, 'point');
    const waiter = await b.call('point', () => new Point(1));
    expect(waiter).toEqual(new Point(1));
    expect(await leader).toEqual(new Point(0));
    expect(b.getStats()).toMatchObject({ misses: 1, fallbacks: 1, remoteHits: 0 });
  });

  test('a result over maxResultBytes is not shared either', async () => {
    const namespace = freshNamespace();
    const [a, b] = [coalescer({ namespace, maxResultBytes: 1000 }), coalescer({ namespace, maxResultBytes: 1000 })];
    const leader = a.call('big', async () => (await sleep(80), 'x'.repeat(2000)));
    await leaseHolder(namespace, 'big');
    await expect(b.call('big', () => 'mine')).resolves.toBe('mine');
    await expect(leader).resolves.toHaveLength(2000);
    expect(b.getStats().fallbacks).toBe(1);
  });

  test('namespaces are isolated, including names that would collide unescaped', async () => {
    const [x, y] = [coalescer({ namespace: 'a:b' }), coalescer({ namespace: 'a' })];
    let executions = 0;
    const fn = async () => (++executions, await sleep(80), executions);
    await Promise.all([x.call('c', fn), y.call('b:c', fn), coalescer({ namespace: 'a}{' }).call('b:c', fn)]);
    expect(executions).toBe(3);
  });

  test('close() rejects later calls and leaves the client open', async () => {
    const redis = client();
    const sc = new RedisSharedCall({ redis, namespace: freshNamespace() });
    await sc.call('k', () => 1);
    await sc.close();
    await expect(sc.call('k', () => 2)).rejects.toThrow('closed');
    await expect(redis.ping()).resolves.toBe('PONG');
  });
});

describe('group() across coalescers', () => {
  test('the same function wrapped in two processes meets on one key', async () => {
    const namespace = freshNamespace();
    let executions = 0;
    const make = () =>
      async function loadUser(id: number) {
        executions++;
        await sleep(80);
        return { id };
      };
    const [a, b] = [coalescer({ namespace }).group()(make()), coalescer({ namespace }).group()(make())];
    expect(a.keyFor(1)).toBe(b.keyFor(1));
    expect(a.keyFor(1)).not.toBe(a.keyFor(2));
    const first = a(1);
    await leaseHolder(namespace, a.keyFor(1));
    const results = await Promise.all([first, b(1)]);
    expect(results).toEqual([{ id: 1 }, { id: 1 }]);
    expect(executions).toBe(1);
  });
});
