import { assertOptions, checkInteger, checkTimeout } from '@shared-call/core/internal';

/** Options of `new SharedCall()`. */
export interface SharedCallOptions {
  /**
   * Slots in the table (default 128): the most flights in progress at once. A key probes 16 slots from its
   * home slot; when all are busy the call runs `fn` uncoalesced and counts an `overflow`.
   */
  slots?: number;
  /** Largest serialized result handed to waiters (default 64 MiB, at most 1 GiB). */
  maxResultBytes?: number;
  /** Default bound of every wait of every call (default: none); a call's own `timeoutMs` overrides it. */
  timeoutMs?: number;
}

/** Options of one call. */
export interface SyncCallOptions {
  /**
   * Bounds this call's waits (for another thread's flight, for the table) with a `TimeoutError` DOMException.
   * A leader's own `fn` is never interrupted. `Infinity` means no bound, even when the table has a default.
   */
  timeoutMs?: number;
}

export const DEFAULT_SLOTS = 128;
export const MAX_SLOTS = 4096; // 32 MiB of inline memory
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024;
export const MAX_RESULT_BYTES = 1024 * 1024 * 1024;

/** The validated table options; TypeError / RangeError naming the option otherwise. */
export function checkTableOptions(options: unknown): { slots: number; maxResultBytes: number; timeoutMs: number | undefined } {
  assertOptions(options);
  const { slots, maxResultBytes, timeoutMs } = (options ?? {}) as SharedCallOptions;
  return {
    slots: checkInteger(slots, 'options.slots', 1, MAX_SLOTS, DEFAULT_SLOTS),
    maxResultBytes: checkInteger(maxResultBytes, 'options.maxResultBytes', 1, MAX_RESULT_BYTES, DEFAULT_MAX_RESULT_BYTES),
    timeoutMs: checkTimeout(timeoutMs, 'options.timeoutMs'),
  };
}

/**
 * The timeout of one call: its own `timeoutMs` when given (`Infinity`: none), else the table's default.
 */
export function callTimeout(options: unknown, fallback: number | undefined): number | undefined {
  assertOptions(options);
  const own = (options as SyncCallOptions | undefined)?.timeoutMs;
  return own === undefined ? fallback : checkTimeout(own, 'options.timeoutMs');
}
