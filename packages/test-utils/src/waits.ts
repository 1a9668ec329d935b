import { within as withinMs } from '../../../test/support/helpers.cjs';

export { deferred, until } from '../../../test/support/helpers.cjs';

/** Settles like `promise`, or rejects after `ms` (default 10 s, generous for a loaded machine): no case waits forever. */
export function within<T>(promise: Promise<T>, ms = 10_000, what?: string): Promise<T> {
  return withinMs(promise, ms, what);
}

/** What `run` delivers, as a settled Promise whichever the mode: thrown errors and rejections alike reject. */
export async function settled<T>(run: () => T | Promise<T>): Promise<T> {
  return run();
}
