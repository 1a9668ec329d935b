import { AsyncSharedCall, type CallInfo, type CallOptions, type Coalescer, type GroupOptions, type GroupWrapper } from '@shared-call/core';
import {
  assertFunction,
  assertKey,
  createGroup,
  publishAsPartOf,
  withCode,
} from '@shared-call/core/internal';
import { Coordinator } from './coordinator.js';
import type { FlightFn, Settled } from './flight.js';
import { resolveOptions, type RedisSharedCallOptions } from './options.js';
import { Counters, type RedisSharedCallStats } from './stats.js';

/** What {@link RedisSharedCall.callWithInfo} resolves with. */
export interface RedisCallInfo<T> extends CallInfo<T> {
  /**
   * The fencing token of the execution whose value (or error) this caller received, wherever it ran;
   * `undefined` if it ran without a lease (a fallback).
   */
  readonly fencingToken: number | undefined;
}

/** Keys forgotten and not called since that are remembered (a bound for callers that forget many keys). */
const MAX_FORCED = 10_000;

/**
 * Coalesces concurrent calls by key across processes and machines that share a Redis: one execution of `fn`
 * per flight, every caller everywhere receives its result or its error.
 *
 * - Local first: calls in one process join a local {@link AsyncSharedCall} flight, and only that flight talks
 *   to Redis (one subscription and one script call to join, however many local callers).
 * - The leader holds a lease (`SET NX PX`, renewed while `fn` runs) and publishes the outcome; waiters get it by
 *   pub/sub, or from a short-lived result key if they missed the message. If the leader dies, its lease
 *   expires and exactly one waiter takes over; no waiter waits longer than `leaseMs` + `timeoutMs` for a dead
 *   leader. Every lease carries a fencing token, handed to `fn`; a leader whose lease was taken over cannot
 *   publish its result. `fn`'s signal aborts once every caller in every process has left.
 * - Results and thrown values cross processes exactly (value-format.ts: rich built-in values, errors of built-in
 *   or registered classes with their own fields) or not at all: waiters then run `fn` themselves. Payloads
 *   read from Redis are size-checked and validated; nothing is evaluated.
 * - If Redis fails or does not answer within `timeoutMs`, `fn` runs locally (still coalesced in-process) and
 *   `fallbacks` counts it; a call never hangs on Redis.
 */
export class RedisSharedCall implements Coalescer<'async'> {
  readonly #local = new AsyncSharedCall();
  readonly #counters = new Counters();
  readonly #coordinator: Coordinator;
  /** Keys whose local flight is in progress, with how many flights (forgotten ones included). */
  readonly #running = new Map<string, number>();
  /** Keys whose next flight takes the lease even if held (set by forget). */
  readonly #forced = new Set<string>();
  #closed = false;

  /** Validates `options` at once (TypeError/RangeError naming the option); connects lazily on first call. */
  constructor(options: RedisSharedCallOptions) {
    this.#coordinator = new Coordinator(resolveOptions(options), this.#counters);
    publishAsPartOf(this.#local, 'redis'); // its joins are this coalescer's; executions are traced by the coordinator
  }

  /**
   * Runs `fn` once for all concurrent callers of `key` in every process sharing this Redis and namespace, or
   * joins the flight in progress. Resolves or rejects with the flight's outcome; `options.signal` and
   * `options.timeoutMs` abandon only this caller's wait, as in core. Rejects, never throws, on bad input.
   * `fn(signal, { fencingToken })`: `signal` aborts once every caller in every process has left the flight;
   * `fencingToken` grows with every lease of the key (see {@link FlightContext}).
   */
  async call<T>(key: string, fn: FlightFn<T>, options?: CallOptions): Promise<T> {
    const settled = await this.#local.call(key, this.#flight(key, fn), options);
    return settled.value;
  }

  /**
   * Like {@link call}, and tells whether the result was `shared` (handed to more than one caller of this
   * process, or received from another process's flight; a leader does not learn of waiters elsewhere) and the
   * `fencingToken` of the execution that produced it.
   */
  async callWithInfo<T>(key: string, fn: FlightFn<T>, options?: CallOptions): Promise<RedisCallInfo<T>> {
    const info = await this.#local.callWithInfo(key, this.#flight(key, fn), options);
    const { value, remote, fencingToken } = info.value;
    return { value, shared: info.shared || remote, fencingToken };
  }

  /**
   * core's `group()` across processes: automatic keys use core's `stableLabel` (name plus a hash of the
   * source) so the same function meets itself in every process, and method keys do not include the instance.
   */
  group(options?: GroupOptions): GroupWrapper<'async'> {
    return createGroup(options, { coalescer: this, mode: 'async', keys: 'portable' });
  }

  /** Counters of this process since creation or the last {@link resetStats}; see {@link RedisSharedCallStats}. */
  getStats(): RedisSharedCallStats {
    const local = this.#local.getStats();
    return this.#counters.snapshot(local.hits, local.active);
  }

  /** Zeroes every counter except `active`. */
  resetStats(): void {
    this.#local.resetStats();
    this.#counters.reset();
  }

  /**
   * Stops this process's next callers of `key` from joining the flight in progress, here or elsewhere: the
   * next call starts a new flight, taking the lease over. The forgotten flight still delivers its outcome to
   * its callers in its own process; processes that waited for it join the new flight. Returns true if this
   * process tracked a flight of `key` (in progress and not already forgotten), as core's `forget` does: a second
   * `forget(key)` returns false, though the next flight still takes the lease over. (At most the last 10,000
   * keys forgotten and not called since are remembered.)
   */
  forget(key: string): boolean {
    assertKey(key);
    this.#force(key);
    return this.#local.forget(key);
  }

  /** {@link forget} for every key this process has a flight in progress for. */
  forgetAll(): void {
    this.#local.forgetAll();
    for (const key of this.#running.keys()) this.#force(key);
  }

  /**
   * Rejects new calls, waits for results still being published, and closes the subscriber connection. The
   * Redis client passed in is left open: it belongs to the caller.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#coordinator.close();
  }

  /** Validates a call (throws on bad input): the local flight's function for `key`, run across processes. */
  #flight<T>(key: string, fn: FlightFn<T>): (signal: AbortSignal) => Promise<Settled<T>> {
    assertKey(key);
    assertFunction(fn);
    if (this.#closed) throw withCode(new Error('RedisSharedCall is closed'), 'ERR_SHARED_CALL_CLOSED');
    return (signal) => this.#fly(key, fn, signal);
  }

  /** Marks `key`'s next flight to take the lease over; the oldest marks go beyond {@link MAX_FORCED}. */
  #force(key: string): void {
    this.#forced.delete(key);
    this.#forced.add(key);
    if (this.#forced.size > MAX_FORCED) this.#forced.delete(this.#forced.values().next().value!);
  }

  async #fly<T>(key: string, fn: FlightFn<T>, signal: AbortSignal) {
    const force = this.#forced.delete(key);
    this.#running.set(key, (this.#running.get(key) ?? 0) + 1);
    try {
      const settled: Settled<T> = await this.#coordinator.run(key, fn, signal, force);
      if (settled.remote) this.#counters.remoteHits++;
      return settled;
    } catch (error) {
      // As in core, `errors` counts flights whose fn failed: not a flight every local caller abandoned (its
      // abort reason, or the error of an fn that ran on after everyone left), nor a wait for another process's
      // flight that every local caller stopped.
      if (!signal.aborted) this.#counters.errors++;
      throw error;
    } finally {
      const left = this.#running.get(key)! - 1;
      if (left === 0) this.#running.delete(key);
      else this.#running.set(key, left);
    }
  }
}
