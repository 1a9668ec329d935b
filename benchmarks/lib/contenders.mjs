// The coalescers the benchmarks compare. Each `make(load)` takes the function to coalesce (no arguments,
// returns a Promise) and returns `call(key)`: a Promise of `load`'s outcome, shared by every call of the same
// key made while that key's flight is in progress. Each is set up for in-flight deduplication only (no
// result caching), so all of them run `load` once per flight and never serve a settled result.
import { AsyncSharedCall } from '@shared-call/core';
import { createCache } from 'async-cache-dedupe';
import DataLoader from 'dataloader';
import pMemoize from 'p-memoize';
import { coalesceAsync } from 'promise-coalesce';

/** The floor: a bare Map of shared promises, removed on settle. Nothing a real coalescer can skip. */
function makeFloor(load) {
  const flights = new Map();
  return (key) => {
    let flight = flights.get(key);
    if (flight === undefined) {
      flight = load();
      const remove = () => flights.delete(key); // runs before the callers' reactions: attached first
      flight.then(remove, remove);
      flights.set(key, flight);
    }
    return flight;
  };
}

/** Ours: `AsyncSharedCall.call` with an explicit key, no cancellation options. */
function makeSharedCall(load) {
  const sc = new AsyncSharedCall();
  return (key) => sc.call(key, load);
}

/** promise-coalesce's `coalesceAsync(key, fn)` (its flights live in one module-wide Map). */
function makePromiseCoalesce(load) {
  return (key) => coalesceAsync(key, load);
}

/** p-memoize with `cache: false`: its in-flight promise map only; the key is the first argument (default). */
function makePMemoize(load) {
  return pMemoize((key) => load(), { cache: false });
}

/**
 * dataloader's in-flight dedup: its default promise cache (the dedup) and default batching (its normal
 * setup; `batch: false` would allocate a batch per call), with each key cleared from the cache when its
 * batch settles so nothing is served after the flight, as with the others. `cache: false` is no option: it
 * passes duplicate keys to the batch function and dedups nothing.
 */
function makeDataLoader(load) {
  const loader = new DataLoader((keys) => {
    const clear = () => keys.forEach((key) => loader.clear(key));
    return load().then(
      (value) => {
        clear();
        return keys.map(() => value);
      },
      (error) => {
        clear();
        throw error;
      },
    );
  });
  return (key) => loader.load(key);
}

/**
 * async-cache-dedupe's dedupe alone: `ttl: 0` and `stale: 0` (its defaults, spelled out), so a settled result
 * is never written to its storage (it writes only when ttl + stale ≥ 1 s) nor read from it (it reads only when
 * ttl > 0); what remains is its in-flight `dedupes` Map, cleared when the flight settles. The storage is its
 * default memory one, which stays empty. `checkInFlightOnly` proves this before every run.
 */
function makeAsyncCacheDedupe(load) {
  const cache = createCache({ ttl: 0, stale: 0, storage: { type: 'memory' } }).define('load', () => load());
  return (key) => cache.load(key);
}

/** Every contender, the floor first and ours second; `name` is what tables and charts print. */
export const contenders = [
  { name: 'floor (Map + shared promise)', id: 'floor', make: makeFloor },
  { name: 'shared-call `call`', id: 'shared-call', make: makeSharedCall },
  { name: 'promise-coalesce 1.5.0', id: 'promise-coalesce', make: makePromiseCoalesce },
  { name: 'p-memoize 9.0.0 (cache: false)', id: 'p-memoize', make: makePMemoize },
  { name: 'dataloader 2.2.3 (in-flight)', id: 'dataloader', make: makeDataLoader },
  { name: 'async-cache-dedupe 3.4.0 (ttl: 0)', id: 'async-cache-dedupe', make: makeAsyncCacheDedupe },
];

/** The contender with this `id`. */
export function contender(id) {
  const found = contenders.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`no contender ${id}`);
  return found;
}

/**
 * Throws unless `make` coalesces in flight and caches nothing: `callers` concurrent calls of one key run
 * the load once and all get its value, and a call made after that flight settled runs the load again. The
 * core bench runs it for every contender first, so that no table compares a cache with a coalescer.
 */
export async function checkInFlightOnly({ name, make }, callers = 10) {
  let executions = 0;
  const pending = [];
  const load = () => {
    executions++;
    return new Promise((resolve) => pending.push(resolve));
  };
  const release = (value) => pending.splice(0).forEach((resolve) => resolve(value));
  const call = make(load);
  const first = Array.from({ length: callers }, () => call('check'));
  await new Promise((resolve) => setImmediate(resolve)); // let a batching contender start its batch
  release(executions);
  const values = await Promise.all(first);
  if (executions !== 1 || values.some((value) => value !== 1)) {
    throw new Error(`${name}: ${callers} concurrent callers ran the load ${executions} times and got ${values.join(', ')}; expected 1 execution`);
  }
  await new Promise((resolve) => setImmediate(resolve)); // the flight is over
  const later = call('check');
  await new Promise((resolve) => setImmediate(resolve));
  release(executions);
  const value = await later;
  if (executions !== 2 || value !== 2) {
    throw new Error(`${name}: a call after the flight settled was served ${value} with ${executions} executions; expected a new execution (nothing cached)`);
  }
}
