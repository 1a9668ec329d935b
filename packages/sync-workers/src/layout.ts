/**
 * Where everything lives in the shared memory of one table. Every thread attached to the table computes the
 * same offsets from the slot count, so the memory itself is the only thing threads share.
 *
 * The control buffer starts with {@link STAT_COUNT} 64-bit counters, followed by Int32 cells:
 * a header, then {@link SLOT_CELLS} cells per slot, then one bucket lock per slot, then {@link TRACKED_THREADS}
 * thread records (see {@link threadCell}).
 * The inline buffer gives each slot {@link INLINE_BYTES} bytes for its key and, when it fits, its result.
 * Larger results go to one of {@link RESULT_BUFFERS} growable result buffers.
 */

/** Marks a control buffer as a sync-workers table (and its layout version). */
export const MAGIC = 0x53435732;

/** 64-bit counters at the start of the control buffer, in this order. */
export const STAT_HITS = 0;
export const STAT_MISSES = 1;
export const STAT_ERRORS = 2;
export const STAT_OVERFLOWS = 3;
export const STAT_COUNT = 8;
/** Byte offset of the Int32 cells in the control buffer. */
export const CELLS_OFFSET = STAT_COUNT * 8;

/** Header cells. */
export const H_MAGIC = 0;
export const H_SLOTS = 1;
/** Bumped and notified whenever a result buffer is released. */
export const H_BUFFERS_RELEASED = 2;
/** One cell per result buffer: 0 when free, else the owning slot index + 1. */
export const H_BUFFER_OWNER = 3;
/** Growable result buffers per table: at most this many large results are in flight at once. */
export const RESULT_BUFFERS = 4;
export const HEADER_CELLS = 8;

/** Cells of one slot, relative to {@link slotCell}. */
export const F_WORD = 0; // the control word: see slot-word.ts
export const F_OWNER = 1; // threadId + 1 of the leader while CLAIMING or PENDING
export const F_HASH = 2;
export const F_KEY_LENGTH = 3;
export const F_RESULT_LENGTH = 4;
export const F_RESULT_BUFFER = 5; // -1: inline, else the result buffer index
export const F_RESULT_FORMAT = 6; // see result-codec.ts
export const F_LEADER_BLOCKED_ON = 7; // the flight the leader is blocked on, while it is: see wait-graph.ts
export const SLOT_CELLS = 8;

/** Bytes per slot in the inline buffer (key, then the result when both fit). */
export const INLINE_BYTES = 8192;
/** Longest key in UTF-8 bytes. */
export const MAX_KEY_BYTES = 4096;
/** Consecutive slots probed from a key's home slot. */
export const PROBE_WINDOW = 16;

/** Index of a slot's first cell. */
export function slotCell(slot: number): number {
  return HEADER_CELLS + slot * SLOT_CELLS;
}

/** Index of the bucket lock of a home slot. */
export function lockCell(slots: number, home: number): number {
  return HEADER_CELLS + slots * SLOT_CELLS + home;
}

/**
 * Thread records: a thread holds one only while it holds waiter refs (so that a watcher can drop them should
 * the thread die), and gives it back when its last ref is dropped. At most this many threads wait at once; a
 * caller that finds no free record runs `fn` uncoalesced (an overflow) rather than hold an unrecorded ref.
 */
export const TRACKED_THREADS = 64;

/** Cells of a thread record, relative to {@link threadCell}; one ref count per slot follows them. */
export const T_THREAD = 0; // thread id + 1 of the record's owner, 0 when free
export const T_HELD = 1; // waiter refs the owner holds on all slots together
export const T_REFS = 2;

/** Index of the first cell of thread record `record`. */
export function threadCell(slots: number, record: number): number {
  return HEADER_CELLS + slots * (SLOT_CELLS + 1) + record * (T_REFS + slots);
}

/** Size in bytes of the control buffer of a table with `slots` slots. */
export function controlBytes(slots: number): number {
  return CELLS_OFFSET + threadCell(slots, TRACKED_THREADS) * 4;
}

/** Byte offset of a slot's inline result: after its key, 8-byte aligned. */
export function inlineResultOffset(slot: number, keyLength: number): number {
  return slot * INLINE_BYTES + ((keyLength + 7) & ~7);
}
