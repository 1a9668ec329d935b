/**
 * The control word of a slot: one Int32 holding `generation | refs | forgotten | phase`, changed only by
 * compareExchange so that a phase change, a join and a generation bump are each one atomic step.
 *
 *   bits 0-2   phase (below)
 *   bit  3     forgotten: new callers must not join this flight
 *   bits 4-15  refs: callers attached (the leader included); the last one out frees the slot
 *   bits 16-31 generation: bumped each time the slot is freed, so a stale word never matches a new flight
 */

/** Free: no flight, no refs; the next leader of a key with this slot in its window may claim it. */
export const EMPTY = 0;
/** A leader owns the slot and is writing its key; nobody may join yet. */
export const CLAIMING = 1;
/** The leader runs `fn`; callers with the same key join. */
export const PENDING = 2;
/** The leader published a value (DONE_OK) or an error (DONE_ERR); waiters read it, the last one out frees the slot. */
export const DONE_OK = 3;
export const DONE_ERR = 4;
/** The leader's thread died; the first waiter to notice becomes the new leader. */
export const ABANDONED = 5;

/** The forgotten bit; see {@link isForgotten}. */
export const FORGOTTEN = 8;
/** One ref, as added to or subtracted from a word. */
export const REF = 16;
/** Most refs a word can count; a caller that finds a flight this full runs alone (an overflow). */
export const MAX_REFS = 0xfff;

/** The phase of `word` (EMPTY … ABANDONED). */
export function phaseOf(word: number): number {
  return word & 7;
}

/** The callers attached to the flight of `word`, its leader included. */
export function refsOf(word: number): number {
  return (word >>> 4) & MAX_REFS;
}

/** How many times the slot of `word` has been freed (mod 2^16). */
export function generationOf(word: number): number {
  return word >>> 16;
}

/** True when `forget` marked the flight of `word`: its callers keep it, new callers start another. */
export function isForgotten(word: number): boolean {
  return (word & FORGOTTEN) !== 0;
}

/** A word with the same generation and forgotten flag as `word`, and the given phase and refs. */
export function withPhase(word: number, phase: number, refs: number): number {
  return ((word & ~0xfff7) | (refs << 4) | phase) | 0;
}

/** The EMPTY word that follows `word`: next generation, no refs. */
export function freed(word: number): number {
  return (((generationOf(word) + 1) & 0xffff) << 16) | 0;
}

/** True while callers with the slot's key may join it. */
export function isJoinable(word: number): boolean {
  const phase = phaseOf(word);
  return (phase === PENDING || phase === ABANDONED) && !isForgotten(word);
}
