import { quoteKey } from './quote-key.js';

/**
 * Thrown by a blocking `call` whose key is being computed by the calling thread itself (from inside the
 * leader's `fn`, or while this thread's `callAsync` for the key is pending): waiting would block the only
 * thread that can finish the flight.
 */
export class ReentrantCallError extends Error {
  constructor(readonly key: string) {
    super(
      `call(${quoteKey(key)}) would wait for a flight that this ` +
        'same thread leads, which would deadlock: a leader cannot coalesce with itself',
    );
    this.name = 'ReentrantCallError';
  }
}
