import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { RedisSharedCall } from '@shared-call/redis';
import { startRedisServer } from '../../../scripts/redis-server.cjs';
import { flightNames } from '../src/names.js';
import { client, closeAll, deferred, freshNamespace, sleep, withOwnServer } from './helpers';

// The protocol's scripts go by EVALSHA, loaded before the first command and again after NOSCRIPT (see
// script-cache.ts); these tests run against a redis-server of their own, whose scripts they flush or lose.
afterEach(closeAll);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A coalescer on its own connection of `kind`, as another process would have. */
const coalescers = {
  ioredis: async (port: number, namespace: string, leaseMs?: number) => {
    const sc = new RedisSharedCall({ redis: client(port), namespace, leaseMs });
    cleanups.push(() => sc.close());
    return sc;
  },
  'node-redis': async (port: number, namespace: string, leaseMs?: number) => {
    const redis = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: () => 50 } });
    redis.on('error', () => {});
    await redis.connect();
    const sc = new RedisSharedCall({ redis, namespace, leaseMs });
    cleanups.push(() => redis.destroy(), () => sc.close());
    return sc;
  },
};
type Kind = keyof typeof coalescers;

/** Calls of each script command since the server started: `evalsha`, `eval`, `script|load`. */
async function commandCalls(admin: Redis): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  for (const [, name, count] of (await admin.info('commandstats')).matchAll(/cmdstat_([a-z|]+):calls=(\d+)/g)) {
    calls[name!] = Number(count);
  }
  return calls;
}

/**
 * Runs `keys.length` flights, each called in both coalescers: `a` leads (its fn waits), `meanwhile` runs, `b`
 * calls and waits (registered as a waiting process), `meanwhile` runs again, and every fn finishes. Returns the
 * executions per key.
 */
async function sharedFlights(
  admin: Redis,
  namespace: string,
  [a, b]: RedisSharedCall[],
  keys: string[],
  meanwhile: () => Promise<void>,
) {
  const executions = new Map<string, number>();
  const gate = deferred();
  const fn = (key: string) => async () => {
    executions.set(key, (executions.get(key) ?? 0) + 1);
    await gate.promise;
    return { key };
  };
  const leading = keys.map((key) => a!.call(key, fn(key)));
  for (const key of keys) {
    for (let i = 0; !(await admin.exists(flightNames(namespace, key).lease)); i++) {
      if (i > 500) throw new Error('no lease appeared');
      await sleep(10);
    }
  }
  await meanwhile();
  const waiting = keys.map((key) => b!.call(key, fn(key)));
  for (const key of keys) {
    for (let i = 0; (await admin.zcard(flightNames(namespace, key).waiters)) === 0; i++) {
      if (i > 500) throw new Error('no process waits');
      await sleep(10);
    }
  }
  await meanwhile();
  gate.resolve();
  expect(await Promise.all([...leading, ...waiting])).toEqual([...keys, ...keys].map((key) => ({ key })));
  return executions;
}

describe.each(['ioredis', 'node-redis'] as Kind[])('EVALSHA with %s', (kind) => {
  test('flights send their scripts by SHA1: loaded alongside the first command, the only one sent as text', () =>
    withOwnServer(async (server) => {
      const sc = await coalescers[kind](server.port, freshNamespace());
      for (let i = 0; i < 20; i++) await sc.call(`k${i}`, () => i);
      await sc.close();
      const calls = await commandCalls(client(server.port));
      expect(calls['script|load']).toBe(5); // ACQUIRE, RENEW, SETTLE, FETCH, LEAVE
      expect(calls.eval).toBe(1); // the first ACQUIRE, sent while they load (no extra round trip)
      expect(calls.evalsha).toBe(39); // every other ACQUIRE and SETTLE of 20 flights
    }));

  test('SCRIPT FLUSH while flights run and wait: one execution per key, no fallback, nothing left behind', () =>
    withOwnServer(async (server) => {
      const namespace = freshNamespace();
      const [a, b] = [await coalescers[kind](server.port, namespace), await coalescers[kind](server.port, namespace)];
      await Promise.all([a.call('warm', () => 1), b.call('warm', () => 1)]); // scripts loaded by both
      const admin = client(server.port);
      const keys = Array.from({ length: 20 }, (_, i) => `flushed-${i}`);
      const executions = await sharedFlights(admin, namespace, [a, b], keys, async () => {
        await admin.script('FLUSH'); // the waiters' ACQUIREs, then the leaders' SETTLEs meet NOSCRIPT
      });
      expect([...executions.values()]).toEqual(keys.map(() => 1));
      expect(a.getStats().fallbacks + b.getStats().fallbacks).toBe(0);
      for (const key of keys) {
        for (let i = 0; i < 100 && (await admin.exists(flightNames(namespace, key).lease)); i++) await sleep(10);
        expect(await admin.exists(flightNames(namespace, key).lease)).toBe(0); // settled, not left to expire
      }
      const calls = await commandCalls(admin);
      expect(calls['script|load']).toBeGreaterThan(10); // loaded by both, and again after a flush
    }));

  test('SCRIPT FLUSH between the commands of busy flights: every caller gets its own key’s value', () =>
    withOwnServer(async (server) => {
      const namespace = freshNamespace();
      // A SETTLE that meets NOSCRIPT after this process's next command of its key is lost: waiters elsewhere
      // then wait out the lease, kept short here.
      const make = () => coalescers[kind](server.port, namespace, 300);
      const [a, b] = [await make(), await make()];
      const admin = client(server.port);
      let flushing = true;
      const flushes = (async () => {
        while (flushing) {
          await admin.script('FLUSH');
          await sleep(3);
        }
      })();
      try {
        const rounds = Array.from({ length: 10 }, async (_, round) => {
          for (let i = 0; i < 10; i++) {
            const key = `busy-${round}-${i}`;
            const fn = async () => (await sleep(i % 3), key);
            expect(await Promise.all([a.call(key, fn), b.call(key, fn), a.call(key, fn)])).toEqual([key, key, key]);
          }
        });
        await Promise.all(rounds);
      } finally {
        flushing = false;
        await flushes;
      }
      const calm = Array.from({ length: 5 }, (_, i) => `calm-${i}`); // afterwards coordination is back
      const executions = await sharedFlights(admin, namespace, [a, b], calm, async () => {});
      expect([...executions.values()]).toEqual(calm.map(() => 1));
    }));

  test('a restarted server (scripts lost): the next flight loads them again and coordinates, no fallback', () =>
    withOwnServer(async (server) => {
      const namespace = freshNamespace();
      const [a, b] = [await coalescers[kind](server.port, namespace), await coalescers[kind](server.port, namespace)];
      await Promise.all([a.call('warm', () => 1), b.call('warm', () => 1)]);
      await server.stop();
      const restarted = await startRedisServer({ port: server.port });
      try {
        const admin = client(server.port);
        for (let i = 0; !(await admin.ping().then(() => true, () => false)); i++) {
          if (i > 200) throw new Error('no restart');
          await sleep(25);
        }
        await sleep(1100); // the clients reconnect on their own; past any window in which Redis is skipped
        a.resetStats();
        b.resetStats();
        const executions = await sharedFlights(admin, namespace, [a, b], ['after'], async () => {});
        expect(executions.get('after')).toBe(1);
        expect(a.getStats().fallbacks + b.getStats().fallbacks).toBe(0);
      } finally {
        await restarted.stop();
      }
    }));
});
