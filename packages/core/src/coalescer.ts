import type { CallInfo } from './async-shared-call.js';
import type { CallOptions } from './cancellation.js';
import type { GroupMode, GroupOptions, GroupWrapper } from './group.js';
import type { SharedCallStats } from './stats.js';

/** What a coalescer's `call` returns for a result `T`: a Promise of it (`'async'`) or `T` itself (`'sync'`). */
export type Delivered<M extends GroupMode, T> = M extends 'async' ? Promise<T> : T;

/**
 * The function a coalescer runs for a flight: given the flight's `AbortSignal` when the call is asynchronous
 * (it aborts once every caller has abandoned the flight); given nothing when it is synchronous.
 */
export type FlightFunction<M extends GroupMode, T> = M extends 'async'
  ? (signal: AbortSignal) => T | PromiseLike<T>
  : () => T;

/**
 * The contract that every coalescer of shared-call keeps — `AsyncSharedCall` (core, in-process, `'async'`),
 * `SharedCall` (sync-workers, across worker threads, `'sync'`) and `RedisSharedCall` (redis, across processes,
 * `'async'`) — and that one conformance suite checks on each. `M` says how results are delivered (see
 * {@link Delivered}); `O` is the per-call options (`CallOptions`, or sync-workers' `{ timeoutMs }`).
 *
 * - A flight is the execution of `fn` for a key, from the first call (the leader) until it settles. Calls of
 *   the same key made while it is in progress join it: `fn` runs once, and every caller receives its value or
 *   its error (the same object within one JavaScript realm; a faithful copy when it crossed threads or
 *   processes). Nothing is cached: the next call after a flight settled starts a new one.
 * - A caller's `timeoutMs` or `signal` ends that caller's wait only; the flight and the other callers go on.
 * - Bad input is a `TypeError` or `RangeError` with a `code` (`ERR_SHARED_CALL_…`), rejected by `'async'`
 *   coalescers (never thrown synchronously) and thrown by `'sync'` ones.
 * - Implementations may return richer objects (stats with more counters, info with more fields) and accept
 *   richer `fn`s (redis passes a fencing token as a second argument) than this interface names.
 */
export interface Coalescer<M extends GroupMode = 'async', O = CallOptions> {
  /**
   * Runs `fn` for `key`, or joins the flight of `key` in progress, and delivers the flight's value (or throws /
   * rejects with its error, or this caller's abort reason — a `TimeoutError` DOMException for `timeoutMs`).
   */
  call<T>(key: string, fn: FlightFunction<M, T>, options?: O): Delivered<M, T>;

  /**
   * {@link call}, delivering `{ value, shared }`: `shared` is true when the flight's result went to more than one
   * caller (as Go's `Do` reports it; a caller that received another thread's or process's result is shared).
   */
  callWithInfo<T>(key: string, fn: FlightFunction<M, T>, options?: O): Delivered<M, CallInfo<T>>;

  /**
   * A wrapper (also a TC39 method decorator) that coalesces calls of a function by an automatic key or by
   * `options.keyFn`; it delivers results as {@link call} does. Throws at once for bad options.
   */
  group(options?: GroupOptions): GroupWrapper<M>;

  /**
   * Stops new callers from joining the flight of `key` in progress: the next call starts a new flight, while the
   * forgotten one still delivers to its own callers. Returns true if, and only if, a flight of `key` was tracked
   * (in progress and not already forgotten) — so a second `forget(key)` returns false.
   */
  forget(key: string): boolean;

  /** {@link forget} for every key. */
  forgetAll(): void;

  /**
   * Counters since creation or the last {@link resetStats}: `misses` = flights started (executions of `fn`),
   * `hits` = calls that received a flight's result without running `fn`, `errors` = flights whose `fn` failed
   * (once per flight; neither a caller's own timeout or abort nor a flight every caller abandoned counts),
   * `active` = flights in progress now, `hitRate` = hits / (hits + misses), 0 before any call.
   */
  getStats(): SharedCallStats;

  /** Zeroes every counter except `active`, which keeps counting the flights in progress. */
  resetStats(): void;
}
