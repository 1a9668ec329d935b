import { Redis } from 'ioredis';
import { RedisSharedCall } from '@shared-call/redis';
import { startRedisServer } from '../../../scripts/redis-server.cjs';
import { client, closeAll, coalescer, freshNamespace, leaseHolder, reconnected, sleep, withOwnServer } from './helpers';

afterEach(closeAll);

const leaseMs = 300;
const timeoutMs = 200;

describe('Redis unavailable', () => {
  test('stopped mid-flight: the leader still delivers, the waiter runs fn locally within leaseMs + timeoutMs', () =>
    withOwnServer(async (server) => {
      const namespace = freshNamespace();
      const a = coalescer({ redis: client(server.port), namespace, leaseMs, timeoutMs });
      const b = coalescer({ redis: client(server.port), namespace, leaseMs, timeoutMs });
      const leader = a.call('k', async () => (await sleep(400), 'leader'));
      await leaseHolder(namespace, 'k', server.port);
      const waiting = b.call('k', () => 'fallback');
      await sleep(50);
      await server.stop();
      const stoppedAt = Date.now();
      await expect(waiting).resolves.toBe('fallback');
      expect(Date.now() - stoppedAt).toBeLessThan(leaseMs + timeoutMs + 250);
      await expect(leader).resolves.toBe('leader');
      expect(b.getStats()).toMatchObject({ fallbacks: 1, misses: 1, remoteHits: 0 });
    }));

  test('while it is down, calls run locally, still coalesced in-process, and do not wait for it', () =>
    withOwnServer(async (server) => {
      const sc = coalescer({ redis: client(server.port), namespace: freshNamespace(), leaseMs, timeoutMs });
      await server.stop();
      let executions = 0;
      const started = Date.now();
      const calls = Array.from({ length: 50 }, () => sc.call('down', async () => (++executions, await sleep(20), 'ok')));
      expect(await Promise.all(calls)).toEqual(Array(50).fill('ok'));
      expect(executions).toBe(1);
      expect(Date.now() - started).toBeLessThan(timeoutMs + 150);
      const again = Date.now();
      await sc.call('down-2', () => 'ok'); // Redis is skipped for timeoutMs after a failure
      expect(Date.now() - again).toBeLessThan(50);
      expect(sc.getStats()).toMatchObject({ fallbacks: 2, misses: 2, hits: 49 });
    }));

  test('an ioredis client with default options (offline queue, 20 retries) does not make calls wait longer', () =>
    withOwnServer(async (server) => {
      const redis = new Redis({ port: server.port, host: '127.0.0.1' });
      redis.on('error', () => {});
      const sc = new RedisSharedCall({ redis, namespace: freshNamespace(), leaseMs, timeoutMs });
      try {
        await sc.call('warm', () => 'connected');
        await server.stop();
        const started = Date.now();
        await expect(sc.call('queued', () => 'local')).resolves.toBe('local');
        expect(Date.now() - started).toBeLessThan(timeoutMs + 150);
      } finally {
        await sc.close();
        redis.disconnect();
      }
    }));

  test('not answering (CLIENT PAUSE) counts as unavailable after timeoutMs', () =>
    withOwnServer(async (server) => {
      const sc = coalescer({ redis: client(server.port), namespace: freshNamespace(), leaseMs, timeoutMs });
      await sc.call('warm', () => 'connected'); // opens both connections before the pause
      await client(server.port).call('CLIENT', 'PAUSE', '1500', 'ALL');
      const started = Date.now();
      await expect(sc.call('paused', () => 'local')).resolves.toBe('local');
      expect(Date.now() - started).toBeLessThan(timeoutMs + 150);
      expect(sc.getStats().fallbacks).toBe(1);
    }));

  test('after a restart, coordination resumes', () =>
    withOwnServer(async (server) => {
      const namespace = freshNamespace();
      const [ra, rb] = [client(server.port), client(server.port)];
      const a = coalescer({ redis: ra, namespace, leaseMs, timeoutMs });
      const b = coalescer({ redis: rb, namespace, leaseMs, timeoutMs });
      await Promise.all([a.call('warm', () => 1), b.call('warm', () => 1)]);
      await server.stop();
      await expect(a.call('during', () => 'local')).resolves.toBe('local');
      const restarted = await startRedisServer({ port: server.port });
      try {
        await Promise.all([reconnected(ra), reconnected(rb)]);
        await sleep(timeoutMs + 50); // past the window in which Redis is skipped
        let executions = 0;
        const fn = async () => (++executions, await sleep(100), 'shared');
        const first = a.call('after', fn);
        await leaseHolder(namespace, 'after', server.port);
        await expect(b.call('after', fn)).resolves.toBe('shared');
        await first;
        expect(executions).toBe(1);
      } finally {
        await restarted.stop();
      }
    }));
});
