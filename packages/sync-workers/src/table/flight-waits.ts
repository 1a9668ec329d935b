import { blockWhile, expired, pauseWhile, type Deadline } from './deadline.js';
import { SLOT, STAT, slotCell } from './layout.js';
import type { TableCounters } from './table-counters.js';
import { ReentrantCallError } from '../reentrant-call-error.js';
import { deserializeOutcome } from './result-codec.js';
import type { Outcome } from '@shared-call/core/internal';
import { releaseBuffer, resultBufferOf, storedResult, type ResultMemory } from './result-store.js';
import { ABANDONED, DONE_ERR, DONE_OK, PENDING, freed, phaseOf, refsOf, withPhase } from './slot-word.js';
import type { ThreadRefs } from './thread-refs.js';
import { closesCycle, markBlocked, unmarkBlocked } from './wait-graph.js';

/** One flight: its slot and the slot's generation while the flight lasts. */
export interface FlightRef {
  readonly slot: number;
  readonly generation: number;
}

/** What a waiter found: the flight's outcome, or the flight itself because its leader died and it took over. */
export type Awaited = ({ readonly kind: 'outcome' } & Outcome) | { readonly kind: 'lead' };

/** What a waiter does next: stop with a result, or sleep while the slot's word still holds `word`. */
type Poll = Awaited | { readonly kind: 'wait'; readonly word: number };

/** A pending `callAsync` wait of this thread; `read` is set once the thread read its outcome for it. */
interface OwnAsyncWait {
  readonly entry: FlightRef;
  read?: Awaited;
}

/**
 * The waiters' side of the slot protocol, for one thread (slot-table.ts and slot-probe.ts have the rest): a joined caller sleeps on the slot's
 * control word, reads the published result straight from shared memory and drops its ref; the last one out
 * frees the slot and its result buffer. On ABANDONED, the first waiter to see it takes the flight over.
 * A thread never waits for itself: before it blocks, it reads the published outcomes of its own pending
 * `callAsync` joins (which hold result buffers until read), since their promises cannot run meanwhile.
 */
export class FlightWaits {
  readonly #cells: Int32Array;
  readonly #memory: ResultMemory;
  readonly #slots: number;
  readonly #threads: ThreadRefs;
  readonly #counters: TableCounters;
  /** This thread (its thread id + 1), the waiter. */
  readonly #me: number;
  readonly #ownAsyncWaits = new Set<OwnAsyncWait>();

  constructor(memory: ResultMemory, slots: number, threads: ThreadRefs, counters: TableCounters, me: number) {
    this.#memory = memory;
    this.#cells = memory.cells;
    this.#slots = slots;
    this.#threads = threads;
    this.#counters = counters;
    this.#me = me;
  }

