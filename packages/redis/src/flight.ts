/** What a flight runs and what it settles with, as the coordinator (coordinator.ts) and its callers see them. */

/** What `fn` receives besides its signal. */
export interface FlightContext {
  /**
   * The fencing token of this execution's lease: a positive safe integer, strictly greater than the token of
   * every earlier lease of the same namespace and key. Pass it to the resource `fn` writes, which refuses
   * writes carrying a smaller token than one it has seen. `undefined` when `fn` runs without a lease (Redis
   * unavailable: a fallback), so such an execution cannot pass a fence by mistake.
   */
  readonly fencingToken: number | undefined;
}

/** The function a flight runs. */
export type FlightFn<T> = (signal: AbortSignal, flight: FlightContext) => T | PromiseLike<T>;

/** A flight's value, whether it came from another process, and the fencing token of the execution that made it. */
export interface Settled<T> {
  readonly value: T;
  readonly remote: boolean;
  readonly fencingToken: number | undefined;
}
