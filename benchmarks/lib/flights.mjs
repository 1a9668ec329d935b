// Drives concurrent callers through a coalescer: the calls are made synchronously, one after the other, so
// every caller of a key joins the flight its first caller started, as concurrent requests would.

/** `count` distinct keys, the same strings on every call so that building keys is not measured. */
export function keysOf(count, prefix = 'user:') {
  return Array.from({ length: count }, (_, i) => prefix + i);
}

/** What every load resolves to. */
export const VALUE = Object.freeze({ id: 42, name: 'x' });
const value = () => VALUE;

/**
 * A load that settles on the next microtask: still pending while the synchronous callers join, as a real
 * load is (an already-settled promise would let the floor skip the pending-reaction bookkeeping that every
 * real flight pays), yet with no timer in the measurement.
 */
export const loadNow = () => Promise.resolve().then(value);

const FLY_SOURCE = `
  const waits = new Array(keys.length * callersPerKey);
  let i = 0;
  for (let round = 0; round < callersPerKey; round++) {
    for (const key of keys) waits[i++] = call(key);
  }
  return Promise.all(waits);
`;

/**
 * Returns `fly(call, keys, callersPerKey)`: makes `callersPerKey` calls for each of `keys` (round-robin over
 * the keys, as interleaved requests arrive) and resolves when every caller has its value. One call of it is
 * one tinybench task iteration. Each contender gets a driver of its own, compiled from source here: V8 shares
 * type feedback between closures of one function, so a shared driver would make its `call(key)` site
 * polymorphic and tax whichever contender runs with it, while a real call site sees one coalescer.
 */
export function makeFly() {
  return new Function('call', 'keys', 'callersPerKey', FLY_SOURCE);
}

/**
 * A tinybench task (for `timeAlternately`): one iteration is `callersPerKey` concurrent callers of each of `keys`
 * through the coalescer `make(loadNow)`, with a driver of its own.
 */
export function flightTask(name, make, keys, callersPerKey) {
  const call = make(loadNow);
  const fly = makeFly();
  return { name, fn: () => fly(call, keys, callersPerKey), calls: keys.length * callersPerKey };
}
