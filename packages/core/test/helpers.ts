export { deferred, within } from '../../../test/support/helpers.cjs';

/** Resolves after every queued microtask and one macrotask turn have run. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The state of a promise right now, without waiting for it. */
export async function stateOf(promise: Promise<unknown>): Promise<'pending' | 'fulfilled' | 'rejected'> {
  const pending = {};
  try {
    return (await Promise.race([promise, Promise.resolve(pending)])) === pending ? 'pending' : 'fulfilled';
  } catch {
    return 'rejected';
  }
}
