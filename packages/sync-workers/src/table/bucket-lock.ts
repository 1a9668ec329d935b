import { blockWhile, type Deadline } from './deadline.js';

/** Set in a held lock when some thread sleeps on it, so the unlocker knows to notify. */
const SLEEPERS = 1 << 30;
/** A lock held this long by the same holder is taken over: its holder is presumed dead. */
export const STALE_LOCK_MS = 1000;

/**
 * Takes the lock in `cells[index]` (0 = free, else the holder's thread id + 1, maybe with {@link SLEEPERS}).
 * The lock guards only the few hundred nanoseconds in which a leader looks for and claims a slot, never user
 * code, so a holder that keeps it for {@link STALE_LOCK_MS} is dead and the lock is taken from it. Returns
 * false if the deadline passes first.
 */
export function lock(cells: Int32Array, index: number, me: number, deadline: Deadline): boolean {
  let held = Atomics.compareExchange(cells, index, 0, me);
  if (held === 0) return true;
  let since = performance.now();
  for (;;) {
    if (held === 0) {
      held = Atomics.compareExchange(cells, index, 0, me | SLEEPERS);
      if (held === 0) return true;
      continue;
    }
    const flagged = held | SLEEPERS;
    const now = performance.now();
    if (now - since >= STALE_LOCK_MS) {
      if (Atomics.compareExchange(cells, index, held, me | SLEEPERS) === held) return true;
    } else if (held === flagged || Atomics.compareExchange(cells, index, held, flagged) === held) {
      if (!blockWhile(cells, index, flagged, deadline)) return false;
    }
    const next = Atomics.load(cells, index);
    if ((next & ~SLEEPERS) !== (held & ~SLEEPERS)) since = performance.now();
    held = next;
  }
}

/** Releases a lock taken by {@link lock}, waking one sleeper if any. */
export function unlock(cells: Int32Array, index: number): void {
  if ((Atomics.exchange(cells, index, 0) & SLEEPERS) !== 0) Atomics.notify(cells, index, 1);
}

/** Releases the lock if `holder` (a thread id + 1) holds it; used when that thread is known to be dead. */
export function unlockIfHeldBy(cells: Int32Array, index: number, holder: number): void {
  const held = Atomics.load(cells, index);
  if ((held & ~SLEEPERS) === holder && Atomics.compareExchange(cells, index, held, 0) === held) {
    Atomics.notify(cells, index, Infinity);
  }
}
