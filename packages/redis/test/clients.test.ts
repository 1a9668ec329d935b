import { Cluster } from 'ioredis';
import { createClient, createClientPool, createSentinel } from 'redis';
import { RedisSharedCall, type RedisConnection } from '@shared-call/redis';
import { closeAll, coalescer, deferred, freshNamespace, leaseHolder, processWaiting, redisPort, spiedConnection } from './helpers';

afterEach(closeAll);

describe('clients', () => {
  test('a node-redis client and an ioredis client coalesce with each other', async () => {
    const nodeRedis = createClient({ url: `redis://127.0.0.1:${redisPort()}` });
    await nodeRedis.connect();
    const namespace = freshNamespace();
    const viaNodeRedis = new RedisSharedCall({ redis: nodeRedis, namespace });
    try {
      let executions = 0;
      const [first, second] = [deferred<void>(), deferred<void>()];
      const fn = async () => (++executions, await first.promise, { from: 'leader' });
      const leader = viaNodeRedis.call('mixed', fn);
      await leaseHolder(namespace, 'mixed');
      const waiter = coalescer({ namespace }).call('mixed', fn);
      await processWaiting(namespace, 'mixed'); // the leader finishes only once the other client waits
      first.resolve();
      await expect(waiter).resolves.toEqual({ from: 'leader' });
      await leader;
      const leader2 = coalescer({ namespace }).call('mixed-2', async () => (await second.promise, 'ioredis'));
      await leaseHolder(namespace, 'mixed-2');
      const waiter2 = viaNodeRedis.call('mixed-2', fn);
      await processWaiting(namespace, 'mixed-2');
      second.resolve();
      await expect(waiter2).resolves.toBe('ioredis');
      await leader2;
      expect(executions).toBe(1);
    } finally {
      await viaNodeRedis.close();
      await nodeRedis.close();
    }
  });

  test('any client works through a RedisConnection object', async () => {
    const connection: RedisConnection = spiedConnection();
    const namespace = freshNamespace();
    const sc = coalescer({ redis: connection, namespace });
    await expect(sc.call('k', () => 'custom')).resolves.toBe('custom');
  });

  test('a client it cannot drive is rejected at construction, with what is supported', () => {
    const supported = /ioredis client .*Cluster.*node-redis client .*createCluster.*RedisConnection/;
    const sentinel = createSentinel({ name: 'mymaster', sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }] });
    expect(() => new RedisSharedCall({ redis: sentinel })).toThrow(TypeError);
    expect(() => new RedisSharedCall({ redis: sentinel })).toThrow(/createSentinel\(\) client is not supported/);
    const pool = createClientPool({ url: 'redis://127.0.0.1:1' });
    expect(() => new RedisSharedCall({ redis: pool })).toThrow(/cannot open a subscriber connection/);
    const legacy = createClient({ url: 'redis://127.0.0.1:1' }).legacy();
    const oldCluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    delete (oldCluster.options as Partial<typeof oldCluster.options>).shardedSubscribers; // as before ioredis had it
    expect(() => new RedisSharedCall({ redis: oldCluster })).toThrow(/no shardedSubscribers option/);
    for (const redis of [sentinel, pool, legacy, oldCluster, {}, 'redis://127.0.0.1', null]) {
      expect(() => new RedisSharedCall({ redis })).toThrow(supported);
    }
  });
});
