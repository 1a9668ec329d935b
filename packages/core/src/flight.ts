import type { FlightContext } from './diagnostics.js';

/**
 * Where a flight is in its life. It starts `tracked` (its table's entry for its key); `forget` makes it
 * `forgotten` (still running, out of the table); the last caller's abandonment makes it `abandoned` (out of the
 * table, no longer active, `fn` still running); `fn`'s outcome makes it `settled`, from any of the others.
 * Only a `tracked` flight is in the table, so a flight removes only itself, never a newer flight of its key
 * (the identity-checked delete).
 */
export type FlightPhase = 'tracked' | 'forgotten' | 'abandoned' | 'settled';

/**
 * One execution of a coalesced function and the bookkeeping of the callers waiting for it.
 * A flight is created by its leader, joined by later callers of the same key, and settled exactly once.
 * Every flight pays for each of its fields, so it has only these.
 */
export class Flight<T> {
  phase: FlightPhase = 'tracked';
  /**
   * Callers attached and still waiting (the leader included). Frozen once settled (callers then no longer
   * leave, and nobody joins a flight out of the table): how many received the outcome, more than one meaning
   * the result was shared.
   */
  waiting = 1;
  /**
   * Aborted only when every caller has abandoned the flight; its signal is handed to `fn`, and to no other flight.
   * Absent when `fn` cannot observe an argument (see `controllerFor`).
   */
  controller: AbortController | undefined = undefined;
  /** The context of the flight's trace on `shared-call:flight`, when someone listened as it started. */
  trace: FlightContext | undefined = undefined;
  #promise: Promise<T> | undefined = undefined;
  #resolveEarly: ((delivered: Promise<T>) => void) | undefined = undefined;

  constructor(readonly key: string) {}

  /**
   * What every caller without cancellation receives: it settles with `fn`'s outcome once the flight is settled
   * (see {@link deliver}). Read while `fn` still runs (a same-key call made inside `fn`), it is a promise made
   * then and resolved by `deliver`, so the common flight, which nobody joins during `fn`, makes no promise of its
   * own beyond the one `deliver` receives.
   */
  get promise(): Promise<T> {
    // Not a private method: those put a brand on every instance, a field that every flight would pay for.
    return (this.#promise ??= new Promise<T>((resolve) => {
      this.#resolveEarly = resolve;
    }));
  }

  /**
   * Hands `delivered` to the callers: a promise that settles like `fn`'s outcome, after the flight's bookkeeping.
   * Called once, when `fn` has returned.
   */
  deliver(delivered: Promise<T>): void {
    if (this.#resolveEarly === undefined) this.#promise = delivered;
    else this.#resolveEarly(delivered);
  }
}
