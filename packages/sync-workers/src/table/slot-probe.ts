import { ReentrantCallError } from '../reentrant-call-error.js';
import type { FlightRef } from './flight-waits.js';
import type { KeyBytes } from './key-bytes.js';
import { INLINE_BYTES, PROBE_WINDOW, SLOT, STAT, slotCell } from './layout.js';
import { CLAIMING, EMPTY, FORGOTTEN, MAX_REFS, PENDING, REF, generationOf, isJoinable, phaseOf, refsOf, withPhase } from './slot-word.js';
import type { TableCounters } from './table-counters.js';
import type { ThreadRefs } from './thread-refs.js';

/** How a call takes part: it leads a flight in `slot`, joined one, or runs alone because the table is full. */
export type Entry = ({ readonly role: 'lead' | 'join' } & FlightRef) | { readonly role: 'overflow' };

/**
 * Where a key's flight is, for one thread: the probe window of a key is the {@link PROBE_WINDOW} slots from its
 * home slot, and a live flight of the key, if any, is in one of them (matched by hash, then length and bytes:
 * equal hashes never make two keys share a flight). Joining adds a ref with one compareExchange; claiming an
 * EMPTY slot (EMPTY → CLAIMING → PENDING) happens under the home's bucket lock, taken by the caller
 * (slot-table.ts), so that one key never gets two live flights.
 */
export class SlotProbe {
  readonly #cells: Int32Array;
  readonly #inline: Uint8Array;
  readonly #slots: number;
  readonly #window: number;
  readonly #threads: ThreadRefs;
  readonly #counters: TableCounters;
  /** This thread (its thread id + 1): the leader of the flights it claims. */
  readonly #me: number;

  constructor(cells: Int32Array, inline: Uint8Array, slots: number, threads: ThreadRefs, counters: TableCounters, me: number) {
    this.#cells = cells;
    this.#inline = inline;
    this.#slots = slots;
    this.#window = Math.min(slots, PROBE_WINDOW);
    this.#threads = threads;
    this.#counters = counters;
    this.#me = me;
  }

  /** The slot where `key`'s probe window starts; its bucket lock serializes the claims of every key with this home. */
  home(key: KeyBytes): number {
    return (key.hash >>> 0) % this.#slots;
  }

  /**
   * Adds a ref to a live flight of `key` in the probe window and records it for this thread; undefined when
   * there is none. `reentrant` is the key's name for a blocking caller, which gets a {@link ReentrantCallError}
   * when it finds its own thread leading the flight (undefined for a caller that does not block). A caller
   * that finds no free thread record runs alone (an overflow): every waiter ref is recorded.
   */
  join(key: KeyBytes, home: number, reentrant: string | undefined): Entry | undefined {
    const cells = this.#cells;
    const { hash } = key;
    for (let i = 0, slot = home; i < this.#window; i++, slot = this.#after(slot)) {
      // Plain reads first, which cost a nanosecond where an Atomics.load costs ~25 (Node 20 does not inline it);
      // the slot is read atomically only when its word and hash say it may hold `key`. A plain read may miss a
      // change made meanwhile by another thread, but never one made before this thread's last atomic operation.
      // So the look before the bucket lock is a hint (a miss only sends the caller to the lock), and the look
      // under the lock sees every flight of `key`: only holders of that lock claim them, and each published its
      // claim (an Atomics.store) before it unlocked.
      const cell = slotCell(slot);
      if (!isJoinable(cells[cell + SLOT.WORD]!) || cells[cell + SLOT.HASH] !== hash) continue;
      const joined = this.#joinAt(slot, key, reentrant);
      if (joined !== undefined) return joined;
    }
    return undefined;
  }

