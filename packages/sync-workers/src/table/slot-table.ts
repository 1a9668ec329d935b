import type { Outcome } from '@shared-call/core/internal';
import { lock, unlock, unlockIfHeldBy } from './bucket-lock.js';
import { expired, type Deadline } from './deadline.js';
import { FlightWaits, type Awaited, type FlightRef } from './flight-waits.js';
import type { KeyBytes } from './key-bytes.js';
import { SLOT, lockCell, slotCell } from './layout.js';
import { serializeFailure, serializeOutcome } from './result-codec.js';
import { buffersHeldBy, releaseBuffer, storeResult, type ResultMemory } from './result-store.js';
import { SlotProbe, type Entry } from './slot-probe.js';
import { ABANDONED, CLAIMING, DONE_ERR, DONE_OK, PENDING, freed, generationOf, phaseOf, refsOf, withPhase } from './slot-word.js';
import { TableCounters } from './table-counters.js';
import { ThreadRefs } from './thread-refs.js';
import { clearMark } from './wait-graph.js';

export type { Awaited, FlightRef } from './flight-waits.js';
export type { Entry } from './slot-probe.js';

/** What one thread's table needs to know about that thread: who it is, and the largest result it may hand over. */
export interface ThreadContext {
  /** The thread's id + 1, as leaders, lock holders and thread records name it (0 means nobody). */
  readonly me: number;
  /** The table's `maxResultBytes`. */
  readonly maxBytes: number;
}

/** Where a leader stored its serialized outcome, and whether waiters read it as a failure. */
interface Stored {
  readonly buffer: number;
  readonly failed: boolean;
}

const NO_DEADLINE: Deadline = { at: Infinity, timeoutMs: undefined };

