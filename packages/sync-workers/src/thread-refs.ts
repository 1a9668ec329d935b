import { TRACKED_THREADS, threadCell } from './layout.js';

/**
 * Which thread holds how many waiter refs on which slot, so that when a watched thread dies its refs can be
 * dropped and the slots it waited on still get freed. Each thread claims one record (by compareExchange on
 * the record's first cell) the first time it joins a flight. When all {@link TRACKED_THREADS} records are taken,
 * a thread's refs go unrecorded: should it die while waiting, its slot stays in use until the table is dropped.
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
    if (record >= 0) Atomics.add(this.#cells, record + 1 + slot, 1);
  }

  /** Unrecords one ref of thread `me` on `slot` (recorded by {@link record}). */
  unrecord(me: number, slot: number): void {
    const record = this.#recordOf(me);
    if (record >= 0) Atomics.sub(this.#cells, record + 1 + slot, 1);
  }

  /** Empties and frees the record of thread `dead`; returns how many refs it held on each slot. */
  release(dead: number): Map<number, number> {
    const held = new Map<number, number>();
    for (let i = 0; i < TRACKED_THREADS; i++) {
      const record = threadCell(this.#slots, i);
      if (Atomics.load(this.#cells, record) !== dead) continue;
      for (let slot = 0; slot < this.#slots; slot++) {
        const refs = Atomics.exchange(this.#cells, record + 1 + slot, 0);
        if (refs > 0) held.set(slot, refs);
      }
      Atomics.store(this.#cells, record, 0);
    }
    return held;
  }

  #recordOf(me: number): number {
    if (this.#record !== undefined) return this.#record;
    let free = -1;
    for (let i = 0; i < TRACKED_THREADS; i++) {
      const record = threadCell(this.#slots, i);
      const owner = Atomics.load(this.#cells, record);
      if (owner === me) return (this.#record = record);
      if (owner === 0 && free < 0) free = i;
    }
    for (let i = Math.max(free, 0); free >= 0 && i < TRACKED_THREADS; i++) {
      const record = threadCell(this.#slots, i);
      if (Atomics.compareExchange(this.#cells, record, 0, me) === 0) return (this.#record = record);
    }
    return (this.#record = -1);
  }
}
