import { Cluster } from 'ioredis';
import { createClient, createClientPool, createSentinel } from 'redis';
import { RedisSharedCall, type RedisConnection } from '@shared-call/redis';
import { closeAll, coalescer, freshNamespace, leaseHolder, redisPort, sleep, spiedConnection } from './helpers';

afterEach(closeAll);

describe('clients', () => {
  test('a node-redis client and an ioredis client coalesce with each other', async () => {
    const nodeRedis = createClient({ url: `redis://127.0.0.1:${redisPort()}` });
    await nodeRedis.connect();
    const namespace = freshNamespace();
    const viaNodeRedis = new RedisSharedCall({ redis: nodeRedis, namespace });
    try {
      let executions = 0;
      const fn = async () => (++executions, await sleep(100), { from: 'leader' });
      const leader = viaNodeRedis.call('mixed', fn);
      await leaseHolder(namespace, 'mixed');
      await expect(coalescer({ namespace }).call('mixed', fn)).resolves.toEqual({ from: 'leader' });
      await leader;
      const leader2 = coalescer({ namespace }).call('mixed-2', async () => (await sleep(100), 'ioredis'));
      await leaseHolder(namespace, 'mixed-2');
      await expect(viaNodeRedis.call('mixed-2', fn)).resolves.toBe('ioredis');
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
