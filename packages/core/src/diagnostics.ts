import type * as DiagnosticsChannels from 'node:diagnostics_channel';

/**
 * The diagnostics channels every package of shared-call publishes on (docs/observability.md documents each
 * payload; the names are a public contract). Publishing costs one `hasSubscribers` read when nobody listens.
 *
 * The module is reached through `process.getBuiltinModule` (Node 20.16+, Deno, Bun), never a static import, so
 * that core still bundles for browsers; where it is missing nothing is published.
 */

/** Where a flight is shared: one process (core), the threads of a table (sync-workers), or Redis. */
export type Scope = 'process' | 'threads' | 'redis';

/**
 * The context of one execution of a coalesced function on the TracingChannel `shared-call:flight`: the same
 * object in its start, end, asyncStart, asyncEnd and error events. Fields marked "at settle" are set before the
 * event that ends the trace (asyncEnd; end for synchronous flights of sync-workers).
 */
export interface FlightContext {
  readonly key: string;
  readonly scope: Scope;
  /** Unique among the flights traced in this thread. */
  readonly id: number;
  /** redis: the lease token of the flight (also the flight's id across processes). */
  readonly token?: string;
  /** redis: reserved for the lease's fencing token once leases carry one. */
  fencingToken?: number;
  /** threads and redis: this execution replaces a leader that died or gave its flight up. */
  readonly takeover?: boolean;
  /** redis: `fn` ran without coordination (Redis unavailable, or the result could not be shared). */
  readonly fallback?: boolean;
  /**
   * May be set by a subscriber during `start` to a W3C `traceparent`: redis stores it beside the lease, and
   * waiters in other processes receive it (see {@link JoinMessage.leader}).
   */
  traceparent?: string;
  /** At settle (process, threads): whether more than one caller received the outcome. */
  shared?: boolean;
  /** At settle (process): how many callers received the outcome. */
  callers?: number;
  /** At settle: `fn`'s value (also published by Node's own tracing helpers under this name). */
  result?: unknown;
  /** At settle, and in the `error` event: what `fn` threw (or why its outcome could not be delivered). */
  error?: unknown;
}

/** A message of `shared-call:join`: a caller starts waiting for a flight it did not start. */
export interface JoinMessage {
  readonly key: string;
  readonly scope: Scope;
  /** The flight joined, when it runs in this thread and is traced: the very object of its trace. */
  readonly flight?: FlightContext;
  /** Identifies a caller that may abandon its wait: its `shared-call:abandon` message carries the same object. */
  readonly waiter?: object;
  /** redis, when this process waits for another process's flight: that flight's lease token and traceparent. */
  readonly leader?: RemoteLeader;
}

/** The flight of another process that a redis waiter waits for. */
export interface RemoteLeader {
  readonly token: string;
  /** The leader's `traceparent`, once this process read it (set asynchronously, before the wait ends). */
  traceparent?: string;
}

/** A message of `shared-call:abandon`: a caller stopped waiting (its signal aborted or its timeout passed). */
export interface AbandonMessage {
  readonly key: string;
  readonly scope: Scope;
  readonly flight?: FlightContext;
  readonly waiter?: object;
  readonly reason: unknown;
  /** True when it was the last caller: the flight is dropped and `fn`'s signal aborts. */
  readonly last: boolean;
}

/** A message of `shared-call:forget`: `forget(key)` (`key` undefined for `forgetAll()`). */
export interface ForgetMessage {
  readonly key: string | undefined;
  readonly scope: Scope;
}

/** The exact channel names (TracingChannel `flight` publishes on `tracing:shared-call:flight:start` etc.). */
export const CHANNELS = {
  flight: 'shared-call:flight',
  join: 'shared-call:join',
  abandon: 'shared-call:abandon',
  forget: 'shared-call:forget',
  takeover: 'shared-call:takeover',
  overflow: 'shared-call:overflow',
  remoteWait: 'shared-call:remote-wait',
} as const;

type Channel = Pick<DiagnosticsChannels.Channel, 'hasSubscribers' | 'publish'>;
type Tracing = Record<'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error', DiagnosticsChannels.Channel>;

const dc: typeof DiagnosticsChannels | undefined =
  typeof process === 'object' && process !== null && typeof process.getBuiltinModule === 'function'
    ? process.getBuiltinModule('node:diagnostics_channel')
    : undefined;

const SILENT: Channel = { hasSubscribers: false, publish() {} };
const channel = (name: string): Channel => dc?.channel(name) ?? SILENT;
const tracing = (name: string): Tracing | undefined => dc?.tracingChannel(name) as Tracing | undefined;

export const joinChannel = channel(CHANNELS.join);
export const abandonChannel = channel(CHANNELS.abandon);
export const forgetChannel = channel(CHANNELS.forget);
export const takeoverChannel = channel(CHANNELS.takeover);
export const overflowChannel = channel(CHANNELS.overflow);
const flightTrace = tracing(CHANNELS.flight);
const remoteWaitTrace = tracing(CHANNELS.remoteWait);

