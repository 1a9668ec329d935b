// Over 250 lines on purpose: this file is the slot table's claim / join / publish / forget / reap protocol, and
// every method of it changes the same slot control words with compareExchange orders that must be read side by
// side to be checked. What can be read alone is already elsewhere: the word's bit layout (slot-word.ts), waiting
// and takeover (flight-waits.ts), thread records (thread-refs.ts), deadlock detection (wait-graph.ts), result
// bytes (result-store.ts, result-codec.ts) and the bucket lock (bucket-lock.ts).
import type { Outcome } from '@shared-call/core/internal';
import { lock, unlock, unlockIfHeldBy } from './bucket-lock.js';
import { TableCounters } from './table-counters.js';
import { expired, type Deadline } from './deadline.js';
import type { KeyBytes } from './key-bytes.js';
import {
  F_HASH,
  F_KEY_LENGTH,
  F_OWNER,
  F_WORD,
  INLINE_BYTES,
  PROBE_WINDOW,
  STAT_HITS,
  STAT_MISSES,
  STAT_OVERFLOWS,
  lockCell,
  slotCell,
} from './layout.js';
import { FlightWaits, type Awaited, type FlightRef } from './flight-waits.js';
import { ReentrantCallError } from './reentrant-call-error.js';
import { serializeFailure, serializeOutcome } from './result-codec.js';
import { buffersHeldBy, releaseBuffer, storeResult, type ResultMemory } from './result-store.js';
import { ThreadRefs } from './thread-refs.js';
import { clearMark } from './wait-graph.js';
import {
  ABANDONED,
  CLAIMING,
  DONE_ERR,
  DONE_OK,
  EMPTY,
  FORGOTTEN,
  MAX_REFS,
  PENDING,
  REF,
  freed,
  generationOf,
  isJoinable,
  phaseOf,
  refsOf,
  withPhase,
} from './slot-word.js';

/** How a call takes part: it leads a flight in `slot`, joined one, or runs alone because the table is full. */
export type Entry = ({ readonly role: 'lead' | 'join' } & FlightRef) | { readonly role: 'overflow' };

export type { Awaited, FlightRef } from './flight-waits.js';

/** Where a leader stored its serialized outcome, and whether waiters read it as a failure. */
interface Stored {
  readonly buffer: number;
  readonly failed: boolean;
}

const NO_DEADLINE: Deadline = { at: Infinity, timeoutMs: undefined };

/**
 * The slot table's protocol over shared memory (slot-word.ts documents the control word). Every method is
 * called by the thread that makes the call; no thread ever runs code on behalf of another:
 *
 * - A caller first tries to join a live flight of its key in the probe window (one compareExchange adding a
 *   ref). Failing that, it takes its home bucket's lock, looks again, and claims an EMPTY slot
 *   (EMPTY → CLAIMING → PENDING): the lock makes sure one key never gets two live flights.
 * - The leader publishes with one compareExchange (PENDING → DONE_OK/DONE_ERR, dropping its ref) and notifies;
 *   if nobody joined it frees the slot instead and never serializes anything.
 * - Waiters sleep on the control word, read the result straight from shared memory, then drop their ref; the
 *   last one out frees the slot (EMPTY, next generation) and its result buffer (flight-waits.ts).
 * - When a watched thread dies, {@link reap} turns its PENDING flights into ABANDONED; the first waiter to see
 *   that takes the flight over and runs `fn` again. A leader whose deadline passes while it waits for a result
 *   buffer hands its flight over the same way.
 * - A thread never waits for itself: before it blocks, it reads the published outcomes of its own pending
 *   `callAsync` joins (which hold result buffers until read), since their promises cannot run meanwhile.
 */
export class SlotTable {
  /** The table's shared counters: updated by every thread as its calls enter and settle. */
  readonly counters: TableCounters;
  readonly #cells: Int32Array;
  readonly #memory: ResultMemory;
  readonly #slots: number;
  readonly #window: number;
  readonly #inline: Uint8Array;
  readonly #threads: ThreadRefs;
  readonly #waits: FlightWaits;

