import { quote } from '@shared-call/core/internal';

/**
 * Thrown by a blocking `call` that would wait for the calling thread itself: its key is being computed by this
 * thread (from inside the leader's `fn`, or while this thread's `callAsync` for the key is pending), or, with
 * `throughOthers`, the key's leader is blocked (maybe through more threads) on a flight this thread leads.
 * Waiting would deadlock: the only thread that can finish the flight would be waiting too.
 */
export class ReentrantCallError extends Error {
  /** Stable code, for `err.code === 'ERR_SHARED_CALL_REENTRANT'` checks. */
  readonly code = 'ERR_SHARED_CALL_REENTRANT';

  constructor(
    readonly key: string,
    throughOthers = false,
  ) {
    super(
      throughOthers
        ? `call(${quote(key)}) would wait for a flight whose leader waits, through other threads' flights, ` +
            'for a flight this thread leads, which would deadlock'
        : `call(${quote(key)}) would wait for a flight that this same thread leads, which would deadlock: ` +
            'a leader cannot coalesce with itself',
    );
    this.name = 'ReentrantCallError';
  }
}
