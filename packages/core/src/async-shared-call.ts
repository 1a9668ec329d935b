import {
  cancellationOf,
  controllerFor,
  waitWithCancellation,
  type CallOptions,
  type Cancellation,
} from './cancellation.js';
import { joinChannel, runTraced } from './diagnostics.js';
import { publishAbandon, publishForget, publishJoin, traceFlight, traceSettlement } from './flight-diagnostics.js';
import type { Coalescer } from './coalescer.js';
import { Flight } from './flight.js';
import { createGroup, type GroupOptions, type GroupWrapper } from './group.js';
import { statsSnapshot, type SharedCallStats } from './stats.js';
import { assertFunction, assertKey } from './validate.js';

/** The value a coalesced call produced, and whether more than one caller received it. */
export interface CallInfo<T> {
  readonly value: T;
  readonly shared: boolean;
}

/**
 * Coalesces concurrent Promise-returning calls by key (Go's `singleflight.Group` for Node).
 *
 * - The first `call(key, fn)` is the leader: `fn` runs once, synchronously inside that call. Every `call` for
 *   the same key made before the flight settles joins it and receives the same value (same object) or the same
 *   rejection reason (same object, whatever was thrown). Nothing is cached: once settled, the flight is removed
 *   (before any caller resumes), and the next call starts a new one.
 * - Each caller may abandon its own wait with `signal` or `timeoutMs`; the others are untouched. The signal
 *   given to `fn` aborts only when every caller has abandoned the flight, which is then dropped.
 * - Calls never throw synchronously: bad input and already-aborted signals come back as rejected promises.
 */
export class AsyncSharedCall implements Coalescer<'async'> {
  readonly #flights = new Map<string, Flight<any>>(); // each flight has its own result type
  #hits = 0;
  #misses = 0;
  #errors = 0;
  #active = 0;
  /**
   * The last `fn` found to take no argument (see `controllerFor`), and the flight it started: later flights of
   * the very same `fn` skip reading its source while that flight is in progress. Forgotten when that flight
   * ends, so a remembered function never outlives its own flight.
   */
  #bareFn: unknown = undefined;
  #bareFnFlight: Flight<any> | undefined = undefined;

  /**
   * Runs `fn` for `key` unless a flight for `key` is in progress, in which case this call joins it.
   * Resolves or rejects with the flight's outcome; rejects with the abort reason if this caller's `signal`
   * fires or `timeoutMs` elapses first (a `TimeoutError` DOMException).
   */
  call<T>(key: string, fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: CallOptions): Promise<T> {
    return this.#call(key, fn, options, false);
  }

