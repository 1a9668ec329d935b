import {
  flightContext,
  remoteWaitContext,
  runTraced,
  settleTraced,
  takeoverChannel,
  traceRemoteWait,
} from '@shared-call/core/internal';
import type { FlightContext } from '@shared-call/core';
import type { FlightNames } from './names.js';
import type { Evaluate } from './commands.js';
import type { Config } from './options.js';

/**
 * What a RedisSharedCall publishes on core's diagnostics channels (scope `'redis'`), and the one thing it
 * carries through Redis for subscribers: the leader's `traceparent`, in the key `names.trace` as
 * `token traceparent`, written only when a subscriber set one. That key is separate from the protocol's keys
 * (scripts.ts) and never read by it, so a flight is coordinated the same with or without it.
 */

/** Stores `token traceparent` with the lease's TTL; waiters take it only if the token is their holder's. */
const STORE_TRACEPARENT = `redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])`;
const READ_TRACEPARENT = `return redis.call('GET', KEYS[1])`;


/** How an execution came about. */
export interface Execution {
  /** The lease token, when `fn` runs as the flight's leader. */
  readonly token?: string;
  readonly takeover?: boolean;
  /** The lease's fencing token (see scripts.ts's ACQUIRE), when it is known. */
  readonly fencingToken?: number;
  /** `fn` runs without coordination. */
  readonly fallback?: boolean;
}

/**
 * Runs `fn` — one execution for this process's callers — in a `shared-call:flight` trace when someone listens.
 * A `traceparent` a subscriber sets at start is stored for waiters in other processes (errors ignored).
 */
export async function execute<T>(
  names: FlightNames,
  execution: Execution,
  config: Config,
  evaluate: Evaluate,
  fn: () => T | PromiseLike<T>,
): Promise<T> {
  if (execution.takeover && takeoverChannel.hasSubscribers) {
    takeoverChannel.publish({ key: names.key, scope: 'redis', token: execution.token });
  }
  const context = flightContext(names.key, 'redis', execution);
  if (context === undefined) return fn();
  let value: T;
  try {
    const pending = runTraced(context, fn);
    storeTraceparent(context, names, config, evaluate);
    value = await pending;
  } catch (error) {
    settleTraced(context, { failed: true, outcome: error });
    throw error;
  }
  settleTraced(context, { failed: false, outcome: value });
  return value;
}

function storeTraceparent(context: FlightContext, names: FlightNames, config: Config, evaluate: Evaluate): void {
  if (context.token === undefined || typeof context.traceparent !== 'string') return;
  const record = context.token + ' ' + context.traceparent;
  evaluate(STORE_TRACEPARENT, [names.trace], [record, String(config.leaseMs)]).catch(() => {});
}

/**
 * Runs `wait` — this process waiting for the flight of lease `holder` in another process — as a join and a
 * `shared-call:remote-wait` trace when someone listens; the leader's `traceparent` is looked up meanwhile.
 */
export function waitRemotely<T>(names: FlightNames, holder: string, evaluate: Evaluate, wait: () => Promise<T>): Promise<T> {
  const context = remoteWaitContext(names.key, holder);
  if (context === undefined) return wait();
  evaluate(READ_TRACEPARENT, [names.trace], []).then(
    (reply) => {
      const space = typeof reply === 'string' ? reply.indexOf(' ') : -1;
      if (space > 0 && reply!.toString().slice(0, space) === holder) context.leader.traceparent = (reply as string).slice(space + 1);
    },
    () => {},
  );
  return traceRemoteWait(context, wait);
}
