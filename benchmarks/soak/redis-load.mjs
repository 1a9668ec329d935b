// Soak load on @shared-call/redis against a throwaway redis-server (scripts/redis-server.cjs): two
// RedisSharedCall instances on separate connections (two "processes" sharing flights through Redis), 32
// clients over 200 keys, a 2 ms fn, one call in ten with a fn that rejects.
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { RedisSharedCall } from '@shared-call/redis';
import { startClients } from './clients.mjs';

const { startRedisServer } = createRequire(import.meta.url)('../../scripts/redis-server.cjs');
const CLIENTS = 32;
const KEYS = 200;

const after = (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value));
const failing = () => after(2).then(() => {
  throw new Error('fn failed');
});

/** Starts redis-server and the load; returns `{ heapBytes(), stop() }`. */
export async function startLoad(record) {
  const server = await startRedisServer();
  const connections = [0, 1].map(() => new Redis({ port: server.port, host: '127.0.0.1' }));
  const instances = connections.map((redis) => new RedisSharedCall({ redis, namespace: 'soak' }));
  const operation = (i) => {
    const id = Math.floor(Math.random() * KEYS);
    const sc = instances[i % 2];
    return sc.call(`user:${id}`, i % 10 === 3 ? failing : () => after(2, id));
  };
  const clients = startClients(CLIENTS, operation, record);
  return {
    heapBytes: async () => process.memoryUsage().heapUsed,
    stop: async () => {
      await clients.stop();
      await Promise.all(instances.map((sc) => sc.close()));
      connections.forEach((redis) => redis.disconnect());
      await server.stop();
    },
  };
}
