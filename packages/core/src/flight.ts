import type { AsyncSharedCall } from './async-shared-call.js';
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
 * Every flight pays for each of its fields, so it has only these, and no private methods (V8 marks each instance
 * of a class that has one with a brand, a field of its own).
 */
export class Flight<T> {
  phase: FlightPhase = 'tracked';
  /**
   * Callers attached and still waiting (the leader included). Frozen once settled (callers then no longer
   * leave, and nobody joins a flight out of the table): how many received the outcome, more than one meaning
   * the result was shared.
   */
  waiting = 1;
  #promise: Promise<T> | undefined = undefined;
  /** What only some flights have, in an object of its own so that the common flight pays one field for it. */
  #extras: FlightExtras<T> | undefined = undefined;

  /** `owner`: the coalescer whose table holds the flight, which its bookkeeping reactions update. */
  constructor(
    readonly key: string,
    readonly owner: AsyncSharedCall,
  ) {}

  /**
   * Aborted only when every caller has abandoned the flight; its signal is handed to `fn`, and to no other flight.
   * Absent when `fn` cannot observe an argument (see `controllerFor`).
   */
  get controller(): AbortController | undefined {
    return this.#extras?.controller;
  }

  set controller(controller: AbortController) {
    (this.#extras ??= new FlightExtras<T>()).controller = controller;
  }

  /** The context of the flight's trace on `shared-call:flight`, when someone listened as it started. */
  get trace(): FlightContext | undefined {
    return this.#extras?.trace;
  }

  set trace(context: FlightContext) {
    (this.#extras ??= new FlightExtras<T>()).trace = context;
  }

  /**
   * What every caller without cancellation receives: it settles with `fn`'s outcome once the flight is settled
   * (see {@link deliver}). Read while `fn` still runs (a same-key call made inside `fn`), it is a promise made
   * then and resolved by `deliver`, so the common flight, which nobody joins during `fn`, makes no promise of its
   * own beyond the one `deliver` receives.
   */
  get promise(): Promise<T> {
    return this.#promise ?? this.early();
  }

  /**
   * Makes the promise of callers that join while `fn` runs (see {@link promise}); not for other use. Kept out of
   * the getter, which every join inlines: with this code in it, a join cost about 80 instructions more.
   */
  early(): Promise<T> {
    return (this.#promise = new Promise<T>((resolve) => {
      (this.#extras ??= new FlightExtras<T>()).resolveEarly = resolve;
    }));
  }

  /**
   * Hands `delivered` to the callers: a promise that settles like `fn`'s outcome, after the flight's bookkeeping.
   * Called once, when `fn` has returned.
   */
  deliver(delivered: Promise<T>): void {
    const resolveEarly = this.#extras?.resolveEarly;
    if (resolveEarly === undefined) this.#promise = delivered;
    else resolveEarly(delivered);
  }
}

/** The parts of a flight that only some flights have (a signal for `fn`, a trace, callers that joined during `fn`). */
class FlightExtras<T> {
  controller: AbortController | undefined = undefined;
  trace: FlightContext | undefined = undefined;
  /** Resolves the promise made for callers that joined while `fn` ran (see `Flight.promise`). */
  resolveEarly: ((delivered: Promise<T>) => void) | undefined = undefined;
}
