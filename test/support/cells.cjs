'use strict';
// Named Int32 cells that tests and benchmarks share with their worker threads over a SharedArrayBuffer. Each
// layout names its cells once, and both sides (the test or benchmark, and the worker fixture) import it, so no
// side reads or writes a bare index. Not part of any package.

/** sync-workers tests' callers: test/helpers.ts's `Callers` and test/fixtures/caller.cjs. */
const CALLER_CELLS = Object.freeze({
  /** Runs of fn, across every worker. */
  EXECUTIONS: 0,
  /** fns that have started (and counted themselves) so far. */
  ENTERED: 1,
  /** Gates the test has opened; an fn waiting for gate n goes on once this reaches n. */
  GATES_OPENED: 2,
  COUNT: 3,
});

/** The piscina task fixtures of sync-workers' tests and the pool benchmark's task. */
const POOL_CELLS = Object.freeze({
  /** Runs of fn, across every pool worker. */
  EXECUTIONS: 0,
  /** Set to 1 by the test to let a task of behaviour 'exit' go on and exit. */
  RELEASED: 1,
  COUNT: 2,
});

/** The benchmark harness's wake-up jobs (raw hop and flight). */
const HOP_CELLS = Object.freeze({
  /** Bumped by the notifying side, once per round. */
  SIGNAL: 0,
  /** Bumped by the other side once it is ready for the next round. */
  READY: 1,
  COUNT: 2,
});

/** The benchmark harness's cpu job. */
const CPU_CELLS = Object.freeze({
  /** Runs of the CPU-bound function, across every thread. */
  EXECUTIONS: 0,
  /** Set by the main thread to start phase 1 (uncoalesced), then 2 (coalesced). */
  PHASE: 1,
  /** Bumped by each thread when it finishes a phase. */
  PHASE_DONE: 2,
  /** The first of 2 × rounds barrier cells, one per phase and round: `ARRIVALS + (phase - 1) * rounds + round`. */
  ARRIVALS: 3,
});

/**
 * The conformance suite's callers (packages/test-utils, test/support/recipe.cjs): fn entries, then one cell per
 * gate, 0 while closed and 1 once open, so a test opens its gates in any order.
 */
const RECIPE_CELLS = Object.freeze({
  /** fns that have started, in every thread. */
  ENTERED: 0,
  /** Gate `n` (1 … GATES) is cell `GATE + n - 1`. */
  GATE: 1,
  GATES: 63,
  COUNT: 64,
});

/** A zeroed buffer of `count` Int32 cells. */
function cellBuffer(count) {
  return new SharedArrayBuffer(4 * count);
}

/** Adds one to `cells[index]` and wakes the threads waiting on it. */
function bump(cells, index) {
  Atomics.add(cells, index, 1);
  Atomics.notify(cells, index);
}

/** Blocks this thread until `cells[index] >= value` (a counter that only grows), re-checking every 50 ms at most. */
function blockUntilAtLeast(cells, index, value) {
  for (let seen = Atomics.load(cells, index); seen < value; seen = Atomics.load(cells, index)) {
    Atomics.wait(cells, index, seen, 50);
  }
}

module.exports = { CALLER_CELLS, RECIPE_CELLS, POOL_CELLS, HOP_CELLS, CPU_CELLS, cellBuffer, bump, blockUntilAtLeast };
