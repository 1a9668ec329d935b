import type { CallInfo, Coalescer, GroupOptions, GroupWrapper } from '@shared-call/core';
import {
  assertFunction,
  assertKey,
  createGroup,
  invalidType,
  settle,
  settleAsync,
  type Outcome,
} from '@shared-call/core/internal';
import { threadId, Worker } from 'node:worker_threads';
import { deadlineIn, type Deadline } from './deadline.js';
import { leadTraced, leadTracedAsync, publishEntry, publishForget } from './diagnostics.js';
import { checkHandle, createHandle, memoryOf, type SharedCallHandle } from './handle.js';
import { encodeKey } from './key-bytes.js';
import { callTimeout, checkTableOptions, type SharedCallOptions, type SyncCallOptions } from './options.js';
import { SlotTable, type FlightRef } from './slot-table.js';
import type { SyncWorkersStats } from './table-counters.js';

/** This thread as the table records leaders and lock holders (0 means nobody). */
const ME = threadId + 1;

/** Set by {@link SharedCall.attach} while it constructs an instance over an existing table. */
let attaching: SharedCallHandle | undefined;

/**
 * Coalesces **synchronous** calls across `worker_threads` (and the main thread): Go's `singleflight` over a
 * slot table in SharedArrayBuffers.
 *
 * - The first thread to call `call(key, fn)` is the leader: `fn` runs once, in that thread. Threads that call
 *   the same key before it returns block in `Atomics.wait` and then receive a structured clone of the value,
 *   or throw a rebuilt copy of the error (same built-in class, message, stack, `code`, `cause`); the leader
 *   itself receives the original value or error. Nothing is cached: the next call after the flight starts anew.
 * - Several instances may share one table: `sc.handle` is structured-cloneable and `SharedCall.attach(handle)`
 *   in any thread gives an instance over the same memory; stats and forget are then global.
 * - A leader whose thread dies is replaced only if some thread {@link watch}es its Worker: then one waiter runs
 *   `fn` again. `timeoutMs` bounds every wait in every case.
 */
export class SharedCall implements Coalescer<'sync', SyncCallOptions> {
  /** Structured-cloneable identity of the table; pass it to {@link SharedCall.attach} in another thread. */
  readonly handle: SharedCallHandle;
  readonly #table: SlotTable;
  readonly #watched = new WeakSet<Worker>();

  /**
   * Creates a new table (`options.slots`, `options.maxResultBytes`, default `options.timeoutMs`); TypeError or
   * RangeError naming the option for bad input.
   */
  constructor(options?: SharedCallOptions) {
    if (attaching === undefined) {
      const { slots, maxResultBytes, timeoutMs } = checkTableOptions(options);
      this.handle = createHandle(slots, maxResultBytes, timeoutMs);
    } else {
      this.handle = Object.freeze({ ...attaching, buffers: Object.freeze([...attaching.buffers]) });
    }
    const { memory, stats, slots } = memoryOf(this.handle);
    this.#table = new SlotTable(memory, stats, slots);
  }

  /**
   * An instance over the table of `handle` (from `sc.handle`, usually cloned into this thread). Rejects anything
   * that is not such a handle with a TypeError.
   */
  static attach(handle: SharedCallHandle): SharedCall {
    checkHandle(handle);
    attaching = handle;
    try {
      return new SharedCall();
    } finally {
      attaching = undefined;
    }
  }

  /**
   * Runs `fn` for `key`, or blocks this thread until the thread running `fn` for `key` finishes, and returns
   * its value (a structured clone when another thread computed it). Throws what `fn` threw (rebuilt in
   * waiters, with parts that cannot be cloned described as strings); a `TimeoutError` DOMException when a wait
   * outlasts `timeoutMs`; a {@link ReentrantCallError} when this thread itself leads `key` or the wait would
   * close a cycle of threads; in a waiter, a `DataCloneError` / `RangeError` when the leader's value cannot be
   * handed over. The leader always gets its own outcome, whoever joined.
   */
  call<T>(key: string, fn: () => T, options?: SyncCallOptions): T {
    return this.callWithInfo(key, fn, options).value;
  }

