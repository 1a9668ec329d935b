/** What fn does in a conformance-suite call: return `value` or throw, after gate `gate` opens if given. */
export type Recipe = ({ value: unknown } | { throw: { message: string; code: string } }) & { gate?: number };
/** An error as plain data: what survives, by contract, a thread hop. */
export interface ErrorDescription {
  ctor?: string;
  name?: string;
  message?: string;
  code?: unknown;
  /** A thrown value that is not an Error. */
  thrown?: unknown;
}
/** A caller's outcome as plain data; `raw` is the error object itself (meaningful where `sameThread` is set). */
export interface Reply {
  ok: boolean;
  value?: unknown;
  shared?: boolean;
  error?: ErrorDescription;
  raw?: unknown;
  /** Set by callers in the test's own thread: `value` and `raw` are the very objects the caller received. */
  sameThread?: boolean;
}
/** The error a `{ throw: { message, code } }` recipe throws: a RangeError with that code. */
export declare function recipeError(parts: { message: string; code: string }): RangeError & { code: string };
/** fn for a blocking coalescer: blocks this thread until its gate opens. */
export declare function blockingFn(cells: Int32Array, recipe: Recipe): () => unknown;
/** fn for an asynchronous coalescer: awaits its gate (Atomics.waitAsync). */
export declare function asyncFn(cells: Int32Array, recipe: Recipe): () => Promise<unknown>;
export declare function describeError(error: unknown): ErrorDescription;
/** Runs `call` and replies as plain data. */
export declare function replyOf(call: () => unknown): Promise<Reply>;
