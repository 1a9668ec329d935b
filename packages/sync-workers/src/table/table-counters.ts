import { statsSnapshot } from '@shared-call/core/internal';
import type { SyncWorkersStats } from '../stats.js';
import { STAT } from './layout.js';

/**
 * The table's counters, kept in shared memory so that every thread adds to and reads the same numbers. Redis's
 * `Counters` (packages/redis/src/stats.ts) are a different idea — plain numbers of one process, about leases —
 * so the two share only what is common: core's `statsSnapshot`, the shape every coalescer reports.
 */
export class TableCounters {
  constructor(private readonly cells: BigInt64Array) {}

  /** Adds `delta` to `counter` (a STAT index of layout.ts) atomically; any thread may call it at any time. */
  add(counter: number, delta = 1n): void {
    Atomics.add(this.cells, counter, delta);
  }

  /**
   * Counts one call whose `fn` threw (or whose outcome could not be shared): once per flight, by its leader, or
   * by a caller that ran alone.
   */
  countError(): void {
    this.add(STAT.ERRORS);
  }

  /**
   * Reads every counter (each atomically, not all at once: concurrent calls may land between two reads).
   * `active`, the flights in progress, is counted from the slots themselves by the caller: a count kept
   * alongside them would drift whenever a thread dies between changing a slot and counting the change.
   */
  snapshot(active: number): SyncWorkersStats {
    const read = (counter: number) => Number(Atomics.load(this.cells, counter));
    // A waiter that takes over a dead leader's flight turns its hit into a miss: after resetStats() that can
    // briefly leave hits below zero.
    const base = statsSnapshot(Math.max(0, read(STAT.HITS)), read(STAT.MISSES), read(STAT.ERRORS), active);
    return { ...base, overflows: read(STAT.OVERFLOWS) };
  }

  /** Zeroes every counter (`active` is not one: see {@link snapshot}). */
  reset(): void {
    for (const counter of [STAT.HITS, STAT.MISSES, STAT.ERRORS, STAT.OVERFLOWS]) Atomics.store(this.cells, counter, 0n);
  }
}