/**
 * One thread's view of the slot table's protocol over shared memory (slot-word.ts documents the control word).
 * Every method is called by the thread that makes the call; no thread ever runs code on behalf of another:
 *
 * - A caller first tries to join a live flight of its key in the probe window (one compareExchange adding a
 *   ref). Failing that, it takes its home bucket's lock, looks again, and claims an EMPTY slot
 *   (EMPTY → CLAIMING → PENDING): the lock makes sure one key never gets two live flights (slot-probe.ts).
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
  readonly #thread: ThreadContext;
  readonly #threads: ThreadRefs;
  readonly #probe: SlotProbe;
  readonly #waits: FlightWaits;

  constructor(memory: ResultMemory, stats: BigInt64Array, slots: number, thread: ThreadContext) {
    this.#memory = memory;
    this.#cells = memory.cells;
    this.#slots = slots;
    this.#thread = thread;
    this.counters = new TableCounters(stats);
    this.#threads = new ThreadRefs(memory.cells, slots, thread.me);
    this.#probe = new SlotProbe(memory.cells, memory.inlineBytes, slots, this.#threads, this.counters, thread.me);
    this.#waits = new FlightWaits(memory, slots, this.#threads, this.counters, thread.me);
  }

  /**
   * Joins the live flight of `key` or starts one led by this thread, for a caller that will block: one that
   * finds a flight led by its own thread gets a {@link ReentrantCallError} naming `name`. Waiting for the
   * bucket lock is bounded by `deadline` (TimeoutError).
   */
  enter(key: KeyBytes, deadline: Deadline, name: string): Entry {
    return this.#enter(key, deadline, name);
  }

  /** {@link enter} for a caller that waits without blocking (`callAsync`): it may join its own thread's flight. */
  enterAsync(key: KeyBytes, deadline: Deadline): Entry {
    return this.#enter(key, deadline, undefined);
  }

  /**
   * Hands the leader's outcome to the flight's waiters; true when at least one received it. With no waiter the
   * slot is freed and nothing is serialized. If the outcome cannot be cloned or is too large, every waiter gets
   * that error instead (result-codec.ts). If `deadline` passes while the leader waits for a free result buffer,
   * the flight is handed to a waiter, which runs its own `fn` (as when a leader dies).
   */
  publish(flight: FlightRef, name: string, outcome: Outcome, deadline: Deadline): boolean {
    if (!outcome.ok) this.counters.countError();
    const { slot, generation } = flight;
    const word = slotCell(slot) + SLOT.WORD;
    let stored: Stored | undefined;
    for (;;) {
      const current = Atomics.load(this.#cells, word);
      if (!this.#leads(slot, current, generation)) {
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
        stored = this.#store(slot, name, outcome, deadline);
        if (stored !== undefined) continue;
        while (!this.#abandon(slot, Atomics.load(this.#cells, word), (word) => this.#leads(slot, word, generation)));
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
  awaitBlocking(entry: FlightRef, deadline: Deadline, name: string): Awaited {
    return this.#waits.awaitBlocking(entry, deadline, name);
  }

  /** {@link awaitBlocking} that lets the event loop run (`Atomics.waitAsync`), without the cycle check. */
  awaitAsync(entry: FlightRef, deadline: Deadline): Promise<Awaited> {
    return this.#waits.awaitAsync(entry, deadline);
  }

  /** Flights in progress now: slots being claimed or whose leader runs `fn` (an ABANDONED flight waits for one). */
  activeFlights(): number {
    let active = 0;
    for (let slot = 0; slot < this.#slots; slot++) {
      const phase = phaseOf(Atomics.load(this.#cells, slotCell(slot) + SLOT.WORD));
      if (phase === CLAIMING || phase === PENDING) active++;
    }
    return active;
  }

  /** Marks the live flight of `key` forgotten: it keeps its callers, new callers start a new flight. */
  forget(key: KeyBytes): boolean {
    return this.#probe.forget(key);
  }

  /** {@link forget} for every live flight. */
  forgetAll(): void {
    this.#probe.forgetAll();
  }

  /**
   * Releases what thread `dead` (a thread id + 1) held when it died: its PENDING flights become ABANDONED (or
   * are freed when nobody waits), their waiters are woken, and bucket locks it held are released.
   */
  reap(dead: number): void {
    const ledByDead = (slot: number) => (word: number) =>
      phaseOf(word) === PENDING && Atomics.load(this.#cells, slotCell(slot) + SLOT.OWNER) === dead;
    for (let slot = 0; slot < this.#slots; slot++) {
      while (!this.#abandon(slot, Atomics.load(this.#cells, slotCell(slot) + SLOT.WORD), ledByDead(slot)));
      unlockIfHeldBy(this.#cells, lockCell(this.#slots, slot), dead);
    }
    for (const [slot, refs] of this.#threads.release(dead)) this.#waits.drop(slot, refs);
  }

  /** Joins `key`'s flight, else claims a slot for it under its home's bucket lock; see {@link enter}. */
  #enter(key: KeyBytes, deadline: Deadline, reentrant: string | undefined): Entry {
    const home = this.#probe.home(key);
    const joined = this.#probe.join(key, home, reentrant);
    if (joined !== undefined) return joined;
    const bucket = lockCell(this.#slots, home);
    if (!lock(this.#cells, bucket, this.#thread.me, deadline)) throw expired(deadline);
    try {
      return this.#probe.join(key, home, reentrant) ?? this.#probe.claim(key, home);
    } finally {
      unlock(this.#cells, bucket);
    }
  }

  /**
   * Takes the flight in `slot` (its word just read as `current`) from its leader, if `led` says that leader is
   * the one to drop: ABANDONED for a waiter to take over, or freed when nobody waits; result buffers the leader
   * took are released and the waiters woken. True when done or nothing to do, false when the word changed.
   */
  #abandon(slot: number, current: number, led: (word: number) => boolean): boolean {
    if (!led(current)) return true;
    const word = slotCell(slot) + SLOT.WORD;
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

  /** True when `word` (just read from `slot`) is still the PENDING flight of `generation` that this thread leads. */
  #leads(slot: number, word: number, generation: number): boolean {
    return (
      phaseOf(word) === PENDING &&
      generationOf(word) === generation &&
      Atomics.load(this.#cells, slotCell(slot) + SLOT.OWNER) === this.#thread.me
    );
  }

  /**
   * Serializes and stores the leader's outcome for its waiters, before it is published; an unshareable outcome
   * stores that error instead. Undefined when `deadline` passes while waiting for a result buffer.
   */
  #store(slot: number, name: string, outcome: Outcome, deadline: Deadline): Stored | undefined {
    const { maxBytes } = this.#thread;
    const serialized = serializeOutcome(name, outcome.ok ? outcome.value : outcome.error, !outcome.ok, maxBytes);
    if ('bytes' in serialized) {
      const buffer = storeResult(this.#memory, slot, serialized, deadline, () => this.#waits.readOwnAsync());
      return buffer === undefined ? undefined : { buffer, failed: !outcome.ok };
    }
    // The coalescer's own errors are small enough to fit inline after any key: this never waits for a buffer.
    const buffer = storeResult(this.#memory, slot, serializeFailure(serialized.unshareable), NO_DEADLINE, () => {})!;
    return { buffer, failed: true };
  }
}
