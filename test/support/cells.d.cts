/** sync-workers tests' callers: test/helpers.ts's `Callers` and test/fixtures/caller.cjs. */
export declare const CALLER_CELLS: { readonly EXECUTIONS: 0; readonly ENTERED: 1; readonly GATES_OPENED: 2; readonly COUNT: 3 };
/** The conformance suite's callers: fn entries, then gate `n` at cell `GATE + n - 1` (0 closed, 1 open). */
export declare const RECIPE_CELLS: { readonly ENTERED: 0; readonly GATE: 1; readonly GATES: 63; readonly COUNT: 64 };
/** The piscina task fixtures of sync-workers' tests and the pool benchmark's task. */
export declare const POOL_CELLS: { readonly EXECUTIONS: 0; readonly RELEASED: 1; readonly COUNT: 2 };
/** The benchmark harness's wake-up jobs (raw hop and flight). */
export declare const HOP_CELLS: { readonly SIGNAL: 0; readonly READY: 1; readonly COUNT: 2 };
/** The benchmark harness's cpu job; `ARRIVALS` is the first of 2 × rounds barrier cells. */
export declare const CPU_CELLS: { readonly EXECUTIONS: 0; readonly PHASE: 1; readonly PHASE_DONE: 2; readonly ARRIVALS: 3 };
/** A zeroed buffer of `count` Int32 cells. */
export declare function cellBuffer(count: number): SharedArrayBuffer;
/** Adds one to `cells[index]` and wakes the threads waiting on it. */
export declare function bump(cells: Int32Array, index: number): void;
/** Blocks this thread until `cells[index] >= value` (a counter that only grows). */
export declare function blockUntilAtLeast(cells: Int32Array, index: number, value: number): void;
