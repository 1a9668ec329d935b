import { RECORD, TRACKED_THREADS, threadCell } from './layout.js';

/**
 * Per-thread records in shared memory of the waiter refs a thread holds, slot by slot, so that when a watched
 * thread dies its refs can be dropped and the slots it waited on still get freed. A thread holds a record only
 * while it holds refs: it takes one ({@link reserve}) before it takes its first ref, and gives it back when it
 * drops its last, on every path (outcome read, timeout, takeover, refused cycle). So records are never kept by
 * threads that are gone, however many come and go; only a thread that dies while holding refs, unwatched,
 * keeps its record, with the refs it leaks anyway.
 *
 * Ordering keeps a death between two steps harmless: a ref is recorded after it is taken and unrecorded before
 * it is dropped, so a dying thread can leak a ref but never have one dropped twice. Only the owner writes its
 * record while alive; the reaper writes it only once the owner is dead.
 */
export class ThreadRefs {
  readonly #cells: Int32Array;
  readonly #slots: number;
  /** This thread (its thread id + 1), whose record this object reads and writes. */
  readonly #me: number;
  /** Where this thread's record was last seen: a hint, checked against the record's owner before each use. */
  #hint = 0;

  /** This thread's view of the records of a table with `slots` slots; `me` is this thread's id + 1. */
  constructor(cells: Int32Array, slots: number, me: number) {
    this.#cells = cells;
    this.#slots = slots;
    this.#me = me;
  }

  /**
   * Makes sure this thread has a record, taking a free one if needed; false when all {@link TRACKED_THREADS}
   * are held by other threads. A record taken here and not used is given back by {@link idle}.
   */
  reserve(): boolean {
    if (this.#own() >= 0) return true;
    const me = this.#me;
    const start = me % TRACKED_THREADS;
    for (let i = 0; i < TRACKED_THREADS; i++) {
      const index = (start + i) % TRACKED_THREADS;
      if (Atomics.compareExchange(this.#cells, threadCell(this.#slots, index) + RECORD.THREAD, 0, me) === 0) {
        this.#hint = index;
        return true;
      }
    }
    return false;
  }

  /** Records one ref of this thread on `slot`; this thread has a record ({@link reserve}). */
  record(slot: number): void {
    const record = threadCell(this.#slots, this.#own());
    Atomics.add(this.#cells, record + RECORD.HELD, 1);
    Atomics.add(this.#cells, record + RECORD.REFS + slot, 1);
  }

  /** Unrecords one ref of this thread on `slot`; gives the record back when it was the last, unless `keep`. */
  unrecord(slot: number, keep = false): void {
    const record = threadCell(this.#slots, this.#own());
    Atomics.sub(this.#cells, record + RECORD.REFS + slot, 1);
    if (Atomics.sub(this.#cells, record + RECORD.HELD, 1) === 1 && !keep) Atomics.store(this.#cells, record + RECORD.THREAD, 0);
  }

  /** Gives back this thread's record if it holds no ref (after a {@link reserve} that took none). */
  idle(): void {
    const own = this.#own();
    if (own < 0) return;
    const record = threadCell(this.#slots, own);
    if (Atomics.load(this.#cells, record + RECORD.HELD) === 0) Atomics.store(this.#cells, record + RECORD.THREAD, 0);
  }

  /** Empties and frees the record of thread `dead`; returns how many refs it held on each slot. */
  release(dead: number): Map<number, number> {
    const held = new Map<number, number>();
    const own = this.#find(dead);
    if (own < 0) return held;
    const record = threadCell(this.#slots, own);
    for (let slot = 0; slot < this.#slots; slot++) {
      const refs = Atomics.exchange(this.#cells, record + RECORD.REFS + slot, 0);
      if (refs > 0) held.set(slot, refs);
    }
    Atomics.store(this.#cells, record + RECORD.HELD, 0);
    Atomics.store(this.#cells, record + RECORD.THREAD, 0);
    return held;
  }

  /**
   * The index of this thread's record, or -1. Plain reads suffice (an `Atomics.load` costs ~25 ns on Node 20,
   * and a record is looked up on every join): only this thread writes its own id into a record or takes it
   * out while it lives, so a plain read sees each of those writes; a record it does not own never reads as its.
   */
  #own(): number {
    const cells = this.#cells;
    if (cells[threadCell(this.#slots, this.#hint) + RECORD.THREAD] === this.#me) return this.#hint;
    for (let i = 0; i < TRACKED_THREADS; i++) {
      if (cells[threadCell(this.#slots, i) + RECORD.THREAD] === this.#me) return (this.#hint = i);
    }
    return -1;
  }

  /** The index of the record of `thread`, or -1. */
  #find(thread: number): number {
    for (let i = 0; i < TRACKED_THREADS; i++) {
      if (Atomics.load(this.#cells, threadCell(this.#slots, i) + RECORD.THREAD) === thread) return i;
    }
    return -1;
  }
}
