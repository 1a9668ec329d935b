// Drives concurrent callers through a coalescer: the calls are made synchronously, one after the other, so
// every caller of a key joins the flight its first caller started, as concurrent requests would.

/** `count` distinct keys, the same strings on every call so that building keys is not measured. */
export function keysOf(count, prefix = 'user:') {
  return Array.from({ length: count }, (_, i) => prefix + i);
}

/**
 * Makes `callersPerKey` calls for each of `keys` (round-robin over the keys, as interleaved requests arrive)
 * and resolves when every caller has its value. One call of this is one tinybench task iteration.
 */
export function fly(call, keys, callersPerKey) {
  const waits = new Array(keys.length * callersPerKey);
  let i = 0;
  for (let round = 0; round < callersPerKey; round++) {
    for (const key of keys) waits[i++] = call(key);
  }
  return Promise.all(waits);
}

/** A promise with its resolve function outside, to hold a flight open while waiters pile up. */
export function deferred() {
  let resolve;
  const promise = new Promise((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** A load that settles at once (on the next microtask, after the synchronous callers have joined). */
export const VALUE = Object.freeze({ id: 42, name: 'x' });
export const loadNow = () => Promise.resolve(VALUE);
