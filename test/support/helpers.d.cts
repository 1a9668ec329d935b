/** A promise with its resolve and reject exposed, so a test decides when a flight settles. */
export declare function deferred<T = unknown>(): {
  promise: Promise<T>;
  /** The value may be left out where `T` admits `undefined` (`void`, `unknown`). */
  resolve: (...value: [void] extends [T] ? [value?: T] : [value: T]) => void;
  reject: (reason: unknown) => void;
};

/** Settles like `promise`, or rejects after `ms` milliseconds (default 5 s); `what` names the wait in the error. */
export declare function within<T>(promise: Promise<T>, ms?: number, what?: string): Promise<T>;

/** Resolves once `predicate()` holds (checked every 2 ms), or rejects after `ms` (default 10 s) naming `what`. */
export declare function until(predicate: () => boolean, what: string, ms?: number): Promise<void>;

/** The element at fraction `p` (0 … 1) of `values` sorted by `by` (default: the values themselves). */
export declare function percentile<T>(values: readonly T[], p: number, by?: (value: T) => number): T;

/** The median element of `values` sorted by `by` (the upper one of an even count). */
export declare function median<T>(values: readonly T[], by?: (value: T) => number): T;