  constructor(memory: ResultMemory, stats: BigInt64Array, slots: number) {
    this.#memory = memory;
    this.#cells = memory.cells;
    this.#slots = slots;
    this.#window = Math.min(slots, PROBE_WINDOW);
    this.#inline = new Uint8Array(memory.inline);
    this.counters = new TableCounters(stats);
    this.#threads = new ThreadRefs(memory.cells, slots);
    this.#waits = new FlightWaits(memory, slots, this.#threads, this.counters);
  }

  /**
   * Joins the live flight of `key` or starts one led by thread `me` (a thread id + 1). A blocking caller
   * (`blocking`) that finds a flight led by its own thread gets a {@link ReentrantCallError}. Waiting for the
   * bucket lock is bounded by `deadline` (TimeoutError).
   */
  enter(key: KeyBytes, me: number, blocking: boolean, deadline: Deadline, name: string): Entry {
    const home = this.#home(key);
    const joined = this.#join(key, home, me, blocking, name);
    if (joined !== undefined) return joined;
    const bucket = lockCell(this.#slots, home);
    if (!lock(this.#cells, bucket, me, deadline)) throw expired(deadline);
    try {
      return this.#join(key, home, me, blocking, name) ?? this.#claim(key, home, me);
    } finally {
      unlock(this.#cells, bucket);
    }
  }

  /**
   * Hands the leader's outcome to the flight's waiters; true when at least one received it. With no waiter the
   * slot is freed and nothing is serialized. If the outcome cannot be cloned or is too large, every waiter gets
   * that error instead (result-codec.ts). If `deadline` passes while the leader waits for a free result buffer,
   * the flight is handed to a waiter, which runs its own `fn` (as when a leader dies).
   */
  publish(flight: FlightRef, me: number, name: string, outcome: Outcome, maxBytes: number, deadline: Deadline): boolean {
    if (!outcome.ok) this.counters.countError();
    const { slot, generation } = flight;
    const word = slotCell(slot) + F_WORD;
    let stored: Stored | undefined;
    for (;;) {
      const current = Atomics.load(this.#cells, word);
      if (!this.#leads(slot, current, generation, me)) {
        // Reaped as dead while still running: the flight now belongs to another leader.
        if (stored !== undefined) releaseBuffer(this.#cells, stored.buffer);
        return false;
      }
      const refs = refsOf(current);
      if (refs === 1) {
        if (Atomics.compareExchange(this.#cells, word, current, freed(current)) !== current) continue;
        if (stored !== undefined) releaseBuffer(this.#cells, stored.buffer);
        return false;
      }
      if (stored === undefined) {
        stored = this.#store(slot, name, outcome, maxBytes, deadline);
        if (stored !== undefined) continue;
        while (!this.#abandon(slot, Atomics.load(this.#cells, word), (word) => this.#leads(slot, word, generation, me)));
        return false;
      }
      const done = stored.failed ? DONE_ERR : DONE_OK;
      if (Atomics.compareExchange(this.#cells, word, current, withPhase(current, done, refs - 1)) !== current) continue;
      Atomics.notify(this.#cells, word, Infinity);
      return true;
    }
  }

  /**
   * Blocks until the flight in `entry` publishes, or its leader dies and this caller must lead it; refuses with
   * a {@link ReentrantCallError} a wait that would close a cycle (see {@link FlightWaits.awaitBlocking}).
   */
  awaitBlocking(entry: FlightRef, me: number, deadline: Deadline, name: string): Awaited {
    return this.#waits.awaitBlocking(entry, me, deadline, name);
  }

  /** {@link awaitBlocking} that lets the event loop run (`Atomics.waitAsync`), without the cycle check. */
  awaitAsync(entry: FlightRef, me: number, deadline: Deadline): Promise<Awaited> {
    return this.#waits.awaitAsync(entry, me, deadline);
  }

  /** Flights in progress now: slots being claimed or whose leader runs `fn` (an ABANDONED flight waits for one). */
  activeFlights(): number {
    let active = 0;
    for (let slot = 0; slot < this.#slots; slot++) {
      const phase = phaseOf(Atomics.load(this.#cells, slotCell(slot) + F_WORD));
      if (phase === CLAIMING || phase === PENDING) active++;
    }
    return active;
  }

  /** Marks the live flight of `key` forgotten: it keeps its callers, new callers start a new flight. */
  forget(key: KeyBytes): boolean {
    const home = this.#home(key);
    for (let i = 0; i < this.#window; i++) {
      const slot = (home + i) % this.#slots;
      if (this.#markForgotten(slot, (word) => this.#holds(slot, word, key))) return true;
    }
    return false;
  }

  /** {@link forget} for every live flight. */
  forgetAll(): void {
    for (let slot = 0; slot < this.#slots; slot++) this.#markForgotten(slot, () => true);
  }

  /**
   * Releases what thread `dead` (a thread id + 1) held when it died: its PENDING flights become ABANDONED (or
   * are freed when nobody waits), their waiters are woken, and bucket locks it held are released.
   */
  reap(dead: number): void {
    const ledByDead = (slot: number) => (word: number) =>
      phaseOf(word) === PENDING && Atomics.load(this.#cells, slotCell(slot) + F_OWNER) === dead;
    for (let slot = 0; slot < this.#slots; slot++) {
      while (!this.#abandon(slot, Atomics.load(this.#cells, slotCell(slot) + F_WORD), ledByDead(slot)));
      unlockIfHeldBy(this.#cells, lockCell(this.#slots, slot), dead);
    }
    for (const [slot, refs] of this.#threads.release(dead)) this.#waits.drop(slot, refs);
  }

  /**
   * Takes the flight in `slot` (its word just read as `current`) from its leader, if `led` says that leader is
   * the one to drop: ABANDONED for a waiter to take over, or freed when nobody waits; result buffers the leader
   * took are released and the waiters woken. True when done or nothing to do, false when the word changed.
   */
  #abandon(slot: number, current: number, led: (word: number) => boolean): boolean {
    if (!led(current)) return true;
    const word = slotCell(slot) + F_WORD;
    const refs = refsOf(current);
    // Buffers the leader took before it could publish, looked up before the slot can change hands; and its
    // blocked-on mark, which no longer holds.
    const taken = buffersHeldBy(this.#cells, slot);
    clearMark(this.#cells, slot);
    const next = refs === 1 ? freed(current) : withPhase(current, ABANDONED, refs - 1);
    if (Atomics.compareExchange(this.#cells, word, current, next) !== current) return false;
    for (const buffer of taken) releaseBuffer(this.#cells, buffer);
    Atomics.notify(this.#cells, word, Infinity);
    return true;
  }

  /** The slot where `key`'s probe window starts; its bucket lock serializes the claims of every key with this home. */
  #home(key: KeyBytes): number {
    return (key.hash >>> 0) % this.#slots;
  }

  /**
   * Adds a ref to a live flight of `key` in the probe window and records it for thread `me`; undefined when
   * there is none. Throws a {@link ReentrantCallError} when a blocking caller finds its own thread leading it.
   * A caller that finds no free thread record runs alone (an overflow): every waiter ref is recorded.
   */
  #join(key: KeyBytes, home: number, me: number, blocking: boolean, name: string): Entry | undefined {
    let reserved = false;
    try {
      for (let i = 0; i < this.#window; i++) {
        const slot = (home + i) % this.#slots;
        const word = slotCell(slot) + F_WORD;
        for (let current = Atomics.load(this.#cells, word); this.#holds(slot, current, key); current = Atomics.load(this.#cells, word)) {
          if (blocking && phaseOf(current) === PENDING && Atomics.load(this.#cells, slotCell(slot) + F_OWNER) === me) {
            throw new ReentrantCallError(name);
          }
          if (refsOf(current) === MAX_REFS || !(reserved ||= this.#threads.reserve(me))) return this.#overflow();
          if (Atomics.compareExchange(this.#cells, word, current, current + REF) === current) {
            this.#threads.record(me, slot);
            this.counters.add(STAT_HITS);
            return { role: 'join', slot, generation: generationOf(current) };
          }
        }
      }
      return undefined;
    } finally {
      if (reserved) this.#threads.idle(me);
    }
  }

  /** Claims an EMPTY slot of the window for a flight led by `me` (overflow if none is free); under the bucket lock. */
  #claim(key: KeyBytes, home: number, me: number): Entry {
    for (let i = 0; i < this.#window; i++) {
      const slot = (home + i) % this.#slots;
      const cell = slotCell(slot);
      const current = Atomics.load(this.#cells, cell + F_WORD);
      if (phaseOf(current) !== EMPTY) continue;
      const claiming = withPhase(current, CLAIMING, 1);
      if (Atomics.compareExchange(this.#cells, cell + F_WORD, current, claiming) !== current) continue;
      Atomics.store(this.#cells, cell + F_OWNER, me);
      clearMark(this.#cells, slot);
      this.#cells[cell + F_HASH] = key.hash;
      this.#cells[cell + F_KEY_LENGTH] = key.bytes.length;
      this.#inline.set(key.bytes, slot * INLINE_BYTES);
      Atomics.store(this.#cells, cell + F_WORD, withPhase(claiming, PENDING, 1));
      this.counters.add(STAT_MISSES);
      return { role: 'lead', slot, generation: generationOf(current) };
    }
    return this.#overflow();
  }

  /** Counts and returns the entry of a call that runs `fn` alone because the table has no room for it. */
  #overflow(): Entry {
    this.counters.add(STAT_OVERFLOWS);
    this.counters.add(STAT_MISSES);
    return { role: 'overflow' };
  }

  /** True when `word` (just read from `slot`) is a live flight of `key`. */
  #holds(slot: number, word: number, key: KeyBytes): boolean {
    if (!isJoinable(word)) return false;
    const cell = slotCell(slot);
    const length = key.bytes.length;
    if (this.#cells[cell + F_HASH] !== key.hash || this.#cells[cell + F_KEY_LENGTH] !== length) return false;
    const start = slot * INLINE_BYTES;
    return key.bytes.compare(this.#inline, start, start + length) === 0;
  }

  /** True when `word` (just read from `slot`) is still the PENDING flight of `generation` that thread `me` leads. */
  #leads(slot: number, word: number, generation: number, me: number): boolean {
    return (
      phaseOf(word) === PENDING &&
      generationOf(word) === generation &&
      Atomics.load(this.#cells, slotCell(slot) + F_OWNER) === me
    );
  }

  /**
   * Serializes and stores the leader's outcome for its waiters, before it is published; an unshareable outcome
   * stores that error instead. Undefined when `deadline` passes while waiting for a result buffer.
   */
  #store(slot: number, name: string, outcome: Outcome, maxBytes: number, deadline: Deadline): Stored | undefined {
    const serialized = serializeOutcome(name, outcome.ok ? outcome.value : outcome.error, !outcome.ok, maxBytes);
    if ('bytes' in serialized) {
      const buffer = storeResult(this.#memory, slot, serialized, deadline, () => this.#waits.readOwnAsync());
      return buffer === undefined ? undefined : { buffer, failed: !outcome.ok };
    }
    // The coalescer's own errors are small enough to fit inline after any key: this never waits for a buffer.
    const buffer = storeResult(this.#memory, slot, serializeFailure(serialized.unshareable), NO_DEADLINE, () => {})!;
    return { buffer, failed: true };
  }

  /** Sets the forgotten bit of `slot` if it holds a joinable flight that `matches`; true if it did. */
  #markForgotten(slot: number, matches: (word: number) => boolean): boolean {
    const word = slotCell(slot) + F_WORD;
    for (;;) {
      const current = Atomics.load(this.#cells, word);
      if (!isJoinable(current) || !matches(current)) return false;
      if (Atomics.compareExchange(this.#cells, word, current, current | FORGOTTEN) === current) return true;
    }
  }
}
