import { SLOT, slotCell } from './layout.js';
import { PENDING, generationOf, phaseOf } from './slot-word.js';
import type { FlightRef } from './flight-waits.js';

/**
 * Who waits for whom, kept in the flights themselves: while a thread is blocked on a flight, each PENDING
 * flight it leads names that flight in its SLOT.LEADER_BLOCKED_ON cell, as `(slot + 1) << 16 | generation`
 * (0: its leader is not blocked). Only leaders can be links of a cycle, and a table has at most one leader per
 * slot, so this needs no per-thread memory: any number of threads may come and go.
 *
 * A thread marks its flights before it looks for a cycle, so of two threads closing one at once at least one
 * sees the other. The marks are the leader's own: it writes them while it leads, the claim of a slot or the
 * takeover of an abandoned flight clears them, and a dead leader's marks go with its flights.
 */

/** Marks every PENDING flight led by thread `me` as blocked on `flight`; returns the marked slots. */
export function markBlocked(cells: Int32Array, slots: number, me: number, flight: FlightRef): number[] {
  const marked: number[] = [];
  const mark = ((flight.slot + 1) << 16) | flight.generation;
  for (let slot = 0; slot < slots; slot++) {
    const cell = slotCell(slot);
    if (cells[cell + SLOT.OWNER] !== me || phaseOf(Atomics.load(cells, cell + SLOT.WORD)) !== PENDING) continue;
    Atomics.store(cells, cell + SLOT.LEADER_BLOCKED_ON, mark);
    marked.push(slot);
  }
  return marked;
}

/** Clears the marks {@link markBlocked} set, once the thread no longer blocks. */
export function unmarkBlocked(cells: Int32Array, marked: readonly number[]): void {
  for (const slot of marked) Atomics.store(cells, slotCell(slot) + SLOT.LEADER_BLOCKED_ON, 0);
}

/** Clears the mark of a flight whose leader just changed (claimed or taken over). */
export function clearMark(cells: Int32Array, slot: number): void {
  Atomics.store(cells, slotCell(slot) + SLOT.LEADER_BLOCKED_ON, 0);
}

/**
 * True when waiting on the flight in `slot` would close a cycle: its leader, following which flight each leader
 * is blocked on, leads back to thread `me`. A chain visits each slot at most once, so `slots` hops bound it.
 */
export function closesCycle(cells: Int32Array, slots: number, slot: number, me: number): boolean {
  let cell = slotCell(slot);
  for (let hops = 0; hops <= slots; hops++) {
    if (phaseOf(Atomics.load(cells, cell + SLOT.WORD)) !== PENDING) return false;
    if (Atomics.load(cells, cell + SLOT.OWNER) === me) return true;
    const mark = Atomics.load(cells, cell + SLOT.LEADER_BLOCKED_ON);
    if (mark === 0) return false;
    cell = slotCell((mark >>> 16) - 1);
    if (generationOf(Atomics.load(cells, cell + SLOT.WORD)) !== (mark & 0xffff)) return false;
  }
  return false;
}
