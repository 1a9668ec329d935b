import { describe, invalidType } from '@shared-call/core/internal';
import { fromIoRedis, type IoRedisLike } from './ioredis-connection.js';
import { fromNodeRedis, type NodeRedisClusterLike, type NodeRedisLike } from './node-redis-connection.js';

/**
 * What {@link RedisSharedCall} needs from Redis, whatever the client library. Pass an ioredis or node-redis
 * client and it is adapted by {@link adaptClient}; any other client can be used by passing an object of this
 * shape as `options.redis`.
 */
export interface RedisConnection {
  /**
   * Runs `EVAL script numkeys ...keys ...args` and resolves with the reply (bulk strings as strings). Called by
   * the flight that talks to Redis for this process's callers; if it rejects or does not answer within
   * `timeoutMs`, that flight runs `fn` locally and Redis is skipped for `timeoutMs`. Every call's keys share
   * one hash tag, so on Redis Cluster it goes to the node serving `keys[0]`.
   */
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  /**
   * Optional, with {@link loadScripts}: runs `EVALSHA sha1 numkeys ...keys ...args` on the connection
   * {@link eval} uses (a NOSCRIPT error if Redis does not have the script). With both, the protocol's scripts
   * are sent by SHA1 instead of their text (see script-cache.ts for when they are loaded and what NOSCRIPT does).
   */
  evalsha?(sha1: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  /**
   * Optional, with {@link evalsha}: `SCRIPT LOAD`s each script where {@link eval} would run it (on Redis
   * Cluster, on every master), and resolves once all are loaded.
   */
  loadScripts?(scripts: readonly string[]): Promise<void>;
  /**
   * Opens the dedicated connection SUBSCRIBE needs, lazily: when a flight first has to wait for another
   * process, and again after a failed attempt. One subscriber is shared by every flight of the
   * {@link RedisSharedCall}; `onMessage` receives every message of every subscribed channel. Subscriptions
   * must survive reconnections; `onReset` (if the connection supports it) is called each time the connection
   * is back after it was lost and every channel subscribed before is subscribed again, since messages
   * published in between were missed: each waiter then reads the result key. If it rejects or does not
   * answer within `timeoutMs`, the waiting flight runs `fn` locally.
   */
  subscriber(onMessage: (channel: string, message: string) => void, onReset?: () => void): Promise<RedisSubscriber>;
  /**
   * True on Redis Cluster: results are published with `SPUBLISH` and `subscribe` must use `SSUBSCRIBE`
   * (sharded pub/sub, Redis 7 and later), so a message reaches the key's shard only instead of every node.
   */
  readonly sharded?: boolean;
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
  /**
   * Drops the connection at once, without waiting for Redis, even if it is still connecting; afterwards it
   * never reconnects (called by {@link RedisSharedCall.close}).
   */
  close(): void;
}

const SUPPORTED =
  'an ioredis client (new Redis(), in standalone or Sentinel mode, or new Cluster()), a node-redis client ' +
  '(createClient() or createCluster(), connected), or a RedisConnection object';

/**
 * Accepts an ioredis client or Cluster, a node-redis client or cluster (connected), or a ready
 * {@link RedisConnection}; throws a `TypeError` naming `options.redis` and what is supported for anything
 * else. The given client is used for commands and never closed here; the subscriber is a `duplicate()` of it.
 */
export function adaptClient(client: unknown): RedisConnection {
  if (typeof client === 'object' && client !== null) {
    const c = client as Record<string, unknown>;
    if (typeof c.getMasterNode === 'function' && typeof c.sendCommand === 'function') {
      throw invalidType(`options.redis: a node-redis createSentinel() client is not supported; pass ${SUPPORTED}`);
    }
    if (typeof c.sSubscribe === 'function' && typeof c.nodeClient === 'function' && 'masters' in c) {
      return fromNodeRedis(client as NodeRedisClusterLike, true);
    }
    if (typeof c.sendCommand === 'function' && 'isOpen' in c) {
      if (typeof c.duplicate !== 'function' || typeof c.subscribe !== 'function' || typeof c.connect !== 'function') {
        throw invalidType(
          `options.redis: this node-redis client cannot open a subscriber connection (a createClientPool()?); pass ${SUPPORTED}`,
        );
      }
      return fromNodeRedis(client as NodeRedisLike, false);
    }
    if (typeof c.duplicate === 'function' && typeof c.eval === 'function' && 'status' in c) {
      if (c.isCluster === true && !('shardedSubscribers' in ((c.options as object | undefined) ?? {}))) {
        throw invalidType(
          'options.redis: this ioredis Cluster has no shardedSubscribers option (needed for SSUBSCRIBE); ' +
            `upgrade ioredis (5.9 and 6 have it), or pass ${SUPPORTED}`,
        );
      }
      return fromIoRedis(client as IoRedisLike);
    }
    if (typeof c.eval === 'function' && typeof c.subscriber === 'function') return client as RedisConnection;
  }
  throw invalidType(`options.redis must be ${SUPPORTED}; got ${describe(client)}`);
}
