import { blockWhile, type Deadline } from './deadline.js';
import type { Encoded } from './result-codec.js';
import { HEADER, INLINE_BYTES, RESULT_BUFFERS, SLOT, inlineResultOffset, slotCell } from './layout.js';

/** The memory a table keeps results in (see layout.ts). */
export interface ResultMemory {
  readonly cells: Int32Array;
  readonly inline: SharedArrayBuffer;
  /** A view of all of `inline`, made once per thread (a view of shared memory is slow to create). */
  readonly inlineBytes: Uint8Array;
  /** Created with `maxByteLength`, so each grows to the largest result it has held. */
  readonly buffers: readonly SharedArrayBuffer[];
}

/**
 * Copies a leader's serialized result where its waiters will read it: inline after the key when both fit in the
 * slot's {@link INLINE_BYTES}, else into a free growable result buffer, waiting (until `deadline`) while all
 * {@link RESULT_BUFFERS} are held by other flights' readers; `beforeBlocking` runs before each slice of that
 * wait (the leader frees there the buffers its own thread holds).
 * Run by the leader only, before it publishes the slot's phase: the plain stores here become visible with it.
 * Returns the result buffer used (-1: inline), or undefined if the deadline passed first.
 */
export function storeResult(
  memory: ResultMemory,
  slot: number,
  { bytes, format }: Encoded,
  deadline: Deadline,
  beforeBlocking: () => void,
): number | undefined {
  const cell = slotCell(slot);
  const { cells } = memory;
  const offset = inlineResultOffset(slot, cells[cell + SLOT.KEY_LENGTH]!);
  let buffer = -1;
  if (offset + bytes.length <= (slot + 1) * INLINE_BYTES) {
    memory.inlineBytes.set(bytes, offset);
  } else {
    buffer = acquireBuffer(cells, slot, deadline, beforeBlocking);
    if (buffer < 0) return undefined;
    const target = memory.buffers[buffer]!;
    if (target.byteLength < bytes.length) {
      target.grow(Math.min(target.maxByteLength, Math.max(bytes.length, target.byteLength * 2)));
    }
    new Uint8Array(target, 0, bytes.length).set(bytes);
  }
  cells[cell + SLOT.RESULT_LENGTH] = bytes.length;
  cells[cell + SLOT.RESULT_BUFFER] = buffer;
  cells[cell + SLOT.RESULT_FORMAT] = format;
  return buffer;
}

/** A slot's published result: a view of its bytes (valid while the reader holds a ref) and their format. */
export function storedResult(memory: ResultMemory, slot: number): Encoded {
  const { cells } = memory;
  const cell = slotCell(slot);
  const length = cells[cell + SLOT.RESULT_LENGTH]!;
  const buffer = cells[cell + SLOT.RESULT_BUFFER]!;
  const format = cells[cell + SLOT.RESULT_FORMAT]!;
  if (buffer < 0) return { bytes: new Uint8Array(memory.inline, inlineResultOffset(slot, cells[cell + SLOT.KEY_LENGTH]!), length), format };
  return { bytes: new Uint8Array(memory.buffers[buffer]!, 0, length), format };
}

/** The result buffer a slot's result occupies (-1 when inline); read before freeing the slot. */
export function resultBufferOf(cells: Int32Array, slot: number): number {
  return cells[slotCell(slot) + SLOT.RESULT_BUFFER]!;
}

/**
 * Returns result buffer `buffer` (from {@link resultBufferOf}; -1 is ignored) to the free pool and wakes leaders
 * waiting for one. Called once per stored result, by whoever frees or abandons the slot.
 */
export function releaseBuffer(cells: Int32Array, buffer: number): void {
  if (buffer < 0) return;
  Atomics.store(cells, HEADER.BUFFER_OWNER + buffer, 0);
  Atomics.add(cells, HEADER.BUFFERS_RELEASED, 1);
  Atomics.notify(cells, HEADER.BUFFERS_RELEASED, Infinity);
}

/** The result buffers `slot` holds: taken by its leader, who has not published yet (or died before it could). */
export function buffersHeldBy(cells: Int32Array, slot: number): number[] {
  const held: number[] = [];
  for (let i = 0; i < RESULT_BUFFERS; i++) if (Atomics.load(cells, HEADER.BUFFER_OWNER + i) === slot + 1) held.push(i);
  return held;
}

function acquireBuffer(cells: Int32Array, slot: number, deadline: Deadline, beforeBlocking: () => void): number {
  for (;;) {
    const released = Atomics.load(cells, HEADER.BUFFERS_RELEASED);
    for (let i = 0; i < RESULT_BUFFERS; i++) {
      if (Atomics.compareExchange(cells, HEADER.BUFFER_OWNER + i, 0, slot + 1) === 0) return i;
    }
    beforeBlocking();
    if (!blockWhile(cells, HEADER.BUFFERS_RELEASED, released, deadline)) return -1;
  }
}
