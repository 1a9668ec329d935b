import { timeoutError } from '@shared-call/core/internal';

/** Longest single `Atomics.wait`: every wait re-checks its predicate and its deadline at least this often. */
export const WAIT_SLICE_MS = 50;

/** When a wait must give up; `timeoutMs` is kept for the error message. */
export interface Deadline {
  readonly at: number;
  readonly timeoutMs: number | undefined;
}

/** A deadline `timeoutMs` from now, or none (`Infinity`) when `timeoutMs` is undefined. */
export function deadlineIn(timeoutMs: number | undefined): Deadline {
  return { at: timeoutMs === undefined ? Infinity : performance.now() + timeoutMs, timeoutMs };
}

/** The `TimeoutError` DOMException a wait throws when its deadline passes (same shape as core's). */
export function expired(deadline: Deadline): DOMException {
  return timeoutError(deadline.timeoutMs ?? 0);
}

/**
 * Blocks this thread while `cells[index] === value`, for at most one slice and never past the deadline.
 * Returns false, without waiting, once the deadline has passed. Callers loop on their own predicate.
 */
export function blockWhile(cells: Int32Array, index: number, value: number, deadline: Deadline): boolean {
  const left = deadline.at - performance.now();
  if (left <= 0) return false;
  Atomics.wait(cells, index, value, Math.min(left, WAIT_SLICE_MS));
  return true;
}

/**
 * {@link blockWhile} without blocking the event loop (`Atomics.waitAsync`). A timer holds the thread alive
 * for the slice, because a pending `waitAsync` alone does not.
 */
export async function pauseWhile(cells: Int32Array, index: number, value: number, deadline: Deadline): Promise<boolean> {
  const left = deadline.at - performance.now();
  if (left <= 0) return false;
  const slice = Math.min(left, WAIT_SLICE_MS);
  const wait = Atomics.waitAsync(cells, index, value, slice);
  if (!wait.async) return true;
  const keepAlive = setTimeout(() => {}, slice + WAIT_SLICE_MS);
  try {
    await wait.value;
  } finally {
    clearTimeout(keepAlive);
  }
  return true;
}
