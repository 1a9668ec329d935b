import { T_REFS, T_THREAD, T_WAITING_GENERATION, T_WAITING_SLOT, TRACKED_THREADS, threadCell } from './layout.js';

/**
 * Per-thread records in shared memory: which thread holds how many waiter refs on which slot (so that when a
 * watched thread dies its refs can be dropped and the slots it waited on still get freed), and which flight a
 * thread is blocked on (so that a wait that would close a cycle of threads waiting for each other is refused).
 * Each thread claims one record (by compareExchange on its first cell) the first time it joins a flight. When
 * all {@link TRACKED_THREADS} records are taken, a thread goes unrecorded: should it die while waiting, its slot
 * stays in use until the table is dropped, and cycles through it go undetected.
 *
 * Ordering keeps a death between two steps harmless: a ref is recorded after it is taken and unrecorded before
 * it is dropped, so a dying thread can leak a ref but never have one dropped twice.
 */
export class ThreadRefs {
  readonly #cells: Int32Array;
  readonly #slots: number;
  #record: number | undefined; // this thread's record: its first cell, or -1 if none was free

  constructor(cells: Int32Array, slots: number) {
    this.#cells = cells;
    this.#slots = slots;
  }

  /** Records one ref of thread `me` on `slot`. */
  record(me: number, slot: number): void {
    const record = this.#recordOf(me);
    if (record >= 0) Atomics.add(this.#cells, record + T_REFS + slot, 1);
  }

  /** Unrecords one ref of thread `me` on `slot` (recorded by {@link record}). */
  unrecord(me: number, slot: number): void {
    const record = this.#recordOf(me);
    if (record >= 0) Atomics.sub(this.#cells, record + T_REFS + slot, 1);
  }

  /** Notes that thread `me` blocks on the flight in `slot` (generation `generation`), or no longer (`slot` -1). */
  blockOn(me: number, slot: number, generation: number): void {
    const record = this.#recordOf(me);
    if (record < 0) return;
    Atomics.store(this.#cells, record + T_WAITING_GENERATION, generation);
    Atomics.store(this.#cells, record + T_WAITING_SLOT, slot + 1);
  }

  /** The flight thread `thread` is blocked on, if it has a record and is blocked. */
  blockedOn(thread: number): { slot: number; generation: number } | undefined {
    const record = this.#find(thread);
    const slot = record < 0 ? 0 : Atomics.load(this.#cells, record + T_WAITING_SLOT);
    if (slot === 0) return undefined;
    return { slot: slot - 1, generation: Atomics.load(this.#cells, record + T_WAITING_GENERATION) };
  }

  /** Empties and frees the record of thread `dead`; returns how many refs it held on each slot. */
  release(dead: number): Map<number, number> {
    const held = new Map<number, number>();
    const record = this.#find(dead);
    if (record < 0) return held;
    for (let slot = 0; slot < this.#slots; slot++) {
      const refs = Atomics.exchange(this.#cells, record + T_REFS + slot, 0);
      if (refs > 0) held.set(slot, refs);
    }
    Atomics.store(this.#cells, record + T_WAITING_SLOT, 0);
    Atomics.store(this.#cells, record + T_THREAD, 0);
    return held;
  }

  /** The first cell of the record of `thread`, or -1. */
  #find(thread: number): number {
    for (let i = 0; i < TRACKED_THREADS; i++) {
      const record = threadCell(this.#slots, i);
      if (Atomics.load(this.#cells, record + T_THREAD) === thread) return record;
    }
    return -1;
  }

  #recordOf(me: number): number {
    if (this.#record !== undefined) return this.#record;
    const own = this.#find(me);
    if (own >= 0) return (this.#record = own);
    for (let i = 0; i < TRACKED_THREADS; i++) {
      const record = threadCell(this.#slots, i);
      if (Atomics.compareExchange(this.#cells, record + T_THREAD, 0, me) === 0) return (this.#record = record);
    }
    return (this.#record = -1);
  }
}