  /** {@link join} at one `slot` of the window, which may hold a flight of `key`. */
  #joinAt(slot: number, key: KeyBytes, reentrant: string | undefined): Entry | undefined {
    const word = slotCell(slot) + SLOT.WORD;
    let reserved = false;
    try {
      for (let current = Atomics.load(this.#cells, word); this.#holds(slot, current, key); current = Atomics.load(this.#cells, word)) {
        if (reentrant !== undefined && phaseOf(current) === PENDING && Atomics.load(this.#cells, slotCell(slot) + SLOT.OWNER) === this.#me) {
          throw new ReentrantCallError(reentrant);
        }
        if (refsOf(current) === MAX_REFS || !(reserved ||= this.#threads.reserve())) return this.#overflow();
        if (Atomics.compareExchange(this.#cells, word, current, current + REF) === current) {
          this.#threads.record(slot);
          this.#counters.add(STAT.HITS);
          return { role: 'join', slot, generation: generationOf(current) };
        }
      }
      return undefined;
    } finally {
      if (reserved) this.#threads.idle();
    }
  }

  /** Claims an EMPTY slot of the window for a flight led by this thread (overflow if none is free); under the bucket lock. */
  claim(key: KeyBytes, home: number): Entry {
    for (let i = 0, slot = home; i < this.#window; i++, slot = this.#after(slot)) {
      const cell = slotCell(slot);
      const current = Atomics.load(this.#cells, cell + SLOT.WORD);
      if (phaseOf(current) !== EMPTY) continue;
      const claiming = withPhase(current, CLAIMING, 1);
      if (Atomics.compareExchange(this.#cells, cell + SLOT.WORD, current, claiming) !== current) continue;
      // Plain stores (an Atomics.store costs ~25 ns): the store of PENDING below publishes them, and every
      // reader of these cells reads them after it has seen the slot PENDING.
      this.#cells[cell + SLOT.OWNER] = this.#me;
      this.#cells[cell + SLOT.LEADER_BLOCKED_ON] = 0;
      this.#cells[cell + SLOT.HASH] = key.hash;
      this.#cells[cell + SLOT.KEY_LENGTH] = key.bytes.length;
      this.#inline.set(key.bytes, slot * INLINE_BYTES);
      Atomics.store(this.#cells, cell + SLOT.WORD, withPhase(claiming, PENDING, 1));
      this.#counters.add(STAT.MISSES);
      return { role: 'lead', slot, generation: generationOf(current) };
    }
    return this.#overflow();
  }

  /** Counts and returns the entry of a call that runs `fn` alone because the table has no room for it. */
  #overflow(): Entry {
    this.#counters.add(STAT.OVERFLOWS);
    this.#counters.add(STAT.MISSES);
    return { role: 'overflow' };
  }

  /** Marks the live flight of `key` forgotten: it keeps its callers, new callers start a new flight. */
  forget(key: KeyBytes): boolean {
    const home = this.home(key);
    for (let i = 0, slot = home; i < this.#window; i++, slot = this.#after(slot)) {
      if (this.#markForgotten(slot, (word) => this.#holds(slot, word, key))) return true;
    }
    return false;
  }

  /** {@link forget} for every live flight. */
  forgetAll(): void {
    for (let slot = 0; slot < this.#slots; slot++) this.#markForgotten(slot, () => true);
  }

  /** True when `word` (just read from `slot`) is a live flight of `key`. */
  #holds(slot: number, word: number, key: KeyBytes): boolean {
    if (!isJoinable(word)) return false;
    const cell = slotCell(slot);
    const length = key.bytes.length;
    if (this.#cells[cell + SLOT.HASH] !== key.hash || this.#cells[cell + SLOT.KEY_LENGTH] !== length) return false;
    const start = slot * INLINE_BYTES;
    return key.bytes.compare(this.#inline, start, start + length) === 0;
  }

  /** The slot after `slot` in a probe window, wrapping around the table (a `%` per step costs more than the probe). */
  #after(slot: number): number {
    return slot + 1 === this.#slots ? 0 : slot + 1;
  }

  /** Sets the forgotten bit of `slot` if it holds a joinable flight that `matches`; true if it did. */
  #markForgotten(slot: number, matches: (word: number) => boolean): boolean {
    const word = slotCell(slot) + SLOT.WORD;
    for (;;) {
      const current = Atomics.load(this.#cells, word);
      if (!isJoinable(current) || !matches(current)) return false;
      if (Atomics.compareExchange(this.#cells, word, current, current | FORGOTTEN) === current) return true;
    }
  }
}
