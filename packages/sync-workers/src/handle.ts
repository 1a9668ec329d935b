import { describe, MAX_TIMEOUT_MS, withCode } from '@shared-call/core/internal';
import { CELLS_OFFSET, HEADER, INLINE_BYTES, MAGIC, RESULT_BUFFERS, STAT, controlBytes } from './table/layout.js';
import type { ResultMemory } from './table/result-store.js';

/**
 * Everything a thread needs to use a table: plain data and SharedArrayBuffers, so it survives structured
 * clone (`postMessage`, `workerData`, `setEnvironmentData`) and every clone shares the same memory.
 * Treat it as opaque: `SharedCall.attach` rejects anything that is not an intact handle with a TypeError.
 */
export interface SharedCallHandle {
  readonly kind: typeof HANDLE_KIND;
  readonly control: SharedArrayBuffer;
  readonly inline: SharedArrayBuffer;
  readonly buffers: readonly SharedArrayBuffer[];
  readonly maxResultBytes: number;
  readonly timeoutMs: number | undefined;
}

const HANDLE_KIND = 'shared-call/sync-workers table';

/** Allocates a new, empty table's memory. */
export function createHandle(slots: number, maxResultBytes: number, timeoutMs: number | undefined): SharedCallHandle {
  const control = new SharedArrayBuffer(controlBytes(slots));
  const cells = new Int32Array(control, CELLS_OFFSET);
  cells[HEADER.MAGIC] = MAGIC;
  cells[HEADER.SLOTS] = slots;
  const inline = new SharedArrayBuffer(slots * INLINE_BYTES);
  const buffers = Array.from(
    { length: RESULT_BUFFERS },
    () => new SharedArrayBuffer(0, { maxByteLength: maxResultBytes }),
  );
  return Object.freeze({ kind: HANDLE_KIND, control, inline, buffers: Object.freeze(buffers), maxResultBytes, timeoutMs });
}

/**
 * Checks that `handle` is a handle made by {@link createHandle} (possibly cloned from another thread). Anything
 * else is rejected with a TypeError that says what is wrong.
 */
export function checkHandle(handle: unknown): void {
  const fail = (why: string): never => {
    throw withCode(new TypeError(`handle must be a SharedCall handle (sc.handle), but ${why}`), 'ERR_INVALID_ARG_VALUE');
  };
  if (typeof handle !== 'object' || handle === null) return fail(`got ${describe(handle)}`);
  const { kind, control, inline, buffers, maxResultBytes, timeoutMs } = handle as Partial<SharedCallHandle>;
  if (kind !== HANDLE_KIND) fail(`its kind is ${describe(kind)}`);
  if (!isSharedArrayBuffer(control) || control.byteLength < CELLS_OFFSET + 8) fail('its control memory is missing');
  const cells = new Int32Array(control!, CELLS_OFFSET, 2);
  const slots = cells[HEADER.SLOTS]!;
  if (cells[HEADER.MAGIC] !== MAGIC || !(slots > 0) || control!.byteLength !== controlBytes(slots)) {
    fail('its control memory is not a table');
  }
  if (!isSharedArrayBuffer(inline) || inline.byteLength !== slots * INLINE_BYTES) fail('its key memory does not match');
  if (typeof maxResultBytes !== 'number') fail('maxResultBytes is missing');
  const growable = (buffer: unknown) =>
    isSharedArrayBuffer(buffer) && buffer.maxByteLength === maxResultBytes;
  if (!Array.isArray(buffers) || buffers.length !== RESULT_BUFFERS || !buffers.every(growable)) {
    fail('its result buffers do not match');
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
    fail(`its timeoutMs is ${describe(timeoutMs)}`);
  }
}

/** The error of `SharedCall.attach(handle, options)`: an attached instance takes the table's options. */
export function attachOptionsError(): TypeError {
  const message =
    'SharedCall.attach takes only a handle: slots, maxResultBytes and timeoutMs are fixed by the table\'s creator ' +
    '(pass { timeoutMs } to each call instead)';
  return withCode(new TypeError(message), 'ERR_INVALID_ARG_VALUE');
}

/** Views of a handle's memory: the cells and result memory, the 64-bit counters, and the slot count. */
export function memoryOf(handle: SharedCallHandle): { memory: ResultMemory; stats: BigInt64Array; slots: number } {
  const cells = new Int32Array(handle.control, CELLS_OFFSET);
  return {
    memory: { cells, inline: handle.inline, inlineBytes: new Uint8Array(handle.inline), buffers: handle.buffers },
    stats: new BigInt64Array(handle.control, 0, STAT.COUNT),
    slots: cells[HEADER.SLOTS]!,
  };
}

/** True for a SharedArrayBuffer of any realm (a vm context has its own constructor). */
function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return Object.prototype.toString.call(value) === '[object SharedArrayBuffer]';
}
