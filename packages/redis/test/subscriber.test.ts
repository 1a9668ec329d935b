import type { Redis } from 'ioredis';
import { Redis as Redis5 } from 'ioredis5';
import { createClient } from 'redis';
import { adaptClient, RedisSharedCall } from '@shared-call/redis';
import { flightNames } from '../src/names.js';
import { startRedisServer } from '../../../scripts/redis-server.cjs';
import { client, closeAll, coalescer, deferred, freshNamespace, leaseHolder, redisPort, sleep } from './helpers';


/** Settles like `promise`, or rejects after `ms`: no wait in these tests is unbounded. */
function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: over ${ms} ms`)), ms)));
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/** Resolves once `channel` has exactly `count` subscribers on the server behind `redis`. */
async function subscribers(redis: Redis, channel: string, count: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const [, n] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
    if (n === count) return;
    await sleep(5);
  }
  throw new Error(`${channel} never had ${count} subscribers`);
}

/**
 * Kills the one connection of the server behind `admin` that holds a subscription (RESP2 or RESP3) and runs
 * `during` while the server refuses new connections (`maxclients`), so the subscriber cannot be back before it ends.
 */
async function withSubscriberDown(admin: Redis, during: () => Promise<void>): Promise<void> {
  const list = ((await admin.client('LIST')) as string).trim().split('\n');
  const subscribers = list.filter((line) => /\b(sub|ssub)=[1-9]/.test(line));
  expect(subscribers).toHaveLength(1);
  await admin.config('SET', 'maxclients', String(list.length - 1));
  try {
    await admin.client('KILL', 'ID', /\bid=(\d+)/.exec(subscribers[0]!)![1]!);
    await during();
  } finally {
    await admin.config('SET', 'maxclients', '10000');
  }
}

/** A client of each kind on `port`, closed after the test; node-redis reconnects after 100 ms. */
const clients = {
  'ioredis 5': async (port: number) => {
    const redis = new Redis5({ port, host: '127.0.0.1', retryStrategy: () => 50 });
    redis.on('error', () => {});
    cleanups.push(() => redis.disconnect());
    return redis;
  },
  'ioredis 6': async (port: number) => client(port),
  'node-redis': async (port: number) => {
    const redis = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: () => 100 } });
    redis.on('error', () => {});
    await redis.connect();
    cleanups.push(() => redis.destroy());
    return redis;
  },
};
type Kind = keyof typeof clients;
const kinds = Object.keys(clients) as Kind[];

const cleanups: (() => unknown)[] = [];
/** Closes what the test opened, before the test's own server stops (clients of a stopped server linger). */
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await closeAll();
}
afterEach(cleanUp);

describe.each(kinds)('subscriptions at startup (%s)', (kind) => {
  test('SUBSCRIBEs sent while the subscriber connection starts up all take effect', async () => {
    const received = new Set<string>();
    const subscriber = await adaptClient(await clients[kind](redisPort())).subscriber((channel) => received.add(channel));
    cleanups.push(() => subscriber.close());
    const channels = Array.from({ length: 60 }, (_, i) => `${freshNamespace()}-startup-${i}`);
    // One SUBSCRIBE per turn of the event loop, so some are sent during the client's handshake.
    const confirmed: Promise<void>[] = [];
    for (const channel of channels) {
      confirmed.push(subscriber.subscribe(channel));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await bounded(Promise.all(confirmed), 5000, 'SUBSCRIBE');
    const publisher = client();
    for (const channel of channels) await publisher.publish(channel, 'x');
    for (let i = 0; i < 100 && received.size < channels.length; i++) await sleep(10);
    expect(received.size).toBe(channels.length);
  });
});

describe.each(kinds)('the subscriber connection is killed (%s)', (kind) => {
  const leaseMs = 5000;

  /** A leader holding `key` until `release`, and a waiter (on a `kind` client) subscribed to its channel. */
  async function waitingFlight(port: number) {
    const namespace = freshNamespace();
    const gate = deferred();
    const admin = client(port);
    const leader = coalescer({ redis: client(port), namespace, leaseMs });
    const leading = leader.call('k', async () => (await gate.promise, 'value'));
    await leaseHolder(namespace, 'k', port);
    const waiter = new RedisSharedCall({ redis: await clients[kind](port), namespace, leaseMs });
    cleanups.push(() => waiter.close());
    const waiting = waiter.call('k', () => 'local');
    const { channel } = flightNames(namespace, 'k');
    await subscribers(admin, channel, 1);
    return { admin, waiter, waiting, leading, channel, release: () => gate.resolve() };
  }

  test('a result published while it is down reaches the waiter from the result key, not after leaseMs', async () => {
    const server = await startRedisServer();
    try {
      const flight = await waitingFlight(server.port);
      await withSubscriberDown(flight.admin, async () => {
        flight.release();
        await flight.leading; // settled while no subscriber was connected: the message is lost
      });
      const settledAt = Date.now();
      await expect(bounded(flight.waiting, 2 * leaseMs, 'the waiter')).resolves.toBe('value');
      expect(Date.now() - settledAt).toBeLessThan(leaseMs / 2);
      expect(flight.waiter.getStats()).toMatchObject({ remoteHits: 1, fallbacks: 0, misses: 0 });
    } finally {
      await cleanUp();
      await server.stop();
    }
  });

  test('the subscription is re-established: a result published after the reconnection arrives as a message', async () => {
    const server = await startRedisServer();
    try {
      const flight = await waitingFlight(server.port);
      await withSubscriberDown(flight.admin, () => subscribers(flight.admin, flight.channel, 0));
      await subscribers(flight.admin, flight.channel, 1);
      flight.release();
      await flight.leading;
      const settledAt = Date.now();
      await expect(bounded(flight.waiting, 2 * leaseMs, 'the waiter')).resolves.toBe('value');
      expect(Date.now() - settledAt).toBeLessThan(leaseMs / 2);
      expect(flight.waiter.getStats()).toMatchObject({ remoteHits: 1, fallbacks: 0 });
    } finally {
      await cleanUp();
      await server.stop();
    }
  });
});
