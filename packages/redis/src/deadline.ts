/** Raised when Redis does not answer within `timeoutMs` (code `ERR_SHARED_CALL_REDIS_TIMEOUT`). */
export class RedisTimeoutError extends Error {
  override name = 'RedisTimeoutError';
  readonly code = 'ERR_SHARED_CALL_REDIS_TIMEOUT';
}

/** Settles like `promise`, or rejects with a {@link RedisTimeoutError} after `ms` milliseconds. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisTimeoutError(`Redis did not answer ${what} within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