let nextFlightId = 1;

/** True when a subscriber listens to any event of the TracingChannel. */
function traced(trace: Tracing | undefined): trace is Tracing {
  return trace !== undefined && (trace.start.hasSubscribers || trace.asyncEnd.hasSubscribers || trace.end.hasSubscribers || trace.error.hasSubscribers);
}

/**
 * A new flight context for `key` when someone listens to `shared-call:flight`, else `undefined` (then every
 * other trace helper must be skipped). `extra` adds the scope's own fields.
 */
export function flightContext(
  key: string,
  scope: Scope,
  extra?: Pick<FlightContext, 'token' | 'takeover' | 'fallback'>,
): FlightContext | undefined {
  return traced(flightTrace) ? { key, scope, id: nextFlightId++, ...extra } : undefined;
}

/**
 * Runs the synchronous part of a flight's execution in its trace: publishes `start`, runs `run` inside the
 * stores subscribers bound to `start`, publishes `end`. A throw propagates after `end`; the caller then reports
 * it with {@link settleTraced}, as for a rejection.
 */
export function runTraced<R>(context: FlightContext, run: () => R): R {
  try {
    return flightTrace!.start.runStores(context, run);
  } finally {
    flightTrace!.end.publish(context);
  }
}

/** What a flight delivered, and to how many. */
export interface Settlement {
  readonly failed: boolean;
  /** The value, or the error when `failed`. */
  readonly outcome: unknown;
  /** Unknown in redis, where waiters in other processes are not counted. */
  readonly shared?: boolean;
  readonly callers?: number;
}

/** Records the settlement on `context`; publishes `error` when it failed. */
function record(context: FlightContext, { failed, outcome, shared, callers }: Settlement): void {
  if (shared !== undefined) context.shared = shared;
  if (callers !== undefined) context.callers = callers;
  if (failed) {
    context.error = outcome;
    flightTrace!.error.publish(context);
  } else {
    context.result = outcome;
  }
}

/** Ends the trace of an asynchronous flight whose synchronous part ran in {@link runTraced}. */
export function settleTraced(context: FlightContext, settlement: Settlement): void {
  record(context, settlement);
  flightTrace!.asyncStart.publish(context);
  flightTrace!.asyncEnd.publish(context);
}

/**
 * Traces a synchronous flight whose outcome is known when `run` returns (sync-workers' `call`): `start`, `run`
 * (which must not throw), then `error` when `settlement(ran)` says it failed, then `end`.
 */
export function traceSync<R>(context: FlightContext, run: () => R, settlement: (ran: R) => Settlement): R {
  const ran = flightTrace!.start.runStores(context, run);
  try {
    record(context, settlement(ran));
    return ran;
  } finally {
    flightTrace!.end.publish(context);
  }
}

const innerScopes = new WeakMap<object, Scope>();

/**
 * Marks `coalescer` (an AsyncSharedCall) as the in-process layer of a coalescer of `scope`: its joins, abandons
 * and forgets are published with that scope, and its flights are not traced, since the outer coalescer traces
 * the executions of `fn` itself.
 */
export function publishAsPartOf(coalescer: object, scope: Scope): void {
  innerScopes.set(coalescer, scope);
}

/** The scope `coalescer` publishes with when it is the layer of another coalescer (see {@link publishAsPartOf}). */
export function outerScopeOf(coalescer: object): Scope | undefined {
  return innerScopes.get(coalescer);
}

/**
 * The context of a redis process's wait for another process's flight, on the TracingChannel
 * `shared-call:remote-wait`, when someone listens to it or to `shared-call:join`; else `undefined`.
 */
export function remoteWaitContext(key: string, token: string): RemoteWait | undefined {
  return traced(remoteWaitTrace) || joinChannel.hasSubscribers ? { key, scope: 'redis', leader: { token } } : undefined;
}

/** See {@link remoteWaitContext}. */
export interface RemoteWait {
  readonly key: string;
  readonly scope: 'redis';
  readonly leader: RemoteLeader;
  result?: unknown;
  error?: unknown;
}

/** Publishes the join of a remote wait, then traces it: start, then asyncStart/asyncEnd or error when `wait` settles. */
export function traceRemoteWait<T>(context: RemoteWait, wait: () => Promise<T>): Promise<T> {
  if (joinChannel.hasSubscribers) joinChannel.publish({ key: context.key, scope: 'redis', leader: context.leader } satisfies JoinMessage);
  if (!traced(remoteWaitTrace)) return wait();
  return (remoteWaitTrace as unknown as DiagnosticsChannels.TracingChannel<unknown, RemoteWait>).tracePromise(wait, context);
}
