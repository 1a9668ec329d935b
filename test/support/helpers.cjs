'use strict';
// Helpers shared by the tests of every package and by the benchmarks: one definition each, imported from
// TypeScript tests (types in helpers.d.cts) and from the .mjs benchmarks alike. Not part of any package.

/** A promise with its resolve and reject exposed, so a test (or a benchmark) decides when a flight settles. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Settles like `promise`, or rejects after `ms` milliseconds (default 5 s): a bound for every wait that a defect
 * could make hang, so no test waits forever. `what` names the wait in the error.
 */
function within(promise, ms = 5_000, what = undefined) {
  let timer;
  const late = new Promise((_, reject) => {
    const message = `not settled within ${ms} ms`;
    timer = setTimeout(() => reject(new Error(what === undefined ? message : `${what}: ${message}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Resolves once `predicate()` holds, checked every 2 ms, or rejects after `ms` milliseconds (default 10 s): for a
 * state another thread or process reaches, such as a caller having joined a flight. `what` names it in the error.
 */
async function until(predicate, what, ms = 10_000) {
  for (const end = Date.now() + ms; !predicate(); await new Promise((resolve) => setTimeout(resolve, 2))) {
    if (Date.now() > end) throw new Error(`${what}: not reached within ${ms} ms`);
  }
}

/** The element at fraction `p` (0 … 1) of `values` sorted by `by` (default: the values themselves). */
function percentile(values, p, by = (value) => value) {
  return [...values].sort((a, b) => by(a) - by(b))[Math.floor(values.length * p)];
}

/** The median element of `values` sorted by `by` (the upper one of an even count). */
function median(values, by = (value) => value) {
  return percentile(values, 0.5, by);
}

module.exports = { deferred, within, until, percentile, median };
