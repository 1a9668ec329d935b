import type { FlightContext } from './diagnostics.js';

/**
 * One execution of a coalesced function and the bookkeeping of the callers waiting for it.
 * A flight is created by its leader, joined by later callers of the same key, and settled exactly once.
 */
export class Flight<T> {
  /**
   * Aborted only when every caller has abandoned the flight; its signal is handed to `fn`, and to no other flight.
   * Absent when `fn` cannot observe an argument (see `controllerFor`).
   */
  controller: AbortController | undefined;
  /** Settles with `fn`'s outcome; every caller without cancellation receives this very promise. */
  readonly promise: Promise<T>;
  /** Callers attached and still waiting (the leader included). */
  waiting = 1;
  /** How many callers were waiting when the flight settled: more than one means the result was shared. */
  receivers = 0;
  /** True once `fn` settled. */
  settled = false;
  /** True once the flight no longer counts as active (settled or abandoned by all callers). */
  finished = false;
  /** The context of the flight's trace on `shared-call:flight`, when someone listened as it started. */
  trace: FlightContext | undefined;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;

  constructor(readonly key: string) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}
