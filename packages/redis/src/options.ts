import type { ErrorClasses } from '@shared-call/core';
import { assertKey, checkInteger, describe, invalidType, MAX_TIMEOUT_MS } from '@shared-call/core/internal';
import { adaptClient, type RedisConnection } from './connection.js';

/** Options of {@link RedisSharedCall}. */
export interface RedisSharedCallOptions {
  /**
   * An ioredis `Redis` (standalone or Sentinel) or `Cluster`, a connected node-redis client or cluster, or a
   * {@link RedisConnection}. Never closed here.
   */
  redis: unknown;
  /** Isolates flights: instances with different namespaces never share a flight or read each other's results. */
  namespace?: string;
  /**
   * How long a leader's lease lasts without renewal (renewed every third of it while `fn` runs), so how long
   * waiters wait for a crashed leader before one of them takes over. Default 5000; at least 30.
   */
  leaseMs?: number;
  /**
   * How long a settled flight's result stays readable for its waiters that missed the message (the
   * subscriber connection dropped). Default: `leaseMs`.
   */
  resultTtlMs?: number;
  /** Bound on every Redis round trip; past it Redis counts as unavailable and `fn` runs locally. Default 1000. */
  timeoutMs?: number;
  /** Largest result or error, as UTF-8 JSON bytes, shared through Redis. Default 1 MiB. */
  maxResultBytes?: number;
  /** Error classes rebuilt in waiter processes by name (built-in classes always are). */
  errorClasses?: ErrorClasses;
}

/** {@link RedisSharedCallOptions} validated, with defaults applied. */
export interface Config {
  readonly connection: RedisConnection;
  /** How SETTLE publishes: sharded pub/sub on Redis Cluster (see {@link RedisConnection.sharded}). */
  readonly publish: 'PUBLISH' | 'SPUBLISH';
  readonly namespace: string;
  readonly leaseMs: number;
  readonly resultTtlMs: number;
  readonly timeoutMs: number;
  readonly maxResultBytes: number;
  readonly errorClasses: ErrorClasses;
}

/** Validates `options`, throwing a `TypeError` or `RangeError` that names the offending option. */
export function resolveOptions(options: RedisSharedCallOptions): Config {
  if (typeof options !== 'object' || options === null) {
    throw invalidType(`options must be an object with a redis client, got ${describe(options)}`);
  }
  const namespace = options.namespace ?? 'default';
  assertKey(namespace, 'options.namespace');
  const leaseMs = checkInteger(options.leaseMs, 'options.leaseMs', 30, MAX_TIMEOUT_MS, 5000);
  const errorClasses = options.errorClasses ?? [];
  if (!Array.isArray(errorClasses) || !errorClasses.every((c) => typeof c === 'function')) {
    throw invalidType(`options.errorClasses must be an array of classes, got ${describe(errorClasses)}`);
  }
  const connection = adaptClient(options.redis);
  return {
    connection,
    publish: connection.sharded === true ? 'SPUBLISH' : 'PUBLISH',
    namespace,
    leaseMs,
    resultTtlMs: checkInteger(options.resultTtlMs, 'options.resultTtlMs', 1, MAX_TIMEOUT_MS, leaseMs),
    timeoutMs: checkInteger(options.timeoutMs, 'options.timeoutMs', 1, MAX_TIMEOUT_MS, 1000),
    maxResultBytes: checkInteger(options.maxResultBytes, 'options.maxResultBytes', 16, MAX_TIMEOUT_MS, 1 << 20),
    errorClasses,
  };
}
