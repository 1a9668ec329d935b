/**
 * Stable error codes, Node's convention: a library error carries `code`, a string that never changes between
 * versions (messages may), so callers branch on `err.code === 'ERR_…'`. Argument errors reuse Node's own codes
 * (`ERR_INVALID_ARG_TYPE`, `ERR_INVALID_ARG_VALUE`, `ERR_OUT_OF_RANGE`); conditions particular to coalescing
 * are `ERR_SHARED_CALL_…`. docs/api.md lists every code of every package.
 */
export type ErrorCode = `ERR_${string}`;

/** Gives `error` its stable `code` (an own, enumerable property, as Node's errors have) and returns it. */
export function withCode<E extends Error>(error: E, code: ErrorCode): E & { code: ErrorCode } {
  return Object.assign(error, { code });
}
