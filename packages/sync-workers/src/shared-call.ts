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
import { leadTraced, leadTracedAsync, publishEntry, publishForget } from './diagnostics.js';
import { attachOptionsError, checkHandle, createHandle, memoryOf, type SharedCallHandle } from './handle.js';
import { callTimeout, checkTableOptions, type SharedCallOptions, type SyncCallOptions } from './options.js';
import type { SyncWorkersStats } from './stats.js';
import { deadlineIn, type Deadline } from './table/deadline.js';
import { encodeKey } from './table/key-bytes.js';
import { SlotTable, type FlightRef } from './table/slot-table.js';

/** This thread as the table records leaders and lock holders (0 means nobody). */
const ME = threadId + 1;

/**
 * What {@link SharedCall.attach} hands the constructor instead of options: the table to attach to. The class is
 * not exported, so only `attach` can make one, and a constructor given one creates no table of its own.
 */
class Attachment {
  constructor(readonly handle: SharedCallHandle) {}
}

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
    if (options instanceof Attachment) {
      const { handle } = options;
      this.handle = Object.freeze({ ...handle, buffers: Object.freeze([...handle.buffers]) });
    } else {
      const { slots, maxResultBytes, timeoutMs } = checkTableOptions(options);
      this.handle = createHandle(slots, maxResultBytes, timeoutMs);
    }
    const { memory, stats, slots } = memoryOf(this.handle);
    this.#table = new SlotTable(memory, stats, slots, { me: ME, maxBytes: this.handle.maxResultBytes });
  }

  /**
   * An instance over the table of `handle` (from `sc.handle`, usually cloned into this thread). Rejects anything
   * that is not such a handle with a TypeError. Takes no options: the table's `slots`, `maxResultBytes` and
   * default `timeoutMs` are the creator's, so a second argument is a TypeError (give `timeoutMs` per call).
   */
  static attach(handle: SharedCallHandle): SharedCall {
    checkHandle(handle);
    if (arguments.length > 1 && arguments[1] !== undefined) throw attachOptionsError();
    return new SharedCall(new Attachment(handle) as SharedCallOptions);
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
    const entry = this.#table.enter(encodeKey(key), deadline, key);
    if (entry.role !== 'lead') publishEntry(key, entry.role);
    if (entry.role === 'overflow') return { value: this.#alone<T>(settle(fn)), shared: false };
    if (entry.role === 'join') {
      const awaited = this.#table.awaitBlocking(entry, deadline, key);
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
    const entry = this.#table.enterAsync(encodeKey(key), deadline);
    if (entry.role !== 'lead') publishEntry(key, entry.role);
    if (entry.role === 'overflow') return this.#alone<T>(await settleAsync(fn));
    if (entry.role === 'join') {
      const awaited = await this.#table.awaitAsync(entry, deadline);
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
    const shared = this.#table.publish(flight, key, outcome, deadline);
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
