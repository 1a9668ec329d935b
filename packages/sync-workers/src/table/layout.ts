/**
 * Where everything lives in the shared memory of one table. Every thread attached to the table computes the
 * same offsets from the slot count, so the memory itself is the only thing threads share.
 *
 * The control buffer starts with {@link STAT.COUNT} 64-bit counters, followed by Int32 cells: {@link HEADER}
 * cells, then {@link SLOT.CELLS} cells per slot, then one bucket lock per slot, then {@link TRACKED_THREADS}
 * thread records (see {@link threadCell}).
 * The inline buffer gives each slot {@link INLINE_BYTES} bytes for its key and, when it fits, its result.
 * Larger results go to one of {@link RESULT_BUFFERS} growable result buffers.
 */

/** Marks a control buffer as a sync-workers table (and its layout version). */
export const MAGIC = 0x53435732;

/** The 64-bit counters at the start of the control buffer, by index; COUNT of them are reserved. */
export const STAT = { HITS: 0, MISSES: 1, ERRORS: 2, OVERFLOWS: 3, COUNT: 8 } as const;
/** Byte offset of the Int32 cells in the control buffer. */
export const CELLS_OFFSET = STAT.COUNT * 8;

/**
 * The header cells: the table's MAGIC and slot count; BUFFERS_RELEASED, bumped and notified whenever a result
 * buffer is released; from BUFFER_OWNER on, one cell per result buffer (0 when free, else the owning slot
 * index + 1). The header has CELLS cells.
 */
export const HEADER = { MAGIC: 0, SLOTS: 1, BUFFERS_RELEASED: 2, BUFFER_OWNER: 3, CELLS: 8 } as const;
/** Growable result buffers per table: at most this many large results are in flight at once. */
export const RESULT_BUFFERS = 4;

/** The cells of one slot, relative to {@link slotCell}; a slot has CELLS of them. */
export const SLOT = {
  /** The control word: see slot-word.ts. */
  WORD: 0,
  /** threadId + 1 of the leader while CLAIMING or PENDING. */
  OWNER: 1,
  HASH: 2,
  KEY_LENGTH: 3,
  RESULT_LENGTH: 4,
  /** -1: inline, else the result buffer index. */
  RESULT_BUFFER: 5,
  /** See result-codec.ts. */
  RESULT_FORMAT: 6,
  /** The flight the leader is blocked on, while it is: see wait-graph.ts. */
  LEADER_BLOCKED_ON: 7,
  CELLS: 8,
} as const;

/** Bytes per slot in the inline buffer (key, then the result when both fit). */
export const INLINE_BYTES = 8192;
/** Longest key in UTF-8 bytes. */
export const MAX_KEY_BYTES = 4096;
/** Consecutive slots probed from a key's home slot. */
export const PROBE_WINDOW = 16;

/** Index of a slot's first cell. */
export function slotCell(slot: number): number {
  return HEADER.CELLS + slot * SLOT.CELLS;
}

/** Index of the bucket lock of a home slot. */
export function lockCell(slots: number, home: number): number {
  return HEADER.CELLS + slots * SLOT.CELLS + home;
}

/**
 * Thread records: a thread holds one only while it holds waiter refs (so that a watcher can drop them should
 * the thread die), and gives it back when its last ref is dropped. At most this many threads wait at once; a
 * caller that finds no free record runs `fn` uncoalesced (an overflow) rather than hold an unrecorded ref.
 */
export const TRACKED_THREADS = 64;

/**
 * The cells of a thread record, relative to {@link threadCell}: THREAD, the thread id + 1 of the record's owner
 * (0 when free); HELD, the waiter refs the owner holds on all slots together; from REFS on, one ref count per slot.
 */
export const RECORD = { THREAD: 0, HELD: 1, REFS: 2 } as const;

/** Index of the first cell of thread record `record`. */
export function threadCell(slots: number, record: number): number {
  return HEADER.CELLS + slots * (SLOT.CELLS + 1) + record * (RECORD.REFS + slots);
}

/** Size in bytes of the control buffer of a table with `slots` slots. */
export function controlBytes(slots: number): number {
  return CELLS_OFFSET + threadCell(slots, TRACKED_THREADS) * 4;
}

/** Byte offset of a slot's inline result: after its key, 8-byte aligned. */
export function inlineResultOffset(slot: number, keyLength: number): number {
  return slot * INLINE_BYTES + ((keyLength + 7) & ~7);
}