  /**
   * Blocks until the flight in `entry` publishes, or its leader dies and this caller must lead it. Refuses with
   * a {@link ReentrantCallError} (dropping its ref) a wait that would close a cycle: the flight's leader is
   * itself blocked, directly or through other threads, on a flight this thread leads.
   */
  awaitBlocking(entry: FlightRef, deadline: Deadline, name: string): Awaited {
    // Marked before looking for a cycle: of two threads closing one at once, at least one sees the other.
    const marked = markBlocked(this.#cells, this.#slots, this.#me, entry);
    try {
      if (closesCycle(this.#cells, this.#slots, entry.slot, this.#me)) {
        this.leave(entry.slot);
        throw new ReentrantCallError(name, true);
      }
      for (;;) {
        const poll = this.#poll(entry);
        if (poll.kind !== 'wait') return poll;
        this.readOwnAsync();
        if (!blockWhile(this.#cells, slotCell(entry.slot) + SLOT.WORD, poll.word, deadline)) {
          this.leave(entry.slot);
          throw expired(deadline);
        }
      }
    } finally {
      unmarkBlocked(this.#cells, marked);
    }
  }

  /** {@link awaitBlocking} that lets the event loop run (`Atomics.waitAsync`), without the cycle check. */
  async awaitAsync(entry: FlightRef, deadline: Deadline): Promise<Awaited> {
    const wait: OwnAsyncWait = { entry };
    this.#ownAsyncWaits.add(wait);
    try {
      for (;;) {
        if (wait.read !== undefined) return wait.read;
        const poll = this.#poll(entry);
        if (poll.kind !== 'wait') return poll;
        if (!(await pauseWhile(this.#cells, slotCell(entry.slot) + SLOT.WORD, poll.word, deadline))) {
          if (wait.read !== undefined) return wait.read;
          this.leave(entry.slot);
          throw expired(deadline);
        }
      }
    } finally {
      this.#ownAsyncWaits.delete(wait);
    }
  }

  /**
   * Reads the outcomes already published for this thread's pending `callAsync` joins, dropping their refs (and
   * so the result buffers they hold), for their promises to pick up. Called before this thread blocks: while it
   * is blocked those promises cannot run, and a buffer only they would release could never be freed.
   */
  readOwnAsync(): void {
    for (const wait of this.#ownAsyncWaits) {
      if (wait.read !== undefined) continue;
      const phase = phaseOf(Atomics.load(this.#cells, slotCell(wait.entry.slot) + SLOT.WORD));
      if (phase !== DONE_OK && phase !== DONE_ERR) continue;
      try {
        wait.read = this.#poll(wait.entry) as Awaited;
      } catch (error) {
        wait.read = { kind: 'outcome', ok: false, error };
      }
    }
  }

  /** This thread drops its waiter ref on `slot`; the last ref of a finished or abandoned flight frees the slot. */
  leave(slot: number): void {
    this.#threads.unrecord(slot);
    this.drop(slot, 1);
  }

  /** Drops `count` refs on `slot`; whoever drops the last ref of a finished or abandoned flight frees it. */
  drop(slot: number, count: number): void {
    const word = slotCell(slot) + SLOT.WORD;
    for (;;) {
      const current = Atomics.load(this.#cells, word);
      const refs = refsOf(current);
      const phase = phaseOf(current);
      const last = refs <= count && phase !== PENDING;
      const buffer = last ? resultBufferOf(this.#cells, slot) : -1;
      const next = last ? freed(current) : withPhase(current, phase, Math.max(refs - count, 1));
      if (Atomics.compareExchange(this.#cells, word, current, next) !== current) continue;
      if (last && (phase === DONE_OK || phase === DONE_ERR)) releaseBuffer(this.#cells, buffer);
      return;
    }
  }

  /**
   * One look at a joined flight: its outcome when published (dropping this waiter's ref), the flight itself when
   * it was ABANDONED and this waiter won the takeover, else the word to sleep on.
   */
  #poll(entry: FlightRef): Poll {
    const { slot } = entry;
    const cell = slotCell(slot);
    const current = Atomics.load(this.#cells, cell + SLOT.WORD);
    const phase = phaseOf(current);
    if (phase === DONE_OK || phase === DONE_ERR) {
      try {
        const failed = phase === DONE_ERR;
        const value = deserializeOutcome(storedResult(this.#memory, slot), failed);
        return failed ? { kind: 'outcome', ok: false, error: value } : { kind: 'outcome', ok: true, value };
      } finally {
        this.leave(slot);
      }
    }
    if (phase === ABANDONED) {
      // This caller's ref becomes the leader's, which the owner cell accounts for: unrecord it first (keeping the
      // record, in case the takeover fails and the ref stays a waiter's).
      this.#threads.unrecord(slot, true);
      if (Atomics.compareExchange(this.#cells, cell + SLOT.WORD, current, withPhase(current, PENDING, refsOf(current))) !== current) {
        this.#threads.record(slot);
        return { kind: 'wait', word: Atomics.load(this.#cells, cell + SLOT.WORD) };
      }
      this.#threads.idle();
      Atomics.store(this.#cells, cell + SLOT.OWNER, this.#me);
      this.#counters.add(STAT.HITS, -1n);
      this.#counters.add(STAT.MISSES);
      return { kind: 'lead' };
    }
    return { kind: 'wait', word: current };
  }
}
