import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '../../../scripts/redis-server.cjs';
import { adaptClient, RedisSharedCall, type RedisConnection, type RedisSharedCallOptions } from '@shared-call/redis';
import { flightNames } from '../src/names.js';

/** The port of the run's redis-server (redis-global-setup.cjs), or a clear failure if it could not start. */
export function redisPort(): number {
  const port = process.env.SHARED_CALL_REDIS_PORT;
  if (port === undefined) {
    throw new Error('no redis-server for this run: ' + (process.env.SHARED_CALL_REDIS_ERROR ?? 'globalSetup did not run'));
  }
  return Number(port);
}

/** Runs `body` against a redis-server of its own (default configuration), which it may stop, pause or restart. */
export async function withOwnServer(body: (server: RedisServer) => Promise<void>): Promise<void> {
  const server = await startRedisServer();
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

/** Resolves once every client answers PING (they reconnect on their own after a restart); rejects after ~5 s. */
export async function reconnected(...clients: Redis[]): Promise<void> {
  for (const redis of clients) {
    for (let i = 0; !(await redis.ping().then(() => true, () => false)); i++) {
      if (i > 200) throw new Error('a client did not reconnect');
      await sleep(25);
    }
  }
}

const cleanups: (() => unknown)[] = [];

/** Closes every client and coalescer the current test opened; register with `afterEach(closeAll)`. */
export async function closeAll(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** An ioredis client that gives up quickly while the server is down (the coalescer's own timeout still rules). */
export function client(port = redisPort()): Redis {
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => 50 });
  redis.on('error', () => {});
  cleanups.push(() => redis.disconnect());
  return redis;
}

let namespaces = 0;
/** A namespace no other test uses. */
export function freshNamespace(): string {
  return `test-${process.pid}-${Date.now()}-${++namespaces}`;
}

/** A coalescer on its own client, as another process would have; closed by {@link closeAll}. */
export function coalescer(options: Partial<RedisSharedCallOptions> = {}): RedisSharedCall {
  const sc = new RedisSharedCall({ redis: client(), ...options });
  cleanups.push(() => sc.close());
  return sc;
}

/** Blocks the event loop for `ms` milliseconds, as a long synchronous task or a GC pause would (without using CPU). */
export function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export { deferred, within } from '../../../test/support/helpers.cjs';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts the script calls and subscriptions going through a connection, and lets a test delay replies. */
export interface SpiedConnection extends RedisConnection {
  readonly evals: string[];
  subscribes: number;
  /** Called synchronously right after each command was handed to the client (e.g. to stall the event loop). */
  afterSend?: (script: string) => void;
  /** Called before each reply is handed back; may delay it. */
  beforeReply?: (script: string, reply: unknown) => Promise<void> | void;
  /** Called for each message; returning false drops it (a subscriber that missed it). */
  onMessage?: (message: string) => boolean;
}

/** An ioredis client adapted and wrapped in a {@link SpiedConnection}. */
export function spiedConnection(redis: Redis = client()): SpiedConnection {
  const inner = adaptClient(redis);
  const spied: SpiedConnection = {
    evals: [],
    subscribes: 0,
    async eval(script, keys, args) {
      spied.evals.push(script.trim().split('\n')[0]!);
      const replying = inner.eval(script, keys, args);
      spied.afterSend?.(script);
      const reply = await replying;
      await spied.beforeReply?.(script, reply);
      return reply;
    },
    async subscriber(onMessage) {
      const sub = await inner.subscriber((channel, message) => {
        if (spied.onMessage?.(message) !== false) onMessage(channel, message);
      });
      return {
        subscribe: (channel) => {
          spied.subscribes++;
          return sub.subscribe(channel);
        },
        unsubscribe: (channel) => sub.unsubscribe(channel),
        close: () => sub.close(),
      };
    },
  };
  return spied;
}

/** Polls until the lease of `key` is held, and returns the holder's token. */
export async function leaseHolder(namespace: string, key: string, port = redisPort()): Promise<string> {
  const redis = client(port);
  for (let i = 0; i < 200; i++) {
    const token = await redis.get(flightNames(namespace, key).lease);
    if (token !== null) return token;
    await sleep(5);
  }
  throw new Error('no lease appeared');
}

/** Polls until another process waits for the flight of `key` (it registered in the flight's waiters set). */
export async function processWaiting(namespace: string, key: string, port = redisPort()): Promise<void> {
  const redis = client(port);
  for (let i = 0; i < 400; i++) {
    if ((await redis.zcard(flightNames(namespace, key).waiters)) > 0) return;
    await sleep(5);
  }
  throw new Error('no process started waiting');
}
