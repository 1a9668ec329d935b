import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import { RedisSharedCall } from '@shared-call/redis';
import { createHash } from 'node:crypto';
import { flightNames } from '../src/names.js';
import { ACQUIRE } from '../src/scripts.js';
import { startRedisCluster, type RedisCluster } from '../../../scripts/redis-cluster.cjs';
import { deferred, freshNamespace, sleep } from './helpers';

// One three-master Redis Cluster for this file only (a few seconds to start), so other tests do not pay for it.
let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(() => cluster?.stop());

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A coalescer on its own cluster client of `kind`, as another process would have. */
const coalescers = {
  ioredis: async (options: { namespace: string; leaseMs?: number }) => {
    const redis = new Cluster(cluster.nodes.slice(0, 1), { redisOptions: { maxRetriesPerRequest: 1 } });
    redis.on('error', () => {});
    cleanups.push(() => redis.disconnect());
    return own(new RedisSharedCall({ redis, ...options }));
  },
  'node-redis': async (options: { namespace: string; leaseMs?: number }) => {
    const redis = createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${cluster.nodes[0]!.port}` }] });
    redis.on('error', () => {});
    await redis.connect();
    cleanups.push(() => redis.destroy());
    return own(new RedisSharedCall({ redis, ...options }));
  },
};
type Kind = keyof typeof coalescers;

function own(sc: RedisSharedCall): RedisSharedCall {
  cleanups.push(() => sc.close());
  return sc;
}

/** Subscriber counts of `channel` on every node: classic (NUMSUB) and sharded (SHARDNUMSUB). */
async function channelSubscribers(channel: string, admin: Cluster) {
  let classic = 0;
  let sharded = 0;
  for (const node of admin.nodes('master')) {
    classic += ((await node.pubsub('NUMSUB', channel)) as [string, number])[1];
    sharded += ((await node.pubsub('SHARDNUMSUB', channel)) as [string, number])[1];
  }
  return { classic, sharded };
}

function admin(): Cluster {
  const redis = new Cluster(cluster.nodes.slice(0, 1));
  redis.on('error', () => {});
  cleanups.push(() => redis.disconnect());
  return redis;
}

/** Polls until `key`'s lease is held. */
async function leaseHeld(redis: Cluster, namespace: string, key: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await redis.get(flightNames(namespace, key).lease)) !== null) return;
    await sleep(5);
  }
  throw new Error('no lease appeared');
}

const pairs: [Kind, Kind][] = [
  ['ioredis', 'ioredis'],
  ['node-redis', 'node-redis'],
  ['ioredis', 'node-redis'],
  ['node-redis', 'ioredis'],
];

describe.each(pairs)('Redis Cluster: leader on %s, waiter on %s', (leaderKind, waiterKind) => {
  test('one execution; the waiter is SSUBSCRIBEd on the key’s shard only and gets the SPUBLISHed result at once', async () => {
    const namespace = freshNamespace();
    const leaseMs = 5000;
    const [leader, waiter] = [await coalescers[leaderKind]({ namespace, leaseMs }), await coalescers[waiterKind]({ namespace, leaseMs })];
    const redis = admin();
    const gate = deferred();
    let executions = 0;
    const fn = async () => (++executions, await gate.promise, { value: 42 });
    const leading = leader.call('k', fn);
    await leaseHeld(redis, namespace, 'k');
    const waiting = waiter.call('k', fn);
    const { channel } = flightNames(namespace, 'k');
    for (let i = 0; i < 400 && (await channelSubscribers(channel, redis)).sharded === 0; i++) await sleep(5);
    expect(await channelSubscribers(channel, redis)).toEqual({ classic: 0, sharded: 1 });
    gate.resolve();
    await leading;
    const settledAt = Date.now();
    await expect(waiting).resolves.toEqual({ value: 42 });
    expect(Date.now() - settledAt).toBeLessThan(leaseMs / 2); // by message, not by waiting out the lease
    expect(executions).toBe(1);
    expect(leader.getStats()).toMatchObject({ fallbacks: 0, misses: 1 });
    expect(waiter.getStats()).toMatchObject({ fallbacks: 0, misses: 0, remoteHits: 1 });
  });
});

describe.each(['ioredis', 'node-redis'] as Kind[])('Redis Cluster with %s', (kind) => {
  test('keys on every shard coalesce across two instances, without a fallback', async () => {
    const namespace = freshNamespace();
    const [a, b] = [await coalescers[kind]({ namespace }), await coalescers[kind]({ namespace })];
    const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
    const redis = admin();
    const masters = new Set<string>();
    for (const key of keys) {
      const slot = (await redis.cluster('KEYSLOT', flightNames(namespace, key).lease)) as number;
      await redis.get(flightNames(namespace, key).lease); // makes sure the slot map is loaded
      masters.add(redis.slots[slot]![0]!);
    }
    expect(masters.size).toBe(3); // the keys live on every master
    const executions = new Map<string, number>();
    const fn = (key: string) => async () => {
      executions.set(key, (executions.get(key) ?? 0) + 1);
      await sleep(200);
      return key;
    };
    const calls = keys.flatMap((key) => [a.call(key, fn(key)), b.call(key, fn(key))]);
    expect(await Promise.all(calls)).toEqual(keys.flatMap((key) => [key, key]));
    expect([...executions.values()].every((n) => n === 1)).toBe(true);
    expect(a.getStats().fallbacks + b.getStats().fallbacks).toBe(0);
  });
});

describe.each(['ioredis', 'node-redis'] as Kind[])('Redis Cluster with %s: scripts by SHA1', (kind) => {
  test('loaded on every master; after SCRIPT FLUSH on all of them, flights on every shard still coordinate', async () => {
    const namespace = freshNamespace();
    const [a, b] = [await coalescers[kind]({ namespace }), await coalescers[kind]({ namespace })];
    const redis = admin();
    const keys = Array.from({ length: 12 }, (_, i) => `sha-${i}`);
    const round = async (tag: string) => {
      const executions = new Map<string, number>();
      const fn = (key: string) => async () => {
        executions.set(key, (executions.get(key) ?? 0) + 1);
        await sleep(200);
        return key + tag;
      };
      const calls = keys.flatMap((key) => [a.call(key + tag, fn(key)), b.call(key + tag, fn(key))]);
      expect(await Promise.all(calls)).toEqual(keys.flatMap((key) => [key + tag, key + tag]));
      expect([...executions.values()]).toEqual(keys.map(() => 1));
    };
    await round(':before');
    for (const node of redis.nodes('master')) await node.script('FLUSH');
    await round(':after'); // every command that met NOSCRIPT was the last of its key: sent again by EVAL
    expect(a.getStats().fallbacks + b.getStats().fallbacks).toBe(0);
    const sha1 = createHash('sha1').update(ACQUIRE).digest('hex');
    for (const node of redis.nodes('master')) expect(await node.script('EXISTS', sha1)).toEqual([1]); // loaded again
  });
});
