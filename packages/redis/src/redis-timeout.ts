import { raceAlarm } from '@shared-call/core/internal';

/** Raised when Redis does not answer within `timeoutMs` (code `ERR_SHARED_CALL_REDIS_TIMEOUT`). */
export class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError';
  readonly code = 'ERR_SHARED_CALL_REDIS_TIMEOUT';
}

/**
 * Settles like `promise`, or rejects with a {@link RedisTimeoutError} once `ms` milliseconds have passed and a
 * reply that already arrived has had its chance: after an event-loop stall Node runs expired timers before it
 * reads sockets, so the rejection waits for the next check phase (`setImmediate`), after the poll phase in
 * which a reply sitting in the socket is read and settles `promise` first.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return raceAlarm(promise, { timeoutMs: ms, afterPendingIO: true }, (end) => ({
    onTimeout: () => end(new RedisTimeoutError(`Redis did not answer ${what} within ${ms} ms`)),
  }));
}
