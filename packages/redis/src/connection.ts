import { describe, invalidType } from '@shared-call/core/internal';

/**
 * What {@link RedisSharedCall} needs from Redis, whatever the client library. Pass an ioredis or node-redis
 * client and it is adapted by {@link adaptClient}; any other client can be used by passing an object of this
 * shape as `options.redis`.
 */
export interface RedisConnection {
  /**
   * Runs `EVAL script numkeys ...keys ...args` and resolves with the reply (bulk strings as strings). Called by
   * the flight that talks to Redis for this process's callers; if it rejects or does not answer within
   * `timeoutMs`, that flight runs `fn` locally and Redis is skipped for `timeoutMs`.
   */
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  /**
   * Opens the dedicated connection SUBSCRIBE needs, lazily: when a flight first has to wait for another
   * process, and again after a failed attempt. One subscriber is shared by every flight of the
   * {@link RedisSharedCall}; `onMessage` receives every message of every subscribed channel. If it rejects or
   * does not answer within `timeoutMs`, the waiting flight runs `fn` locally.
   */
  subscriber(onMessage: (channel: string, message: string) => void): Promise<RedisSubscriber>;
}

/** A connection in subscribe mode, owned by the {@link RedisSharedCall} that opened it. */
export interface RedisSubscriber {
  /**
   * Resolves once Redis has confirmed the subscription: messages published afterwards are delivered. Called
   * once for a channel while any number of local flights wait on it; if it rejects or does not answer within
   * `timeoutMs`, those flights run `fn` locally.
   */
  subscribe(channel: string): Promise<void>;
  /** Called when the last flight waiting on `channel` has left; a rejection is ignored. */
  unsubscribe(channel: string): Promise<void>;
  /** Drops the connection at once, without waiting for Redis (called by {@link RedisSharedCall.close}). */
  close(): void;
}

type Method = (...args: any[]) => any;
type ClientLike = Record<string, unknown>;

/** The subset of an ioredis client used here. */
interface IoRedisLike {
  eval: Method;
  duplicate(): IoRedisLike;
  on(event: string, listener: Method): unknown;
  subscribe: Method;
  unsubscribe: Method;
  disconnect(): void;
}

/** The subset of a node-redis (v4 and later) client used here. */
interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): NodeRedisLike;
  connect(): Promise<unknown>;
  on(event: string, listener: Method): unknown;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  destroy?(): void;
  disconnect?(): Promise<void>;
}

/**
 * Accepts an ioredis client (`new Redis()`), a node-redis client (`createClient()`, connected) or a ready
 * {@link RedisConnection}; throws a `TypeError` naming `options.redis` for anything else. The given client is
 * used for commands and never closed here; the subscriber is a `duplicate()` of it.
 */
export function adaptClient(client: unknown): RedisConnection {
  if (typeof client === 'object' && client !== null) {
    const c = client as ClientLike;
    if (typeof c.sendCommand === 'function' && 'isOpen' in c && typeof c.duplicate === 'function') {
      return fromNodeRedis(client as NodeRedisLike);
    }
    if (typeof c.duplicate === 'function' && typeof c.eval === 'function' && 'status' in c) {
      return fromIoRedis(client as IoRedisLike);
    }
    if (typeof c.eval === 'function' && typeof c.subscriber === 'function') return client as RedisConnection;
  }
  throw invalidType(
    `options.redis must be an ioredis client, a node-redis client or a RedisConnection, got ${describe(client)}`,
  );
}

function fromIoRedis(client: IoRedisLike): RedisConnection {
  return {
    eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
    async subscriber(onMessage) {
      const sub = client.duplicate();
      sub.on('error', () => {}); // reconnects on its own; calls time out and fall back meanwhile
      sub.on('message', onMessage);
      return {
        subscribe: async (channel) => void (await sub.subscribe(channel)),
        unsubscribe: async (channel) => void (await sub.unsubscribe(channel)),
        close: () => sub.disconnect(),
      };
    },
  };
}

function fromNodeRedis(client: NodeRedisLike): RedisConnection {
  return {
    eval: (script, keys, args) => client.sendCommand(['EVAL', script, String(keys.length), ...keys, ...args]),
    async subscriber(onMessage) {
      const sub = client.duplicate();
      sub.on('error', () => {}); // reconnects on its own; calls time out and fall back meanwhile
      await sub.connect();
      return {
        subscribe: (channel) => sub.subscribe(channel, (message) => onMessage(channel, message)),
        unsubscribe: (channel) => sub.unsubscribe(channel),
        close: () => (sub.destroy ? sub.destroy() : void sub.disconnect?.().catch(() => {})),
      };
    },
  };
}