  /** {@link call}; `bare` says that `fn` takes no argument (the `run` of `group()`), so it is passed no signal. */
  #call<T>(
    key: string,
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    options: CallOptions | undefined,
    bare: boolean,
  ): Promise<T> {
    // Hit path first: joining a flight without options needs no validation beyond `fn`, because only string
    // keys are ever stored, so a key of any other type misses here and is rejected below. A miss without options
    // needs only the key's type checked: it starts its flight at once, without looking the key up again.
    if (options === undefined && typeof fn === 'function') {
      const joined = this.#join<T>(key);
      if (joined !== undefined) return joined.promise;
      if (typeof key === 'string') return this.#start(key, fn, bare).promise;
    }
    try {
      const cancellation = checkCall(key, fn, options);
      return this.#waitFor(this.#enter(key, fn, cancellation, bare), cancellation);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Like {@link call}, and also tells whether the flight's result was handed to more than one caller
   * (`shared`, as Go's `Do` reports it).
   */
  async callWithInfo<T>(
    key: string,
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    options?: CallOptions,
  ): Promise<CallInfo<T>> {
    const cancellation = checkCall(key, fn, options);
    const flight = this.#enter(key, fn, cancellation, false);
    const value = await this.#waitFor(flight, cancellation);
    return { value, shared: flight.waiting > 1 };
  }

  /**
   * Returns a wrapper that coalesces calls of a function by an automatic key (function identity plus
   * arguments) or by `options.keyFn`. Also usable as a TC39 method decorator: `@sc.group()`.
   */
  group(options?: GroupOptions): GroupWrapper<'async'> {
    // group()'s `run` takes no argument, so its flights skip deciding whether fn sees a signal.
    const coalescer = {
      call: <T>(key: string, run: (signal: AbortSignal) => T | PromiseLike<T>, options?: CallOptions) =>
        this.#call(key, run, options, true),
      forget: (key: string) => this.forget(key),
    };
    return createGroup(options, { coalescer, mode: 'async', keys: 'local' });
  }

  /** Counters since creation or the last {@link resetStats}; `active` is always the live count. */
  getStats(): SharedCallStats {
    return statsSnapshot(this.#hits, this.#misses, this.#errors, this.#active);
  }

  /** Zeroes `hits`, `misses` and `errors`; `active` keeps counting flights in progress. */
  resetStats(): void {
    this.#hits = this.#misses = this.#errors = 0;
  }

  /**
   * Stops new callers from joining the flight for `key`: the next call starts a new flight. The forgotten
   * flight keeps running and its callers still receive its outcome. Returns true if a flight was tracked.
   */
  forget(key: string): boolean {
    assertKey(key);
    publishForget(this, key);
    const flight = this.#flights.get(key);
    if (flight === undefined) return false;
    this.#flights.delete(key);
    flight.phase = 'forgotten';
    return true;
  }

  /** {@link forget} for every key. */
  forgetAll(): void {
    publishForget(this, undefined);
    for (const flight of this.#flights.values()) flight.phase = 'forgotten';
    this.#flights.clear();
  }

  #enter<T>(
    key: string,
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    leaderCancellation: Cancellation | undefined,
    bare: boolean,
  ): Flight<T> {
    return this.#join<T>(key, leaderCancellation) ?? this.#start(key, fn, bare);
  }

  /** Starts the flight of `key` (which has none) with `fn` as its leader (see {@link #call} for `bare`). */
  #start<T>(key: string, fn: (signal: AbortSignal) => T | PromiseLike<T>, bare: boolean): Flight<T> {
    const flight = new Flight<T>(key, this);
    this.#flights.set(key, flight); // registered before fn runs: a same-key call inside fn joins
    this.#misses++;
    this.#active++;
    let outcome: T | PromiseLike<T>;
    try {
      if (!bare && fn !== this.#bareFn) {
        const controller = controllerFor(fn);
        if (controller !== undefined) flight.controller = controller;
        else {
          this.#bareFn = fn;
          this.#bareFnFlight = flight;
        }
      }
      // Without a controller, fn cannot observe an argument: passing none is passing nothing it could see.
      const signal = flight.controller?.signal as AbortSignal;
      outcome = traceFlight(this, flight) ? runTraced(flight.trace!, () => fn(signal)) : fn(signal);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    // The bookkeeping is the first reaction to the outcome, so the flight is settled (and out of the table)
    // before any caller resumes; callers receive the promise it returns, which settles the same way.
    // The reactions are bound to the flight: two bound functions keep less alive than two closures and their
    // context, and every flight in progress keeps them until it settles.
    const fulfilled = AsyncSharedCall.#fulfilled.bind(flight) as (value: T) => T;
    flight.deliver(Promise.resolve(outcome).then(fulfilled, AsyncSharedCall.#rejected.bind(flight)));
    return flight;
  }

  /** The bookkeeping reaction to a flight's value (`this`, see {@link #start}); passes the value on. */
  static #fulfilled(this: Flight<any>, value: unknown): unknown {
    this.owner.#settle(this, false, value);
    return value;
  }

  /** The bookkeeping reaction to a flight's error (`this`, see {@link #start}); passes the error on. */
  static #rejected(this: Flight<any>, error: unknown): never {
    this.owner.#settle(this, true, error);
    throw error;
  }

  /** Adds a caller to the flight in progress for `key`, if there is one. */
  #join<T>(key: string, waiter?: Cancellation): Flight<T> | undefined {
    const flight = this.#flights.get(key) as Flight<T> | undefined;
    if (flight !== undefined) {
      this.#hits++;
      flight.waiting++;
      if (joinChannel.hasSubscribers) publishJoin(this, flight, waiter);
    }
    return flight;
  }

  #waitFor<T>(flight: Flight<T>, cancellation: Cancellation | undefined): Promise<T> {
    if (cancellation === undefined) return flight.promise;
    // A leader's signal may abort while its own fn runs, before anything listens to it: it leaves at once.
    const { signal } = cancellation;
    if (signal?.aborted && this.#leave(flight, signal.reason, cancellation)) return Promise.reject(signal.reason);
    return waitWithCancellation(flight.promise, cancellation, (reason) => this.#leave(flight, reason, cancellation));
  }

  #settle<T>(flight: Flight<T>, failed: boolean, outcome: unknown): void {
    if (failed && flight.phase !== 'abandoned') this.#errors++;
    this.#end(flight, 'settled');
    if (flight.trace !== undefined) traceSettlement(flight, failed, outcome);
  }

  /** One caller abandons `flight`; the last one out aborts `fn` and drops the flight. False once settled. */
  #leave<T>(flight: Flight<T>, reason: unknown, waiter: Cancellation): boolean {
    if (flight.phase === 'settled') return false;
    publishAbandon(this, flight, waiter, reason);
    if (--flight.waiting === 0) {
      this.#end(flight, 'abandoned');
      flight.controller?.abort(reason);
    }
    return true;
  }

  /** Moves a flight that has not settled to `phase`: out of the table, and no longer counted as active. */
  #end<T>(flight: Flight<T>, phase: 'abandoned' | 'settled'): void {
    const was = flight.phase;
    flight.phase = phase;
    if (was === 'tracked') this.#flights.delete(flight.key);
    if (was !== 'abandoned') this.#active--;
    if (flight === this.#bareFnFlight) this.#bareFn = this.#bareFnFlight = undefined;
  }
}

/** Validates the arguments of a call; returns the caller's cancellation (throws if already aborted). */
function checkCall(key: unknown, fn: unknown, options: CallOptions | undefined): Cancellation | undefined {
  assertKey(key);
  assertFunction(fn);
  return options === undefined ? undefined : cancellationOf(options);
}