  /** Like {@link call}, and tells whether the value was handed to more than one caller (`shared`). */
  callWithInfo<T>(key: string, fn: () => T, options?: SyncCallOptions): CallInfo<T> {
    assertKey(key);
    assertFunction(fn);
    const deadline = deadlineIn(callTimeout(options, this.handle.timeoutMs));
    const entry = this.#table.enter(encodeKey(key), ME, true, deadline, key);
    if (entry.role !== 'lead') publishEntry(key, entry.role);
    if (entry.role === 'overflow') return { value: this.#alone<T>(settle(fn)), shared: false };
    if (entry.role === 'join') {
      const awaited = this.#table.awaitBlocking(entry, ME, deadline, key);
      if (awaited.kind === 'outcome') return received<T>(awaited);
    }
    return leadTraced(key, entry.role === 'join', () => this.#lead<T>(key, entry, settle(fn), deadline));
  }

  /**
   * {@link callWithInfo} for async functions, without blocking this thread: waits with `Atomics.waitAsync`
   * (holding a timer so the thread stays alive). Never throws synchronously: every error rejects.
   */
  async callAsync<T>(key: string, fn: () => T | PromiseLike<T>, options?: SyncCallOptions): Promise<T> {
    assertKey(key);
    assertFunction(fn);
    const deadline = deadlineIn(callTimeout(options, this.handle.timeoutMs));
    const entry = this.#table.enter(encodeKey(key), ME, false, deadline, key);
    if (entry.role !== 'lead') publishEntry(key, entry.role);
    if (entry.role === 'overflow') return this.#alone<T>(await settleAsync(fn));
    if (entry.role === 'join') {
      const awaited = await this.#table.awaitAsync(entry, ME, deadline);
      if (awaited.kind === 'outcome') return received<T>(awaited).value;
    }
    const deliver = (outcome: Outcome) => this.#lead<T>(key, entry, outcome, deadline);
    return (await leadTracedAsync(key, entry.role === 'join', () => settleAsync(fn), deliver)).value;
  }

  /**
   * Returns a wrapper (also a TC39 method decorator) that coalesces calls by an automatic key: the function's
   * name plus a hash of its source text (core's `stableLabel`, the same in every thread running the same code)
   * and the arguments; or by `options.keyFn`. Method keys do not include the instance, since instances are
   * per thread: calls with equal arguments on any instance coalesce (use `keyFn` to key by instance data).
   */
  group(options?: GroupOptions): GroupWrapper<'sync'> {
    return createGroup(options, { coalescer: this, mode: 'sync', keys: 'portable' });
  }

  /** Counters of all threads using this table; `overflows` counts calls that ran uncoalesced (table full). */
  getStats(): SyncWorkersStats {
    return this.#table.counters.snapshot(this.#table.activeFlights());
  }

  /** Zeroes the table's counters for every thread (`active` keeps counting flights in progress). */
  resetStats(): void {
    this.#table.counters.reset();
  }

  /**
   * Stops new callers, in every thread, from joining the flight for `key`: the next call starts a new flight.
   * The forgotten flight keeps running and its callers still receive its outcome. True if one was in progress.
   */
  forget(key: string): boolean {
    assertKey(key);
    publishForget(key);
    return this.#table.forget(encodeKey(key));
  }

  /** {@link forget} for every flight in progress. */
  forgetAll(): void {
    publishForget(undefined);
    this.#table.forgetAll();
  }

  /**
   * Watches a Worker started by this thread: when it exits (terminate(), process.exit(), an uncaught
   * exception), the flights it was leading are abandoned and one of their waiters runs `fn` again. Call it in
   * the thread that owns the Worker, which must not itself be blocked in a wait for the rescue to happen.
   */
  watch(worker: Worker): void {
    if (!(worker instanceof Worker)) throw invalidType('worker must be a worker_threads Worker');
    const id = worker.threadId;
    if (id < 0 || this.#watched.has(worker)) return;
    this.#watched.add(worker);
    worker.once('exit', () => this.#table.reap(id + 1));
  }

  /** Publishes the leader's outcome for its waiters, then delivers it, as it is, to the leader itself. */
  #lead<T>(key: string, flight: FlightRef, outcome: Outcome, deadline: Deadline): CallInfo<T> {
    const shared = this.#table.publish(flight, ME, key, outcome, this.handle.maxResultBytes, deadline);
    if (!outcome.ok) throw outcome.error;
    return { value: outcome.value as T, shared };
  }

  /** Delivers the outcome of a call that ran `fn` uncoalesced (table full). */
  #alone<T>(outcome: Outcome): T {
    if (outcome.ok) return outcome.value as T;
    this.#table.counters.countError();
    throw outcome.error;
  }
}

/** What a waiter returns: the leader's value, shared; or it throws the leader's (rebuilt) error. */
function received<T>(outcome: Outcome): CallInfo<T> {
  if (!outcome.ok) throw outcome.error;
  return { value: outcome.value as T, shared: true };
}
